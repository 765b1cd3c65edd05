package carillon.bot.web;

import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.playback.Slots;
import carillon.bot.queue.CommandParser;
import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.InvalidCommandException;
import carillon.bot.run.Run;
import carillon.bot.run.Runs;
import carillon.bot.session.FieldError;
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.tasks.TimeSource;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The admin pages, rendered on the server with Pebble templates (every value HTML-escaped unless a
 * template says otherwise): login, the guild's sessions with their controls, the session form with
 * every problem by field, the audio library, the live panel (updated by server-sent events) and the
 * history. Forms post to the page routes, which call the same core as the API and answer with a
 * redirect (303) or the form again with its errors; each carries the login's CSRF token in a hidden field.
 */
final class Pages {
  static final String CSRF_FIELD = "_csrf";
  private static final int PLAYLIST_SLOTS_FREE = 3;
  private static final int HISTORY_PAGE = 50;
  private static final Duration COMMAND_WAIT = Duration.ofSeconds(5);
  /** The session and command limits the forms' own checks show ({@code limits.maxVolume} in templates). */
  private static final Map<String, Object> LIMITS = Json.object("minVolume", SessionLimits.MIN_VOLUME,
      "maxVolume", SessionLimits.MAX_VOLUME, "defaultVolume", SessionLimits.DEFAULT_VOLUME,
      "maxName", SessionLimits.MAX_NAME, "maxText", SessionLimits.MAX_TEXT,
      "maxGapSeconds", SessionLimits.MAX_GAP.toSeconds(), "maxReminderMinutes", SessionLimits.MAX_REMINDER_MINUTES,
      "maxLateGraceMinutes", SessionLimits.MAX_LATE_GRACE.toMinutes());

  /** A page answers with a redirect (303: the browser follows it with GET). */
  static final class Redirect extends RuntimeException {
    final String location;

    Redirect(String location) {
      super(location, null, false, false);
      this.location = location;
    }
  }

  private final PebbleEngine engine = new PebbleEngine.Builder()
      .loader(loader())
      .autoEscaping(true)
      .strictVariables(false)
      .build();
  private final Auth auth;
  private final Sessions sessions;
  private final SessionsApi sessionsApi;
  private final CommandQueue commands;
  private final LibraryApi library;
  private final Runs runs;
  private final GuildDirectory guilds;
  private final Slots slots;
  private final GuildAccess access;
  private final LiveHub live;
  private final TimeSource time;
  private final ZoneId zone;

  Pages(Auth auth, Sessions sessions, SessionsApi sessionsApi, CommandQueue commands, LibraryApi library, Runs runs,
      GuildDirectory guilds, Slots slots, GuildAccess access, LiveHub live, TimeSource time, ZoneId zone) {
    this.auth = auth;
    this.sessions = sessions;
    this.sessionsApi = sessionsApi;
    this.commands = commands;
    this.library = library;
    this.runs = runs;
    this.guilds = guilds;
    this.slots = slots;
    this.access = access;
    this.live = live;
    this.time = time;
    this.zone = zone;
  }

  private static ClasspathLoader loader() {
    ClasspathLoader loader = new ClasspathLoader(Pages.class.getClassLoader());
    loader.setPrefix("carillon/bot/web/pages");
    loader.setSuffix(".peb");
    return loader;
  }

  /** Paths that are pages (HTML for people), as opposed to the API, health and assets. */
  static boolean isPage(String path) {
    return !path.startsWith("/api/") && !path.equals("/health") && !path.startsWith("/assets/") && !path.equals("/setup");
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/login", ctx -> render(ctx, 200, "login", Json.object("name", "", "error", null)));
    routes.post("/login", this::login);
    routes.post("/logout", this::logout);
    routes.get("/", this::home);
    routes.get("/guilds/{guild}", this::guild);
    routes.get("/guilds/{guild}/sessions/new", this::newSession);
    routes.post("/guilds/{guild}/sessions", this::create);
    routes.get("/sessions/{session}/edit", this::edit);
    routes.post("/sessions/{session}", this::update);
    routes.post("/sessions/{session}/delete", this::delete);
    routes.post("/sessions/{session}/enabled", this::setEnabled);
    routes.post("/sessions/{session}/commands", this::command);
    routes.get("/library", this::library);
    routes.post("/library", this::upload);
    routes.post("/library/{audio}/name", this::rename);
    routes.post("/library/{audio}/delete", this::deleteAudio);
    routes.get("/guilds/{guild}/live", this::live);
    routes.get("/guilds/{guild}/history", this::history);
  }

