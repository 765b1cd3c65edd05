package carillon.bot.web.calendar;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.session.FieldError;
import carillon.bot.web.calendar.CalendarViews.ImportPreview;
import carillon.bot.web.calendar.CalendarViews.Settings;
import carillon.bot.web.calendar.CalendarViews.Skip;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.PageModel;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Pages.Redirect;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import carillon.bot.web.library.LibraryItems;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guild settings page (time zone, language, skipped dates one per line, the ICS feed) and the .ics
 * import (upload, the sessions it would create, confirm). Forms post here and are answered with a
 * redirect (303) or the page again with every problem by field.
 */
final class CalendarPages {
  /** "skips[3].dates" is line 4 of the skipped-dates box. */
  private static final Pattern SKIP_FIELD = Pattern.compile("skips\\[(\\d+)]\\.(dates|label)");

  private final GuildCalendarEditor editor;
  private final CalendarApi api;
  private final Pages pages;
  private final GuildAccess access;
  private final GuildDirectory guilds;
  private final LibraryItems library;

  CalendarPages(GuildCalendarEditor editor, CalendarApi api, Pages pages, GuildAccess access, GuildDirectory guilds,
      LibraryItems library) {
    this.editor = editor;
    this.api = api;
    this.pages = pages;
    this.access = access;
    this.guilds = guilds;
    this.library = library;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/guilds/{guild}/settings", this::settings);
    routes.post("/guilds/{guild}/settings", this::update);
    routes.post("/guilds/{guild}/settings/feed", this::rotate);
    routes.post("/guilds/{guild}/settings/feed/delete", this::revoke);
    routes.post("/guilds/{guild}/import", this::upload);
    routes.post("/guilds/{guild}/import/confirm", this::confirm);
  }

  private void settings(Context ctx) {
    long guild = access.guild(ctx);
    Settings s = editor.view(guild);
    render(ctx, 200, guild, s.ownTimeZone(), s.ownLanguage(), skipsText(s.skips()), List.of(), null);
  }

  private static String skipsText(List<Skip> skips) {
    StringBuilder text = new StringBuilder();
    for (Skip skip : skips) {
      text.append(skip.dates()).append(skip.label().isEmpty() ? "" : " " + skip.label()).append('\n');
    }
    return text.toString();
  }

  /** One line of the skipped-dates box: dates, then an optional label ("2026-07-01..2026-08-31 summer break"). */
  static List<GuildCalendars.SkipEntry> skipLines(String text) {
    List<GuildCalendars.SkipEntry> entries = new ArrayList<>();
    if (text == null) {
      return entries;
    }
    for (String line : text.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      int space = trimmed.indexOf(' ');
      entries.add(space < 0 ? new GuildCalendars.SkipEntry(trimmed, "")
          : new GuildCalendars.SkipEntry(trimmed.substring(0, space), trimmed.substring(space + 1).strip()));
    }
    return entries;
  }

  private void update(Context ctx) {
    long guild = access.guild(ctx);
    String zone = ctx.formParam("timeZone");
    String language = ctx.formParam("language");
    String skips = ctx.formParam("skips");
    try {
      editor.update(guild, new GuildCalendars.Change(zone, language, skipLines(skips)), List.of());
      throw new Redirect("/guilds/" + guild + "/settings");
    } catch (Problem refused) {
      if (refused.errors().isEmpty()) {
        throw refused;
      }
      List<FieldError> shown = refused.errors().stream().map(CalendarPages::onPage).toList();
      render(ctx, refused.status(), guild, zone, language, skips, shown, null);
    }
  }

  /** A field of the API as the page names it: skips[3].dates is line 4 of the skipped-dates box. */
  private static FieldError onPage(FieldError e) {
    Matcher m = SKIP_FIELD.matcher(e.field());
    if (m.matches()) {
      return new FieldError("skips", "line " + (Integer.parseInt(m.group(1)) + 1) + ": " + e.message());
    }
    return e;
  }

