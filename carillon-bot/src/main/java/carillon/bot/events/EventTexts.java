package carillon.bot.events;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The texts of Discord events and reminder DMs ({@code carillon/bot/events/events*.properties}) in one
 * language; English is the base bundle, never the JVM's default locale.
 */
record EventTexts(ResourceBundle bundle, Locale locale) {
  static EventTexts of(Locale locale) {
    return new EventTexts(ResourceBundle.getBundle("carillon.bot.events.events", locale,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)), locale);
  }

  String format(String key, Object... arguments) {
    return new MessageFormat(bundle.getString(key), locale).format(arguments);
  }
}
