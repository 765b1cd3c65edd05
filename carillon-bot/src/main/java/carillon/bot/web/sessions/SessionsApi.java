package carillon.bot.web.sessions;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.session.FieldError;
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.bot.session.Presence;
import carillon.bot.session.Sound;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.JsonInput;
import carillon.bot.web.http.Names;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import carillon.bot.web.sessions.GuildViews.GuildList;
import carillon.bot.web.sessions.GuildViews.GuildSummary;
import carillon.bot.web.sessions.GuildViews.Occurrence;
import carillon.bot.web.sessions.GuildViews.Preview;
import carillon.bot.web.sessions.GuildViews.SessionList;
import carillon.tasks.Schedule;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Guilds (channels, roles and bot accounts from the cache), their sessions with state and next
 * occurrence, and the schedule preview. Session fields are the core's (see docs/sessions.md), with
 * durations in named units: {@code gapSeconds}, {@code maxDurationMinutes}, {@code lateGraceMinutes},
 * {@code waitForMemberMinutes}, {@code aloneAfterMinutes}, {@code fadeInSeconds}, {@code fadeOutSeconds}.
 */
final class SessionsApi {
  private static final int MAX_PREVIEW = 20;

  private final SessionEditor editor;
  private final Sessions sessions;
  private final GuildAccess access;
  private final TimeSource time;
  private final ObjectMapper json;
  private final GuildCalendars calendars;

  SessionsApi(SessionEditor editor, Sessions sessions, GuildAccess access, TimeSource time, ObjectMapper json,
      GuildCalendars calendars) {
    this.calendars = calendars;
    this.editor = editor;
    this.sessions = sessions;
    this.access = access;
    this.time = time;
    this.json = json;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/api/guilds", this::listGuilds);
    routes.get("/api/guilds/{guild}", this::guild);
    routes.get("/api/guilds/{guild}/schedule-preview", this::preview);
    routes.get("/api/guilds/{guild}/sessions", this::list);
    routes.post("/api/guilds/{guild}/sessions", this::create);
    routes.get("/api/sessions/{session}", this::get);
    routes.put("/api/sessions/{session}", this::update);
    routes.delete("/api/sessions/{session}", this::delete);
    routes.put("/api/sessions/{session}/enabled", this::setEnabled);
  }

  private void listGuilds(Context ctx) {
    ctx.json(new GuildList(access.visibleGuilds(Requests.principal(ctx)).stream()
        .map(id -> new GuildSummary(String.valueOf(id), editor.guild(id).accounts())).toList()));
  }

  private void guild(Context ctx) {
    ctx.json(editor.guild(access.guild(ctx)));
  }