  // ---- rendering

  void render(Context ctx, int status, String template, Map<String, Object> model) {
    Map<String, Object> all = new LinkedHashMap<>(model);
    Principal principal = ctx.attribute(Auth.PRINCIPAL);
    all.putIfAbsent("me", principal == null ? null : principal.name());
    all.putIfAbsent("csrf", principal == null ? null : principal.csrfToken());
    all.putIfAbsent("nav", principal == null ? List.of() : visibleGuilds(principal));
    all.putIfAbsent("guild", null);
    all.putIfAbsent("section", null);
    all.put("limits", LIMITS);
    // Names, not snowflakes, wherever a guild is shown (an id only until Discord has told its name).
    Map<String, String> names = new java.util.HashMap<>();
    guilds.names().forEach((id, name) -> names.put(Long.toString(id), name));
    all.put("guildNames", names);
    Object guild = all.get("guild");
    all.put("guildName", guild == null ? null : names.getOrDefault(guild.toString(), "Guild " + guild));
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }

  /** An error as a page, for a person (the API answers problems as JSON). */
  void error(Context ctx, Problem problem) {
    problem.headers.forEach(ctx::header);
    String detail = problem.errors.isEmpty() ? problem.detail()
        : problem.errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    render(ctx, problem.status, "error", Json.object("title", problem.title, "detail", detail));
  }

  private List<Long> visibleGuilds(Principal principal) {
    return principal.allGuilds() ? guilds.guildIds() : principal.guilds().stream().sorted().toList();
  }

  // ---- login

  private void login(Context ctx) {
    String name = ctx.formParam("name");
    String origin = ctx.header("Origin");
    String fetchSite = ctx.header("Sec-Fetch-Site");
    // Browsers say where a request comes from: Sec-Fetch-Site where they send it, else Origin (compared
    // with the Host header as sent, port included).
    boolean foreign = fetchSite != null ? !(fetchSite.equals("same-origin") || fetchSite.equals("none"))
        : origin != null && !origin.equals(ctx.scheme() + "://" + ctx.header("Host"));
    if (foreign) {
      // Another site's form must not log a browser into an account (login CSRF).
      render(ctx, 403, "login", Json.object("name", "", "error", "this login form came from another site"));
      return;
    }
    try {
      AdminAccounts.Account account = auth.checkLogin(name, ctx.formParam("password"), ctx.ip());
      auth.startLogin(ctx, account);
      throw new Redirect("/");
    } catch (Problem refused) {
      refused.headers.forEach(ctx::header);
      render(ctx, refused.status, "login", Json.object("name", name == null ? "" : name, "error", refused.detail()));
    }
  }

  private void logout(Context ctx) {
    Requests.user(ctx);
    auth.endLogin(ctx);
    throw new Redirect("/login");
  }

  // ---- guilds and sessions

  private void home(Context ctx) {
    List<Long> visible = visibleGuilds(Requests.principal(ctx));
    if (visible.size() == 1) {
      throw new Redirect("/guilds/" + visible.getFirst());
    }
    render(ctx, 200, "guilds", Json.object("guilds", visible.stream()
        .map(g -> Json.object("id", g, "accounts", slots.accounts(g))).toList()));
  }

  private void guild(Context ctx) {
    long guild = access.guild(ctx);
    Object command = null;
    String commandId = ctx.queryParam("command");
    if (commandId != null && commandId.matches("[0-9]{1,18}")) {
      Principal principal = Requests.principal(ctx);
      command = commands.find(Long.parseLong(commandId))
          .filter(c -> sessions.guildOf(c.sessionId()).map(principal::sees).orElse(false))
          .map(CommandsApi::view).orElse(null);
    }
    render(ctx, 200, "sessions", Json.object("guild", guild, "zone", zone.getId(), "command", command,
        "sessions", sessions.inGuild(guild).stream().map(s -> {
          Map<String, Object> view = new LinkedHashMap<>(sessionsApi.view(s));
          view.put("nextStartShown", view.get("nextStart") instanceof Instant next ? local(next) : "");
          return view;
        }).toList()));
  }

