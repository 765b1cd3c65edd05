package carillon.bot.naming;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The form in which names people give (audio files, sessions) must be unique: "Temple Bell", "temple bell"
 * and "ｔｅｍｐｌｅ ｂｅｌｌ" (full-width) are one name. The key is Unicode NFKC (compatibility forms become
 * their plain letters) with the case folded, close to Unicode's NFKC_Casefold (UAX #15, UAX #44): upper
 * then lower case, so that "ß" and "SS", "ς" and "Σ" fold together; NFKC again, since folding can undo it.
 * Keys are only compared and stored for uniqueness, never shown.
 */
public final class NameKey {
  private NameKey() {}

  /** The key of {@code name}, which should already be stripped of surrounding white space. */
  public static String of(String name) {
    String compatible = Normalizer.normalize(name, Normalizer.Form.NFKC);
    String folded = compatible.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(folded, Normalizer.Form.NFKC);
  }
}