  /**
   * The next {@code count} occurrences of a schedule as a session of this guild would have them: the
   * guild's skipped dates and the rule's {@code except} dates are listed, marked with why they are skipped.
   */
  private void preview(Context ctx) {
    long guild = access.guild(ctx);
    String text = ctx.queryParam("schedule");
    int count = (int) Requests.queryNumber(ctx, "count", 1, MAX_PREVIEW, 5);
    ZoneId shown = editor.zone(guild);
    List<FieldError> errors = new ArrayList<>();
    String zoneText = ctx.queryParam("zone");
    if (zoneText != null && !zoneText.isEmpty()) {
      try {
        shown = Schedule.zone(zoneText);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("zone", "unknown time zone '" + Requests.shorten(zoneText)
            + "'; use a region id such as Europe/Paris or Asia/Ho_Chi_Minh (any case)"));
      }
    }
    Schedule schedule = null;
    if (text == null || text.isBlank()) {
      errors.add(new FieldError("schedule", "is required: a schedule such as 'weekly MON,WED 07:00 Asia/Ho_Chi_Minh'"));
    } else {
      try {
        schedule = Schedule.parse(text);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("schedule", e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    ZoneId zone = shown;
    List<Occurrence> occurrences = schedule.skipping(calendars.of(guild)).occurrences(time.now(), count).stream()
        .map(o -> new Occurrence(o.instant(), SessionEditor.LOCAL.format(o.instant().atZone(zone)),
            o.skippedBecause().orElse(null))).toList();
    ctx.json(new Preview(schedule.toString(), shown.getId(), occurrences));
  }

  private void list(Context ctx) {
    long guild = access.guild(ctx);
    ZoneId zone = editor.zone(guild);
    ctx.json(new SessionList(String.valueOf(guild), zone.getId(),
        sessions.inGuild(guild).stream().map(s -> editor.view(s, zone)).toList()));
  }

  private void create(Context ctx) {
    long guild = access.guild(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    Session created = editor.create(read(in, guild), in.errors());
    ctx.status(201).header("Location", "/api/sessions/" + created.id()).json(editor.view(created));
  }

  private void get(Context ctx) {
    ctx.json(editor.view(access.session(ctx)));
  }

  private void update(Context ctx) {
    Session existing = access.session(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    ctx.json(editor.view(editor.update(existing.id(), read(in, existing.guildId()), in.errors())));
  }

  private void delete(Context ctx) {
    Session existing = access.session(ctx);
    if (!editor.delete(existing)) {
      throw Problem.notFound("there is no session with id " + existing.id());
    }
    ctx.status(204);
  }

  private void setEnabled(Context ctx) {
    Session existing = access.session(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    Boolean enabled = in.bool("enabled", null);
    in.check();
    if (!editor.setEnabled(existing.id(), enabled)) {
      throw Problem.notFound("there is no session with id " + existing.id());
    }
    ctx.json(editor.view(sessions.find(existing.id()).orElseThrow(
        () -> Problem.notFound("there is no session with id " + existing.id()))));
  }

  /** The body as a session spec; what cannot be read is noted in {@code in}. */
  private static SessionSpec read(JsonInput in, long guild) {
    String name = in.string("name", true);
    Long voice = in.id("voiceChannel", true);
    Long text = in.id("textChannel", false);
    Long role = in.id("mentionRole", false);
    String schedule = in.string("schedule", true);
    List<String> playlist = in.strings("playlist", true);
    // The core checks these ranges too; checking here gives one message with the unit the API uses.
    Integer gap = in.integer("gapSeconds", 0, (int) SessionLimits.MAX_GAP.toSeconds(), 0);
    Integer max = in.optionalInteger("maxDurationMinutes", 1, Integer.MAX_VALUE);
    Boolean repeat = in.bool("repeat", false);
    Integer reminder = in.integer("reminderMinutes", 0, SessionLimits.MAX_REMINDER_MINUTES, 0);
    String startText = in.string("startText", false);
    String endText = in.string("endText", false);
    Boolean enabled = in.bool("enabled", true);
    Integer grace = in.integer("lateGraceMinutes", 0, (int) SessionLimits.MAX_LATE_GRACE.toMinutes(),
        (int) SessionLimits.DEFAULT_LATE_GRACE.toMinutes());
    int presenceMax = (int) SessionLimits.MAX_PRESENCE_WAIT.toMinutes();
    Integer waitForMember = in.optionalInteger("waitForMemberMinutes", 1, presenceMax);
    String whenAloneText = in.string("whenAlone", false);
    Presence.WhenAlone whenAlone = Presence.WhenAlone.STAY;
    if (whenAloneText != null) {
      try {
        whenAlone = Presence.WhenAlone.valueOf(whenAloneText);
      } catch (IllegalArgumentException e) {
        in.error("whenAlone", "must be STAY, END or PAUSE, was '" + whenAloneText + "'");
      }
    }
    Integer aloneAfter = in.optionalInteger("aloneAfterMinutes", 1, presenceMax);
    // null: a new session publishes its Discord event, an edit keeps the session's choice
    Boolean publishEvent = in.optionalBool("publishEvent");
    int fadeMax = (int) SessionLimits.MAX_FADE.toSeconds();
    // Absent all three, an edit keeps the session's fades and shuffle (clients from before them lose nothing).
    boolean soundGiven = in.has("fadeInSeconds") || in.has("fadeOutSeconds") || in.has("shuffle");
    Integer fadeIn = in.integer("fadeInSeconds", 0, fadeMax, 0);
    Integer fadeOut = in.integer("fadeOutSeconds", 0, fadeMax, 0);
    Boolean shuffle = in.bool("shuffle", false);
    if (name != null && Names.hasMarkup(name)) {
      in.error("name", Names.MARKUP_MESSAGE);
    }
    return SessionSpec.builder(guild, name).voiceChannel(voice).textChannel(text).mentionRole(role).schedule(schedule)
        .playlist(playlist).gap(gap == null ? null : Duration.ofSeconds(gap))
        .maxDuration(max == null ? null : Duration.ofMinutes(max)).repeat(repeat != null && repeat)
        .reminderMinutes(reminder == null ? 0 : reminder).startText(startText).endText(endText)
        .enabled(enabled == null || enabled).lateGrace(grace == null ? null : Duration.ofMinutes(grace))
        .presence(new Presence(Optional.ofNullable(waitForMember).map(Duration::ofMinutes), whenAlone,
            aloneAfter == null ? null : Duration.ofMinutes(aloneAfter)))
        .publishEvent(publishEvent)
        .sound(!soundGiven ? null : new Sound(Duration.ofSeconds(fadeIn == null ? 0 : fadeIn),
            Duration.ofSeconds(fadeOut == null ? 0 : fadeOut), shuffle != null && shuffle))
        .build();
  }
}
