package carillon.bot.web.commands;

import carillon.bot.queue.CommandParser;
import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.InvalidCommandException;
import carillon.bot.queue.KeyReusedException;
import carillon.bot.session.FieldError;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.JsonInput;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Commands: play, pause, resume, skip, stop and volume of a session. A command is stored and answered
 * with its id at once (202); its status is read with GET, which can also wait for the final status.
 */
final class CommandsApi {
  static final int MAX_WAIT_SECONDS = 60;

  private final CommandQueue commands;
  private final Sessions sessions;
  private final GuildAccess access;
  private final TimeSource time;
  private final ObjectMapper json;

  CommandsApi(CommandQueue commands, Sessions sessions, GuildAccess access, TimeSource time, ObjectMapper json) {
    this.commands = commands;
    this.sessions = sessions;
    this.access = access;
    this.time = time;
    this.json = json;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.post("/api/sessions/{session}/commands", this::submit);
    routes.get("/api/commands/{command}", this::get);
  }

  private void submit(Context ctx) {
    long session = access.sessionId(ctx);
    Principal principal = Requests.principal(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    String kind = in.scalar("kind");
    Map<String, String> options = new HashMap<>();
    String volume = in.scalar(CommandParser.VOLUME);
    if (volume != null) {
      options.put(CommandParser.VOLUME, volume);
    }
    List<FieldError> errors = new ArrayList<>(in.errors());
    CommandRequest request = null;
    switch (CommandParser.parse(kind, options, session, principal.source(), principal.requestedBy())) {
      case CommandParser.Valid(CommandRequest valid) -> request = valid;
      case CommandParser.Invalid(List<FieldError> invalid) -> errors.addAll(invalid);
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    Optional<String> key = IdempotencyKeys.scoped(ctx.header(IdempotencyKeys.HEADER), principal, IdempotencyKeys.HEADER);
    CommandRecord accepted;
    try {
      if (key.isPresent()) {
        CommandQueue.Submitted submitted = commands.submitOnce(request, key.get());
        accepted = submitted.command();
        if (submitted.replayed()) {
          ctx.header(IdempotencyKeys.REPLAYED, "true");
        }
      } else {
        accepted = commands.submit(request);
      }
    } catch (InvalidCommandException e) {
      throw Problem.invalid(e.errors());
    } catch (KeyReusedException e) {
      throw IdempotencyKeys.reused(IdempotencyKeys.HEADER, e);
    }
    ctx.status(202).header("Location", "/api/commands/" + accepted.id()).json(CommandView.of(accepted));
  }

  private void get(Context ctx) {
    long id = Requests.pathId(ctx, "command");
    long waitSeconds = Requests.queryNumber(ctx, "wait", 0, MAX_WAIT_SECONDS, 0);
    CommandRecord command = visible(ctx, id);
    if (waitSeconds > 0 && !command.status().isFinal()) {
      CompletableFuture<CommandRecord> completion = commands.completion(id);
      try {
        time.await(completion, time.now().plusSeconds(waitSeconds));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Problem.unavailable("the server is stopping");
      }
      command = commands.find(id).orElse(command);
    }
    ctx.json(CommandView.of(command));
  }

  /** A command of a session in a guild the principal sees; 404 otherwise. */
  private CommandRecord visible(Context ctx, long id) {
    Principal principal = Requests.principal(ctx);
    Optional<CommandRecord> command = commands.find(id);
    boolean sees = command.isPresent() && sessions.guildOf(command.get().sessionId()).map(principal::sees)
        .orElse(principal.allGuilds());
    if (!sees) {
      throw Problem.notFound("there is no command with id " + id);
    }
    return command.get();
  }
}
