package carillon.bot.library;

import java.util.Optional;

/**
 * An import or a library change was refused: the file is not audio Carillon can decode to its end, is too
 * large or empty, a name is invalid, an id is malformed, or the item is still in a playlist. The message
 * says which and what is allowed; nothing was changed. When the refusal is because of another item (the
 * same content under another name, or a name already taken), {@link #existing()} is that item.
 */
public final class AudioRejectedException extends Exception {
  private final String field;
  private final AudioItem existing;

  public AudioRejectedException(String field, String message) {
    this(field, message, null);
  }

  AudioRejectedException(String field, String message, AudioItem existing) {
    super(message);
    this.field = field;
    this.existing = existing;
  }

  /** The input it is about: {@code file}, {@code name} or {@code id}. */
  public String field() {
    return field;
  }

  /** The item the input clashes with, if that is the reason. */
  public Optional<AudioItem> existing() {
    return Optional.ofNullable(existing);
  }
}
