package carillon.bot.web.commands;

import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.InvalidCommandException;
import carillon.bot.session.Session;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.Pages.Redirect;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import carillon.tasks.TimeSource;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.Locale;

/** The sessions page's command buttons: a command is submitted, and its result shown on the page it came from. */
final class CommandPages {
  private static final Duration COMMAND_WAIT = Duration.ofSeconds(5);

  private final CommandQueue commands;
  private final GuildAccess access;
  private final TimeSource time;

  CommandPages(CommandQueue commands, GuildAccess access, TimeSource time) {
    this.commands = commands;
    this.access = access;
    this.time = time;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.post("/sessions/{session}/commands", this::command);
  }

  /** Submits a command and waits a little for its result, to show it on the page it came from. */
  private void command(Context ctx) throws InterruptedException {
    Session session = access.session(ctx);
    Principal principal = Requests.principal(ctx);
    CommandKind kind;
    try {
      kind = CommandKind.valueOf(String.valueOf(ctx.formParam("kind")).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("kind", "is not a command");
    }
    Integer volume = null;
    if (kind == CommandKind.VOLUME) {
      String text = ctx.formParam("volume");
      if (text == null || !text.matches("[0-9]{1,3}")) {
        throw Problem.invalid("volume", "must be a whole number from 0 to 150");
      }
      volume = Integer.parseInt(text);
    }
    CommandRecord accepted;
    try {
      accepted = commands.submit(new CommandRequest(kind, session.id(), volume, principal.source(), principal.requestedBy()));
    } catch (InvalidCommandException e) {
      throw Problem.invalid(e.field(), e.getMessage());
    }
    time.await(commands.completion(accepted.id()), time.now().plus(COMMAND_WAIT));
    throw new Redirect("/guilds/" + session.guildId() + "?command=" + accepted.id());
  }
}
