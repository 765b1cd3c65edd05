package carillon.bot.web.calendar;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.session.FieldError;
import carillon.bot.web.calendar.CalendarViews.Feed;
import carillon.bot.web.calendar.CalendarViews.Imported;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.JsonInput;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A guild's calendar in the API: settings (zone, language, skipped dates), the ICS feed's secret URL,
 * the feed itself (public, its secret is the credential) and the import of .ics files.
 */
final class CalendarApi {
  /** The largest .ics file read. */
  static final int MAX_ICS_BYTES = 512 * 1024;

  private final GuildCalendarEditor editor;
  private final GuildAccess access;
  private final ObjectMapper json;
  private final Optional<URI> publicUrl;

  CalendarApi(GuildCalendarEditor editor, GuildAccess access, ObjectMapper json, Optional<URI> publicUrl) {
    this.editor = editor;
    this.access = access;
    this.json = json;
    this.publicUrl = publicUrl;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/api/guilds/{guild}/settings", ctx -> ctx.json(editor.view(access.guild(ctx))));
    routes.put("/api/guilds/{guild}/settings", this::update);
    routes.post("/api/guilds/{guild}/calendar-feed", this::rotate);
    routes.delete("/api/guilds/{guild}/calendar-feed", this::revoke);
    routes.get("/calendar/{file}", this::feed);
    routes.post("/api/guilds/{guild}/ics-import", this::preview);
    routes.post("/api/guilds/{guild}/ics-import/confirm", this::confirm);
  }

  private void update(Context ctx) {
    long guild = access.guild(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    String zone = in.string("timeZone", false);
    String language = in.string("language", false);
    List<JsonInput> skips = in.objects("skips", false);
    List<GuildCalendars.SkipEntry> entries = new ArrayList<>();
    if (skips != null) {
      for (JsonInput skip : skips) {
        entries.add(new GuildCalendars.SkipEntry(skip.string("dates", true), skip.string("label", false)));
      }
    }
    ctx.json(editor.update(guild, new GuildCalendars.Change(zone, language, entries), in.errors()));
  }

  /** Body {@code {}}: a JSON request like every other change, so a malformed one is refused, not acted on. */
  private void rotate(Context ctx) {
    long guild = access.guild(ctx);
    JsonInput.of(ctx, json).check();
    String path = feedPath(editor.calendars().rotateFeed(guild));
    ctx.status(201).json(new Feed(path, absolute(ctx, path)));
  }

  private void revoke(Context ctx) {
    long guild = access.guild(ctx);
    if (!editor.calendars().revokeFeed(guild)) {
      throw Problem.notFound("guild " + guild + " has no ICS feed");
    }
    ctx.status(204);
  }

  static String feedPath(String token) {
    return "/calendar/" + token + ".ics";
  }

  /** The URL a calendar application subscribes to: web.publicUrl if set, else as this request reached us. */
  String absolute(Context ctx, String path) {
    String base = publicUrl.map(URI::toString).orElseGet(() -> ctx.scheme() + "://" + ctx.host());
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
  }

  /** The feed: public, the secret in the URL is its credential; an unknown or revoked one is 404. */
  private void feed(Context ctx) {
    String file = ctx.pathParam("file");
    String token = file.endsWith(".ics") ? file.substring(0, file.length() - 4) : file;
    long guild = editor.calendars().guildOfFeed(token).orElseThrow(() -> Problem.notFound(
        "there is no calendar feed at this address; it may have been revoked: ask the guild's admins for the new one"));
    ctx.header("Cache-Control", "private, max-age=300");
    ctx.contentType("text/calendar; charset=utf-8").result(editor.feed(guild));
  }

  private void preview(Context ctx) {
    long guild = access.guild(ctx);
    ctx.json(editor.preview(guild, icsBody(ctx)));
  }

  /** The .ics file: the body as text/calendar, or a multipart part named 'file'. */
  static String icsBody(Context ctx) {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    if (ctx.isMultipartFormData()) {
      UploadedFile file = ctx.uploadedFile("file");
      if (file == null) {
        throw Problem.invalid("file", "is required: choose an .ics file (a multipart part named 'file')");
      }
      if (file.size() > MAX_ICS_BYTES) {
        throw Problem.tooLarge("file", "is " + file.size() + " bytes; at most " + MAX_ICS_BYTES + " are read");
      }
      try (InputStream in = file.content()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (!type.startsWith("text/calendar")) {
      throw Problem.unsupportedMediaType("send the .ics file as Content-Type: text/calendar, or as multipart/form-data"
          + " in a part named 'file' (was " + (type.isEmpty() ? "none" : "'" + Requests.shorten(type) + "'") + ")");
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_ICS_BYTES) {
      throw Problem.tooLarge("body", "is " + body.length + " bytes; at most " + MAX_ICS_BYTES + " are read");
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private void confirm(Context ctx) {
    long guild = access.guild(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    Long voice = in.id("voiceChannel", true);
    Long text = in.id("textChannel", false);
    List<String> playlist = in.strings("playlist", true);
    List<JsonInput> items = in.objects("sessions", true);
    List<GuildCalendarEditor.Chosen> chosen = new ArrayList<>();
    if (items != null) {
      for (JsonInput item : items) {
        chosen.add(new GuildCalendarEditor.Chosen(item.string("name", true), item.string("schedule", true)));
      }
    }
    List<FieldError> unreadable = in.errors();
    ctx.status(201).json(new Imported(editor.confirm(guild, voice, text, playlist, chosen, unreadable)));
  }
}
