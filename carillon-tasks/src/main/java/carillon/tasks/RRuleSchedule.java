package carillon.tasks;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.fortuna.ical4j.model.Recur;

/**
 * {@link Schedule#rrule}: an RFC 5545 recurrence rule from a start date-time in one zone, minus its
 * {@code except} dates (RFC 5545 EXDATE). ical4j expands the rule in wall-clock time (a floating
 * {@link LocalDateTime} seed); each wall time then becomes an instant in {@code zone} as RFC 5545 §3.3.5
 * says: a time in a gap is read with the offset before the gap (02:30 becomes 03:30), an ambiguous time is
 * the first of the two.
 *
 * @param rule the RRULE value as ical4j writes it ({@code FREQ=MONTHLY;BYDAY=1SU}), UNTIL in local time
 * @param start where the rule starts: the anchor of INTERVAL and COUNT and the time of day unless BYHOUR
 *     and BYMINUTE say otherwise; itself an occurrence only if the rule matches it
 * @param exceptDates dates on which no occurrence happens
 * @param exceptTimes single occurrences (wall times) that do not happen
 */
record RRuleSchedule(
    String rule, LocalDateTime start, ZoneId zone, List<LocalDate> exceptDates, List<LocalDateTime> exceptTimes)
    implements Schedule, Candidates {

  private static final String RULE_EXAMPLE = "e.g. 'rrule FREQ=MONTHLY;BYDAY=1SU from 2026-01-04T07:00 Europe/Paris'";
  private static final Pattern UTC_UNTIL = Pattern.compile("UNTIL=(\\d{8}T\\d{6})Z");
  private static final DateTimeFormatter ICAL_DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

  /** How far ahead {@link #next} looks, as for cron: a leap day on a given weekday recurs within 28 years. */
  private static final int SEARCH_YEARS = 29;

  RRuleSchedule {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(zone, "zone");
    exceptDates = List.copyOf(new TreeSet<>(exceptDates));
    exceptTimes = List.copyOf(new TreeSet<>(exceptTimes));
  }

  /**
   * Checks and normalises a rule: upper case, ical4j's order of parts, a UTC UNTIL (what calendar exports
   * write) turned into local time in {@code zone}; refuses rules that never fire.
   */
  static RRuleSchedule of(String ruleText, LocalDateTime start, ZoneId zone, List<? extends Temporal> except) {
    Objects.requireNonNull(ruleText, "rule");
    Objects.requireNonNull(except, "except");
    String text = ruleText.trim().toUpperCase(Locale.ROOT);
    if (text.startsWith("RRULE:")) {
      text = text.substring("RRULE:".length());
    }
    Matcher until = UTC_UNTIL.matcher(text);
    if (until.find()) {
      LocalDateTime utc = LocalDateTime.parse(until.group(1), ICAL_DATE_TIME);
      String local = utc.atZone(ZoneOffset.UTC).withZoneSameInstant(zone).toLocalDateTime().format(ICAL_DATE_TIME);
      text = until.replaceFirst("UNTIL=" + local);
    }
    Recur<LocalDateTime> recur;
    try {
      recur = new Recur<>(text);
    } catch (RuntimeException e) { // ical4j says what is wrong in IllegalArgumentException and parse errors
      throw new IllegalArgumentException("rrule rule '" + ruleText.trim() + "' is not an RFC 5545 RRULE ("
          + e.getMessage() + "); use FREQ=... and parts separated by ';', " + RULE_EXAMPLE);
    }
    if (text.contains("INTERVAL=") && recur.getInterval() < 1) { // ical4j says -1 when INTERVAL is absent
      throw new IllegalArgumentException("rrule rule '" + ruleText.trim() + "' has INTERVAL "
          + recur.getInterval() + "; INTERVAL must be 1 or more, e.g. FREQ=WEEKLY;INTERVAL=2 (every other week)");
    }
    if (text.contains("COUNT=") && recur.getCount() < 1) {
      throw new IllegalArgumentException("rrule rule '" + ruleText.trim() + "' has COUNT " + recur.getCount()
          + "; COUNT must be 1 or more, e.g. FREQ=WEEKLY;COUNT=10");
    }
    List<LocalDate> dates = new ArrayList<>();
    List<LocalDateTime> times = new ArrayList<>();
    for (Temporal item : except) {
      switch (item) {
        case LocalDate date -> dates.add(date);
        case LocalDateTime time -> times.add(time);
        default -> throw new IllegalArgumentException("rrule except item '" + item
            + "' is neither a date nor a local date-time; e.g. 2026-12-24 or 2026-12-24T19:00");
      }
    }
    RRuleSchedule schedule = new RRuleSchedule(recur.toString(), start, zone, dates, times);
    if (schedule.candidateAfterWall(start.minusNanos(1), null).isEmpty()) {
      throw new IllegalArgumentException("rrule '" + recur + "' never fires from " + start
          + " (no occurrence within " + SEARCH_YEARS + " years, or UNTIL is before the start); " + RULE_EXAMPLE);
    }
    return schedule;
  }

  @Override
  public Optional<Instant> next(Instant after) {
    Instant cursor = after;
    while (true) {
      Optional<Occurrence> next = candidate(cursor);
      if (next.isEmpty() || !next.get().skipped()) {
        return next.map(Occurrence::instant);
      }
      cursor = next.get().instant();
    }
  }

  @Override
  public Optional<Occurrence> candidate(Instant after) {
    // A wall time a little before `after` can map to an instant after it (a gap moves times forward).
    return candidateAfterWall(after.atZone(zone).toLocalDateTime().minusHours(3), after);
  }

  /** The first occurrence whose wall time is after {@code fromWall} and whose instant is after {@code after}. */
  private Optional<Occurrence> candidateAfterWall(LocalDateTime fromWall, Instant after) {
    Recur<LocalDateTime> recur = new Recur<>(rule);
    LocalDateTime windowStart = fromWall.isBefore(start) ? start : fromWall;
    LocalDateTime limit = windowStart.plusYears(SEARCH_YEARS);
    // Small windows first: ical4j expands from the start each time, so a near occurrence is cheap.
    for (LocalDateTime windowEnd = windowStart.plusDays(40); ; windowEnd = windowEnd.plusYears(2)) {
      LocalDateTime end = windowEnd.isAfter(limit) ? limit : windowEnd;
      Occurrence best = null;
      for (LocalDateTime wall : recur.getDates(start, windowStart, end)) {
        if (wall.isBefore(start) || wall.isBefore(windowStart)) {
          continue;
        }
        Instant instant = ZonedDateTime.ofLocal(wall, zone, null).toInstant(); // RFC 5545 §3.3.5
        if ((after == null || instant.isAfter(after)) && (best == null || instant.isBefore(best.instant()))) {
          best = occurrence(wall, instant);
        }
      }
      if (best != null) {
        return Optional.of(best);
      }
      if (!end.isBefore(limit)) {
        return Optional.empty();
      }
    }
  }

  private Occurrence occurrence(LocalDateTime wall, Instant instant) {
    if (exceptDates.contains(wall.toLocalDate())) {
      return Occurrence.skipped(instant, "except " + wall.toLocalDate());
    }
    if (exceptTimes.contains(wall)) {
      return Occurrence.skipped(instant, "except " + wall);
    }
    return Occurrence.happens(instant);
  }

  @Override
  public String toString() {
    String text = "rrule " + rule + " from " + start + " " + zone.getId();
    if (exceptDates.isEmpty() && exceptTimes.isEmpty()) {
      return text;
    }
    List<Temporal> items = new ArrayList<>(exceptDates);
    items.addAll(exceptTimes);
    items.sort(Comparator.comparing(RRuleSchedule::sortKey));
    return text + " except " + String.join(",", items.stream().map(Object::toString).toList());
  }

  private static LocalDateTime sortKey(Temporal item) {
    return item instanceof LocalDate date ? date.atStartOfDay() : (LocalDateTime) item;
  }
}
