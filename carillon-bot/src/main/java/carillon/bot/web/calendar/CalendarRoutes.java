package carillon.bot.web.calendar;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.run.Runs;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.Pages;
import carillon.bot.web.library.LibraryItems;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.net.URI;
import java.util.Optional;

/**
 * A guild's calendar: its settings (time zone, language, skipped dates), its ICS feed and the import of
 * .ics files, in the API ({@code /api/guilds/{guild}/settings}, {@code .../calendar-feed},
 * {@code .../ics-import}), on the pages ({@code /guilds/{guild}/settings}, {@code /guilds/{guild}/import})
 * and the feed itself ({@code /calendar/{secret}.ics}, public); and the month and week views of its
 * occurrences and runs ({@code /guilds/{guild}/calendar}).
 */
public final class CalendarRoutes {
  /** Where the feeds are: public, the secret in the path is the credential. */
  public static final String FEED_PREFIX = "/calendar/";

  private final CalendarApi api;
  private final CalendarPages pages;
  private final CalendarPage calendar;

  /** @param publicUrl the address people reach the server at (feed URLs are made with it when set) */
  public CalendarRoutes(GuildCalendars calendars, Sessions sessions, GuildDirectory guilds, LibraryItems library,
      Runs runs, GuildAccess access, Pages pages, TimeSource time, ObjectMapper json, Optional<URI> publicUrl) {
    GuildCalendarEditor editor = new GuildCalendarEditor(calendars, sessions, guilds, time);
    this.api = new CalendarApi(editor, access, json, publicUrl);
    this.pages = new CalendarPages(editor, api, pages, access, guilds, library);
    this.calendar = new CalendarPage(calendars, sessions, runs, access, pages, time);
  }

  public void routes(JavalinDefaultRoutingApi routes) {
    api.routes(routes);
    pages.routes(routes);
    calendar.routes(routes);
  }
}
