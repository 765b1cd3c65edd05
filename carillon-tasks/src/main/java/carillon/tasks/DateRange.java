package carillon.tasks;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Calendar dates, both ends included, that a schedule skips ({@link Schedule#skipping}): a guild's
 * holiday ({@code 2026-12-25}) or break ({@code 2026-07-01..2026-08-31}). Dates are local dates, read in
 * the zone of the schedule they are applied to.
 *
 * @param first the first skipped date
 * @param last the last skipped date, not before {@code first}
 * @param label what the range is, shown in previews ("summer break"); may be empty
 */
public record DateRange(LocalDate first, LocalDate last, String label) {
  public DateRange {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(label, "label");
    if (last.isBefore(first)) {
      throw new IllegalArgumentException("date range '" + first + ".." + last
          + "' ends before it starts; use FIRST..LAST with FIRST <= LAST, e.g. 2026-07-01..2026-08-31");
    }
  }

  /**
   * Reads {@code YYYY-MM-DD} (one date) or {@code YYYY-MM-DD..YYYY-MM-DD} (both included), without a label.
   *
   * @throws IllegalArgumentException saying what is wrong and what is allowed, with an example
   */
  public static DateRange parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.trim();
    int dots = trimmed.indexOf("..");
    String firstText = dots < 0 ? trimmed : trimmed.substring(0, dots).trim();
    String lastText = dots < 0 ? trimmed : trimmed.substring(dots + 2).trim();
    LocalDate first = date(firstText);
    LocalDate last = date(lastText);
    if (last.isBefore(first)) {
      throw new IllegalArgumentException("date range '" + trimmed
          + "' ends before it starts; use FIRST..LAST with FIRST <= LAST, e.g. 2026-07-01..2026-08-31");
    }
    return new DateRange(first, last, "");
  }

  private static LocalDate date(String text) {
    try {
      return ScheduleText.localDate(text, "date range");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' in date range is not a date; use YYYY-MM-DD"
          + " or YYYY-MM-DD..YYYY-MM-DD (years 0001 to 9999), e.g. 2026-12-25 or 2026-07-01..2026-08-31");
    }
  }

  /** This range with another label. */
  public DateRange withLabel(String label) {
    return new DateRange(first, last, label);
  }

  /** Whether {@code date} is one of the skipped dates. */
  public boolean contains(LocalDate date) {
    return !date.isBefore(first) && !date.isAfter(last);
  }

  /** Why an occurrence in this range is skipped, for {@link Occurrence#skippedBecause()}. */
  String reason() {
    return label.isEmpty() ? "skipped " + this : label + " (" + this + ")";
  }

  /** The dates as {@link #parse} reads them, without the label: {@code 2026-12-25} or {@code A..B}. */
  @Override
  public String toString() {
    return first.equals(last) ? first.toString() : first + ".." + last;
  }
}
