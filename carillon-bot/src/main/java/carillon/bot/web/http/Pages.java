package carillon.bot.web.http;

import carillon.bot.session.SessionLimits;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.session.FieldError;
import io.javalin.http.Context;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Renders the admin pages on the server with Pebble templates (every value HTML-escaped unless a
 * template says otherwise), each with the layout's parts: who is logged in, the login's CSRF token for
 * the forms' hidden field, the guilds to navigate to and their names. Each feature's page routes call
 * it; forms answer with a {@link Redirect} (303) or the form again with its errors.
 */
public final class Pages {
  /** The session and command limits the forms' own checks show ({@code limits.maxVolume} in templates). */
  private static final Map<String, Object> LIMITS = PageModel.of("minVolume", SessionLimits.MIN_VOLUME,
      "maxVolume", SessionLimits.MAX_VOLUME, "defaultVolume", SessionLimits.DEFAULT_VOLUME,
      "maxName", SessionLimits.MAX_NAME, "maxText", SessionLimits.MAX_TEXT,
      "maxGapSeconds", SessionLimits.MAX_GAP.toSeconds(), "maxReminderMinutes", SessionLimits.MAX_REMINDER_MINUTES,
      "maxLateGraceMinutes", SessionLimits.MAX_LATE_GRACE.toMinutes(), "maxFadeSeconds", SessionLimits.MAX_FADE.toSeconds());
  /** The form field that carries the login's CSRF token. */
  public static final String CSRF_FIELD = "_csrf";
  /** How the pages show a time: in the guilds' zone, for people ("Sun 22 Nov 2026, 23:30"). */
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);

  /** A page answers with a redirect (303: the browser follows it with GET). */
  public static final class Redirect extends RuntimeException {
    private final String location;

    public Redirect(String location) {
      super(location, null, false, false);
      this.location = location;
    }

    public String location() {
      return location;
    }
  }

  private final Optional<String> voiceOff;
  private final PebbleEngine engine = new PebbleEngine.Builder()
      .loader(loader())
      .autoEscaping(true)
      .strictVariables(false)
      .extension(new PageTexts())
      .build();
  private final GuildDirectory guilds;
  private final GuildAccess access;
  private final ZoneId zone;
  private final LongFunction<ZoneId> guildZones;
  private final LongFunction<Optional<Locale>> guildLanguages;

  /**
   * @param zone the time zone pages show times in when they belong to no guild (the process default)
   * @param guildZones each guild's time zone (its own, or the default), for its pages' times
   * @param guildLanguages the language a guild chose, which its pages default to when a person picked none
   * @param voiceOff why voice cannot work on this machine, if it cannot: every page shows it in a banner
   */
  public Pages(GuildDirectory guilds, GuildAccess access, ZoneId zone, LongFunction<ZoneId> guildZones,
      LongFunction<Optional<Locale>> guildLanguages, Optional<String> voiceOff) {
    this.guilds = guilds;
    this.access = access;
    this.zone = zone;
    this.guildZones = guildZones;
    this.guildLanguages = guildLanguages;
    this.voiceOff = voiceOff;
  }

  private static ClasspathLoader loader() {
    ClasspathLoader loader = new ClasspathLoader(Pages.class.getClassLoader());
    loader.setPrefix("carillon/bot/web/pages");
    loader.setSuffix(".peb");
    return loader;
  }

  /** The cookie that keeps the language a person picked ({@code en} or {@code vi}). */
  public static final String LANGUAGE_COOKIE = "carillon_lang";

  /** The language a page is shown in: the one picked (cookie), else the guild's own, else English. */
  public Locale language(Context ctx, Object guild) {
    String picked = ctx.cookie(LANGUAGE_COOKIE);
    if (picked != null && PageTexts.TAGS.contains(picked)) {
      return Locale.forLanguageTag(picked);
    }
    if (guild instanceof Long id) {
      Optional<Locale> own = guildLanguages.apply(id).filter(l -> PageTexts.TAGS.contains(l.getLanguage()));
      if (own.isPresent()) {
        return own.get();
      }
    }
    return Locale.ENGLISH;
  }

  /** A text of the pages' bundles in a language (for messages a route builds). */
  public static String text(Locale language, String key) {
    return PageTexts.text(language, key);
  }

  /** Paths that are pages (HTML for people), as opposed to the API, health, assets and calendar feeds. */
  public static boolean isPage(String path) {
    return !path.startsWith("/api/") && !path.equals("/health") && !path.startsWith("/health/") && !path.startsWith("/assets/") && !path.equals("/setup")
        && !path.startsWith("/calendar/");
  }

  /** The time zone pages show times in. */
  public ZoneId zone() {
    return zone;
  }

  /** A time as the pages show it, in the default zone (for what belongs to no guild). */
  public String shown(Instant instant) {
    return shown(instant, zone);
  }

  /** The time zone a guild's pages show times in. */
  public ZoneId zone(long guild) {
    return guildZones.apply(guild);
  }

  /** A time of a guild as its pages show it, in the guild's zone. */
  public String shown(Instant instant, long guild) {
    return shown(instant, zone(guild));
  }

  /** A time as the pages show it, in {@code zone} (a guild's own). */
  public String shown(Instant instant, ZoneId zone) {
    return SHOWN.format(instant.atZone(zone));
  }

  /** Renders {@code template} (a file in carillon/bot/web/pages) with the model and the layout's parts. */
  public void render(Context ctx, int status, String template, Map<String, Object> model) {
    Map<String, Object> all = new LinkedHashMap<>(model);
    Optional<Principal> principal = Requests.principalIfAny(ctx);
    all.putIfAbsent("me", principal.map(Principal::name).orElse(null));
    all.putIfAbsent("csrf", principal.map(Principal::csrfToken).orElse(null));
    all.putIfAbsent("nav", principal.map(access::visibleGuilds).orElse(List.of()));
    all.putIfAbsent("guild", null);
    all.putIfAbsent("section", null);
    all.put("limits", LIMITS);
    all.put("voiceOff", voiceOff.orElse(null));
    // Each rendering's command forms carry a key of their own: a double submit sends it twice, and makes one command.
    all.put("formKey", UUID.randomUUID().toString());
    // Names, not snowflakes, wherever a guild is shown (an id only until Discord has told its name).
    Map<String, String> names = new HashMap<>();
    guilds.names().forEach((id, name) -> names.put(Long.toString(id), name));
    all.put("guildNames", names);
    Object guild = all.get("guild");
    all.put("guildName", guild == null ? null : names.getOrDefault(guild.toString(), "Guild " + guild));
    Locale language = language(ctx, guild);
    all.put("lang", language.getLanguage());
    all.put("here", ctx.path());
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, all, language);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
  }

  /** An error as a page, for a person (the API answers problems as JSON). */
  public void error(Context ctx, Problem problem) {
    problem.headers().forEach(ctx::header);
    String detail = problem.errors().isEmpty() ? problem.detail()
        : problem.errors().stream().map(FieldError::toString).collect(Collectors.joining("; "));
    render(ctx, problem.status(), "error", PageModel.of("title", problem.title(), "detail", detail));
  }
}
