package carillon.emulator;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The emulator's own HTTP API under {@code /_emulator/}: observe the world and act in it from any
 * language. Ids are strings, as in Discord's API; numbers are accepted too. Bad input gets a 4xx with
 * {@code {"error": "..."}} naming the field.
 */
final class ControlApi {
  static final String PREFIX = "/_emulator";

  private final DiscordEmulator emulator;
  private final World world;

  ControlApi(DiscordEmulator emulator, World world) {
    this.emulator = emulator;
    this.world = world;
  }

  /** Bad input to the control API: answered 400 with the message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  void routes(RoutesConfig routes) {
    routes.get(PREFIX + "/guilds", this::guilds);
    routes.get(PREFIX + "/channels/{channel}/messages", ctx -> {
      long channel = pathId(ctx, "channel");
      world.channel(channel);
      ctx.json(emulator.messages(channel));
    });
    routes.post(PREFIX + "/channels/{channel}/messages", this::sendMessage);
    routes.post(PREFIX + "/channels/{channel}/commands", this::runCommand);
    routes.post(PREFIX + "/channels/{channel}/autocomplete", this::autocomplete);
    routes.get(PREFIX + "/interactions/{interaction}", this::interaction);
    routes.post(PREFIX + "/guilds/{guild}/voice", this::voice);
    routes.post(PREFIX + "/guilds/{guild}/voice-states/{user}", this::voiceFlags);
    routes.post(PREFIX + "/guilds/{guild}/voice-server", this::voiceServer);
    routes.post(PREFIX + "/guilds/{guild}/channels", this::createChannel);
    routes.delete(PREFIX + "/channels/{channel}", ctx -> {
      guildOf(ctx).deleteChannel(pathId(ctx, "channel"));
      ctx.status(204);
    });
    routes.put(PREFIX + "/channels/{channel}/overwrites/{target}", this::overwrite);
    routes.delete(PREFIX + "/channels/{channel}/overwrites/{target}", ctx -> {
      guildOf(ctx).removeOverwrite(pathId(ctx, "channel"), pathId(ctx, "target"));
      ctx.status(204);
    });
    routes.get(PREFIX + "/channels/{channel}/permissions/{user}", ctx -> ctx.json(Map.of("permissions",
        Long.toString(guildOf(ctx).permissions(pathId(ctx, "user"), pathId(ctx, "channel"))))));
    routes.get(PREFIX + "/voice", ctx -> ctx.json(emulator.voiceConnections()));
    routes.get(PREFIX + "/voice/ignored", ctx -> ctx.json(emulator.ignoredVoiceRequests()));
    routes.get(PREFIX + "/panel", ctx -> ctx.contentType("text/html; charset=utf-8").result(panelPage()));
    routes.get(PREFIX + "/panel/state", this::panelState);
    routes.post(PREFIX + "/faults/gateway", this::gatewayFault);
    routes.post(PREFIX + "/faults/rest", this::restFault);
    routes.post(PREFIX + "/faults/voice", this::voiceFault);
    routes.get(PREFIX + "/faults/rest", ctx -> ctx.json(Map.of("served", emulator.restFaultsServed())));
    routes.get(PREFIX + "/voice/{connection}", this::voiceConnection);
    routes.get(PREFIX + "/voice/{connection}/audio.wav", this::voiceWav);
    routes.get(PREFIX + "/voice/{connection}/opus", this::voiceOpus);
    // the world, as the Java API builds it
    routes.post(PREFIX + "/guilds", ctx -> {
      GuildHandle guild = emulator.createGuild(text(body(ctx), "name"));
      ctx.status(201).json(Map.of("id", Long.toString(guild.id())));
    });
    routes.post(PREFIX + "/users", ctx -> {
      UserHandle user = emulator.createUser(text(body(ctx), "name"));
      ctx.status(201).json(Map.of("id", Long.toString(user.id())));
    });
    routes.post(PREFIX + "/bots", this::createBot);
    routes.put(PREFIX + "/bots/{bot}/oauth2", ctx -> {
      // The bot's application as an OAuth2 client (Login with Discord): {"redirectUris":[...]}.
      JsonNode uris = body(ctx).get("redirectUris");
      if (uris == null || !uris.isArray() || uris.isEmpty()) {
        throw new BadRequest("'redirectUris' must be a list of at least one URI");
      }
      List<String> list = new ArrayList<>();
      uris.forEach(u -> list.add(u.asText()));
      Model.Account bot = world.account(pathId(ctx, "bot"));
      if (!bot.bot) {
        throw new BadRequest("user " + bot.id + " is not a bot; only a bot's application is an OAuth2 client");
      }
      OAuth2Client client = emulator.registerOAuth2(new BotAccount(bot.id, bot.name, bot.token, bot.applicationId),
          list.toArray(String[]::new));
      ctx.json(Map.of("clientId", Long.toString(client.clientId()), "clientSecret", client.clientSecret(),
          "redirectUris", client.redirectUris()));
    });
    routes.put(PREFIX + "/guilds/{guild}/members/{user}", ctx -> {
      guildOf(ctx).addMember(pathId(ctx, "user"));
      ctx.status(204);
    });
    routes.post(PREFIX + "/guilds/{guild}/roles", ctx -> {
      JsonNode body = body(ctx);
      long permissions = body.has("permissions") ? id(body, "permissions") : 0;
      ctx.status(201).json(Map.of("id", Long.toString(guildOf(ctx).createRole(text(body, "name"), permissions))));
    });
    routes.put(PREFIX + "/guilds/{guild}/members/{user}/roles/{role}", ctx -> {
      guildOf(ctx).giveRole(pathId(ctx, "user"), pathId(ctx, "role"));
      ctx.status(204);
    });
    // scheduled events and direct messages, as people act on them
    routes.get(PREFIX + "/guilds/{guild}/scheduled-events", ctx -> ctx.json(guildOf(ctx).scheduledEvents()));
    routes.patch(PREFIX + "/guilds/{guild}/scheduled-events/{event}", ctx -> {
      JsonNode body = body(ctx);
      Map<String, Object> changes = world.json.convertValue(body, new TypeReference<Map<String, Object>>() {});
      ctx.json(guildOf(ctx).editScheduledEvent(pathId(ctx, "event"), changes));
    });
    routes.delete(PREFIX + "/guilds/{guild}/scheduled-events/{event}", ctx -> {
      guildOf(ctx).deleteScheduledEvent(pathId(ctx, "event"));
      ctx.status(204);
    });
    routes.put(PREFIX + "/guilds/{guild}/scheduled-events/{event}/users/{user}", ctx -> {
      userAt(ctx).markInterested(guildOf(ctx), pathId(ctx, "event"));
      ctx.status(204);
    });
    routes.delete(PREFIX + "/guilds/{guild}/scheduled-events/{event}/users/{user}", ctx -> {
      userAt(ctx).unmarkInterested(guildOf(ctx), pathId(ctx, "event"));
      ctx.status(204);
    });
    routes.put(PREFIX + "/users/{user}/direct-messages", ctx -> {
      JsonNode allowed = body(ctx).path("allowed");
      if (!allowed.isBoolean()) {
        throw new BadRequest("'allowed' must be true or false" + (allowed.isMissingNode() ? " and is missing" : ", was " + allowed));
      }
      userAt(ctx).allowDirectMessages(allowed.asBoolean());
      ctx.status(204);
    });
    routes.get(PREFIX + "/users/{user}/direct-messages", ctx -> ctx.json(userAt(ctx).directMessages()));
    routes.put(PREFIX + "/guilds/{guild}/everyone-permissions", ctx -> {
      guildOf(ctx).setEveryonePermissions(id(body(ctx), "permissions"));
      ctx.status(204);
    });
  }

  /** {@code {"name","privilegedIntents":["MESSAGE_CONTENT",...]}} (all three when left out) → 201 {@code {id, token, applicationId}}. */
  private void createBot(Context ctx) throws Exception {
    JsonNode body = body(ctx);
    String name = text(body, "name");
    Set<PrivilegedIntent> intents;
    try {
      intents = PrivilegedIntent.parse(body.get("privilegedIntents"), "'privilegedIntents'");
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
    BotAccount bot = emulator.createBot(name, intents);
    ctx.status(201).json(Map.of("id", Long.toString(bot.id()), "token", bot.token(),
        "applicationId", Long.toString(bot.applicationId())));
  }

  /** {@code {"guildId","botId"}}: the bot's voice connection drops (closed 1001: the client resumes). */
  private void voiceFault(Context ctx) throws Exception {
    JsonNode body = body(ctx);
    long guildId = id(body, "guildId");
    Model.Guild guild = world.guild(guildId);
    BotAccount bot = bot(body);
    if (!emulator.dropVoiceConnection(new GuildHandle(world, guild.id, guild.name), bot)) {
      ctx.status(409).json(Map.of("error", bot.name() + " has no open voice connection in guild " + guildId));
      return;
    }
    ctx.status(204);
  }

  private VoiceConnectionSnapshot connection(Context ctx) {
    long id = pathId(ctx, "connection");
    return emulator.voiceConnections().stream().filter(c -> c.id() == id).findFirst()
        .orElseThrow(() -> new World.NotFound("voice connection " + id));
  }

  /** One voice connection's snapshot, with {@code levelDbfs}: the level of its last 100 ms, null when silent or closed. */
  private void voiceConnection(Context ctx) {
    VoiceConnectionSnapshot connection = connection(ctx);
    ObjectNode out = world.json.valueToTree(connection);
    OptionalDouble level = emulator.voiceLevel(connection.id());
    if (level.isPresent()) {
      out.put("levelDbfs", level.getAsDouble());
    } else {
      out.putNull("levelDbfs");
    }
    ctx.json(out);
  }

  /**
   * What was heard on a connection as a WAV file (PCM, 48 kHz, 16-bit little-endian, stereo); with
   * {@code ?spurt=N} only that spurt (0-based, see the snapshot's {@code spurts}).
   */
  private void voiceWav(Context ctx) {
    VoiceConnectionSnapshot connection = connection(ctx);
    short[] pcm = emulator.voicePcm(connection.id()).orElse(new short[0]);
    int from = 0;
    int to = pcm.length;
    String spurt = ctx.queryParam("spurt");
    if (spurt != null) {
      int index;
      try {
        index = Integer.parseInt(spurt);
      } catch (NumberFormatException e) {
        throw new BadRequest("'spurt' must be a spurt's index (0, 1, ...), was '" + spurt + "'");
      }
      if (index < 0 || index >= connection.spurts().size()) {
        throw new BadRequest("'spurt' " + index + " does not exist: the connection has " + connection.spurts().size()
            + " spurts");
      }
      from = Math.min(connection.spurts().get(index).pcmFrom(), pcm.length);
      to = Math.min(connection.spurts().get(index).pcmTo(), pcm.length);
    }
    ctx.contentType("audio/wav").header("Content-Disposition",
        "attachment; filename=\"voice-" + connection.id() + ".wav\"").result(Wav.of(pcm, from, to));
  }

  /** The Opus frames of a connection as the bot sent them, in arrival order: {@code {"frames": [base64, ...]}}. */
  private void voiceOpus(Context ctx) {
    VoiceConnectionSnapshot connection = connection(ctx);
    ObjectNode out = world.json.createObjectNode();
    ArrayNode frames = out.putArray("frames");
    emulator.voiceOpusFrames(connection.id()).orElse(List.of()).forEach(frame -> frames.add(Base64.getEncoder().encodeToString(frame)));
    ctx.json(out);
  }

  private static byte[] panelPage() throws IOException {
    try (var in = ControlApi.class.getResourceAsStream("panel.html")) {
      return Objects.requireNonNull(in, "panel.html is missing from the jar").readAllBytes();
    }
  }

  /** What Discord would show: each text channel's latest messages, and each bot in voice with its level. */
  private void panelState(Context ctx) {
    ObjectNode out = world.json.createObjectNode();
    ArrayNode channels = out.putArray("channels");
    ArrayNode voice = out.putArray("voice");
    synchronized (world) {
      for (Model.Guild guild : world.guilds.values()) {
        for (Model.Channel channel : guild.channels.values()) {
          if (channel.type != 0) {
            continue;
          }
          ObjectNode c = channels.addObject().put("guild", guild.name).put("name", channel.name);
          ArrayNode messages = c.putArray("messages");
          List<SentMessage> all = emulator.messages(channel.id);
          for (SentMessage m : all.subList(Math.max(0, all.size() - 20), all.size())) {
            ObjectNode message = messages.addObject().put("author", m.author()).put("content", m.content())
                .put("time", m.time().toString());
            ArrayNode embeds = message.putArray("embeds");
            m.embeds().forEach(e -> embeds.addObject().put("title", e.title()).put("description", e.description()));
          }
        }
      }
    }
    for (var connection : emulator.voiceConnections()) {
      if (connection.disconnectedAt().isPresent()) {
        continue;
      }
      String bot;
      String channelName;
      String guildName;
      synchronized (world) {
        bot = world.account(connection.userId()).name;
        Model.Guild guild = world.guilds.get(connection.guildId());
        guildName = guild == null ? "" : guild.name;
        Model.Channel channel = guild == null ? null : guild.channels.get(connection.channelId());
        channelName = channel == null ? "" : channel.name;
      }
      ObjectNode v = voice.addObject().put("id", Long.toString(connection.id())).put("bot", bot)
          .put("guild", guildName).put("channel", channelName)
          .put("heardSeconds", connection.decodedAudio().toMillis() / 1000.0);
      var level = emulator.voiceLevel(connection.id());
      if (level.isPresent()) {
        v.put("levelDbfs", Math.round(level.getAsDouble() * 10) / 10.0);
      } else {
        v.putNull("levelDbfs");
      }
    }
    ctx.json(out);
  }

  private void guilds(Context ctx) {
    ArrayNode out = world.json.createArrayNode();
    synchronized (world) {
      for (Model.Guild guild : world.guilds.values()) {
        ObjectNode g = out.addObject();
        g.put("id", Long.toString(guild.id));
        g.put("name", guild.name);
        ArrayNode channels = g.putArray("channels");
        guild.channels.values().forEach(c -> {
          ObjectNode channel = channels.addObject().put("id", Long.toString(c.id)).put("name", c.name)
              .put("type", c.type == World.STAGE ? "stage" : c.type == World.VOICE ? "voice" : "text");
          ArrayNode overwrites = channel.putArray("overwrites");
          c.overwrites.values().forEach(o -> overwrites.addObject().put("id", Long.toString(o.id()))
              .put("type", o.type() == 0 ? "role" : "member").put("allow", Long.toString(o.allow()))
              .put("deny", Long.toString(o.deny())));
          Model.StageInstance stage = guild.stages.get(c.id);
          if (stage != null) {
            channel.set("stage", world.stageJson(guild.id, stage));
          }
        });
        ArrayNode roles = g.putArray("roles");
        guild.roles.values().forEach(r -> roles.addObject().put("id", Long.toString(r.id)).put("name", r.name)
            .put("permissions", Long.toString(r.permissions)));
        ArrayNode members = g.putArray("members");
        guild.members.values().forEach(m -> {
          Model.Account account = world.account(m.userId);
          ObjectNode member = members.addObject().put("id", Long.toString(m.userId)).put("name", account.name)
              .put("bot", account.bot);
          Long voice = guild.voice.get(m.userId);
          if (voice == null) {
            member.putNull("voiceChannel");
          } else {
            member.put("voiceChannel", Long.toString(voice));
            Model.VoiceFlags flags = guild.voiceFlags.get(m.userId);
            member.put("mute", flags != null && flags.mute).put("suppress", flags != null && flags.suppress);
            member.put("requestToSpeak", flags == null || flags.requestToSpeak == null ? null
                : flags.requestToSpeak.toString());
            if (account.bot) {
              member.put("notHeardBecause", world.notHeardBecause(guild, m.userId).orElse(null));
            }
          }
        });
      }
    }
    ctx.json(out);
  }

  private void sendMessage(Context ctx) throws Exception {
    long channel = pathId(ctx, "channel");
    JsonNode body = body(ctx);
    UserHandle user = user(body);
    String content = text(body, "content");
    world.channel(channel);
    ctx.status(201).json(user.sendMessage(channel, content));
  }

  /** Not allowed to this member (Discord would hide the command): answered 403 with the message. */
  static final class Forbidden extends RuntimeException {
    Forbidden(String message) {
      super(message);
    }
  }

  /** {@code {"userId","botId","name":"carillon play","options":{"session":"Morning"}}} → 202 {@code {"interaction"}}. */
  private void runCommand(Context ctx) throws Exception {
    long channel = pathId(ctx, "channel");
    JsonNode body = body(ctx);
    UserHandle user = user(body);
    BotAccount bot = bot(body);
    String name = text(body, "name");
    Map<String, Object> options = options(body);
    Interaction interaction = asClient(() -> user.runSlashCommand(channel, bot, name, options));
    ctx.status(202).json(Map.of("interaction", Long.toString(interaction.id)));
  }

  /**
   * {@code {"userId","botId","name":"carillon play","option":"session","typed":"Mor","options":{...}}} → 202
   * {@code {"interaction"}}; the bot's choices then show in {@code GET /interactions/{id}}.
   */
  private void autocomplete(Context ctx) throws Exception {
    long channel = pathId(ctx, "channel");
    JsonNode body = body(ctx);
    UserHandle user = user(body);
    BotAccount bot = bot(body);
    String name = text(body, "name");
    String option = text(body, "option");
    JsonNode typed = body.path("typed");
    if (!typed.isTextual()) {
      throw new BadRequest("'typed' must be a string (what the member has typed so far, may be empty)"
          + (typed.isMissingNode() ? " and is missing" : ", was " + typed));
    }
    Map<String, Object> options = options(body);
    Interaction interaction = asClient(() -> user.autocomplete(channel, bot, name, option, typed.asText(), options));
    ctx.status(202).json(Map.of("interaction", Long.toString(interaction.id)));
  }

  /** Runs what a client would send: what it could not send is a 400, what it would hide a 403. */
  private static Interaction asClient(Supplier<Interaction> send) {
    try {
      return send.get();
    } catch (CommandNotAvailableException e) {
      throw new Forbidden(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  /** JSON option values as the Java API takes them: strings, whole numbers, numbers, booleans. */
  private static Map<String, Object> options(JsonNode body) {
    Map<String, Object> options = new LinkedHashMap<>();
    JsonNode given = body.path("options");
    if (given.isMissingNode() || given.isNull()) {
      return options;
    }
    if (!given.isObject()) {
      throw new BadRequest("'options' must be an object of option names to values");
    }
    given.properties().forEach(e -> {
      JsonNode v = e.getValue();
      if (!v.isValueNode() || v.isNull()) {
        throw new BadRequest("'options." + e.getKey() + "' must be a string, a number or a boolean, was " + v);
      }
      options.put(e.getKey(), v.isIntegralNumber() ? (Object) v.bigIntegerValue()
          : v.isNumber() ? (Object) v.doubleValue() : v.isBoolean() ? (Object) v.booleanValue() : v.asText());
    });
    return options;
  }

  private void interaction(Context ctx) {
    long id = pathId(ctx, "interaction");
    Interaction interaction = world.interactions.get(id);
    if (interaction == null) {
      throw new World.NotFound("interaction " + id);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", interaction.autocomplete() ? "autocomplete" : "command");
    out.put("deferred", interaction.deferred());
    out.put("expired", interaction.expired());
    out.put("ephemeral", interaction.ephemeral());
    out.put("reply", interaction.reply().getNow(null));
    out.put("followups", interaction.followups());
    out.put("choices", interaction.choices().getNow(null));
    ctx.json(out);
  }

  private void voice(Context ctx) throws Exception {
    long guild = pathId(ctx, "guild");
    JsonNode body = body(ctx);
    long user = id(body, "userId");
    JsonNode channel = body.path("channelId");
    world.guild(guild);
    world.account(user);
    if (!world.guild(guild).members.containsKey(user)) {
      throw new BadRequest("user " + user + " is not a member of guild " + guild);
    }
    Long channelId = channel.isMissingNode() || channel.isNull() ? null : id(body, "channelId");
    world.moveMember(guild, user, channelId);
    ctx.status(204);
  }

  /** The guild of the path's guild, or (for channel routes) of the path's channel. */
  private GuildHandle guildOf(Context ctx) {
    long guildId = ctx.pathParamMap().containsKey("guild") ? pathId(ctx, "guild")
        : world.channel(pathId(ctx, "channel")).guildId;
    Model.Guild guild = world.guild(guildId);
    return new GuildHandle(world, guild.id, guild.name);
  }

  /** {@code {"name":"Stage","type":"text"|"voice"|"stage"}} → 201 {@code {"id"}}. */
  private void createChannel(Context ctx) throws Exception {
    GuildHandle guild = guildOf(ctx);
    JsonNode body = body(ctx);
    String name = text(body, "name");
    String type = text(body, "type");
    long id = switch (type) {
      case "text" -> guild.createTextChannel(name);
      case "voice" -> guild.createVoiceChannel(name);
      case "stage" -> guild.createStageChannel(name);
      default -> throw new BadRequest("'type' must be text, voice or stage, was '" + type + "'");
    };
    ctx.status(201).json(Map.of("id", Long.toString(id)));
  }

  /** {@code {"type":"role"|"member","allow":"1024","deny":"2048"}}: permission bits as strings or numbers. */
  private void overwrite(Context ctx) throws Exception {
    GuildHandle guild = guildOf(ctx);
    long channel = pathId(ctx, "channel");
    long target = pathId(ctx, "target");
    JsonNode body = body(ctx);
    String type = text(body, "type");
    long allow = body.has("allow") ? id(body, "allow") : 0;
    long deny = body.has("deny") ? id(body, "deny") : 0;
    switch (type) {
      case "role" -> guild.overwriteForRole(channel, target, allow, deny);
      case "member" -> guild.overwriteForMember(channel, target, allow, deny);
      default -> throw new BadRequest("'type' must be role or member, was '" + type + "'");
    }
    ctx.status(204);
  }

  /** {@code {"mute":true}} and/or {@code {"suppress":false}}: what a moderator sets on a member in voice. */
  private void voiceFlags(Context ctx) throws Exception {
    GuildHandle guild = guildOf(ctx);
    long user = pathId(ctx, "user");
    JsonNode body = body(ctx);
    if (!body.path("mute").isBoolean() && !body.path("suppress").isBoolean()) {
      throw new BadRequest("give 'mute' or 'suppress' as a boolean");
    }
    if (body.path("mute").isBoolean()) {
      guild.serverMute(user, body.get("mute").asBoolean());
    }
    if (body.path("suppress").isBoolean()) {
      guild.setSuppressed(user, body.get("suppress").asBoolean());
    }
    ctx.status(204);
  }

  /** {@code {"botId"}}: the bot's voice server moves (a new VOICE_SERVER_UPDATE). */
  private void voiceServer(Context ctx) throws Exception {
    GuildHandle guild = guildOf(ctx);
    BotAccount bot = bot(body(ctx));
    try {
      emulator.moveVoiceServer(guild, bot);
    } catch (IllegalStateException e) {
      throw new BadRequest(e.getMessage());
    }
    ctx.status(204);
  }

  private void gatewayFault(Context ctx) throws Exception {
    JsonNode body = body(ctx);
    BotAccount bot = bot(body);
    String action = text(body, "action");
    if (!List.of("close", "reconnect", "invalidate").contains(action)) {
      throw new BadRequest("'action' must be close, reconnect or invalidate, was '" + action + "'");
    }
    if (!emulator.gatewayConnected(bot)) {
      // Like the voice fault: a fault with nothing to act on is the caller's mistake, not a silent success.
      ctx.status(409).json(Map.of("error", bot.name() + " has no open gateway connection"));
      return;
    }
    switch (action) {
      case "close" -> emulator.closeGateway(bot, (int) number(body, "code"));
      case "reconnect" -> emulator.requestReconnect(bot);
      case "invalidate" -> emulator.invalidateSession(bot, body.path("resumable").asBoolean(false));
      default -> throw new BadRequest("'action' must be close, reconnect or invalidate, was '" + action + "'");
    }
    ctx.status(204);
  }

  private void restFault(Context ctx) throws Exception {
    JsonNode body = body(ctx);
    String method = text(body, "method");
    String path = text(body, "path");
    int status = (int) number(body, "status");
    int times = body.has("times") ? (int) number(body, "times") : 1;
    if (status < 400 || status > 599) {
      throw new BadRequest("'status' must be an HTTP error status from 400 to 599, was " + status);
    }
    try {
      Pattern.compile(path);
    } catch (PatternSyntaxException e) {
      throw new BadRequest("'path' is not a valid regular expression: " + e.getDescription());
    }
    emulator.failRoute(method, path, status, times);
    ctx.status(204);
  }

  // ---- input

  private JsonNode body(Context ctx) throws Exception {
    if (ctx.body().isBlank()) {
      throw new BadRequest("the request needs a JSON body");
    }
    JsonNode body = world.json.readTree(ctx.body());
    if (!body.isObject()) {
      throw new BadRequest("the body must be a JSON object");
    }
    return body;
  }

  private static long pathId(Context ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new BadRequest("'" + name + "' in the path must be an id (a number), was '" + ctx.pathParam(name) + "'");
    }
  }

  private static long id(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.asText());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new BadRequest("'" + field + "' must be an id (a number or a string of digits)"
        + (value.isMissingNode() ? " and is missing" : ", was " + value));
  }

  private static long number(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isIntegralNumber()) {
      throw new BadRequest("'" + field + "' must be a whole number" + (value.isMissingNode() ? " and is missing" : ", was " + value));
    }
    return value.asLong();
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new BadRequest("'" + field + "' must be a non-empty string" + (value.isMissingNode() ? " and is missing" : ", was " + value));
    }
    return value.asText();
  }

  /** The (non-bot) user named by the path's {@code user}. */
  private UserHandle userAt(Context ctx) {
    long id = pathId(ctx, "user");
    Model.Account account = world.account(id);
    if (account.bot) {
      throw new BadRequest("user " + id + " is a bot; use a user");
    }
    return new UserHandle(world, id, account.name);
  }

  private UserHandle user(JsonNode body) {
    long id = id(body, "userId");
    Model.Account account = world.account(id);
    if (account.bot) {
      throw new BadRequest("'userId' " + id + " is a bot; use a user");
    }
    return new UserHandle(world, id, account.name);
  }

  private BotAccount bot(JsonNode body) {
    long id = id(body, "botId");
    Model.Account account = world.account(id);
    if (!account.bot) {
      throw new BadRequest("'botId' " + id + " is not a bot");
    }
    return new BotAccount(account.id, account.name, account.token, account.applicationId);
  }
}
