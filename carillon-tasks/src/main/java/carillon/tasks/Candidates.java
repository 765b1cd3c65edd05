package carillon.tasks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A schedule that knows the occurrences it skips (an {@code rrule}'s {@code except} dates, skipped date
 * ranges), so that a preview can list them marked. Other schedules skip nothing.
 */
interface Candidates {

  /** The first occurrence strictly after {@code after}, skipped or not. */
  Optional<Occurrence> candidate(Instant after);

  static Optional<Occurrence> candidate(Schedule schedule, Instant after) {
    if (schedule instanceof Candidates candidates) {
      return candidates.candidate(after);
    }
    return schedule.next(after).map(Occurrence::happens);
  }

  /** {@link Schedule#occurrences}. */
  static List<Occurrence> list(Schedule schedule, Instant after, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit is " + limit + "; use 0 or more, e.g. 10");
    }
    List<Occurrence> out = new ArrayList<>();
    Instant cursor = after;
    while (out.size() < limit) {
      Optional<Occurrence> next = candidate(schedule, cursor);
      if (next.isEmpty()) {
        break;
      }
      out.add(next.get());
      cursor = next.get().instant();
    }
    return List.copyOf(out);
  }
}
