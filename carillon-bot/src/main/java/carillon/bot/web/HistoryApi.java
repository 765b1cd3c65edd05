package carillon.bot.web;

import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.run.Run;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.LinkedHashMap;
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

  private void runs(Context ctx) {
    long guild = access.guild(ctx);
    int limit = (int) Requests.queryNumber(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
    long before = Requests.queryNumber(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    List<Run> page = runs.inGuild(guild, limit, before);
    Map<Long, String> names = names(guild);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runs", page.stream().map(r -> runView(r, names.get(r.sessionId()))).toList());
    out.put("next", page.size() < limit ? null
        : "/api/guilds/" + guild + "/runs?limit=" + limit + "&before=" + page.getLast().id());
    ctx.json(out);
  }

  private void commands(Context ctx) {
    long guild = access.guild(ctx);
    int limit = (int) Requests.queryNumber(ctx, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
    long before = Requests.queryNumber(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE);
    List<CommandRecord> page = commands.inGuild(guild, limit, before);
    Map<Long, String> names = names(guild);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("commands", page.stream().map(c -> {
      Map<String, Object> view = CommandsApi.view(c);
      view.put("sessionName", names.get(c.sessionId()));
      return view;
    }).toList());
    out.put("next", page.size() < limit ? null
        : "/api/guilds/" + guild + "/commands?limit=" + limit + "&before=" + page.getLast().id());
    ctx.json(out);
  }

  private Map<Long, String> names(long guild) {
    return sessions.inGuild(guild).stream().collect(Collectors.toMap(Session::id, Session::name));
  }

  private static Map<String, Object> runView(Run r, String sessionName) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("session", r.sessionId());
    out.put("sessionName", sessionName);
    out.put("scheduledAt", r.scheduledAt());
    out.put("startedAt", r.startedAt().orElse(null));
    out.put("endedAt", r.endedAt().orElse(null));
    out.put("durationMs", r.startedAt().isPresent() && r.endedAt().isPresent()
        ? Duration.between(r.startedAt().get(), r.endedAt().get()).toMillis() : null);
    out.put("outcome", r.outcome().name());
    out.put("tracksPlayed", r.tracksPlayed());
    out.put("account", r.account().orElse(null));
    out.put("error", r.error().orElse(null));
    return out;
  }
}
