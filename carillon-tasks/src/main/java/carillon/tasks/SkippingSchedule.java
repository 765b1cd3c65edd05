package carillon.tasks;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Schedule#skipping}: the occurrences of {@code inner} whose local date in {@code zone} falls in
 * none of {@code ranges}.
 */
record SkippingSchedule(Schedule inner, List<DateRange> ranges, ZoneId zone) implements Schedule, Candidates {
  SkippingSchedule {
    Objects.requireNonNull(inner, "inner");
    Objects.requireNonNull(zone, "zone");
    ranges = List.copyOf(ranges);
  }

  /** Skips in each part's own zone; merges a second list into the first. */
  static Schedule of(Schedule schedule, List<DateRange> ranges) {
    Objects.requireNonNull(ranges, "ranges");
    List<DateRange> copy = List.copyOf(ranges);
    if (copy.isEmpty()) {
      return schedule;
    }
    return switch (schedule) {
      case AnyOfSchedule any -> new AnyOfSchedule(any.parts().stream().map(p -> of(p, copy)).toList());
      case SkippingSchedule skipping -> {
        List<DateRange> all = new ArrayList<>(skipping.ranges());
        all.addAll(copy);
        yield new SkippingSchedule(skipping.inner(), all, skipping.zone());
      }
      default -> new SkippingSchedule(schedule, copy, zoneOf(schedule));
    };
  }

  /** The zone whose calendar dates a schedule's occurrences have; UTC for one-offs and custom schedules. */
  private static ZoneId zoneOf(Schedule schedule) {
    return switch (schedule) {
      case WeeklySchedule weekly -> weekly.zone();
      case CronSchedule cron -> cron.zone();
      case RRuleSchedule rrule -> rrule.zone();
      default -> ZoneOffset.UTC;
    };
  }

  @Override
  public Optional<Instant> next(Instant after) {
    Instant cursor = after;
    while (true) {
      Optional<Instant> next = inner.next(cursor);
      if (next.isEmpty()) {
        return next;
      }
      DateRange range = rangeOf(next.get());
      if (range == null) {
        return next;
      }
      // Jump to the end of the range rather than walking through every occurrence in it.
      Instant endOfRange = ZonedDateTime.of(range.last().plusDays(1).atStartOfDay(), zone).toInstant().minusNanos(1);
      cursor = endOfRange.isAfter(next.get()) ? endOfRange : next.get();
    }
  }

  @Override
  public Optional<Occurrence> candidate(Instant after) {
    return Candidates.candidate(inner, after).map(occurrence -> {
      DateRange range = occurrence.skipped() ? null : rangeOf(occurrence.instant());
      return range == null ? occurrence : Occurrence.skipped(occurrence.instant(), range.reason());
    });
  }

  private DateRange rangeOf(Instant instant) {
    LocalDate date = instant.atZone(zone).toLocalDate();
    for (DateRange range : ranges) {
      if (range.contains(date)) {
        return range;
      }
    }
    return null;
  }

  /** No text form that {@link Schedule#parse} reads: the ranges are stored apart (per guild). */
  @Override
  public String toString() {
    return inner + " skipping " + ranges;
  }
}
