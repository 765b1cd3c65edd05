package carillon.bot.web.auth;

import carillon.bot.session.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** Input was refused (an account name, a password): every problem, each naming its field. Nothing was stored. */
public final class InvalidInputException extends Exception {
  private final List<FieldError> errors;

  public InvalidInputException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