  private void newSession(Context ctx) {
    long guild = access.guild(ctx);
    Map<String, Object> form = Json.object("name", "", "voiceChannel", "", "textChannel", "", "mentionRole", "",
        "schedule", "", "playlist", padded(List.of()), "gapSeconds", "0", "maxDurationMinutes", "", "repeat", false,
        "reminderMinutes", "0", "startText", "", "endText", "", "lateGraceMinutes",
        String.valueOf(SessionLimits.DEFAULT_LATE_GRACE.toMinutes()), "enabled", true);
    renderForm(ctx, 200, guild, null, form, List.of());
  }

  private void edit(Context ctx) {
    Session s = sessionsApi.visibleSession(ctx);
    Map<String, Object> form = Json.object("name", s.name(), "voiceChannel", String.valueOf(s.voiceChannelId()),
        "textChannel", s.textChannelId().map(String::valueOf).orElse(""),
        "mentionRole", s.mentionRoleId().map(String::valueOf).orElse(""), "schedule", s.schedule().toString(),
        "playlist", padded(s.playlist()), "gapSeconds", String.valueOf(s.gap().toSeconds()),
        "maxDurationMinutes", s.maxDuration().map(d -> String.valueOf(d.toMinutes())).orElse(""), "repeat", s.repeat(),
        "reminderMinutes", String.valueOf(s.reminder().toMinutes()), "startText", s.startText().orElse(""),
        "endText", s.endText().orElse(""), "lateGraceMinutes", String.valueOf(s.lateGrace().toMinutes()),
        "enabled", s.enabled());
    renderForm(ctx, 200, s.guildId(), s.id(), form, List.of());
  }

  private void create(Context ctx) {
    long guild = access.guild(ctx);
    try {
      sessionsApi.create(readForm(ctx, guild));
      throw new Redirect("/guilds/" + guild);
    } catch (Problem refused) {
      if (refused.errors.isEmpty()) {
        throw refused;
      }
      renderForm(ctx, refused.status, guild, null, formValues(ctx), refused.errors);
    }
  }

  private void update(Context ctx) {
    Session existing = sessionsApi.visibleSession(ctx);
    try {
      sessionsApi.update(existing.id(), readForm(ctx, existing.guildId()));
      throw new Redirect("/guilds/" + existing.guildId());
    } catch (Problem refused) {
      if (refused.errors.isEmpty()) {
        throw refused;
      }
      renderForm(ctx, refused.status, existing.guildId(), existing.id(), formValues(ctx), refused.errors);
    }
  }

  private void delete(Context ctx) {
    Session existing = sessionsApi.visibleSession(ctx);
    sessions.delete(existing.id());
    live.sessionDeleted(existing.guildId(), existing.id());
    throw new Redirect("/guilds/" + existing.guildId());
  }

  private void setEnabled(Context ctx) {
    Session existing = sessionsApi.visibleSession(ctx);
    sessions.setEnabled(existing.id(), "true".equals(ctx.formParam("enabled")));
    throw new Redirect("/guilds/" + existing.guildId());
  }

  /** Submits a command and waits a little for its result, to show it on the page it came from. */
  private void command(Context ctx) throws InterruptedException {
    Session session = sessionsApi.visibleSession(ctx);
    Principal principal = Requests.principal(ctx);
    String volume = ctx.formParam(CommandParser.VOLUME);
    Map<String, String> options = volume == null ? Map.of() : Map.of(CommandParser.VOLUME, volume);
    CommandRequest request = switch (CommandParser.parse(ctx.formParam("kind"), options, session.id(),
        principal.source(), principal.requestedBy())) {
      case CommandParser.Valid(CommandRequest valid) -> valid;
      case CommandParser.Invalid(List<FieldError> errors) -> throw Problem.invalid(errors);
    };
    CommandRecord accepted;
    try {
      accepted = commands.submitAndWait(request, COMMAND_WAIT);
    } catch (InvalidCommandException e) {
      throw Problem.invalid(e.errors());
    }
    throw new Redirect("/guilds/" + session.guildId() + "?command=" + accepted.id());
  }

