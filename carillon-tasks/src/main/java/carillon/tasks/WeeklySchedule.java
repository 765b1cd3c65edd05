package carillon.tasks;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link Schedule#daily} and {@link Schedule#weekly}: wall-clock times on some days, in one zone. */
record WeeklySchedule(ZoneId zone, Set<DayOfWeek> days, List<LocalTime> times) implements Schedule {

  WeeklySchedule {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(days, "days");
    Objects.requireNonNull(times, "times");
    if (days.isEmpty()) {
      throw new IllegalArgumentException("a weekly schedule needs at least one day of the week");
    }
    if (times.isEmpty()) {
      throw new IllegalArgumentException("a schedule needs at least one time of day");
    }
    days = Set.copyOf(EnumSet.copyOf(days));
    times = times.stream().map(t -> Objects.requireNonNull(t, "time")).distinct().sorted().toList();
  }

  @Override
  public Optional<Instant> next(Instant after) {
    LocalDate date = after.atZone(zone).toLocalDate();
    // Eight days cover a whole week after today; one day more covers a DST shift that moves a time past
    // midnight.
    for (int day = 0; day < 9; day++, date = date.plusDays(1)) {
      if (!days.contains(date.getDayOfWeek())) {
        continue;
      }
      Instant earliest = null;
      for (LocalTime time : times) {
        // ZonedDateTime.of shifts a time in a gap forward and picks the earlier offset in an overlap.
        Instant candidate = ZonedDateTime.of(date, time, zone).toInstant();
        if (candidate.isAfter(after) && (earliest == null || candidate.isBefore(earliest))) {
          earliest = candidate;
        }
      }
      if (earliest != null) {
        return Optional.of(earliest);
      }
    }
    throw new AssertionError("no occurrence within nine days of " + after + " for " + this);
  }

  @Override
  public String toString() {
    String timeList = times.stream().map(WeeklySchedule::formatTime).collect(Collectors.joining(","));
    if (days.size() == 7) {
      return "daily " + timeList + " " + zone.getId();
    }
    String dayList = days.stream().sorted().map(d -> d.name().substring(0, 3)).collect(Collectors.joining(","));
    return "weekly " + dayList + " " + timeList + " " + zone.getId();
  }

  static String formatTime(LocalTime time) {
    return time.toString(); // HH:mm, or HH:mm:ss (and fraction) when seconds are set
  }
}
