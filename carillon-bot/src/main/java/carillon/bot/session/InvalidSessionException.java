package carillon.bot.session;

import java.util.List;
import java.util.stream.Collectors;

/** A session was refused: every problem found, each naming its field. Nothing was stored. */
public final class InvalidSessionException extends Exception {
  private final List<FieldError> errors;

  public InvalidSessionException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
