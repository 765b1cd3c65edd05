package carillon.bot.naming;

import java.util.Optional;

/**
 * Characters a name must not contain because a reader cannot see them, yet they make two names look alike
 * or turn the text around them: control characters (Unicode category Cc), format characters (Cf: the
 * zero-width space U+200B, the byte-order mark U+FEFF, the soft hyphen, and every bidirectional control,
 * such as the right-to-left override U+202E and the isolates U+2066 to U+2069, see UAX #9), line and
 * paragraph separators (Zl, Zp), lone surrogates (Cs), and the Hangul fillers (U+115F, U+1160, U+3164,
 * U+FFA0), letters that show as nothing.
 *
 * <p>One exception: the zero-width joiner and non-joiner (U+200D, U+200C) between two visible characters,
 * where they are part of how the text is written (emoji sequences such as 🧘‍♀️, Persian words).
 */
public final class HiddenCharacters {
  private static final int ZWNJ = 0x200C;
  private static final int ZWJ = 0x200D;

  private HiddenCharacters() {}

  /**
   * The first hidden character of {@code name}, described for a person: {@code "U+200B ZERO WIDTH SPACE at
   * character 3"} (counting characters as a reader does, from 1); empty if there is none.
   */
  public static Optional<String> first(String name) {
    int[] points = name.codePoints().toArray();
    for (int i = 0; i < points.length; i++) {
      int c = points[i];
      boolean joiner = c == ZWJ || c == ZWNJ;
      boolean allowed = joiner ? i > 0 && i < points.length - 1 && visible(points[i - 1]) && visible(points[i + 1])
          : visible(c) || Character.getType(c) == Character.SPACE_SEPARATOR;
      if (!allowed) {
        String unicodeName = Character.getName(c);
        return Optional.of(String.format("U+%04X%s at character %d", c, unicodeName == null ? "" : " " + unicodeName,
            i + 1));
      }
    }
    return Optional.empty();
  }

  private static boolean visible(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.SURROGATE, Character.LINE_SEPARATOR,
           Character.PARAGRAPH_SEPARATOR -> false;
      default -> c != 0x115F && c != 0x1160 && c != 0x3164 && c != 0xFFA0;
    };
  }
}
