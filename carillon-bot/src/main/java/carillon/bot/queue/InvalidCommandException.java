package carillon.bot.queue;

import carillon.bot.session.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A malformed command (a field missing or out of range); it was not stored. Every problem, by field. */
public final class InvalidCommandException extends Exception {
  private final List<FieldError> errors;

  InvalidCommandException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
