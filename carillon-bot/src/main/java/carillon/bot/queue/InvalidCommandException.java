package carillon.bot.queue;

/** A malformed command (a field missing or out of range); it was not stored. The message names the field. */
public final class InvalidCommandException extends Exception {
  private final String field;

  public InvalidCommandException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
