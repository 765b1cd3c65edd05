package carillon.bot.web.history;

import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.run.Run;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.PageModel;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Requests;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A guild's history page: runs and the command log, newest first, a page at a time. */
final class HistoryPages {
  private static final int HISTORY_PAGE = 50;

  private final Pages pages;
  private final Runs runs;
  private final CommandQueue commands;
  private final Sessions sessions;
  private final GuildAccess access;

  HistoryPages(Pages pages, Runs runs, CommandQueue commands, Sessions sessions, GuildAccess access) {
    this.pages = pages;
    this.runs = runs;
    this.commands = commands;
    this.sessions = sessions;
    this.access = access;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/guilds/{guild}/history", this::history);
  }

  private void history(Context ctx) {
    long guild = access.guild(ctx);
    long runsBefore = Requests.queryNumber(ctx, "runsBefore", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    long commandsBefore = Requests.queryNumber(ctx, "commandsBefore", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    Map<Long, String> names = sessions.inGuild(guild).stream().collect(Collectors.toMap(Session::id, Session::name));
    List<Run> runPage = runs.inGuild(guild, HISTORY_PAGE, runsBefore);
    List<CommandRecord> commandPage = commands.inGuild(guild, HISTORY_PAGE, commandsBefore);
    pages.render(ctx, 200, "history", PageModel.of("guild", guild,
        "runs", runPage.stream().map(r -> PageModel.of("sessionName", names.get(r.sessionId()),
            "scheduledLocal", pages.shown(r.scheduledAt(), guild), "outcome", r.outcome().name(),
            "durationMs", HistoryApi.playedMs(r),
            "tracksPlayed", r.tracksPlayed(),
            // People count from 1: "shuffled: 3, 1, 2".
            "order", r.trackOrder().stream().map(i -> String.valueOf(i + 1)).collect(Collectors.joining(", ")),
            "account", r.account().orElse(""), "error", r.error().orElse(""))).toList(),
        "runsNext", runPage.size() < HISTORY_PAGE ? null : runPage.getLast().id(),
        "commands", commandPage.stream().map(c -> PageModel.of("requestedLocal", pages.shown(c.requestedAt(), guild),
            "requestedBy", c.requestedBy(), "kind", c.kind().name(), "volume", c.volume().orElse(null),
            "sessionName", names.get(c.sessionId()), "status", c.status().name(), "result", c.result().orElse("")))
            .toList(),
        "commandsNext", commandPage.size() < HISTORY_PAGE ? null : commandPage.getLast().id()));
  }
}
