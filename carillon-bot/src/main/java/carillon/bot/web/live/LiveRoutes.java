package carillon.bot.web.live;

import carillon.bot.session.FieldError;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.PageModel;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What plays now: a guild's slots (API and page) and the server-sent event stream that follows them. */
public final class LiveRoutes {
  private final LiveHub live;
  private final GuildAccess access;
  private final Pages pages;

  public LiveRoutes(LiveHub live, GuildAccess access, Pages pages) {
    this.live = live;
    this.access = access;
    this.pages = pages;
  }

  public void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/api/guilds/{guild}/live", ctx -> ctx.json(live.snapshot(access.guild(ctx))));
    routes.get("/api/live/events", this::events);
    routes.get("/guilds/{guild}/live", this::page);
  }

  private void page(Context ctx) {
    long guild = access.guild(ctx);
    pages.render(ctx, 200, "live", PageModel.of("guild", guild, "live", live.snapshot(guild)));
  }

  private void events(Context ctx) throws Exception {
    Principal principal = Requests.principal(ctx);
    Optional<Long> guild = Requests.queryId(ctx, "guild");
    List<Long> visible;
    if (guild.isPresent()) {
      long id = guild.get();
      if (!principal.sees(id)) {
        throw Problem.forbidden("you have no access to guild " + id);
      }
      visible = List.of(id);
    } else {
      visible = access.visibleGuilds(principal);
    }
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new Problem(406, "not-acceptable", "Not acceptable", "this is an event stream: send 'Accept: text/event-stream'"
          + " (as EventSource does)", List.of(new FieldError("Accept", "must include text/event-stream")), Map.of());
    }
    Optional<Long> filter = guild;
    new SseHandler((SseClient client) -> live.stream(client, principal, filter, visible)).handle(ctx);
  }
}
