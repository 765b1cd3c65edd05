package carillon.bot.web.calendar;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.run.Run;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.PageModel;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Problem;
import carillon.tasks.Occurrence;
import carillon.tasks.TimeSource;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A guild's calendar page, {@code /guilds/{guild}/calendar?view=month|week&date=YYYY-MM-DD}: every session's
 * occurrences ({@code Schedule.occurrences}, skipped ones marked) and the runs already played, coloured by
 * outcome, in the guild's time zone; each links to its session's form and has a Play now button.
 */
final class CalendarPage {
  /** At most this many occurrences of one session are shown in one view (a minutely cron would be unreadable). */
  private static final int MAX_PER_SESSION = 200;
  /** The runs looked at for a view: the guild's newest ones. */
  private static final int MAX_RUNS = 1000;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  private final GuildCalendars calendars;
  private final Sessions sessions;
  private final Runs runs;
  private final GuildAccess access;
  private final Pages pages;
  private final TimeSource time;

  CalendarPage(GuildCalendars calendars, Sessions sessions, Runs runs, GuildAccess access, Pages pages,
      TimeSource time) {
    this.calendars = calendars;
    this.sessions = sessions;
    this.runs = runs;
    this.access = access;
    this.pages = pages;
    this.time = time;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/guilds/{guild}/calendar", this::calendar);
  }

  /** One thing on a day: a planned occurrence or a run, at a local time. */
  record Entry(String time, Instant instant, long sessionId, String sessionName, String outcome, String skipped) {}

  private void calendar(Context ctx) {
    long guild = access.guild(ctx);
    ZoneId zone = pages.zone(guild);
    String view = ctx.queryParam("view");
    if (view != null && !view.equals("week") && !view.equals("month")) {
      throw Problem.invalid("view", "must be month or week; was '" + view + "'");
    }
    boolean week = "week".equals(view);
    LocalDate date;
    String dateText = ctx.queryParam("date");
    try {
      date = dateText == null || dateText.isEmpty() ? time.now().atZone(zone).toLocalDate() : LocalDate.parse(dateText);
    } catch (DateTimeParseException e) {
      throw Problem.invalid("date", "must be a date like 2026-12-06; was '" + dateText + "'");
    }
    LocalDate first = week ? date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
        : date.withDayOfMonth(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    LocalDate last = week ? first.plusDays(6)
        : date.with(TemporalAdjusters.lastDayOfMonth()).with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
    Instant from = first.atStartOfDay(zone).toInstant();
    Instant to = last.plusDays(1).atStartOfDay(zone).toInstant();

    Map<LocalDate, List<Entry>> byDay = new HashMap<>();
    Map<String, Run> played = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    List<Session> inGuild = sessions.inGuild(guild);
    inGuild.forEach(s -> names.put(s.id(), s.name()));
    for (Run run : runs.inGuild(guild, MAX_RUNS, Long.MAX_VALUE)) {
      if (!run.scheduledAt().isBefore(from) && run.scheduledAt().isBefore(to)) {
        played.put(run.sessionId() + "@" + run.scheduledAt(), run);
        add(byDay, zone, new Entry(TIME.format(run.scheduledAt().atZone(zone)), run.scheduledAt(), run.sessionId(),
            names.getOrDefault(run.sessionId(), "#" + run.sessionId()), run.outcome().name(), null));
      }
    }
    Instant now = time.now();
    var skips = calendars.of(guild);
    for (Session session : inGuild) {
      if (!session.enabled()) {
        continue;
      }
      Instant after = from.isAfter(now) ? from.minusNanos(1) : now;
      for (Occurrence occurrence : session.schedule().skipping(skips).occurrences(after, MAX_PER_SESSION)) {
        if (!occurrence.instant().isBefore(to)) {
          break;
        }
        if (!played.containsKey(session.id() + "@" + occurrence.instant())) {
          add(byDay, zone, new Entry(TIME.format(occurrence.instant().atZone(zone)), occurrence.instant(), session.id(),
              session.name(), null, occurrence.skippedBecause().orElse(null)));
        }
      }
    }
    Locale language = pages.language(ctx, guild);
    LocalDate today = now.atZone(zone).toLocalDate();
    List<List<Map<String, Object>>> weeks = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      if (day.getDayOfWeek() == DayOfWeek.MONDAY) {
        weeks.add(new ArrayList<>());
      }
      List<Entry> entries = byDay.getOrDefault(day, List.of()).stream()
          .sorted(Comparator.comparing(Entry::instant)).toList();
      weeks.getLast().add(PageModel.of("date", day.toString(), "day", day.getDayOfMonth(),
          "label", day.format(DateTimeFormatter.ofPattern("EEEE d MMMM", language)),
          "inMonth", week || day.getMonth() == date.getMonth(), "today", day.equals(today), "entries", entries));
    }
    List<String> dayNames = new ArrayList<>();
    for (DayOfWeek d : DayOfWeek.values()) {
      dayNames.add(d.getDisplayName(TextStyle.SHORT, language));
    }
    Map<String, Object> model = new LinkedHashMap<>(PageModel.of("guild", guild, "zone", zone.getId(),
        "view", week ? "week" : "month", "weeks", weeks, "dayNames", dayNames,
        "heading", week ? first.format(DateTimeFormatter.ofPattern("d MMM", language)) + " – "
            + last.format(DateTimeFormatter.ofPattern("d MMM yyyy", language))
            : date.format(DateTimeFormatter.ofPattern("LLLL yyyy", language)),
        "previous", (week ? date.minusWeeks(1) : date.minusMonths(1).withDayOfMonth(1)).toString(),
        "next", (week ? date.plusWeeks(1) : date.plusMonths(1).withDayOfMonth(1)).toString(),
        "date", date.toString()));
    pages.render(ctx, 200, "calendar", model);
  }

  private static void add(Map<LocalDate, List<Entry>> byDay, ZoneId zone, Entry entry) {
    byDay.computeIfAbsent(entry.instant().atZone(zone).toLocalDate(), d -> new ArrayList<>()).add(entry);
  }
}