  private void renderForm(Context ctx, int status, long guild, Long sessionId, Map<String, Object> form,
      List<FieldError> errors) {
    List<Channel> channels = guilds.channels(guild);
    Map<String, String> byField = new LinkedHashMap<>();
    for (FieldError e : errors) {
      byField.merge(e.field().replaceAll("\\[\\d+]$", ""), e.message(), (a, b) -> a + "; " + b);
    }
    render(ctx, status, "session-form", Json.object("guild", guild, "zone", zone.getId(), "editing", sessionId != null,
        "sessionId", sessionId, "action", sessionId == null ? "/guilds/" + guild + "/sessions" : "/sessions/" + sessionId,
        "form", form, "errors", byField, "errorList", errors,
        "voiceChannels", channels.stream().filter(c -> c.kind() == Channel.Kind.VOICE)
            .map(c -> Json.object("id", String.valueOf(c.id()), "name", c.name())).toList(),
        "textChannels", channels.stream().filter(c -> c.kind() == Channel.Kind.TEXT)
            .map(c -> Json.object("id", String.valueOf(c.id()), "name", c.name())).toList(),
        "roles", guilds.roles(guild).stream().map(r -> Json.object("id", String.valueOf(r.id()), "name", r.name())).toList(),
        "library", library.items(Requests.principal(ctx))));
  }

  /** The playlist's entries and a few empty choices after them. */
  private static List<String> padded(List<String> playlist) {
    List<String> slots = new ArrayList<>(playlist);
    for (int i = 0; i < PLAYLIST_SLOTS_FREE; i++) {
      slots.add("");
    }
    return slots;
  }

  /** What was submitted, to show the form again as it was sent. */
  private static Map<String, Object> formValues(Context ctx) {
    Map<String, Object> form = new LinkedHashMap<>();
    for (String field : List.of("name", "voiceChannel", "textChannel", "mentionRole", "schedule", "gapSeconds",
        "maxDurationMinutes", "reminderMinutes", "startText", "endText", "lateGraceMinutes")) {
      form.put(field, Optional.ofNullable(ctx.formParam(field)).orElse(""));
    }
    form.put("repeat", "true".equals(ctx.formParam("repeat")));
    form.put("enabled", "true".equals(ctx.formParam("enabled")));
    form.put("playlist", padded(ctx.formParams("playlist").stream().filter(p -> !p.isBlank()).toList()));
    return form;
  }

  /** The form as a session spec; fields that are not numbers where numbers are needed are named. */
  private SessionSpec readForm(Context ctx, long guild) {
    List<FieldError> unreadable = new ArrayList<>();
    String name = ctx.formParam("name");
    if (name != null && Names.hasMarkup(name)) {
      unreadable.add(new FieldError("name", Names.MARKUP_MESSAGE));
    }
    SessionSpec spec = new SessionSpec(guild, name, id(ctx, "voiceChannel", unreadable), id(ctx, "textChannel", unreadable),
        id(ctx, "mentionRole", unreadable), ctx.formParam("schedule"),
        ctx.formParams("playlist").stream().filter(p -> !p.isBlank()).toList(),
        duration(number(ctx, "gapSeconds", 0, (int) SessionLimits.MAX_GAP.toSeconds(), 0, unreadable), false),
        duration(number(ctx, "maxDurationMinutes", 1, Integer.MAX_VALUE, null, unreadable), true),
        "true".equals(ctx.formParam("repeat")), Optional.ofNullable(number(ctx, "reminderMinutes", 0,
            SessionLimits.MAX_REMINDER_MINUTES, 0, unreadable))
            .orElse(0), ctx.formParam("startText"), ctx.formParam("endText"), "true".equals(ctx.formParam("enabled")),
        duration(number(ctx, "lateGraceMinutes", 0, (int) SessionLimits.MAX_LATE_GRACE.toMinutes(),
            (int) SessionLimits.DEFAULT_LATE_GRACE.toMinutes(), unreadable), true));
    return sessionsApi.checked(spec, unreadable);
  }

  private static Duration duration(Integer amount, boolean minutes) {
    return amount == null ? null : minutes ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
  }

