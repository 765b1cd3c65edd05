package carillon.bot.web;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON objects written in a fixed field order, so that answers read the same every time. */
final class Json {
  private Json() {}

  /** An object from alternating keys and values: {@code Json.object("id", 1, "name", "Bell")}. */
  static Map<String, Object> object(Object... keysAndValues) {
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
