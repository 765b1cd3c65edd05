package carillon.bot.session;

/** One problem with one field of user input: which field, and what is wrong and what is allowed. */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
