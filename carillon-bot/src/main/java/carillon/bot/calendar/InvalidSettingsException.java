package carillon.bot.calendar;

import carillon.bot.session.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** Guild settings were refused: every problem found, each naming its field. Nothing was stored. */
public final class InvalidSettingsException extends Exception {
  private final List<FieldError> errors;

  public InvalidSettingsException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
