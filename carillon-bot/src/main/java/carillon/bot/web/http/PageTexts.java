package carillon.bot.web.http;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * The pages' words, from the resource bundles {@code carillon/bot/web/pages/texts*.properties} (English and
 * Vietnamese), as the templates' {@code t("key")}: in the language the page is rendered in. A key missing from a
 * language falls back to English (the bundle's parent); a key missing everywhere shows as {@code ??key??}, which
 * {@code PageTextsTest} catches.
 */
final class PageTexts extends AbstractExtension {
  static final String BUNDLE = "carillon.bot.web.pages.texts";
  /** The languages the pages are written in, by tag; the first is the default. */
  static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.forLanguageTag("vi"));
  static final Set<String> TAGS = Set.of("en", "vi");

  /** The text of {@code key} in {@code locale}. */
  static String text(Locale locale, String key) {
    try {
      return ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(
          ResourceBundle.Control.FORMAT_PROPERTIES)).getString(key);
    } catch (MissingResourceException e) {
      return "??" + key + "??";
    }
  }

  @Override
  public Map<String, Function> getFunctions() {
    return Map.of("t", new Function() {
      @Override
      public List<String> getArgumentNames() {
        return List.of("key");
      }

      @Override
      public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
        return text(context.getLocale(), String.valueOf(args.get("key")));
      }
    });
  }
}