  private void rotate(Context ctx) {
    long guild = access.guild(ctx);
    String url = api.absolute(ctx, CalendarApi.feedPath(editor.calendars().rotateFeed(guild)));
    Settings s = editor.view(guild);
    render(ctx, 200, guild, s.ownTimeZone(), s.ownLanguage(), skipsText(s.skips()), List.of(), url);
  }

  private void revoke(Context ctx) {
    long guild = access.guild(ctx);
    editor.calendars().revokeFeed(guild);
    throw new Redirect("/guilds/" + guild + "/settings");
  }

  private void render(Context ctx, int status, long guild, String zone, String language, String skips,
      List<FieldError> errors, String newFeedUrl) {
    Settings s = editor.view(guild);
    Map<String, String> byField = new LinkedHashMap<>();
    for (FieldError e : errors) {
      byField.merge(e.field(), e.message(), (a, b) -> a + "; " + b);
    }
    pages.render(ctx, status, "guild-settings", PageModel.of("guild", guild, "settings", s,
        "form", PageModel.of("timeZone", zone == null ? "" : zone, "language", language == null ? "" : language,
            "skips", skips == null ? "" : skips),
        "errors", byField, "errorList", errors, "newFeedUrl", newFeedUrl));
  }

  // ---- import

  private void upload(Context ctx) {
    long guild = access.guild(ctx);
    try {
      ImportPreview preview = editor.preview(guild, CalendarApi.icsBody(ctx));
      renderImport(ctx, 200, guild, preview, List.of());
    } catch (Problem refused) {
      if (refused.errors().isEmpty()) {
        throw refused;
      }
      renderImport(ctx, refused.status(), guild, null, refused.errors());
    }
  }

  private void confirm(Context ctx) {
    long guild = access.guild(ctx);
    List<String> names = ctx.formParams("name");
    List<String> schedules = ctx.formParams("schedule");
    List<String> chosenIndexes = ctx.formParams("import");
    List<GuildCalendarEditor.Chosen> chosen = new ArrayList<>();
    for (String index : chosenIndexes) {
      int i = parseIndex(index, names.size());
      if (i >= 0 && i < schedules.size()) {
        chosen.add(new GuildCalendarEditor.Chosen(names.get(i), schedules.get(i)));
      }
    }
    List<FieldError> unreadable = new ArrayList<>();
    Long voice = id(ctx.formParam("voiceChannel"), "voiceChannel", unreadable);
    Long text = id(ctx.formParam("textChannel"), "textChannel", unreadable);
    List<String> playlist = ctx.formParams("playlist").stream().filter(p -> !p.isBlank()).toList();
    try {
      editor.confirm(guild, voice, text, playlist, chosen, unreadable);
      throw new Redirect("/guilds/" + guild);
    } catch (Problem refused) {
      if (refused.errors().isEmpty()) {
        throw refused;
      }
      List<CalendarViews.ImportEvent> events = new ArrayList<>();
      for (int i = 0; i < names.size() && i < schedules.size(); i++) {
        events.add(new CalendarViews.ImportEvent(i, null, names.get(i), schedules.get(i), null));
      }
      renderImport(ctx, refused.status(), guild, new ImportPreview(editor.calendars().zone(guild).getId(), events),
          refused.errors());
    }
  }

  private static int parseIndex(String text, int size) {
    try {
      int i = Integer.parseInt(text);
      return i < size ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Long id(String text, String field, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(field, "must be a channel id (digits), was '" + Requests.shorten(text) + "'"));
      return null;
    }
  }

  private void renderImport(Context ctx, int status, long guild, ImportPreview preview, List<FieldError> errors) {
    List<Channel> channels = guilds.channels(guild);
    pages.render(ctx, status, "guild-import", PageModel.of("guild", guild, "preview", preview, "errorList", errors,
        "voiceChannels", channels.stream().filter(c -> c.kind().isAudio()).toList(),
        "textChannels", channels.stream().filter(c -> !c.kind().isAudio()).toList(),
        "library", library.items(Requests.principal(ctx))));
  }
}
