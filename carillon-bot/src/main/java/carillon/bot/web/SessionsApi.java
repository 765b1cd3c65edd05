package carillon.bot.web;

import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.playback.ActiveRun;
import carillon.bot.playback.Playback;
import carillon.bot.playback.Slots;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.FieldError;
import carillon.bot.session.InvalidSessionException;
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.tasks.Schedule;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Guilds (channels, roles and bot accounts from the cache), their sessions with state and next
 * occurrence, and the schedule preview. Session fields are the core's (see docs/sessions.md), with
 * durations in named units: {@code gapSeconds}, {@code maxDurationMinutes}, {@code lateGraceMinutes}.
 */
final class SessionsApi {
  /** Core field names → this API's, where the API names the unit. */
  private static final Map<String, String> FIELDS = Map.of("gap", "gapSeconds", "maxDuration", "maxDurationMinutes",
      "lateGrace", "lateGraceMinutes");
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final int MAX_PREVIEW = 20;

  private final Sessions sessions;
  private final Scheduler scheduler;
  private final Playback playback;
  private final Slots slots;
  private final GuildDirectory guilds;
  private final LiveHub live;
  private final GuildAccess access;
  private final TimeSource time;
  private final ZoneId zone;
  private final ObjectMapper json;

  SessionsApi(Sessions sessions, Scheduler scheduler, Playback playback, Slots slots, GuildDirectory guilds,
      LiveHub live, GuildAccess access, TimeSource time, ZoneId zone, ObjectMapper json) {
    this.sessions = sessions;
    this.scheduler = scheduler;
    this.playback = playback;
    this.slots = slots;
    this.guilds = guilds;
    this.live = live;
    this.access = access;
    this.time = time;
    this.zone = zone;
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

  /** The session in the path, if the principal sees its guild; 404 otherwise, so ids of other guilds do not leak. */
  Session visibleSession(Context ctx) {
    long id = Requests.pathId(ctx, "session");
    return sessions.find(id).filter(s -> Requests.principal(ctx).sees(s.guildId()))
        .orElseThrow(() -> Problem.notFound("there is no session with id " + id));
  }

  /**
   * The id of the session in the path, if the principal sees its guild (404 otherwise): one small
   * query, for routes that need no more of the session (commands).
   */
  long visibleSessionId(Context ctx) {
    long id = Requests.pathId(ctx, "session");
    sessions.guildOf(id).filter(Requests.principal(ctx)::sees)
        .orElseThrow(() -> Problem.notFound("there is no session with id " + id));
    return id;
  }

  private void listGuilds(Context ctx) {
    Principal principal = Requests.principal(ctx);
    List<Long> ids = principal.allGuilds() ? guilds.guildIds() : principal.guilds().stream().sorted().toList();
    List<Map<String, Object>> out = new ArrayList<>();
    for (long id : ids) {
      out.add(Json.object("id", String.valueOf(id), "accounts", slots.accounts(id)));
    }
    ctx.json(Json.object("guilds", out));
  }

  private void guild(Context ctx) {
    long guild = access.guild(ctx);
    List<Channel> channels = guilds.channels(guild);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", String.valueOf(guild));
    out.put("timeZone", zone.getId());
    out.put("voiceChannels", channels.stream().filter(c -> c.kind() == Channel.Kind.VOICE)
        .map(c -> Json.object("id", String.valueOf(c.id()), "name", c.name())).toList());
    out.put("textChannels", channels.stream().filter(c -> c.kind() == Channel.Kind.TEXT)
        .map(c -> Json.object("id", String.valueOf(c.id()), "name", c.name())).toList());
    out.put("roles", guilds.roles(guild).stream().map(r -> Json.object("id", String.valueOf(r.id()), "name", r.name())).toList());
    out.put("accounts", slots.accounts(guild));
    ctx.json(out);
  }

  private void preview(Context ctx) {
    access.guild(ctx);
    String text = ctx.queryParam("schedule");
    int count = (int) Requests.queryNumber(ctx, "count", 1, MAX_PREVIEW, 5);
    ZoneId shown = zone;
    List<FieldError> errors = new ArrayList<>();
    String zoneText = ctx.queryParam("zone");
    if (zoneText != null && !zoneText.isEmpty()) {
      try {
        shown = ZoneId.of(zoneText);
      } catch (DateTimeException e) {
        errors.add(new FieldError("zone", "unknown time zone '" + Requests.shorten(zoneText)
            + "'; use a region id such as Europe/Paris or Asia/Ho_Chi_Minh"));
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
    List<Map<String, Object>> occurrences = new ArrayList<>();
    Instant cursor = time.now();
    for (int i = 0; i < count; i++) {
      Optional<Instant> next = schedule.next(cursor);
      if (next.isEmpty()) {
        break;
      }
      occurrences.add(Json.object("at", next.get(), "local", LOCAL.format(next.get().atZone(shown))));
      cursor = next.get();
    }
    ctx.json(Json.object("schedule", schedule.toString(), "zone", shown.getId(), "occurrences", occurrences));
  }

  private void list(Context ctx) {
    long guild = access.guild(ctx);
    List<Map<String, Object>> out = sessions.inGuild(guild).stream().map(this::view).toList();
    ctx.json(Json.object("guild", String.valueOf(guild), "timeZone", zone.getId(), "sessions", out));
  }

  private void create(Context ctx) {
    long guild = access.guild(ctx);
    Session created = create(read(ctx, guild));
    ctx.status(201).header("Location", "/api/sessions/" + created.id()).json(view(created));
  }

  private void get(Context ctx) {
    ctx.json(view(visibleSession(ctx)));
  }

  private void update(Context ctx) {
    Session existing = visibleSession(ctx);
    ctx.json(view(update(existing.id(), read(ctx, existing.guildId()))));
  }

  private void delete(Context ctx) {
    Session existing = visibleSession(ctx);
    if (!sessions.delete(existing.id())) {
      throw Problem.notFound("there is no session with id " + existing.id());
    }
    live.sessionDeleted(existing.guildId(), existing.id());
    ctx.status(204);
  }

  private void setEnabled(Context ctx) {
    Session existing = visibleSession(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    Boolean enabled = in.bool("enabled", null);
    in.check();
    if (!sessions.setEnabled(existing.id(), enabled)) {
      throw Problem.notFound("there is no session with id " + existing.id());
    }
    ctx.json(view(sessions.find(existing.id()).orElseThrow(
        () -> Problem.notFound("there is no session with id " + existing.id()))));
  }

  private SessionSpec read(Context ctx, long guild) {
    JsonInput in = JsonInput.of(ctx, json);
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
    if (name != null && Names.hasMarkup(name)) {
      in.error("name", Names.MARKUP_MESSAGE);
    }
    SessionSpec spec = new SessionSpec(guild, name, voice, text, role, schedule, playlist,
        gap == null ? null : Duration.ofSeconds(gap), max == null ? null : Duration.ofMinutes(max),
        repeat != null && repeat, reminder == null ? 0 : reminder, startText, endText, enabled == null || enabled,
        grace == null ? null : Duration.ofMinutes(grace));
    return checked(spec, in.errors());
  }

  /**
   * The spec, unless some fields could not be read ({@code unreadable}): then every problem at once,
   * those fields' and the core's for the others.
   */
  SessionSpec checked(SessionSpec spec, List<FieldError> unreadable) {
    if (!unreadable.isEmpty()) {
      List<FieldError> all = new ArrayList<>(unreadable);
      Set<String> named = unreadable.stream().map(f -> base(f.field())).collect(Collectors.toSet());
      for (FieldError core : sessions.problems(spec)) {
        String field = FIELDS.getOrDefault(core.field(), core.field());
        if (!named.contains(base(field))) {
          all.add(new FieldError(field, core.message()));
        }
      }
      throw Problem.invalid(all);
    }
    return spec;
  }

  /** "playlist[2]" is about "playlist". */
  private static String base(String field) {
    int bracket = field.indexOf('[');
    return bracket < 0 ? field : field.substring(0, bracket);
  }

  /** Creates, or refuses with every problem by field (the API's field names). */
  Session create(SessionSpec spec) {
    try {
      return sessions.create(spec);
    } catch (InvalidSessionException e) {
      throw refused(e);
    }
  }

  /** Replaces a session's fields, or refuses with every problem by field. */
  Session update(long id, SessionSpec spec) {
    try {
      return sessions.update(id, spec);
    } catch (InvalidSessionException e) {
      if (e.errors().stream().anyMatch(f -> f.field().equals("id"))) {
        throw Problem.notFound("there is no session with id " + id);
      }
      throw refused(e);
    }
  }

  private static Problem refused(InvalidSessionException e) {
    return Problem.invalid(e.errors().stream()
        .map(f -> new FieldError(FIELDS.getOrDefault(f.field(), f.field()), f.message())).toList());
  }

  Map<String, Object> view(Session s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.id());
    out.put("guild", String.valueOf(s.guildId()));
    out.put("name", s.name());
    out.put("voiceChannel", String.valueOf(s.voiceChannelId()));
    out.put("textChannel", s.textChannelId().map(String::valueOf).orElse(null));
    out.put("mentionRole", s.mentionRoleId().map(String::valueOf).orElse(null));
    out.put("schedule", s.schedule().toString());
    out.put("playlist", s.playlist());
    out.put("gapSeconds", s.gap().toSeconds());
    out.put("maxDurationMinutes", s.maxDuration().map(Duration::toMinutes).orElse(null));
    out.put("repeat", s.repeat());
    out.put("reminderMinutes", s.reminder().toMinutes());
    out.put("startText", s.startText().orElse(null));
    out.put("endText", s.endText().orElse(null));
    out.put("enabled", s.enabled());
    out.put("lateGraceMinutes", s.lateGrace().toMinutes());
    out.put("updatedAt", s.updatedAt());
    Optional<ActiveRun> run = playback.active(s.id());
    Optional<Instant> next = s.enabled() ? scheduler.nextStart(s.id()) : Optional.empty();
    String state;
    if (run.isPresent()) {
      state = run.get().isPaused() ? "PAUSED" : "PLAYING";
    } else if (!s.enabled()) {
      state = "DISABLED";
    } else {
      state = next.isPresent() ? "SCHEDULED" : "IDLE";
    }
    out.put("state", state);
    out.put("nextStart", next.orElse(null));
    out.put("nextStartLocal", next.map(n -> LOCAL.format(n.atZone(zone))).orElse(null));
    return out;
  }
}
