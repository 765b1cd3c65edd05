package carillon.bot.web.library;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One range of bytes a request's Range header asks for, as RFC 9110 s14.1.2 defines it: {@code bytes=FIRST-LAST},
 * {@code bytes=FIRST-} (to the end) or {@code bytes=-N} (the last N bytes); a last position past the end is
 * the end. Several ranges, or another unit, are ignored (a server may ignore Range, s14.2): the whole is sent.
 *
 * @param first the first byte's offset
 * @param last the last byte's offset, inclusive
 */
record ByteRange(long first, long last) {
  private static final Pattern ONE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  /** Thrown when the range asked for starts past the end: 416, with the size in Content-Range. */
  static final class Unsatisfiable extends Exception {
    Unsatisfiable() {
      super(null, null, false, false);
    }
  }

  /**
   * The range a Range header asks for in a {@code size}-byte content, or empty for the whole.
   *
   * @throws Unsatisfiable if it starts at or past the end, or asks for the last 0 bytes
   */
  static Optional<ByteRange> of(String header, long size) throws Unsatisfiable {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = ONE.matcher(header.strip());
    if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
      return Optional.empty();
    }
    if (m.group(1).isEmpty()) { // a suffix: the last N bytes
      long suffix = Long.parseLong(m.group(2));
      if (suffix == 0 || size == 0) {
        throw new Unsatisfiable();
      }
      return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
    if (first >= size) {
      throw new Unsatisfiable();
    }
    if (last < first) {
      return Optional.empty(); // invalid: ignored (s14.1.1)
    }
    return Optional.of(new ByteRange(first, last));
  }

  long length() {
    return last - first + 1;
  }
}