  private static Long id(Context ctx, String field, List<FieldError> errors) {
    String text = ctx.formParam(field);
    if (text == null || text.isBlank()) {
      return null;
    }
    if (!text.strip().matches("[0-9]{1,19}")) {
      errors.add(new FieldError(field, "must be chosen from the list"));
      return null;
    }
    return Long.parseLong(text.strip());
  }

  private static Integer number(Context ctx, String field, int min, int max, Integer fallback, List<FieldError> errors) {
    String text = ctx.formParam(field);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return (int) value;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
    return null;
  }

  // ---- library

  private void library(Context ctx) {
    renderLibrary(ctx, 200, List.of());
  }

  private void renderLibrary(Context ctx, int status, List<FieldError> errors) {
    render(ctx, status, "library", Json.object("section", "library", "errors", errors,
        "items", library.items(Requests.principal(ctx)), "maxUploadMegabytes", library.maxBytes() / 1_000_000));
  }

  private void upload(Context ctx) throws IOException, InterruptedException {
    try {
      library.importUploads(ctx);
      throw new Redirect("/library");
    } catch (Problem refused) {
      renderLibrary(ctx, refused.status, refused.errors.isEmpty()
          ? List.of(new FieldError("files", refused.detail())) : refused.errors);
    }
  }

  private void rename(Context ctx) {
    try {
      library.rename(ctx, LibraryApi.audioId(ctx), ctx.formParam("name"));
      throw new Redirect("/library");
    } catch (Problem refused) {
      renderLibrary(ctx, refused.status, refused.errors.isEmpty()
          ? List.of(new FieldError("name", refused.detail())) : refused.errors);
    }
  }

  private void deleteAudio(Context ctx) throws IOException {
    try {
      library.delete(ctx, LibraryApi.audioId(ctx));
      throw new Redirect("/library");
    } catch (Problem refused) {
      renderLibrary(ctx, refused.status, refused.errors.isEmpty()
          ? List.of(new FieldError("id", refused.detail())) : refused.errors);
    }
  }

  // ---- live and history

  private void live(Context ctx) {
    long guild = access.guild(ctx);
    render(ctx, 200, "live", Json.object("guild", guild, "live", live.snapshot(guild)));
  }

  private void history(Context ctx) {
    long guild = access.guild(ctx);
    long runsBefore = Requests.queryNumber(ctx, "runsBefore", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    long commandsBefore = Requests.queryNumber(ctx, "commandsBefore", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    Map<Long, String> names = sessions.inGuild(guild).stream().collect(Collectors.toMap(Session::id, Session::name));
    List<Run> runPage = runs.inGuild(guild, HISTORY_PAGE, runsBefore);
    List<CommandRecord> commandPage = commands.inGuild(guild, HISTORY_PAGE, commandsBefore);
    render(ctx, 200, "history", Json.object("guild", guild,
        "runs", runPage.stream().map(r -> Json.object("sessionName", names.get(r.sessionId()),
            "scheduledLocal", local(r.scheduledAt()), "outcome", r.outcome().name(),
            "durationMs", r.startedAt().isPresent() && r.endedAt().isPresent()
                ? Duration.between(r.startedAt().get(), r.endedAt().get()).toMillis() : null,
            "tracksPlayed", r.tracksPlayed(), "account", r.account().orElse(""), "error", r.error().orElse(""))).toList(),
        "runsNext", runPage.size() < HISTORY_PAGE ? null : runPage.getLast().id(),
        "commands", commandPage.stream().map(c -> Json.object("requestedLocal", local(c.requestedAt()),
            "requestedBy", c.requestedBy(), "kind", c.kind().name(), "volume", c.volume().orElse(null),
            "sessionName", names.get(c.sessionId()), "status", c.status().name(), "result", c.result().orElse("")))
            .toList(),
        "commandsNext", commandPage.size() < HISTORY_PAGE ? null : commandPage.getLast().id()));
  }

  /** How the pages show a time: in the guilds' zone, for people ("Sun 22 Nov 2026, 23:30"). */
  private static final java.time.format.DateTimeFormatter SHOWN =
      java.time.format.DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", java.util.Locale.ENGLISH);

  private String local(Instant instant) {
    return SHOWN.format(instant.atZone(zone));
  }
}
