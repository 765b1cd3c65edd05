package carillon.bot.web.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A page template's model: keys and values in a fixed order (the API answers with records instead). */
public final class PageModel {
  private PageModel() {}

  /** A model from alternating keys and values: {@code PageModel.of("id", 1, "name", "Bell")}. */
  public static Map<String, Object> of(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must alternate");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }
}
