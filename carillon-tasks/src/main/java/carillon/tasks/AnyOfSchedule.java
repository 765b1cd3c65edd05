package carillon.tasks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link Schedule#anyOf}: each part is evaluated on its own (in its own zone); the earliest wins. */
record AnyOfSchedule(List<Schedule> parts) implements Schedule, Candidates {
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

  /** The earliest candidate of any part; at a shared instant, one that happens wins over a skipped one. */
  @Override
  public Optional<Occurrence> candidate(Instant after) {
    Occurrence earliest = null;
    for (Schedule part : parts) {
      Optional<Occurrence> candidate = Candidates.candidate(part, after);
      if (candidate.isEmpty()) {
        continue;
      }
      Occurrence c = candidate.get();
      if (earliest == null || c.instant().isBefore(earliest.instant())
          || (c.instant().equals(earliest.instant()) && earliest.skipped() && !c.skipped())) {
        earliest = c;
      }
    }
    return Optional.ofNullable(earliest);
  }

  @Override
  public String toString() {
    return parts.stream().map(Schedule::toString).collect(Collectors.joining(" | "));
  }
}
