package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway WebSocket: HELLO, IDENTIFY → READY and GUILD_CREATE, heartbeats, RESUME, voice state. */
final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  static final int HEARTBEAT_INTERVAL = 41_250;

  private final World world;
  private final Map<String, GatewayConnection> connections = new ConcurrentHashMap<>();
  volatile String url;

  Gateway(World world) {
    this.world = world;
  }

  void configure(WsConfig ws) {
    ws.onConnect(ctx -> {
      ctx.session.setIdleTimeout(Duration.ofMinutes(10));
      boolean zlib = "zlib-stream".equals(ctx.queryParam("compress"));
      GatewayConnection connection = new GatewayConnection(world, ctx, zlib);
      connections.put(ctx.sessionId(), connection);
      ObjectNode hello = world.json.createObjectNode();
      hello.put("op", 10);
      hello.putObject("d").put("heartbeat_interval", HEARTBEAT_INTERVAL);
      connection.send(hello);
    });
    ws.onMessage(ctx -> receive(ctx, ctx.message()));
    ws.onClose(ctx -> {
      GatewayConnection connection = connections.remove(ctx.sessionId());
      if (connection != null && connection.session != null) {
        connection.session.detach(connection);
        // a client closing with 1000 or 1001 ends its session (discord-api-docs, Gateway, "Initiating a Disconnect");
        // any other close may be resumed
        int status = ctx.status();
        if (!connection.closedByServer && (status == 1000 || status == 1001)) {
          world.endSession(connection.session);
        }
      }
    });
    ws.onError(ctx -> log.debug("gateway connection error: {}", ctx.error() == null ? "?" : ctx.error().toString()));
  }

  private void receive(WsContext ctx, String text) throws IOException {
    GatewayConnection connection = connections.get(ctx.sessionId());
    if (connection == null) {
      return;
    }
    JsonNode payload = world.json.readTree(text);
    int op = payload.path("op").asInt(-1);
    JsonNode d = payload.path("d");
    switch (op) {
      case 1 -> {
        ObjectNode ack = world.json.createObjectNode();
        ack.put("op", 11);
        connection.send(ack);
      }
      case 2 -> identify(connection, d);
      case 6 -> resume(connection, d);
      case 4 -> voiceState(connection, d);
      case 8, 3 -> { } // member chunk requests and presence updates: nothing to do here
      default -> connection.close(4001, "Unknown opcode " + op);
    }
  }

  private void identify(GatewayConnection connection, JsonNode d) {
    Optional<Model.Account> bot = world.byToken(d.path("token").asText(""));
    if (bot.isEmpty()) {
      connection.close(4004, "Authentication failed.");
      return;
    }
    long intents = d.has("intents") ? d.get("intents").asLong() : -1L;
    if (intents != -1L && (intents & PrivilegedIntent.ALL & ~bot.get().privilegedIntents) != 0) {
      log.info("bot {} asked for privileged intents its application does not have: closing with 4014",
          bot.get().name);
      connection.close(4014, "Disallowed intent(s).");
      return;
    }
    int shardId = 0;
    int shardCount = 1;
    if (d.has("shard")) {
      shardId = d.get("shard").get(0).asInt();
      shardCount = d.get("shard").get(1).asInt();
    }
    GatewaySession session = new GatewaySession(world, bot.get(), UUID.randomUUID().toString().replace("-", ""),
        shardId, shardCount, intents);
    world.sessions.put(session.id, session);
    connection.session = session;
    session.attach(connection);
    synchronized (world) {
      ObjectNode ready = world.json.createObjectNode();
      ready.put("v", 10);
      ObjectNode user = world.userJson(bot.get());
      user.put("verified", true);
      user.put("mfa_enabled", false);
      ready.set("user", user);
      var guilds = ready.putArray("guilds");
      for (Model.Guild guild : world.guilds.values()) {
        if (guild.members.containsKey(bot.get().id) && session.owns(guild.id)) {
          guilds.addObject().put("id", Long.toString(guild.id)).put("unavailable", true);
        }
      }
      ready.put("session_id", session.id);
      ready.put("resume_gateway_url", url);
      ready.putObject("application").put("id", Long.toString(bot.get().applicationId)).put("flags", 0);
      ready.putArray("private_channels");
      ready.putArray("relationships");
      ready.putArray("presences");
      if (d.has("shard")) {
        ready.putArray("shard").add(shardId).add(shardCount);
      }
      session.dispatch("READY", ready);
      for (Model.Guild guild : world.guilds.values()) {
        if (guild.members.containsKey(bot.get().id) && session.owns(guild.id)) {
          session.dispatch("GUILD_CREATE", world.guildCreateJson(guild));
        }
      }
    }
  }

  private void resume(GatewayConnection connection, JsonNode d) {
    GatewaySession session = world.sessions.get(d.path("session_id").asText(""));
    Optional<Model.Account> bot = world.byToken(d.path("token").asText(""));
    if (session == null || bot.isEmpty() || session.bot.id != bot.get().id
        || !session.resume(connection, d.path("seq").asLong())) {
      ObjectNode invalid = world.json.createObjectNode();
      invalid.put("op", 9);
      invalid.put("d", false);
      connection.send(invalid);
      return;
    }
    connection.session = session;
    session.dispatch("RESUMED", world.json.createObjectNode());
  }

  private void voiceState(GatewayConnection connection, JsonNode d) {
    GatewaySession session = connection.session;
    if (session == null) {
      connection.close(4003, "Not authenticated.");
      return;
    }
    // Ids arrive as raw JSON numbers (64-bit) or strings; Jackson reads both without going through a double.
    long guildId = d.path("guild_id").asLong();
    JsonNode channel = d.path("channel_id");
    Long channelId = channel.isNull() || channel.isMissingNode() ? null : channel.asLong();
    world.botVoice(session, guildId, channelId);
  }

  /** Fault: closes the bot's gateway connections with a close code. */
  void close(long botId, int code) {
    forBot(botId).forEach(c -> c.close(code, "closed by the emulator"));
  }

  /** Fault: asks the bot to reconnect (op 7). */
  void reconnect(long botId) {
    ObjectNode op7 = world.json.createObjectNode();
    op7.put("op", 7);
    op7.putNull("d");
    forBot(botId).forEach(c -> c.send(op7));
  }

  /** Fault: invalidates the bot's sessions (op 9). */
  void invalidate(long botId, boolean resumable) {
    ObjectNode op9 = world.json.createObjectNode();
    op9.put("op", 9);
    op9.put("d", resumable);
    forBot(botId).forEach(c -> {
      if (!resumable && c.session != null) {
        world.endSession(c.session);
      }
      c.send(op9);
    });
  }

  /** Whether the bot has a gateway connection that identified (a fault needs one to act on). */
  boolean connected(long botId) {
    return !forBot(botId).isEmpty();
  }

  private List<GatewayConnection> forBot(long botId) {
    return connections.values().stream().filter(c -> c.session != null && c.session.bot.id == botId).toList();
  }

  void closeAll() {
    connections.values().forEach(c -> c.close(1001, "emulator stopping"));
  }
}
