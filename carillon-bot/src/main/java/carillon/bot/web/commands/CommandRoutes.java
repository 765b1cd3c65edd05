package carillon.bot.web.commands;

import carillon.bot.queue.CommandQueue;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.GuildAccess;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * Commands of a session (play, pause, resume, skip, stop, volume) from the API
 * ({@code /api/sessions/{session}/commands}, {@code /api/commands/{command}}) and the sessions page's buttons.
 */
public final class CommandRoutes {
  private final CommandsApi api;
  private final CommandPages pages;

  public CommandRoutes(CommandQueue commands, Sessions sessions, GuildAccess access, TimeSource time, ObjectMapper json) {
    this.api = new CommandsApi(commands, sessions, access, time, json);
    this.pages = new CommandPages(commands, access, time);
  }

  public void routes(JavalinDefaultRoutingApi routes) {
    api.routes(routes);
    pages.routes(routes);
  }
}
