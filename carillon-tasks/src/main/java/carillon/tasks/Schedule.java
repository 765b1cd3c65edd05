package carillon.tasks;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When something happens: the instants of a calendar rule, computed one at a time.
 *
 * <p>A schedule answers one question, {@link #next(Instant)}: the first instant strictly after a
 * given one. Wall-clock rules ({@link #daily}, {@link #weekly}, {@link #cron}) are evaluated in their
 * own time zone, so one {@link #anyOf} schedule can mix zones and still fire at each entry's own time.
 *
 * <p>Daylight-saving rules. {@code daily}, {@code weekly}, {@code rrule} and {@code once DATE-TIME ZONE}
 * (RFC 5545 §3.3.5):
 * <ul>
 *   <li>a wall time inside a gap (02:30 on a spring-forward day) fires shifted forward by the gap's
 *       length (03:30), as {@link java.time.ZonedDateTime#of} resolves it;</li>
 *   <li>a wall time inside an overlap (01:30 on a fall-back day) fires once, at its <em>earlier</em>
 *       occurrence (the first time clocks show 01:30).</li>
 * </ul>
 * {@code cron} follows Vixie cron 4.1 instead ({@code cron.c}, kept by cronie): a job whose minute field
 * starts with {@code *} or whose hour field has {@code *}, a range or a step fires in every real hour,
 * both passes of an overlap included, and has no run for gap times; any other (fixed-time) job fires once
 * in an overlap (the first pass), and its time inside a gap fires right after the gap (at 03:00 for 02:30).
 *
 * <p>Every built-in schedule has one stable text form, returned by {@code toString()} and read back by
 * {@link #parse(String)}, for storing schedules in a database or a configuration file. Grammar (words
 * separated by spaces; keywords, day names and zone names in any case; written canonically):
 * <pre>
 * schedule := part ( " | " part )*
 * part     := "daily" TIMES ZONE
 *           | "weekly" DAYS TIMES ZONE
 *           | "cron" MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK ZONE  | "cron" MACRO ZONE
 *           | "once" INSTANT  | "once" DATE-TIME ZONE
 *           | "rrule" RULE "from" DATE-TIME ZONE [ "except" EXCEPT ( "," EXCEPT )* ]
 * TIMES    := HH:mm[:ss] ( "," HH:mm[:ss] )*          00:00 to 23:59; 24:00 is refused
 * DAYS     := MON|TUE|WED|THU|FRI|SAT|SUN ( "," ... )*  (or full names)
 * ZONE     := a region id (Europe/Paris, America/New_York, Australia/Lord_Howe) or UTC
 * cron day-of-week items also: DAY#N (N-th such day, N 1-5: SUN#1), DAYL (last such day: 5L, FRIL);
 *   day-of-month items also: L (last day of the month)
 * MACRO    := @hourly | @daily | @weekly | @monthly | @yearly
 * INSTANT  := YYYY-MM-DDTHH:mm[:ss]Z                    years 0001 to 9999
 * DATE-TIME:= YYYY-MM-DDTHH:mm[:ss]                     local time in ZONE
 * RULE     := an RFC 5545 RRULE value, e.g. FREQ=MONTHLY;BYDAY=1SU (an "RRULE:" prefix is dropped)
 * EXCEPT   := YYYY-MM-DD (no occurrence that day) | YYYY-MM-DDTHH:mm (not that occurrence)
 * </pre>
 * Examples:
 * <pre>
 * daily 07:00,19:30 Europe/Paris
 * weekly MON,WED,FRI 07:00 Asia/Ho_Chi_Minh
 * cron 0 7 * * 1-5 America/New_York
 * cron 0 7 * * SUN#1 Europe/Paris            (first Sunday)      cron 0 19 * * 5L UTC   (last Friday)
 * once 2026-12-24T18:00:00Z
 * rrule FREQ=MONTHLY;BYDAY=1SU from 2026-01-04T07:00 Europe/Paris
 * rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-01-05T19:00 America/New_York except 2026-12-28
 * daily 07:00 Asia/Tokyo | daily 07:00 Europe/London
 * </pre>
 *
 * <p>Skipped dates (a guild's holidays) are not part of the text: {@link #skipping} applies them to any
 * schedule, and {@link #occurrences} lists what will happen with skipped occurrences marked.
 *
 * <pre>{@code
 * Schedule morning = Schedule.weekly(ZoneId.of("Asia/Ho_Chi_Minh"),
 *     EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY), LocalTime.of(7, 0));
 * Optional<Instant> next = morning.next(Instant.now());
 * String stored = morning.toString();          // "weekly MON,WED 07:00 Asia/Ho_Chi_Minh"
 * Schedule same = Schedule.parse(stored);      // equal to morning
 * }</pre>
 *
 * <p>Implement this interface for rules the factories cannot express; such schedules work with
 * {@link Loop#on(Schedule)} but have no text form that {@link #parse} reads.
 */
public interface Schedule {

  /**
   * The first instant of this schedule strictly after {@code after}, or empty when the schedule has no
   * more instants (a one-off that has passed).
   */
  Optional<Instant> next(Instant after);

  /**
   * A time zone as schedules read it: an IANA region id in any case ({@code europe/paris}) or {@code UTC},
   * returned canonical ({@code Europe/Paris}).
   *
   * @throws IllegalArgumentException naming the text and what is allowed, with an example
   */
  static ZoneId zone(String text) {
    return ScheduleText.zone(text);
  }

  /** Every day at the given wall-clock times in {@code zone}. */
  static Schedule daily(ZoneId zone, LocalTime... times) {
    return new WeeklySchedule(zone, EnumSet.allOf(DayOfWeek.class), List.of(times));
  }

  /** On the given days of the week at the given wall-clock times in {@code zone}. */
  static Schedule weekly(ZoneId zone, Set<DayOfWeek> days, LocalTime... times) {
    return new WeeklySchedule(zone, days, List.of(times));
  }

  /**
   * A standard five-field cron expression ({@code minute hour day-of-month month day-of-week}) in
   * {@code zone}. Fields take {@code *}, numbers, ranges {@code a-b}, lists {@code a,b}, steps
   * {@code *}{@code /n}, {@code a-b/n} and {@code a/n}; months take {@code JAN}–{@code DEC} and days
   * {@code SUN}–{@code SAT} (0 and 7 are Sunday). As in Vixie cron, when both day fields are
   * restricted a day matches if either matches. The day-of-week field also takes {@code DAY#N} (the N-th
   * such day of the month, N from 1 to 5: {@code SUN#1}) and {@code DAYL} (the last one: {@code 5L},
   * {@code FRIL}); the day-of-month field takes {@code L} (its last day). The macros {@code @hourly},
   * {@code @daily}, {@code @weekly}, {@code @monthly} and {@code @yearly} are accepted. Clock changes
   * follow Vixie cron (see the class documentation).
   *
   * @throws IllegalArgumentException naming the field that is wrong and what it allows
   */
  static Schedule cron(String expression, ZoneId zone) {
    return CronSchedule.parse(expression, zone);
  }

  /** Exactly once, at {@code instant}. */
  static Schedule once(Instant instant) {
    return new OnceSchedule(instant);
  }

  /**
   * An RFC 5545 recurrence rule ({@code RRULE} value, e.g. {@code FREQ=MONTHLY;BYDAY=1SU}) from
   * {@code start}, in {@code zone}, expanded by ical4j. Every RRULE part ical4j knows is allowed:
   * FREQ, INTERVAL, COUNT, UNTIL, BYSETPOS, BYDAY (with {@code 1SU}, {@code -1FR}), BYMONTHDAY, BYMONTH,
   * BYYEARDAY, BYWEEKNO, BYHOUR, BYMINUTE, BYSECOND, WKST. {@code start} anchors INTERVAL and COUNT and
   * gives the time of day unless BYHOUR/BYMINUTE do; it is an occurrence itself only if the rule matches
   * it. UNTIL is local time in {@code zone} (a UTC {@code ...Z} value is converted). Occurrences are wall
   * times in {@code zone}; a time in a gap moves forward by the gap, an ambiguous one is the first (RFC
   * 5545 §3.3.5).
   *
   * @param except RFC 5545 EXDATE: each a {@link java.time.LocalDate} (no occurrence that day) or a
   *     {@link LocalDateTime} (no occurrence at that wall time)
   * @throws IllegalArgumentException if the rule is malformed, has INTERVAL or COUNT below 1, or never fires
   */
  static Schedule rrule(String rule, LocalDateTime start, ZoneId zone, List<? extends Temporal> except) {
    return RRuleSchedule.of(rule, start, zone, except);
  }

  /**
   * This schedule without the occurrences whose local date falls in one of {@code ranges}: a guild's
   * holidays and breaks. The local date is taken in the schedule's own zone (each part of an
   * {@link #anyOf} in its own; a {@link #once} and schedules of your own in UTC). {@link #next} jumps
   * over skipped occurrences; {@link #occurrences} lists them marked. Skipping twice skips both lists.
   * The result has no text form; store the ranges apart.
   */
  default Schedule skipping(List<DateRange> ranges) {
    return SkippingSchedule.of(this, ranges);
  }

  /**
   * A preview: the next {@code limit} occurrences strictly after {@code after}, skipped ones included and
   * marked with the reason ({@code except} dates of an {@code rrule}, {@link #skipping} ranges). Those not
   * marked are exactly what {@link #next} returns. Fewer when the schedule ends.
   *
   * @param limit how many occurrences to list, skipped ones counted; 0 or more
   */
  default List<Occurrence> occurrences(Instant after, int limit) {
    return Candidates.list(this, after, limit);
  }

  /** The union of several schedules: each instant of any of them, an instant shared by two only once. */
  static Schedule anyOf(Schedule... schedules) {
    Objects.requireNonNull(schedules, "schedules");
    if (schedules.length == 0) {
      throw new IllegalArgumentException("anyOf needs at least one schedule");
    }
    return new AnyOfSchedule(Arrays.asList(schedules.clone()));
  }

  /**
   * Reads the text form that {@code toString()} of a built-in schedule writes (see the class
   * documentation). {@code once} also accepts a local date-time with a zone, {@code once
   * 2026-12-24T18:00 Europe/Paris}.
   *
   * @throws IllegalArgumentException saying what is wrong and what is allowed
   */
  static Schedule parse(String text) {
    return ScheduleText.parse(text);
  }

  /**
   * Reads a schedule a person has just entered: as {@link #parse(String)}, and refuses a schedule with no
   * occurrence after {@code now} (a {@code once} in the past, an {@code rrule} whose COUNT or UNTIL has
   * run out). Use {@link #parse(String)} to read back stored schedules, which may have passed.
   *
   * @param now the caller's clock (its {@link TimeSource}), not {@code Instant.now()}
   * @throws IllegalArgumentException saying what is wrong and what is allowed, with an example
   */
  static Schedule parse(String text, Instant now) {
    Objects.requireNonNull(now, "now");
    return ScheduleText.parse(text, now);
  }
}
