package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

  /** How many requests were answered by a fault so far. */
  final AtomicInteger faultsServed = new AtomicInteger();

  void failRoute(String method, String pathRegex, int status, int times) {
    faults.add(new Fault(method.toUpperCase(), Pattern.compile(pathRegex), status, new AtomicInteger(times)));
  }

  void routes(RoutesConfig routes) {
    routes.before(PREFIX + "/*", this::applyFaults);
    routes.get(PREFIX + "/users/{user}", ctx -> {
      me(ctx, "user");
      ctx.json(selfJson(self(ctx)));
    });
    routes.get(PREFIX + "/oauth2/applications/{app}", ctx -> {
      me(ctx, "app");
      ctx.json(applicationJson(self(ctx)));
    });
    routes.get(PREFIX + "/gateway", ctx -> ctx.json(Map.of("url", gateway.url)));
    routes.get(PREFIX + "/gateway/bot", ctx -> {
      self(ctx);
      ctx.json(Map.of("url", gateway.url, "shards", 1, "session_start_limit",
          Map.of("total", 1000, "remaining", 1000, "reset_after", 0, "max_concurrency", 16)));
    });
    routes.get(PREFIX + "/guilds/{guild}", ctx -> {
      synchronized (world) {
        ObjectNode guild = world.guildCreateJson(visibleGuild(ctx));
        for (String gatewayOnly : new String[] {"member_count", "large", "unavailable", "channels", "members",
            "voice_states", "threads", "guild_scheduled_events", "presences", "stage_instances", "soundboard_sounds"}) {
          guild.remove(gatewayOnly);
        }
        ctx.json(guild);
      }
    });
    routes.get(PREFIX + "/guilds/{guild}/channels", ctx -> {
      synchronized (world) {
        ArrayNode channels = world.json.createArrayNode();
        visibleGuild(ctx).channels.values().forEach(c -> channels.add(world.channelJson(c)));
        ctx.json(channels);
      }
    });
    routes.get(PREFIX + "/guilds/{guild}/members/{user}", ctx -> {
      synchronized (world) {
        Model.Guild guild = visibleGuild(ctx);
        long userId = Long.parseLong(ctx.pathParam("user"));
        Model.Member member = guild.members.get(userId);
        if (member == null) {
          throw new World.NotFound("member " + userId);
        }
        ctx.json(world.memberJson(guild, member, true));
      }
    });
    routes.get(PREFIX + "/channels/{channel}", ctx -> {
      Model.Account bot = self(ctx);
      synchronized (world) {
        Model.Channel channel = world.channel(Long.parseLong(ctx.pathParam("channel")));
        if (!world.guild(channel.guildId).members.containsKey(bot.id)) {
          throw new World.NotFound("channel " + channel.id);
        }
        ctx.json(world.channelJson(channel));
      }
    });
    routes.post(PREFIX + "/channels/{channel}/messages", this::createMessage);
    routes.get(PREFIX + "/channels/{channel}/messages", this::getMessages);
    routes.get(PREFIX + "/channels/{channel}/messages/{message}", this::getMessage);
    routes.post(PREFIX + "/channels/{channel}/typing", this::typing);
    routes.put(PREFIX + "/applications/{app}/commands", ctx -> putCommands(ctx, null));
    routes.put(PREFIX + "/applications/{app}/guilds/{guild}/commands",
        ctx -> putCommands(ctx, Long.parseLong(ctx.pathParam("guild"))));
    routes.get(PREFIX + "/applications/{app}/commands", ctx -> listCommands(ctx, null));
    routes.get(PREFIX + "/applications/{app}/guilds/{guild}/commands",
        ctx -> listCommands(ctx, Long.parseLong(ctx.pathParam("guild"))));
    routes.post(PREFIX + "/interactions/{id}/{token}/callback", this::interactionCallback);
    routes.post(PREFIX + "/webhooks/{app}/{token}", this::followup);
    routes.patch(PREFIX + "/webhooks/{app}/{token}/messages/{message}", this::editOriginal);
    routes.post(PREFIX + "/stage-instances", this::createStage);
    routes.get(PREFIX + "/stage-instances/{channel}", this::getStage);
    routes.patch(PREFIX + "/stage-instances/{channel}", this::modifyStage);
    routes.delete(PREFIX + "/stage-instances/{channel}", this::deleteStage);
    routes.patch(PREFIX + "/guilds/{guild}/voice-states/{user}", this::modifyOwnVoiceState);
  }

  /**
   * Paths such as {@code users/@me} and {@code messages/@original} as Discord takes them: the {@code @}
   * raw or percent-encoded ({@code %40me}, which some clients send). Anything else there is a 404 route.
   */
  private static void me(Context ctx, String param) {
    String value = ctx.pathParam(param);
    String word = param.equals("message") ? "original" : "me";
    if (!value.equals("@" + word) && !value.equalsIgnoreCase("%40" + word)) {
      throw new DiscordError(404, 0, "404: Not Found");
    }
  }

  /** The bot's application object, as {@code GET oauth2/applications/@me} gives it. */
  private ObjectNode applicationJson(Model.Account bot) {
    ObjectNode app = world.json.createObjectNode();
    app.put("id", Long.toString(bot.applicationId));
    app.put("name", bot.name);
    app.putNull("icon");
    app.put("description", "");
    app.put("bot_public", true);
    app.put("bot_require_code_grant", false);
    app.put("verify_key", "0".repeat(64));
    app.put("flags", 0);
    app.set("owner", world.userJson(bot));
    app.set("bot", world.userJson(bot));
    app.putNull("team");
    return app;
  }

  private void applyFaults(Context ctx) {
    String path = ctx.path().substring(PREFIX.length());
    for (Fault fault : faults) {
      if (fault.method.equals(ctx.method().name()) && fault.path.matcher(path).matches()
          && fault.remaining.getAndDecrement() > 0) {
        ctx.status(fault.status);
        faultsServed.incrementAndGet();
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
    synchronized (world) {
      Model.Channel channel = world.channel(channelId);
      Model.Guild guild = world.guild(channel.guildId);
      long has = world.permissions(guild, bot.id, channel);
      boolean embeds = body.path("embeds").isArray() && !body.path("embeds").isEmpty();
      if ((has & World.VIEW_CHANNEL) == 0 || (has & World.SEND_MESSAGES) == 0
          || (embeds && (has & World.EMBED_LINKS) == 0)) {
        throw missingPermissions();
      }
      Limits.checkMessage(world.json, body, "");
      checkNotEmpty(body);
      Model.Message message = world.post(channelId, bot.id, body.path("content").asText(""), body.get("embeds"));
      ctx.json(world.messageJson(message));
    }
  }

  /** Discord refuses a message with neither content nor embeds: 50006. */
  private static void checkNotEmpty(JsonNode body) {
    if (body.path("content").asText("").isEmpty() && (!body.path("embeds").isArray() || body.path("embeds").isEmpty())) {
      throw new DiscordError(400, 50006, "Cannot send an empty message");
    }
  }

  /** The guild of the path, if the calling bot is a member of it (else unknown to it, as on Discord). */
  private Model.Guild visibleGuild(Context ctx) {
    Model.Account bot = self(ctx);
    long guildId = Long.parseLong(ctx.pathParam("guild"));
    Model.Guild guild = world.guild(guildId);
    if (!guild.members.containsKey(bot.id)) {
      throw new World.NotFound("guild " + guildId);
    }
    return guild;
  }

  private void getMessage(Context ctx) {
    Model.Account bot = self(ctx);
    long channelId = Long.parseLong(ctx.pathParam("channel"));
    long messageId = Long.parseLong(ctx.pathParam("message"));
    synchronized (world) {
      Model.Message found = world.messages.getOrDefault(channelId, List.of()).stream()
          .filter(m -> m.id() == messageId).findFirst().orElseThrow(() -> new World.NotFound("message " + messageId));
      ctx.json(Intents.asReadBy(bot, world.messageJson(found)));
    }
  }

  /**
   * Get Channel Messages: newest first; {@code before}/{@code after}/{@code around} a message id (only one),
   * {@code limit} 1-100. Needs View Channel (403 50001 without it); without Read Message History the answer
   * is an empty list, as Discord's documentation says. Ephemeral answers are nobody's history.
   */
  private void getMessages(Context ctx) {
    Model.Account bot = self(ctx);
    long channelId = Long.parseLong(ctx.pathParam("channel"));
    Map<String, String> query = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((name, values) -> query.put(name, values.getFirst()));
    int limit = Limits.checkHistoryQuery(world.json, query);
    synchronized (world) {
      Model.Channel channel = world.channel(channelId);
      long has = world.permissions(world.guild(channel.guildId), bot.id, channel);
      if ((has & World.VIEW_CHANNEL) == 0) {
        throw new DiscordError(403, 50001, "Missing Access");
      }
      ArrayNode result = world.json.createArrayNode();
      if ((has & World.READ_MESSAGE_HISTORY) != 0) {
        List<Model.Message> all = world.messages.getOrDefault(channelId, List.of()).stream()
            .filter(m -> !m.ephemeral()).sorted(Comparator.comparingLong(Model.Message::id).reversed()).toList();
        pick(all, query, limit).forEach(m -> result.add(Intents.asReadBy(bot, world.messageJson(m))));
      }
      ctx.json(result);
    }
  }

  /** The page of {@code newestFirst} that the query asks for. */
  private static List<Model.Message> pick(List<Model.Message> newestFirst, Map<String, String> query, int limit) {
    if (query.containsKey("before")) {
      long before = Long.parseLong(query.get("before"));
      return newestFirst.stream().filter(m -> m.id() < before).limit(limit).toList();
    }
    if (query.containsKey("after")) {
      long after = Long.parseLong(query.get("after"));
      List<Model.Message> newer = newestFirst.stream().filter(m -> m.id() > after).toList();
      return newer.subList(Math.max(0, newer.size() - limit), newer.size());
    }
    if (query.containsKey("around")) {
      long around = Long.parseLong(query.get("around"));
      int at = 0;
      while (at < newestFirst.size() && newestFirst.get(at).id() > around) {
        at++;
      }
      int from = Math.max(0, at - limit / 2);
      return newestFirst.subList(from, Math.min(newestFirst.size(), from + limit));
    }
    return newestFirst.subList(0, Math.min(limit, newestFirst.size()));
  }

  /** Trigger Typing Indicator: 204 where the bot may send messages; nothing is dispatched (not modelled). */
  private void typing(Context ctx) {
    Model.Account bot = self(ctx);
    long channelId = Long.parseLong(ctx.pathParam("channel"));
    synchronized (world) {
      Model.Channel channel = world.channel(channelId);
      long has = world.permissions(world.guild(channel.guildId), bot.id, channel);
      if ((has & World.VIEW_CHANNEL) == 0 || (has & World.SEND_MESSAGES) == 0) {
        throw missingPermissions();
      }
    }
    ctx.status(204);
  }

  private void putCommands(Context ctx, Long guildId) throws Exception {
    Model.Account bot = self(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    ArrayNode result = world.json.createArrayNode();
    synchronized (world) {
      world.commands.values().removeIf(c -> c.applicationId == bot.applicationId && Objects.equals(c.guildId, guildId));
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
          .filter(c -> c.applicationId == bot.applicationId && Objects.equals(c.guildId, guildId))
          .forEach(c -> result.add(c.definition));
    }
    ctx.json(result);
  }

  /** An error Discord answers with {@code status} and its JSON body {@code {"code", "message"}}. */
  static final class DiscordError extends RuntimeException {
    final int status;
    final int code;
    /** Discord's per-field {@code errors} of a 50035, or null. */
    final JsonNode errors;

    DiscordError(int status, int code, String message) {
      this(status, code, message, null);
    }

    DiscordError(int status, int code, String message, JsonNode errors) {
      super(message);
      this.status = status;
      this.code = code;
      this.errors = errors;
    }

    /** The body Discord answers: {@code {"code", "message"}}, and {@code "errors"} when there are any. */
    Map<String, Object> body() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("code", code);
      body.put("message", getMessage());
      if (errors != null) {
        body.put("errors", errors);
      }
      return body;
    }
  }

  /** Discord's 403 for an action the bot's permissions in the channel do not allow. */
  static DiscordError missingPermissions() {
    return new DiscordError(403, 50013, "Missing Permissions");
  }

  private Interaction interaction(Context ctx) {
    long id = Long.parseLong(ctx.pathParam("id"));
    Interaction interaction = world.interactions.get(id);
    if (interaction == null || !interaction.token.equals(ctx.pathParam("token"))
        || interaction.expired(world.clock.instant())) {
      throw new DiscordError(404, 10062, "Unknown interaction");
    }
    return interaction;
  }

  /** The interaction whose webhook a follow-up uses; Discord knows it only once the interaction was answered. */
  private Interaction byToken(Context ctx) {
    String token = ctx.pathParam("token");
    Interaction interaction = world.interactions.values().stream()
        .filter(i -> i.token.equals(token) && !i.autocomplete() && i.acknowledged()).findFirst()
        .orElseThrow(() -> new DiscordError(404, 10015, "Unknown Webhook"));
    if (interaction.tokenExpired(world.clock.instant())) {
      throw new DiscordError(401, 50027, "Invalid Webhook Token");
    }
    return interaction;
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
    if (type == 4) {
      Limits.checkMessage(world.json, data, "data.");
    }
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

  /** Autocomplete choices, checked as Discord does (see {@link Limits}). */
  private List<Interaction.Choice> choices(JsonNode data) {
    List<Interaction.Choice> offered = new ArrayList<>();
    for (JsonNode choice : Limits.checkChoices(world.json, data)) {
      offered.add(new Interaction.Choice(choice.get("name").asText(), choice.get("value").asText()));
    }
    return offered;
  }

  private void followup(Context ctx) throws Exception {
    Interaction interaction = byToken(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    Limits.checkMessage(world.json, body, "");
    checkNotEmpty(body);
    boolean ephemeral = interaction.followupEphemeral((body.path("flags").asInt() & 64) != 0);
    Model.Message message = world.answer(interaction, body, ephemeral);
    interaction.followedUp(world.view(message));
    ctx.json(world.messageJson(message));
  }

  private void editOriginal(Context ctx) throws Exception {
    me(ctx, "message");
    Interaction interaction = byToken(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    Limits.checkMessage(world.json, body, "");
    Model.Message message = world.answer(interaction, body, interaction.ephemeral());
    interaction.answered(world.view(message));
    ctx.json(world.messageJson(message));
  }

  // ---- Stage instances and the bot's own voice state

  /** A Stage moderator, as Discord's "Stage Instance" docs define it: Manage Channels, Mute and Move Members. */
  private static final long STAGE_MODERATOR = World.MANAGE_CHANNELS | World.MUTE_MEMBERS | World.MOVE_MEMBERS;

  private Model.Channel stageChannel(Model.Account bot, long channelId) {
    Model.Channel channel = world.channel(channelId);
    if (channel.type != World.STAGE) {
      throw new DiscordError(400, 50024, "Cannot execute action on this channel type");
    }
    long has = world.permissions(world.guild(channel.guildId), bot.id, channel);
    if ((has & STAGE_MODERATOR) != STAGE_MODERATOR) {
      throw missingPermissions();
    }
    return channel;
  }

  private String topic(JsonNode body, boolean required) {
    JsonNode topic = body.path("topic");
    if (topic.isMissingNode() && !required) {
      return null;
    }
    String text = topic.asText("");
    int length = text.codePointCount(0, text.length());
    if (!topic.isTextual() || length < 1 || length > 120) {
      ObjectNode errors = world.json.createObjectNode();
      errors.putObject("topic").putArray("_errors").addObject().put("code", "BASE_TYPE_BAD_LENGTH")
          .put("message", "Must be between 1 and 120 in length.");
      throw new DiscordError(400, 50035, "Invalid Form Body", errors);
    }
    return text;
  }

  private Instant timestamp(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      ObjectNode errors = world.json.createObjectNode();
      errors.putObject("request_to_speak_timestamp").putArray("_errors").addObject()
          .put("code", "DATE_TIME_TYPE_PARSE").put("message", "Could not parse " + text + ". Should be ISO8601.");
      throw new DiscordError(400, 50035, "Invalid Form Body", errors);
    }
  }

  private void createStage(Context ctx) throws Exception {
    Model.Account bot = self(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    synchronized (world) {
      Model.Channel channel = stageChannel(bot, Long.parseLong(body.path("channel_id").asText()));
      String topic = topic(body, true);
      Model.Guild guild = world.guild(channel.guildId);
      if (guild.stages.containsKey(channel.id)) {
        throw new DiscordError(400, 150006, "The Stage is already open");
      }
      Model.StageInstance stage = new Model.StageInstance(world.ids.next(), channel.id, topic,
          body.path("privacy_level").asInt(2));
      guild.stages.put(channel.id, stage);
      ObjectNode json = world.stageJson(guild.id, stage);
      world.dispatchToGuild(guild.id, "STAGE_INSTANCE_CREATE", json);
      ctx.json(json);
    }
  }

  private Model.StageInstance openStage(Model.Channel channel) {
    Model.StageInstance stage = world.guild(channel.guildId).stages.get(channel.id);
    if (stage == null) {
      throw new DiscordError(404, 10067, "Unknown Stage Instance");
    }
    return stage;
  }

  private void getStage(Context ctx) {
    self(ctx);
    synchronized (world) {
      Model.Channel channel = world.channel(Long.parseLong(ctx.pathParam("channel")));
      ctx.json(world.stageJson(channel.guildId, openStage(channel)));
    }
  }

  private void modifyStage(Context ctx) throws Exception {
    Model.Account bot = self(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    synchronized (world) {
      Model.Channel channel = stageChannel(bot, Long.parseLong(ctx.pathParam("channel")));
      Model.StageInstance stage = openStage(channel);
      String topic = topic(body, false);
      if (topic != null) {
        stage.topic = topic;
      }
      if (body.has("privacy_level")) {
        stage.privacyLevel = body.get("privacy_level").asInt();
      }
      ObjectNode json = world.stageJson(channel.guildId, stage);
      world.dispatchToGuild(channel.guildId, "STAGE_INSTANCE_UPDATE", json);
      ctx.json(json);
    }
  }

  private void deleteStage(Context ctx) {
    Model.Account bot = self(ctx);
    synchronized (world) {
      Model.Channel channel = stageChannel(bot, Long.parseLong(ctx.pathParam("channel")));
      Model.StageInstance stage = openStage(channel);
      world.guild(channel.guildId).stages.remove(channel.id);
      world.dispatchToGuild(channel.guildId, "STAGE_INSTANCE_DELETE", world.stageJson(channel.guildId, stage));
      ctx.status(204);
    }
  }

  /**
   * {@code PATCH guilds/{id}/voice-states/@me}, per Discord's "Modify Current User Voice State": the bot
   * must be in {@code channel_id}, a Stage; it may always suppress itself, needs Mute Members to unsuppress
   * itself and Request to Speak to raise its hand; anyone may lower their own hand. 204, then
   * VOICE_STATE_UPDATE.
   */
  private void modifyOwnVoiceState(Context ctx) throws Exception {
    me(ctx, "user");
    Model.Account bot = self(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    synchronized (world) {
      Model.Guild guild = world.guild(Long.parseLong(ctx.pathParam("guild")));
      Long current = guild.voice.get(bot.id);
      Model.Channel channel = current == null ? null : guild.channels.get(current);
      if (channel == null || (body.has("channel_id") && !body.get("channel_id").asText().equals(Long.toString(current)))
          || channel.type != World.STAGE) {
        ObjectNode errors = world.json.createObjectNode();
        errors.putObject("channel_id").putArray("_errors").addObject().put("code", "BASE_TYPE_CHOICES")
            .put("message", "The bot must be in this Stage channel.");
        throw new DiscordError(400, 50035, "Invalid Form Body", errors);
      }
      long has = world.permissions(guild, bot.id, channel);
      Model.VoiceFlags flags = guild.voiceFlags.computeIfAbsent(bot.id, u -> new Model.VoiceFlags());
      JsonNode suppress = body.path("suppress");
      if (suppress.isBoolean() && !suppress.asBoolean() && (has & World.MUTE_MEMBERS) == 0) {
        throw missingPermissions();
      }
      JsonNode hand = body.path("request_to_speak_timestamp");
      if (hand.isTextual() && !hand.asText().isEmpty() && (has & World.REQUEST_TO_SPEAK) == 0) {
        throw missingPermissions();
      }
      if (suppress.isBoolean()) {
        flags.suppress = suppress.asBoolean();
      }
      if (body.has("request_to_speak_timestamp")) {
        flags.requestToSpeak = hand.isTextual() && !hand.asText().isEmpty() ? timestamp(hand.asText()) : null;
      }
      world.setVoice(guild.id, bot.id, current);
      ctx.status(204);
    }
  }
}
