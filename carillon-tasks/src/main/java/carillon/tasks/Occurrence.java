package carillon.tasks;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One occurrence of a schedule in a preview ({@link Schedule#occurrences}): its instant, and why it is
 * skipped when it is (an {@code except} date of an {@code rrule}, or a {@link DateRange} given to
 * {@link Schedule#skipping}). A skipped occurrence is listed but never returned by {@link Schedule#next}.
 *
 * @param instant when the occurrence is (or would have been)
 * @param skippedBecause empty when it happens; otherwise the reason, e.g. {@code "except 2026-12-24"} or
 *     {@code "Christmas (2026-12-24..2026-12-26)"}
 */
public record Occurrence(Instant instant, Optional<String> skippedBecause) {
  public Occurrence {
    Objects.requireNonNull(instant, "instant");
    Objects.requireNonNull(skippedBecause, "skippedBecause");
  }

  static Occurrence happens(Instant instant) {
    return new Occurrence(instant, Optional.empty());
  }

  static Occurrence skipped(Instant instant, String reason) {
    return new Occurrence(instant, Optional.of(reason));
  }

  /** Whether this occurrence is skipped (listed in a preview, but does not run). */
  public boolean skipped() {
    return skippedBecause.isPresent();
  }
}
