package carillon.tasks;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Schedule#cron}: a five-field cron expression in one zone. Each field is a bit set; {@link #next}
 * jumps field by field (month, day, hour, minute) rather than testing every minute.
 */
record CronSchedule(
    String expression,
    ZoneId zone,
    long minutes,
    long hours,
    long daysOfMonth,
    long months,
    long daysOfWeek,
    boolean dayOfMonthRestricted,
    boolean dayOfWeekRestricted)
    implements Schedule {

  private static final Map<String, String> MACROS = Map.of(
      "@hourly", "0 * * * *",
      "@daily", "0 0 * * *",
      "@midnight", "0 0 * * *",
      "@weekly", "0 0 * * 0",
      "@monthly", "0 0 1 * *",
      "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *");

  private static final String[] MONTH_NAMES =
      {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  private static final String[] DAY_NAMES = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  private static final int[] MAX_DAYS_IN_MONTH = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  /** How far ahead {@link #next} looks: a leap day on a given weekday recurs within 28 years. */
  private static final int SEARCH_YEARS = 29;

  CronSchedule {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(zone, "zone");
  }

  static CronSchedule parse(String expression, ZoneId zone) {
    Objects.requireNonNull(expression, "cron expression");
    Objects.requireNonNull(zone, "zone");
    String normalized = expression.trim().replaceAll("\\s+", " ");
    String fieldsText = MACROS.getOrDefault(normalized.toLowerCase(Locale.ROOT), normalized);
    String[] fields = fieldsText.isEmpty() ? new String[0] : fieldsText.split(" ");
    if (fields.length != 5) {
      throw new IllegalArgumentException("cron expression '" + expression + "' has " + fields.length
          + " fields; expected 5: minute hour day-of-month month day-of-week (e.g. '0 7 * * 1-5'),"
          + " or one of @hourly, @daily, @weekly, @monthly, @yearly");
    }
    long minutes = Field.MINUTE.parse(fields[0]);
    long hours = Field.HOUR.parse(fields[1]);
    long daysOfMonth = Field.DAY_OF_MONTH.parse(fields[2]);
    long months = Field.MONTH.parse(fields[3]);
    long daysOfWeek = Field.DAY_OF_WEEK.parse(fields[4]);
    if ((daysOfWeek & (1L << 7)) != 0) { // 7 is Sunday too
      daysOfWeek = (daysOfWeek | 1L) & ~(1L << 7);
    }
    boolean domRestricted = !fields[2].startsWith("*");
    boolean dowRestricted = !fields[4].startsWith("*");
    if (domRestricted && !dowRestricted) {
      checkSomeDayExists(expression, daysOfMonth, months);
    }
    return new CronSchedule(normalized, zone, minutes, hours, daysOfMonth, months, daysOfWeek,
        domRestricted, dowRestricted);
  }

  /** Refuses expressions such as {@code 0 0 30 2 *} that can never fire, rather than never firing. */
  private static void checkSomeDayExists(String expression, long daysOfMonth, long months) {
    for (int month = 1; month <= 12; month++) {
      if ((months & (1L << month)) == 0) {
        continue;
      }
      for (int day = 1; day <= MAX_DAYS_IN_MONTH[month - 1]; day++) {
        if ((daysOfMonth & (1L << day)) != 0) {
          return;
        }
      }
    }
    throw new IllegalArgumentException("cron expression '" + expression
        + "' never fires: none of its days of the month exists in any of its months");
  }

  @Override
  public Optional<Instant> next(Instant after) {
    LocalDateTime t = after.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDate limit = t.toLocalDate().plusYears(SEARCH_YEARS);
    while (!t.toLocalDate().isAfter(limit)) {
      if (!has(months, t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      int hour = nextSetBit(hours, t.getHour(), 23);
      if (hour < 0) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      if (hour != t.getHour()) {
        t = t.toLocalDate().atTime(hour, 0);
      }
      int minute = nextSetBit(minutes, t.getMinute(), 59);
      if (minute < 0) {
        t = t.withMinute(0).plusHours(1);
        continue;
      }
      t = t.withMinute(minute);
      // A time in a DST gap is shifted forward; in an overlap the earlier offset is used, so a wall time
      // that repeats fires once.
      Instant candidate = ZonedDateTime.ofLocal(t, zone, null).toInstant();
      if (candidate.isAfter(after)) {
        return Optional.of(candidate);
      }
      t = t.plusMinutes(1);
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDate date) {
    boolean dom = has(daysOfMonth, date.getDayOfMonth());
    boolean dow = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
    if (dayOfMonthRestricted && dayOfWeekRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static boolean has(long bits, int value) {
    return (bits & (1L << value)) != 0;
  }

  private static int nextSetBit(long bits, int from, int max) {
    for (int i = from; i <= max; i++) {
      if (has(bits, i)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "cron " + expression + " " + zone.getId();
  }

  /** The five fields with their ranges and names, and the parser for one field. */
  private enum Field {
    MINUTE("minute", 0, 59, null),
    HOUR("hour", 0, 23, null),
    DAY_OF_MONTH("day-of-month", 1, 31, null),
    MONTH("month", 1, 12, MONTH_NAMES),
    DAY_OF_WEEK("day-of-week", 0, 7, DAY_NAMES);

    final String label;
    final int min;
    final int max;
    final String[] names;

    Field(String label, int min, int max, String[] names) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.names = names;
    }

    long parse(String text) {
      long bits = 0;
      for (String item : text.split(",", -1)) {
        bits |= parseItem(item, text);
      }
      return bits;
    }

    private long parseItem(String item, String field) {
      if (item.isEmpty()) {
        throw error(field, "has an empty list item");
      }
      int step = 1;
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(item.substring(slash + 1), field, "step");
        if (step < 1) {
          throw error(field, "has step " + step + "; a step must be 1 or more");
        }
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max == 7 ? 6 : max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", -1);
        if (ends.length != 2) {
          throw error(field, "has a malformed range '" + range + "'; use a-b");
        }
        from = value(ends[0], field);
        to = value(ends[1], field);
        if (from > to) {
          throw error(field, "has range " + range + " that runs backwards; use a-b with a <= b");
        }
      } else {
        from = value(range, field);
        to = slash >= 0 ? (max == 7 ? 6 : max) : from; // "a/n" means a, a+n, ... up to the maximum
      }
      long bits = 0;
      for (int v = from; v <= to; v += step) {
        bits |= 1L << v;
      }
      return bits;
    }

    private int value(String text, String field) {
      if (names != null) {
        for (int i = 0; i < names.length; i++) {
          if (names[i].equalsIgnoreCase(text)) {
            return this == MONTH ? i + 1 : i;
          }
        }
      }
      int value = number(text, field, "value");
      if (value < min || value > max) {
        throw error(field, "has " + value + ", out of range; allowed " + min + "-" + max + allowedNames());
      }
      return value;
    }

    private int number(String text, String field, String what) {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw error(field, "has " + what + " '" + text + "' that is not a number; allowed " + min + "-" + max
            + allowedNames());
      }
    }

    private String allowedNames() {
      return names == null ? "" : " or " + names[0] + "-" + names[names.length - 1];
    }

    private IllegalArgumentException error(String field, String problem) {
      return new IllegalArgumentException("cron " + label + " field '" + field + "' " + problem);
    }
  }
}
