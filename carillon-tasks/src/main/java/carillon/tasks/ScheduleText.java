package carillon.tasks;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the text form of the built-in schedules; see {@link Schedule} for the grammar. */
final class ScheduleText {
  private static final String EXAMPLES = "e.g. 'daily 07:00 Europe/Paris', 'weekly MON,WED,FRI 07:00 Asia/Ho_Chi_Minh',"
      + " 'cron 0 7 * * 1-5 UTC' or 'once 2026-12-24T18:00:00Z'";

  /** 7:00, 07:00 and 07:00:30; the canonical form writes 07:00 (see {@link LocalTime#toString()}). */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm[:ss]");

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
        throw new IllegalArgumentException("schedule '" + text + "' has an empty part between '|' separators");
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
        yield Schedule.once(ZonedDateTime.of(localDateTime(tokens[1]), zone(tokens[2])).toInstant());
      }
      default -> throw new IllegalArgumentException(
          "schedule '" + text + "' starts with '" + tokens[0] + "'; expected daily, weekly, cron or once, " + EXAMPLES);
    };
  }

  private static void expect(String text, String[] tokens, int count, String form) {
    if (tokens.length != count) {
      throw new IllegalArgumentException("schedule '" + text + "' has " + tokens.length + " words; expected " + form);
    }
  }

  static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "unknown time zone '" + text + "'; use a region id such as Europe/Paris, Asia/Ho_Chi_Minh or UTC");
    }
  }

  private static LocalTime[] times(String text) {
    String[] items = text.split(",", -1);
    LocalTime[] times = new LocalTime[items.length];
    for (int i = 0; i < items.length; i++) {
      try {
        times[i] = LocalTime.parse(items[i], TIME);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("time '" + items[i]
            + "' is not a time of day; use HH:mm from 00:00 to 23:59 (optionally :ss), several separated by commas");
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
        "day '" + text + "' is not a day of the week; use MON, TUE, WED, THU, FRI, SAT or SUN, separated by commas");
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not an instant; use UTC like 2026-12-24T18:00:00Z,"
          + " or a local date-time followed by a zone like 2026-12-24T18:00 Europe/Paris");
    }
  }

  private static LocalDateTime localDateTime(String text) {
    try {
      return LocalDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a local date-time; use YYYY-MM-DDTHH:mm, e.g. 2026-12-24T18:00");
    }
  }
}
