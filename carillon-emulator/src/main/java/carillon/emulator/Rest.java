package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** Discord's REST API under {@code /api/v10}: the routes JDA uses, with Discord's error bodies. */
final class Rest {
  static final String PREFIX = "/api/v10";

  private final World world;
  private final Gateway gateway;
  private final List<Fault> faults = new CopyOnWriteArrayList<>();

  Rest(World world, Gateway gateway) {
    this.world = world;
    this.gateway = gateway;
  }

  /** A route made to fail {@code times} times with {@code status}. */
  record Fault(String method, Pattern path, int status, AtomicInteger remaining) {}

  void failRoute(String method, String pathRegex, int status, int times) {
    faults.add(new Fault(method.toUpperCase(), Pattern.compile(pathRegex), status, new AtomicInteger(times)));
  }

  void routes(RoutesConfig routes) {
    routes.before(PREFIX + "/*", this::applyFaults);
    routes.get(PREFIX + "/users/@me", ctx -> ctx.json(selfJson(self(ctx))));
    routes.get(PREFIX + "/gateway", ctx -> ctx.json(Map.of("url", gateway.url)));
    routes.get(PREFIX + "/gateway/bot", ctx -> {
      self(ctx);
      ctx.json(Map.of("url", gateway.url, "shards", 1, "session_start_limit",
          Map.of("total", 1000, "remaining", 1000, "reset_after", 0, "max_concurrency", 16)));
    });
    routes.post(PREFIX + "/channels/{channel}/messages", this::createMessage);
    routes.get(PREFIX + "/channels/{channel}/messages/{message}", this::getMessage);
    routes.put(PREFIX + "/applications/{app}/commands", ctx -> putCommands(ctx, null));
    routes.put(PREFIX + "/applications/{app}/guilds/{guild}/commands",
        ctx -> putCommands(ctx, Long.parseLong(ctx.pathParam("guild"))));
    routes.get(PREFIX + "/applications/{app}/commands", ctx -> listCommands(ctx, null));
    routes.get(PREFIX + "/applications/{app}/guilds/{guild}/commands",
        ctx -> listCommands(ctx, Long.parseLong(ctx.pathParam("guild"))));
    routes.post(PREFIX + "/interactions/{id}/{token}/callback", this::interactionCallback);
    routes.post(PREFIX + "/webhooks/{app}/{token}", this::followup);
    routes.patch(PREFIX + "/webhooks/{app}/{token}/messages/@original", this::editOriginal);
  }

  private void applyFaults(Context ctx) {
    String path = ctx.path().substring(PREFIX.length());
    for (Fault fault : faults) {
      if (fault.method.equals(ctx.method().name()) && fault.path.matcher(path).matches()
          && fault.remaining.getAndDecrement() > 0) {
        ctx.status(fault.status);
        if (fault.status == 429) {
          // JDA reads Retry-After as an integer; without Via it would take this for a Cloudflare ban.
          ctx.header("Retry-After", "1");
          ctx.header("Via", "1.1 google");
          ctx.json(Map.of("message", "You are being rate limited.", "retry_after", 1.0, "global", false));
        } else if (fault.status == 403) {
          ctx.json(Map.of("code", 50013, "message", "Missing Permissions"));
        } else {
          ctx.json(Map.of("code", 0, "message", fault.status + ": emulated failure"));
        }
        ctx.skipRemainingHandlers();
        return;
      }
    }
  }

  private Model.Account self(Context ctx) {
    String auth = ctx.header("Authorization");
    return world.byToken(auth == null ? "" : auth).orElseThrow(Unauthorized::new);
  }

  static final class Unauthorized extends RuntimeException {
    Unauthorized() {
      super("401: Unauthorized");
    }
  }

  private ObjectNode selfJson(Model.Account bot) {
    ObjectNode user = world.userJson(bot);
    user.put("verified", true);
    user.put("mfa_enabled", false);
    return user;
  }

  private void createMessage(Context ctx) throws Exception {
    Model.Account bot = self(ctx);
    long channelId = Long.parseLong(ctx.pathParam("channel"));
    JsonNode body = world.json.readTree(ctx.body());
    Model.Message message = world.post(channelId, bot.id, body.path("content").asText(""), body.get("embeds"));
    ctx.json(world.messageJson(message));
  }

  private void getMessage(Context ctx) {
    self(ctx);
    long channelId = Long.parseLong(ctx.pathParam("channel"));
    long messageId = Long.parseLong(ctx.pathParam("message"));
    synchronized (world) {
      Model.Message found = world.messages.getOrDefault(channelId, List.of()).stream()
          .filter(m -> m.id() == messageId).findFirst().orElseThrow(() -> new World.NotFound("message " + messageId));
      ctx.json(world.messageJson(found));
    }
  }

