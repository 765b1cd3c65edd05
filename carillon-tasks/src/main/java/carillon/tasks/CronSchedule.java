package carillon.tasks;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Schedule#cron}: a five-field cron expression in one zone. Each field is a bit set; {@link #next}
 * jumps field by field (month, day, hour, minute) rather than testing every minute.
 *
 * <p>On clock changes it follows Vixie cron 4.1 ({@code cron.c}: {@code find_jobs} and the "time has
 * changed" cases of the main loop, kept by cronie): a <em>wildcard</em> job (minute field starting with
 * {@code *}, or an hour field with {@code *}, a range or a step) fires at every real instant whose wall
 * time matches, so in a fall-back overlap it fires in both passes, and in a spring-forward gap its gap
 * times do not exist and are not run. A <em>fixed-time</em> job fires once at the first pass of an
 * overlap, and a time of it inside a gap fires right after the gap (at the transition instant).
 *
 * @param nthDaysOfWeek bit {@code day * 5 + (n - 1)} for {@code day#n} (day 0 is Sunday)
 * @param lastDaysOfWeek bit {@code day} for {@code dayL}, the last such day of the month
 * @param lastDayOfMonth {@code L} in the day-of-month field
 * @param wildcard whether the job repeats in an overlap, as above
 */
record CronSchedule(
    String expression,
    ZoneId zone,
    long minutes,
    long hours,
    long daysOfMonth,
    long months,
    long daysOfWeek,
    long nthDaysOfWeek,
    long lastDaysOfWeek,
    boolean lastDayOfMonth,
    boolean dayOfMonthRestricted,
    boolean dayOfWeekRestricted,
    boolean wildcard)
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
    boolean lastDayOfMonth = false;
    List<String> plainDaysOfMonth = new ArrayList<>();
    for (String item : fields[2].split(",", -1)) {
      if (item.equalsIgnoreCase("L")) {
        lastDayOfMonth = true;
      } else if (item.toUpperCase(Locale.ROOT).startsWith("L")) {
        throw Field.DAY_OF_MONTH.error(fields[2], "has '" + item
            + "'; L stands alone (the last day of the month), e.g. '0 9 L * *'");
      } else {
        plainDaysOfMonth.add(item);
      }
    }
    long daysOfMonth = plainDaysOfMonth.isEmpty() ? 0 : Field.DAY_OF_MONTH.parse(String.join(",", plainDaysOfMonth));
    long months = Field.MONTH.parse(fields[3]);
    long nthDaysOfWeek = 0;
    long lastDaysOfWeek = 0;
    List<String> plainDaysOfWeek = new ArrayList<>();
    for (String item : fields[4].split(",", -1)) {
      int hash = item.indexOf('#');
      if (hash >= 0) {
        nthDaysOfWeek |= nthDay(item, hash, fields[4]);
      } else if (item.length() > 1 && item.toUpperCase(Locale.ROOT).endsWith("L")) {
        lastDaysOfWeek |= 1L << (Field.DAY_OF_WEEK.singleDay(item.substring(0, item.length() - 1), fields[4]) % 7);
      } else if (item.equalsIgnoreCase("L")) {
        throw Field.DAY_OF_WEEK.error(fields[4],
            "has 'L' without a day; use DAYL for the last such day of the month, e.g. 5L or FRIL");
      } else {
        plainDaysOfWeek.add(item);
      }
    }
    long daysOfWeek = plainDaysOfWeek.isEmpty() ? 0 : Field.DAY_OF_WEEK.parse(String.join(",", plainDaysOfWeek));
    if ((daysOfWeek & (1L << 7)) != 0) { // 7 is Sunday too
      daysOfWeek = (daysOfWeek | 1L) & ~(1L << 7);
    }
    boolean domRestricted = !fields[2].startsWith("*");
    boolean dowRestricted = !fields[4].startsWith("*");
    if (domRestricted && !dowRestricted && !lastDayOfMonth) {
      checkSomeDayExists(expression, daysOfMonth, months);
    }
    boolean wildcard = fields[0].startsWith("*") || fields[1].matches(".*[*/-].*");
    return new CronSchedule(normalized, zone, minutes, hours, daysOfMonth, months, daysOfWeek, nthDaysOfWeek,
        lastDaysOfWeek, lastDayOfMonth, domRestricted, dowRestricted, wildcard);
  }

  /** {@code DAY#N}: the N-th such day of the month, N from 1 to 5 (Quartz and cronie-style extensions). */
  private static long nthDay(String item, int hash, String field) {
    String dayText = item.substring(0, hash);
    if (dayText.isEmpty()) {
      throw Field.DAY_OF_WEEK.error(field, "has no day before '#'; use DAY#N, e.g. SUN#1 (the first Sunday)");
    }
    if (dayText.matches(".*[*/,-].*")) {
      throw Field.DAY_OF_WEEK.error(field, "has '#' after a range; use one day, e.g. SUN#1 (the first Sunday)");
    }
    int day = Field.DAY_OF_WEEK.singleDay(dayText, field) % 7;
    String weekText = item.substring(hash + 1);
    int week;
    try {
      week = Integer.parseInt(weekText);
    } catch (NumberFormatException e) {
      throw Field.DAY_OF_WEEK.error(field, "has week '" + weekText + "'; use 1-5 after '#', e.g. SUN#1");
    }
    if (week < 1 || week > 5) {
      throw Field.DAY_OF_WEEK.error(field, "has week " + week + "; use 1-5 after '#', e.g. SUN#1");
    }
    return 1L << (day * 5 + week - 1);
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
        + "' never fires: none of its days of the month exists in any of its months; e.g. '0 0 28 2 *' or '0 0 L 2 *'");
  }

  @Override
  public Optional<Instant> next(Instant after) {
    ZoneRules rules = zone.getRules();
    LocalDateTime start = after.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES);
    LocalDate limit = start.toLocalDate().plusYears(SEARCH_YEARS);
    // Walls in increasing order have nondecreasing first-pass instants: the first one after `after` wins.
    Instant best = null;
    for (LocalDateTime wall = nextWall(start, limit); wall != null; wall = nextWall(wall.plusMinutes(1), limit)) {
      Instant first = firstPass(wall, rules);
      if (first != null && first.isAfter(after)) {
        best = first;
        break;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    if (wildcard) {
      best = earliestSecondPass(after, best, rules, limit);
    }
    return Optional.of(best);
  }

  /**
   * The instant a matching wall time fires at first: its only instant; in an overlap the earlier one; in a
   * gap nothing for a wildcard job, the end of the gap for a fixed-time one.
   */
  private Instant firstPass(LocalDateTime wall, ZoneRules rules) {
    if (!rules.getValidOffsets(wall).isEmpty()) {
      return ZonedDateTime.ofLocal(wall, zone, null).toInstant(); // the earlier offset in an overlap
    }
    return wildcard ? null : rules.getTransition(wall).getInstant();
  }

  /** A wildcard job also fires in the second pass of each overlap that ends after {@code after}. */
  private Instant earliestSecondPass(Instant after, Instant best, ZoneRules rules, LocalDate limit) {
    ZoneOffsetTransition transition = rules.previousTransition(after);
    if (transition == null || transition.getInstant().plus(transition.getDuration().abs()).isBefore(after)) {
      transition = rules.nextTransition(after);
    }
    while (transition != null && transition.getInstant().isBefore(best)) {
      if (transition.isOverlap()) {
        LocalDateTime end = transition.getDateTimeBefore(); // the repeated walls are [after, before)
        ZoneOffset second = transition.getOffsetAfter();
        for (LocalDateTime wall = nextWall(transition.getDateTimeAfter(), limit);
            wall != null && wall.isBefore(end); wall = nextWall(wall.plusMinutes(1), limit)) {
          Instant instant = wall.toInstant(second);
          if (instant.isAfter(after)) {
            if (instant.isBefore(best)) {
              best = instant;
            }
            break;
          }
        }
      }
      transition = rules.nextTransition(transition.getInstant());
    }
    return best;
  }

  /** The first wall time at or after {@code t} that the fields match, or null past {@code limit}. */
  private LocalDateTime nextWall(LocalDateTime t, LocalDate limit) {
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
      return t.withMinute(minute);
    }
    return null;
  }

  private boolean dayMatches(LocalDate date) {
    int day = date.getDayOfMonth();
    int length = date.lengthOfMonth();
    int weekday = date.getDayOfWeek().getValue() % 7;
    boolean dom = has(daysOfMonth, day) || (lastDayOfMonth && day == length);
    boolean dow = has(daysOfWeek, weekday)
        || has(nthDaysOfWeek, weekday * 5 + (day - 1) / 7)
        || (has(lastDaysOfWeek, weekday) && day + 7 > length);
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

    /** One day of the week for {@code DAY#N} and {@code DAYL}: a name or 0-7. */
    int singleDay(String text, String field) {
      return value(text, field);
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

    IllegalArgumentException error(String field, String problem) {
      String example = problem.contains("e.g.") ? "" : " (e.g. " + example() + ")";
      return new IllegalArgumentException("cron " + label + " field '" + field + "' " + problem + example);
    }

    private String example() {
      return switch (this) {
        case MINUTE -> "0, 0,30 or */15";
        case HOUR -> "7, 9-17 or */2";
        case DAY_OF_MONTH -> "1, 1,15 or L";
        case MONTH -> "JAN-MAR or 6";
        case DAY_OF_WEEK -> "MON-FRI, SUN#1 or 5L";
      };
    }
  }
}
