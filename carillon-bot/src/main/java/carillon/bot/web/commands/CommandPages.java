package carillon.bot.web.commands;

import carillon.bot.queue.CommandParser;
import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.InvalidCommandException;
import carillon.bot.queue.KeyReusedException;
import carillon.bot.session.FieldError;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    String volume = ctx.formParam(CommandParser.VOLUME);
    Map<String, String> options = volume == null ? Map.of() : Map.of(CommandParser.VOLUME, volume);
    CommandRequest request = switch (CommandParser.parse(ctx.formParam("kind"), options, session.id(),
        principal.source(), principal.requestedBy())) {
      case CommandParser.Valid(CommandRequest valid) -> valid;
      case CommandParser.Invalid(List<FieldError> errors) -> throw Problem.invalid(errors);
    };
    Optional<String> key = IdempotencyKeys.scoped(ctx.formParam(IdempotencyKeys.FORM_FIELD), principal,
        IdempotencyKeys.FORM_FIELD);
    CommandRecord accepted;
    try {
      if (key.isPresent()) {
        // A double submit of the same form carries the same key: the second finds the first's command.
        accepted = commands.submitOnce(request, key.get()).command();
        time.await(commands.completion(accepted.id()), time.now().plus(COMMAND_WAIT));
      } else {
        accepted = commands.submitAndWait(request, COMMAND_WAIT);
      }
    } catch (InvalidCommandException e) {
      throw Problem.invalid(e.errors());
    } catch (KeyReusedException e) {
      throw IdempotencyKeys.reused(IdempotencyKeys.FORM_FIELD, e);
    }
    throw new Redirect("/guilds/" + session.guildId() + "?command=" + accepted.id());
  }
}
