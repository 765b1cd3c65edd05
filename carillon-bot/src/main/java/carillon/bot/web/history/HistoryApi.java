package carillon.bot.web.history;

import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.run.Run;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.bot.web.commands.CommandView;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.Requests;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A guild's history, newest first, a page at a time: the runs (outcome, duration, tracks) and the
 * command log (who asked what, and the result). {@code next} links the following page.
 */
final class HistoryApi {
  private static final int MAX_PAGE = 200;
  private static final int DEFAULT_PAGE = 50;

  private final Runs runs;
  private final CommandQueue commands;
  private final Sessions sessions;
  private final GuildAccess access;

  HistoryApi(Runs runs, CommandQueue commands, Sessions sessions, GuildAccess access) {
    this.runs = runs;
    this.commands = commands;
    this.sessions = sessions;
    this.access = access;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/api/guilds/{guild}/runs", this::runs);
    routes.get("/api/guilds/{guild}/commands", this::commands);
  }

  /** A page of runs, newest first; {@code next} is the following page's path, null on the last page. */
  record RunPage(List<RunView> runs, String next) {}

  /**
   * A run as the history shows it.
   *
   * @param session the session's id
   * @param durationMs from start to end, once both are known
   * @param trackOrder the order it played its playlist in, as positions from 0 (shuffled); empty: playlist order
   */
  record RunView(long id, long session, String sessionName, Instant scheduledAt, Instant startedAt, Instant endedAt,
      Long durationMs, String outcome, int tracksPlayed, String account, String error, List<Integer> trackOrder) {
    static RunView of(Run r, String sessionName) {
      return new RunView(r.id(), r.sessionId(), sessionName, r.scheduledAt(), r.startedAt().orElse(null),
          r.endedAt().orElse(null), playedMs(r), r.outcome().name(), r.tracksPlayed(), r.account().orElse(null),
          r.error().orElse(null), r.trackOrder());
    }
  }

  /** A page of the command log, newest first; {@code next} as for runs. */
  record CommandPage(List<LoggedCommand> commands, String next) {}

  /** A command as {@link CommandView} shows it, with its session's name after its fields. */
  record LoggedCommand(@JsonUnwrapped CommandView command, String sessionName) {}

  /** How long a run played, from its start to its end; null until both are known. */
  static Long playedMs(Run r) {
    return r.startedAt().isPresent() && r.endedAt().isPresent()
        ? Duration.between(r.startedAt().get(), r.endedAt().get()).toMillis() : null;
  }

  private void runs(Context ctx) {
    long guild = access.guild(ctx);
    int limit = (int) Requests.queryNumber(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
    long before = Requests.queryNumber(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    List<Run> page = runs.inGuild(guild, limit, before);
    Map<Long, String> names = names(guild);
    ctx.json(new RunPage(page.stream().map(r -> RunView.of(r, names.get(r.sessionId()))).toList(),
        page.size() < limit ? null : "/api/guilds/" + guild + "/runs?limit=" + limit + "&before=" + page.getLast().id()));
  }

  private void commands(Context ctx) {
    long guild = access.guild(ctx);
    int limit = (int) Requests.queryNumber(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
    long before = Requests.queryNumber(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    List<CommandRecord> page = commands.inGuild(guild, limit, before);
    Map<Long, String> names = names(guild);
    ctx.json(new CommandPage(page.stream().map(c -> new LoggedCommand(CommandView.of(c), names.get(c.sessionId())))
        .toList(),
        page.size() < limit ? null : "/api/guilds/" + guild + "/commands?limit=" + limit + "&before=" + page.getLast().id()));
  }

  private Map<Long, String> names(long guild) {
    return sessions.inGuild(guild).stream().collect(Collectors.toMap(Session::id, Session::name));
  }
}
