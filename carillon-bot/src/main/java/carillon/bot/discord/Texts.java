package carillon.bot.discord;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The texts of one resource bundle in one language: English is the base bundle, and a language without
 * its own bundle gets English (never the JVM's default locale, which says nothing about the reader).
 */
record Texts(ResourceBundle bundle, Locale locale) {
  static Texts of(String bundle, Locale locale) {
    return new Texts(ResourceBundle.getBundle(bundle, locale, ResourceBundle.Control.getNoFallbackControl(
        ResourceBundle.Control.FORMAT_PROPERTIES)), locale);
  }

  String format(String key, Object... arguments) {
    return new MessageFormat(bundle.getString(key), locale).format(arguments);
  }
}
