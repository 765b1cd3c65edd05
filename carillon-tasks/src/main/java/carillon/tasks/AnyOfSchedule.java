package carillon.tasks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link Schedule#anyOf}: each part is evaluated on its own (in its own zone); the earliest wins. */
record AnyOfSchedule(List<Schedule> parts) implements Schedule {
  AnyOfSchedule {
    parts = List.copyOf(parts);
    for (Schedule part : parts) {
      if (part instanceof AnyOfSchedule) {
        throw new IllegalArgumentException("anyOf cannot contain another anyOf; list its parts instead");
      }
    }
  }

  @Override
  public Optional<Instant> next(Instant after) {
    Instant earliest = null;
    for (Schedule part : parts) {
      Optional<Instant> candidate = part.next(after);
      if (candidate.isPresent() && (earliest == null || candidate.get().isBefore(earliest))) {
        earliest = candidate.get();
      }
    }
    return Optional.ofNullable(earliest);
  }

  @Override
  public String toString() {
    return parts.stream().map(Schedule::toString).collect(Collectors.joining(" | "));
  }
}
