package carillon.bot.web.sessions;

import carillon.bot.playback.Slots;
import carillon.bot.queue.CommandQueue;
import carillon.bot.session.FieldError;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.bot.web.commands.CommandView;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.PageModel;
import carillon.bot.web.http.Pages.Redirect;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import carillon.bot.web.library.LibraryItems;
import carillon.bot.web.sessions.GuildViews.GuildView;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pages of guilds and their sessions: the guild list, a guild's sessions with their state and
 * controls, and the session form with every problem by field. Forms post here and are answered with a
 * redirect (303) or the form again with its errors. Changes go through the same {@link SessionEditor}
 * as the API's.
 */
final class SessionPages {
  private final Pages pages;
  private final SessionEditor editor;
  private final Sessions sessions;
  private final CommandQueue commands;
  private final LibraryItems library;
  private final Slots slots;
  private final GuildAccess access;

  SessionPages(Pages pages, SessionEditor editor, Sessions sessions, CommandQueue commands, LibraryItems library,
      Slots slots, GuildAccess access) {
    this.pages = pages;
    this.editor = editor;
    this.sessions = sessions;
    this.commands = commands;
    this.library = library;
    this.slots = slots;
    this.access = access;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/", this::home);
    routes.get("/guilds/{guild}", this::guild);
    routes.get("/guilds/{guild}/sessions/new", this::newSession);
    routes.post("/guilds/{guild}/sessions", this::create);
    routes.get("/sessions/{session}/edit", this::edit);
    routes.post("/sessions/{session}", this::update);
    routes.post("/sessions/{session}/delete", this::delete);
    routes.post("/sessions/{session}/enabled", this::setEnabled);
  }

  private void home(Context ctx) {
    List<Long> visible = access.visibleGuilds(Requests.principal(ctx));
    if (visible.size() == 1) {
      throw new Redirect("/guilds/" + visible.getFirst());
    }
    pages.render(ctx, 200, "guilds", PageModel.of("guilds", visible.stream()
        .map(g -> PageModel.of("id", g, "accounts", slots.accounts(g))).toList()));
  }

  private void guild(Context ctx) {
    long guild = access.guild(ctx);
    CommandView command = null;
    Optional<Long> commandId = Requests.queryId(ctx, "command");
    if (commandId.isPresent()) {
      Principal principal = Requests.principal(ctx);
      command = commands.find(commandId.get())
          .filter(c -> sessions.guildOf(c.sessionId()).map(principal::sees).orElse(false))
          .map(CommandView::of).orElse(null);
    }
    ZoneId zone = editor.zone(guild);
    pages.render(ctx, 200, "sessions", PageModel.of("guild", guild, "zone", zone.getId(), "command", command,
        "sessions", sessions.inGuild(guild).stream().map(s -> {
          SessionView view = editor.view(s, zone);
          return PageModel.of("id", view.id(), "name", view.name(), "state", view.state(), "schedule", view.schedule(),
              "enabled", view.enabled(), "nextStartShown", view.nextStart() == null ? "" : pages.shown(view.nextStart(), zone));
        }).toList()));
  }

  private void newSession(Context ctx) {
    renderForm(ctx, 200, access.guild(ctx), null, SessionForm.blank(), List.of());
  }

  private void edit(Context ctx) {
    Session s = access.session(ctx);
    renderForm(ctx, 200, s.guildId(), s.id(), SessionForm.of(s), List.of());
  }

  private void create(Context ctx) {
    long guild = access.guild(ctx);
    SessionForm form = posted(ctx);
    try {
      List<FieldError> unreadable = new ArrayList<>();
      editor.create(form.spec(guild, unreadable), unreadable);
      throw new Redirect("/guilds/" + guild);
    } catch (Problem refused) {
      if (refused.errors().isEmpty()) {
        throw refused;
      }
      renderForm(ctx, refused.status(), guild, null, form, refused.errors());
    }
  }

  private void update(Context ctx) {
    Session existing = access.session(ctx);
    SessionForm form = posted(ctx);
    try {
      List<FieldError> unreadable = new ArrayList<>();
      editor.update(existing.id(), form.spec(existing.guildId(), unreadable), unreadable);
      throw new Redirect("/guilds/" + existing.guildId());
    } catch (Problem refused) {
      if (refused.errors().isEmpty()) {
        throw refused;
      }
      renderForm(ctx, refused.status(), existing.guildId(), existing.id(), form, refused.errors());
    }
  }

  private void delete(Context ctx) {
    Session existing = access.session(ctx);
    editor.delete(existing);
    throw new Redirect("/guilds/" + existing.guildId());
  }

  private void setEnabled(Context ctx) {
    Session existing = access.session(ctx);
    editor.setEnabled(existing.id(), "true".equals(ctx.formParam("enabled")));
    throw new Redirect("/guilds/" + existing.guildId());
  }

  /** The form as the browser posted it. */
  private static SessionForm posted(Context ctx) {
    return new SessionForm(ctx.formParam("name"), ctx.formParam("voiceChannel"), ctx.formParam("textChannel"),
        ctx.formParam("mentionRole"), ctx.formParam("schedule"), ctx.formParams("playlist"), ctx.formParam("gapSeconds"),
        ctx.formParam("maxDurationMinutes"), "true".equals(ctx.formParam("repeat")), ctx.formParam("reminderMinutes"),
        ctx.formParam("startText"), ctx.formParam("endText"), ctx.formParam("lateGraceMinutes"),
        "true".equals(ctx.formParam("enabled")), "true".equals(ctx.formParam("publishEvent")),
        ctx.formParam("fadeInSeconds"), ctx.formParam("fadeOutSeconds"), "true".equals(ctx.formParam("shuffle")));
  }

  private void renderForm(Context ctx, int status, long guild, Long sessionId, SessionForm form, List<FieldError> errors) {
    GuildView choices = editor.guild(guild);
    Map<String, String> byField = new LinkedHashMap<>();
    for (FieldError e : errors) {
      byField.merge(e.field().replaceAll("\\[\\d+]$", ""), e.message(), (a, b) -> a + "; " + b);
    }
    pages.render(ctx, status, "session-form", PageModel.of("guild", guild, "zone", editor.zone(guild).getId(),
        "editing", sessionId != null, "sessionId", sessionId,
        "action", sessionId == null ? "/guilds/" + guild + "/sessions" : "/sessions/" + sessionId,
        "form", form.shown(), "errors", byField, "errorList", errors, "voiceChannels", choices.voiceChannels(),
        "textChannels", choices.textChannels(), "roles", choices.roles(),
        "library", library.items(Requests.principal(ctx))));
  }
}
