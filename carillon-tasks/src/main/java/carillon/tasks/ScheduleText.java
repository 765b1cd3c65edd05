package carillon.tasks;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the text form of the built-in schedules; see {@link Schedule} for the grammar. */
final class ScheduleText {
  private static final String EXAMPLES = "e.g. 'daily 07:00 Europe/Paris', 'weekly MON,WED,FRI 07:00 Asia/Ho_Chi_Minh',"
      + " 'cron 0 7 * * 1-5 UTC', 'once 2026-12-24T18:00:00Z' or"
      + " 'rrule FREQ=MONTHLY;BYDAY=1SU from 2026-01-04T07:00 Europe/Paris'";

  /**
   * 7:00, 07:00 and 07:00:30; the canonical form writes 07:00 (see {@link LocalTime#toString()}). Strict, so
   * that 24:00 is refused rather than read as 00:00 (which would move a weekly time a day earlier).
   */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("H:mm[:ss]").withResolverStyle(ResolverStyle.STRICT);

  private static final String TIME_RULE =
      "use HH:mm from 00:00 to 23:59 (optionally :ss), several separated by commas, e.g. 07:00,19:30";

  /** Every region id java.time knows, by its lower-case spelling: zone names are read in any case. */
  private static final Map<String, String> ZONE_IDS = ZoneId.getAvailableZoneIds().stream()
      .collect(Collectors.toUnmodifiableMap(id -> id.toLowerCase(Locale.ROOT), id -> id, (a, b) -> a));

  private ScheduleText() {}

