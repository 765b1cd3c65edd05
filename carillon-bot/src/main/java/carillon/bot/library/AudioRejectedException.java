package carillon.bot.library;

/**
 * An import or a library change was refused: the file is not audio LavaPlayer can decode, is too large
 * or empty, a name is invalid, an id is malformed, or the item is still in a playlist. The message says
 * which and what is allowed; nothing was changed.
 */
public final class AudioRejectedException extends Exception {
  private final String field;

  public AudioRejectedException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The input it is about: {@code file}, {@code name} or {@code id}. */
  public String field() {
    return field;
  }
}
