package carillon.tasks;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@link Schedule#once}. */
record OnceSchedule(Instant instant) implements Schedule {
  OnceSchedule {
    Objects.requireNonNull(instant, "instant");
  }

  @Override
  public Optional<Instant> next(Instant after) {
    return instant.isAfter(after) ? Optional.of(instant) : Optional.empty();
  }

  @Override
  public String toString() {
    return "once " + instant;
  }
}