  private void putCommands(Context ctx, Long guildId) throws Exception {
    Model.Account bot = self(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    ArrayNode result = world.json.createArrayNode();
    synchronized (world) {
      world.commands.values().removeIf(c -> c.applicationId == bot.applicationId && java.util.Objects.equals(c.guildId, guildId));
      for (JsonNode definition : body) {
        ObjectNode command = ((ObjectNode) definition).deepCopy();
        long id = world.ids.next();
        command.put("id", Long.toString(id));
        command.put("application_id", Long.toString(bot.applicationId));
        command.put("version", Long.toString(id));
        if (!command.has("type")) {
          command.put("type", 1);
        }
        if (guildId != null) {
          command.put("guild_id", Long.toString(guildId));
        }
        world.commands.put(id, new Model.Command(id, bot.applicationId, guildId, command));
        result.add(command);
      }
    }
    ctx.json(result);
  }

  private void listCommands(Context ctx, Long guildId) {
    Model.Account bot = self(ctx);
    ArrayNode result = world.json.createArrayNode();
    synchronized (world) {
      world.commands.values().stream()
          .filter(c -> c.applicationId == bot.applicationId && java.util.Objects.equals(c.guildId, guildId))
          .forEach(c -> result.add(c.definition));
    }
    ctx.json(result);
  }

  /** An error Discord answers with {@code status} and its JSON body {@code {"code", "message"}}. */
  static final class DiscordError extends RuntimeException {
    final int status;
    final int code;

    DiscordError(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private Interaction interaction(Context ctx) {
    long id = Long.parseLong(ctx.pathParam("id"));
    Interaction interaction = world.interactions.get(id);
    if (interaction == null || !interaction.token.equals(ctx.pathParam("token"))) {
      throw new DiscordError(404, 10062, "Unknown interaction");
    }
    return interaction;
  }

  /** The interaction whose webhook a follow-up uses; Discord knows it only once the interaction was answered. */
  private Interaction byToken(Context ctx) {
    String token = ctx.pathParam("token");
    return world.interactions.values().stream()
        .filter(i -> i.token.equals(token) && !i.autocomplete() && i.acknowledged()).findFirst()
        .orElseThrow(() -> new DiscordError(404, 10015, "Unknown Webhook"));
  }

  private void interactionCallback(Context ctx) throws Exception {
    Interaction interaction = interaction(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    int type = body.path("type").asInt();
    JsonNode data = body.path("data");
    boolean allowed = interaction.autocomplete() ? type == 8 : type == 4 || type == 5;
    if (!allowed) {
      throw new DiscordError(400, 50035, "Invalid Form Body: type: callback type " + type + " is not allowed for "
          + (interaction.autocomplete() ? "an autocomplete interaction (only 8, the choices)"
              : "an application command interaction (4, a message, or 5, a deferral; modals are not emulated)"));
    }
    List<Interaction.Choice> offered = type == 8 ? choices(data) : List.of();
    if (!interaction.acknowledge((data.path("flags").asInt() & 64) != 0)) {
      throw new DiscordError(400, 40060, "Interaction has already been acknowledged.");
    }
    Model.Message message = null;
    if (type == 4) {
      message = world.answer(interaction, data, interaction.ephemeral());
      interaction.answered(world.view(message));
    } else if (type == 5) {
      interaction.markDeferred();
    } else {
      interaction.suggested(offered);
    }
    if (!"true".equals(ctx.queryParam("with_response"))) {
      ctx.status(204);
      return;
    }
    ObjectNode response = world.json.createObjectNode();
    ObjectNode callback = response.putObject("interaction");
    callback.put("id", Long.toString(interaction.id));
    callback.put("type", interaction.type);
    if (type != 8) {
      callback.put("response_message_loading", type == 5);
      callback.put("response_message_ephemeral", interaction.ephemeral());
    }
    ObjectNode resource = response.putObject("resource");
    resource.put("type", type);
    if (message != null) {
      callback.put("response_message_id", Long.toString(message.id()));
      resource.set("message", world.messageJson(message));
    }
    ctx.json(response);
  }

  /** Autocomplete choices, checked as Discord does: at most 25, names of 1 to 100 characters. */
  private static List<Interaction.Choice> choices(JsonNode data) {
    JsonNode choices = data.path("choices");
    if (!choices.isArray()) {
      throw new DiscordError(400, 50035, "Invalid Form Body: data.choices: an array of choices is required");
    }
    if (choices.size() > 25) {
      throw new DiscordError(400, 50035, "Invalid Form Body: data.choices: at most 25 choices, got " + choices.size());
    }
    List<Interaction.Choice> offered = new java.util.ArrayList<>();
    for (JsonNode choice : choices) {
      String name = choice.path("name").asText("");
      if (name.isEmpty() || name.codePointCount(0, name.length()) > 100 || !choice.has("value")) {
        throw new DiscordError(400, 50035, "Invalid Form Body: data.choices: each choice needs a name of 1 to 100"
            + " characters and a value, got " + choice);
      }
      offered.add(new Interaction.Choice(name, choice.get("value").asText()));
    }
    return offered;
  }

  private void followup(Context ctx) throws Exception {
    Interaction interaction = byToken(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    boolean ephemeral = interaction.followupEphemeral((body.path("flags").asInt() & 64) != 0);
    Model.Message message = world.answer(interaction, body, ephemeral);
    interaction.followedUp(world.view(message));
    ctx.json(world.messageJson(message));
  }

  private void editOriginal(Context ctx) throws Exception {
    Interaction interaction = byToken(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    Model.Message message = world.answer(interaction, body, interaction.ephemeral());
    interaction.answered(world.view(message));
    ctx.json(world.messageJson(message));
  }
}
