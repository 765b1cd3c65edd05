package carillon.bot.web.sessions;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.playback.Playback;
import carillon.bot.playback.Slots;
import carillon.bot.queue.CommandQueue;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.Pages;
import carillon.bot.web.library.LibraryItems;
import carillon.bot.web.live.LiveHub;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * Guilds and their sessions, in the API ({@code /api/guilds}, {@code /api/sessions}) and on the pages
 * ({@code /}, {@code /guilds/{guild}}, the session form). Both change sessions through one
 * {@link SessionEditor} over plain values.
 */
public final class SessionRoutes {
  private final SessionsApi api;
  private final SessionPages pages;

  /**
   * @param library the audio files the session form offers for the playlist
   * @param live told when a session is deleted
   * @param runs the runs in the store: how a guild another process holds is shown
   * @param calendars each guild's zone (times are shown in it) and skipped dates (the preview marks them)
   */
  public SessionRoutes(Sessions sessions, Scheduler scheduler, Playback playback, Slots slots, GuildDirectory guilds,
      CommandQueue commands, LibraryItems library, LiveHub live, GuildAccess access, Pages pages, TimeSource time,
      ObjectMapper json, GuildCalendars calendars, Runs runs) {
    SessionEditor editor = new SessionEditor(sessions, scheduler, playback, slots, guilds, live, calendars, runs, time);
    this.api = new SessionsApi(editor, sessions, access, time, json, calendars);
    this.pages = new SessionPages(pages, editor, sessions, commands, library, slots, access);
  }

  public void routes(JavalinDefaultRoutingApi routes) {
    api.routes(routes);
    pages.routes(routes);
  }
}