  static Schedule parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("schedule is empty; " + EXAMPLES);
    }
    String[] parts = text.split("\\|", -1);
    if (parts.length == 1) {
      return parseOne(text.trim());
    }
    List<Schedule> schedules = new ArrayList<>();
    for (String part : parts) {
      if (part.isBlank()) {
        throw new IllegalArgumentException("schedule '" + text + "' has an empty part between '|' separators;"
            + " e.g. 'daily 07:00 Asia/Tokyo | daily 07:00 Europe/London'");
      }
      schedules.add(parseOne(part.trim()));
    }
    return Schedule.anyOf(schedules.toArray(Schedule[]::new));
  }

  private static Schedule parseOne(String text) {
    String[] tokens = text.split("\\s+");
    String kind = tokens[0].toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "daily" -> {
        expect(text, tokens, 3, "daily TIMES ZONE, e.g. 'daily 07:00,19:30 Europe/Paris'");
        yield Schedule.daily(zone(tokens[2]), times(tokens[1]));
      }
      case "weekly" -> {
        expect(text, tokens, 4, "weekly DAYS TIMES ZONE, e.g. 'weekly MON,WED,FRI 07:00 Asia/Ho_Chi_Minh'");
        yield Schedule.weekly(zone(tokens[3]), days(tokens[1]), times(tokens[2]));
      }
      case "cron" -> {
        if (tokens.length == 3 && tokens[1].startsWith("@")) {
          yield Schedule.cron(tokens[1], zone(tokens[2]));
        }
        expect(text, tokens, 7, "cron MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK ZONE, e.g. 'cron 0 7 * * 1-5 UTC'");
        yield Schedule.cron(String.join(" ", List.of(tokens).subList(1, 6)), zone(tokens[6]));
      }
      case "once" -> {
        if (tokens.length == 2) {
          yield Schedule.once(instant(tokens[1]));
        }
        expect(text, tokens, 3, "once INSTANT or once DATE-TIME ZONE, e.g. 'once 2026-12-24T18:00:00Z'"
            + " or 'once 2026-12-24T18:00 Europe/Paris'");
        yield Schedule.once(ZonedDateTime.of(localDateTime(tokens[1], "once"), zone(tokens[2])).toInstant());
      }
      case "rrule" -> rrule(text, tokens);
      default -> throw new IllegalArgumentException("schedule '" + text + "' starts with '" + tokens[0]
          + "'; expected daily, weekly, cron or once, or rrule for an RFC 5545 rule; " + EXAMPLES);
    };
  }

  /** {@code rrule RULE from START ZONE [except DATE-OR-DATE-TIME,...]}. */
  private static Schedule rrule(String text, String[] tokens) {
    String form = "rrule RULE from START ZONE [except DATES], e.g. 'rrule FREQ=MONTHLY;BYDAY=1SU from"
        + " 2026-01-04T07:00 Europe/Paris' or 'rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-01-05T19:00 UTC"
        + " except 2026-12-28'";
    if (tokens.length != 5 && tokens.length != 7) {
      expect(text, tokens, 5, form);
    }
    if (!tokens[2].equalsIgnoreCase("from") || (tokens.length == 7 && !tokens[5].equalsIgnoreCase("except"))) {
      throw new IllegalArgumentException("schedule '" + text + "' is not in the form " + form);
    }
    LocalDateTime start = localDateTime(tokens[3], "rrule start");
    ZoneId zone = zone(tokens[4]);
    List<Temporal> except = new ArrayList<>();
    if (tokens.length == 7) {
      for (String item : tokens[6].split(",", -1)) {
        except.add(item.contains("T") ? localDateTime(item, "rrule except") : localDate(item, "rrule except"));
      }
    }
    return Schedule.rrule(tokens[1], start, zone, except);
  }

  private static void expect(String text, String[] tokens, int count, String form) {
    if (tokens.length != count) {
      throw new IllegalArgumentException("schedule '" + text + "' has " + tokens.length + " words; expected " + form);
    }
  }

  /** A region id in any case ({@code europe/paris}), returned in its canonical spelling ({@code Europe/Paris}). */
  static ZoneId zone(String text) {
    String canonical = ZONE_IDS.get(text.toLowerCase(Locale.ROOT));
    try {
      return canonical != null ? ZoneId.of(canonical) : ZoneId.of(text.toUpperCase(Locale.ROOT));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + text + "'; use a region id such as Europe/Paris,"
          + " Asia/Ho_Chi_Minh or UTC (any case), e.g. 'daily 07:00 Europe/Paris'");
    }
  }

  private static LocalTime[] times(String text) {
    String[] items = text.split(",", -1);
    LocalTime[] times = new LocalTime[items.length];
    for (int i = 0; i < items.length; i++) {
      try {
        times[i] = LocalTime.parse(items[i], TIME);
      } catch (DateTimeParseException e) {
        String midnight = items[i].startsWith("24") ? " (midnight is 00:00, the start of the next day)" : "";
        throw new IllegalArgumentException("time '" + items[i] + "' is not a time of day" + midnight + "; " + TIME_RULE);
      }
    }
    return times;
  }

  private static Set<DayOfWeek> days(String text) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String item : text.split(",", -1)) {
      days.add(day(item));
    }
    return days;
  }

  private static DayOfWeek day(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().equals(upper) || (upper.length() == 3 && day.name().startsWith(upper))) {
        return day;
      }
    }
    throw new IllegalArgumentException(
        // The list of every allowed day is the example; carillon-bot's SessionsTest pins this exact text.
        "day '" + text + "' is not a day of the week; use MON, TUE, WED, THU, FRI, SAT or SUN, separated by commas");
  }

  private static Instant instant(String text) {
    refuseHour24(text);
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not an instant; use UTC like 2026-12-24T18:00:00Z,"
          + " or a local date-time followed by a zone, e.g. 'once 2026-12-24T18:00 Europe/Paris'");
    }
    checkYear(instant.atOffset(ZoneOffset.UTC).getYear(), text);
    return instant;
  }

  /** A local date-time, YYYY-MM-DDTHH:mm[:ss], years 0001 to 9999; {@code what} names the form for messages. */
  static LocalDateTime localDateTime(String text, String what) {
    refuseHour24(text);
    LocalDateTime dateTime;
    try {
      dateTime = LocalDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' in " + what
          + " is not a local date-time; use YYYY-MM-DDTHH:mm, e.g. 2026-12-24T18:00");
    }
    checkYear(dateTime.getYear(), text);
    return dateTime;
  }

  /** A date, YYYY-MM-DD, years 0001 to 9999. */
  static LocalDate localDate(String text, String what) {
    LocalDate date;
    try {
      date = LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' in " + what + " is not a date; use YYYY-MM-DD (or YYYY-MM-DDTHH:mm for one occurrence),"
              + " e.g. 2026-12-24");
    }
    checkYear(date.getYear(), text);
    return date;
  }

  /** ISO parsers read 24:00 as the next midnight; the time-of-day rule says 00:00 to 23:59, so refuse it. */
  private static void refuseHour24(String text) {
    if (text.contains("T24:")) {
      throw new IllegalArgumentException("'" + text + "' has the time 24:00; use times from 00:00 to 23:59"
          + " (midnight is 00:00 of the next day), e.g. 2026-12-25T00:00");
    }
  }

  private static void checkYear(int year, String text) {
    if (year < 1 || year > 9999) {
      throw new IllegalArgumentException("'" + text + "' has the year " + year
          + "; use years 0001 to 9999, e.g. 2026-12-24T18:00:00Z");
    }
  }

  /** {@link Schedule#parse(String, Instant)}: the text form, and at least one occurrence after {@code now}. */
  static Schedule parse(String text, Instant now) {
    Schedule schedule = parse(text);
    if (schedule.next(now).isEmpty()) {
      String example = "e.g. 'once " + now.plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.HOURS) + "'";
      String why = schedule instanceof OnceSchedule
          ? "it is in the past; use a later instant, " + example
          : "its last occurrence has passed; extend its end (COUNT or UNTIL) or use a later start, " + example;
      throw new IllegalArgumentException(
          "schedule '" + text.trim() + "' has no occurrence after now (" + now + "): " + why);
    }
    return schedule;
  }
}
