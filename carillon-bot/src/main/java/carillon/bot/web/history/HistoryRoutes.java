package carillon.bot.web.history;

import carillon.bot.queue.CommandQueue;
import carillon.bot.run.Runs;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.Pages;
import io.javalin.router.JavalinDefaultRoutingApi;

/** A guild's runs and command log, in the API ({@code /api/guilds/{guild}/runs}, {@code .../commands}) and on its page. */
public final class HistoryRoutes {
  private final HistoryApi api;
  private final HistoryPages pages;

  public HistoryRoutes(Runs runs, CommandQueue commands, Sessions sessions, GuildAccess access, Pages pages) {
    this.api = new HistoryApi(runs, commands, sessions, access);
    this.pages = new HistoryPages(pages, runs, commands, sessions, access);
  }

  public void routes(JavalinDefaultRoutingApi routes) {
    api.routes(routes);
    pages.routes(routes);
  }
}
