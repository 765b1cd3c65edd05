package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Guild scheduled events and direct messages on Discord's REST API, as discord-api-docs describes them
 * (Resources > Guild Scheduled Event; Resources > User "Create DM"; Topics > Opcodes and Status Codes for
 * the JSON error codes). The fidelity table in docs/emulator.md lists each rule with its source.
 */
final class RestEvents {
  private static final String PREFIX = Rest.PREFIX;
  static final int STAGE_INSTANCE = 1;
  static final int VOICE = 2;
  static final int SCHEDULED = 1;
  static final int ACTIVE = 2;
  static final int COMPLETED = 3;
  static final int CANCELED = 4;
  /** Discord's only privacy level for scheduled events: GUILD_ONLY. */
  static final int GUILD_ONLY = 2;
  /** What Discord asks of a Stage event's creator in its channel: a Stage moderator's permissions. */
  private static final long STAGE_MODERATOR = World.MANAGE_CHANNELS | World.MUTE_MEMBERS | World.MOVE_MEMBERS;

  private final World world;
  private final Rest rest;

  RestEvents(World world, Rest rest) {
    this.world = world;
    this.rest = rest;
  }

  void routes(RoutesConfig routes) {
    routes.post(PREFIX + "/users/{user}/channels", this::openDm);
    routes.get(PREFIX + "/guilds/{guild}/scheduled-events", this::list);
    routes.post(PREFIX + "/guilds/{guild}/scheduled-events", this::create);
    routes.get(PREFIX + "/guilds/{guild}/scheduled-events/{event}", this::get);
    routes.patch(PREFIX + "/guilds/{guild}/scheduled-events/{event}", this::modify);
    routes.delete(PREFIX + "/guilds/{guild}/scheduled-events/{event}", this::delete);
    routes.get(PREFIX + "/guilds/{guild}/scheduled-events/{event}/users", this::users);
  }

  // ---- direct messages

  /** {@code POST users/@me/channels {"recipient_id"}}: the bot's DM channel with the user (one per pair). */
  private void openDm(Context ctx) throws Exception {
    Rest.me(ctx, "user");
    Model.Account bot = rest.self(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    long userId;
    try {
      userId = Long.parseLong(body.path("recipient_id").asText());
    } catch (NumberFormatException e) {
      throw invalid("recipient_id", "NUMBER_TYPE_COERCE", "Value \"" + body.path("recipient_id").asText()
          + "\" is not snowflake.");
    }
    synchronized (world) {
      Model.Account user = world.accounts.get(userId);
      if (user == null) {
        throw new Rest.DiscordError(404, 10013, "Unknown User");
      }
      Model.DmChannel dm = world.dms.values().stream().filter(d -> d.botId() == bot.id && d.userId() == userId)
          .findFirst().orElseGet(() -> {
            Model.DmChannel created = new Model.DmChannel(world.ids.next(), bot.id, userId);
            world.dms.put(created.id(), created);
            return created;
          });
      ObjectNode channel = world.json.createObjectNode();
      channel.put("id", Long.toString(dm.id()));
      channel.put("type", 1);
      channel.putNull("last_message_id");
      channel.put("flags", 0);
      channel.putArray("recipients").add(world.userJson(user));
      ctx.json(channel);
    }
  }

  /**
   * A bot's message in a DM channel. Discord refuses it with 403 50007 "Cannot send messages to this user"
   * when the user does not accept direct messages from server members, or shares no server with the bot.
   * Caller holds the world's lock.
   */
  static ObjectNode sendDirect(World world, Model.Account bot, Model.DmChannel dm, JsonNode body) {
    if (dm.botId() != bot.id) {
      throw new Rest.DiscordError(404, 10003, "Unknown Channel");
    }
    boolean shareAGuild = world.guilds.values().stream()
        .anyMatch(g -> g.members.containsKey(bot.id) && g.members.containsKey(dm.userId()));
    if (world.closedDms.contains(dm.userId()) || !shareAGuild) {
      throw new Rest.DiscordError(403, 50007, "Cannot send messages to this user");
    }
    Limits.checkMessage(world.json, body, "");
    Rest.checkNotEmpty(body);
    World.markRich(body.get("embeds"));
    Model.Message message = new Model.Message(world.ids.next(), dm.id(), bot.id, body.path("content").asText(""),
        body.get("embeds"), world.clock.instant(), false);
    world.messages.computeIfAbsent(dm.id(), c -> new ArrayList<>()).add(message);
    return world.messageJson(message);
  }

  // ---- scheduled events

  private void list(Context ctx) {
    synchronized (world) {
      Model.Guild guild = rest.visibleGuild(ctx);
      boolean count = "true".equals(ctx.queryParam("with_user_count"));
      ArrayNode events = world.json.createArrayNode();
      guild.events.values().forEach(e -> events.add(world.eventJson(e, count)));
      ctx.json(events);
    }
  }

  private void get(Context ctx) {
    synchronized (world) {
      Model.Guild guild = rest.visibleGuild(ctx);
      ctx.json(world.eventJson(world.event(guild, eventId(ctx)), "true".equals(ctx.queryParam("with_user_count"))));
    }
  }

  private void create(Context ctx) throws Exception {
    Model.Account bot = rest.self(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    synchronized (world) {
      Model.Guild guild = rest.visibleGuild(ctx);
      int entityType = entityType(body.path("entity_type"));
      Model.Channel channel = channel(guild, body.path("channel_id"), entityType);
      long has = world.permissions(guild, bot.id, channel);
      if ((has & (World.MANAGE_EVENTS | World.CREATE_EVENTS)) == 0 || !canHost(has, entityType)) {
        throw Rest.missingPermissions();
      }
      Model.ScheduledEvent event = new Model.ScheduledEvent(world.ids.next(), guild.id, bot.id);
      event.entityType = entityType;
      event.channelId = channel.id;
      event.name = name(body.path("name"));
      event.description = description(body.path("description"));
      if (body.path("privacy_level").asInt(-1) != GUILD_ONLY) {
        throw invalid("privacy_level", "BASE_TYPE_CHOICES", "Value must be one of {2}.");
      }
      event.privacyLevel = GUILD_ONLY;
      event.start = future("scheduled_start_time", body.path("scheduled_start_time"));
      event.end = body.hasNonNull("scheduled_end_time") ? time("scheduled_end_time", body.get("scheduled_end_time")) : null;
      checkEnd(event);
      event.image = body.hasNonNull("image") ? image(body.get("image")) : null;
      guild.events.put(event.id, event);
      ObjectNode json = world.eventJson(event, false);
      world.dispatchToGuild(guild.id, "GUILD_SCHEDULED_EVENT_CREATE", json);
      ctx.json(json);
    }
  }

  private void modify(Context ctx) throws Exception {
    Model.Account bot = rest.self(ctx);
    JsonNode body = world.json.readTree(ctx.body());
    synchronized (world) {
      Model.Guild guild = rest.visibleGuild(ctx);
      Model.ScheduledEvent event = world.event(guild, eventId(ctx));
      checkManage(bot, guild, event);
      ctx.json(apply(world, guild, event, body));
    }
  }

  /**
   * Applies a Modify Guild Scheduled Event body to an event, checked as Discord checks it, and sends
   * GUILD_SCHEDULED_EVENT_UPDATE. Also how a person edits an event in the control API. Caller holds the lock.
   */
  static ObjectNode apply(World world, Model.Guild guild, Model.ScheduledEvent event, JsonNode body) {
    RestEvents checks = new RestEvents(world, null);
    if (event.status == COMPLETED || event.status == CANCELED) {
      throw new Rest.DiscordError(400, 180000, "Cannot update a finished event");
    }
    int entityType = body.has("entity_type") ? checks.entityType(body.get("entity_type")) : event.entityType;
    Model.Channel channel = body.has("channel_id") || body.has("entity_type")
        ? checks.channel(guild, body.has("channel_id") ? body.get("channel_id") : world.json.valueToTree(
            Long.toString(event.channelId)), entityType) : null;
    String name = body.has("name") ? checks.name(body.get("name")) : event.name;
    String description = body.has("description") ? checks.description(body.get("description")) : event.description;
    Instant start = event.start;
    if (body.has("scheduled_start_time")) {
      if (event.status != SCHEDULED) {
        throw invalid(world, "scheduled_start_time", "GUILD_SCHEDULED_EVENT_NOT_SCHEDULED",
            "The start time of an event that is not scheduled cannot change.");
      }
      start = checks.future("scheduled_start_time", body.get("scheduled_start_time"));
    }
    Instant end = body.has("scheduled_end_time") ? (body.get("scheduled_end_time").isNull() ? null
        : checks.time("scheduled_end_time", body.get("scheduled_end_time"))) : event.end;
    int status = event.status;
    if (body.has("status")) {
      int to = body.get("status").asInt(-1);
      boolean allowed = to == event.status
          || (event.status == SCHEDULED && (to == ACTIVE || to == CANCELED))
          || (event.status == ACTIVE && to == COMPLETED);
      if (!allowed) {
        throw invalid(world, "status", "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
            "Cannot change the status of an event from " + statusName(event.status) + " to " + statusName(to)
                + "; allowed: SCHEDULED to ACTIVE or CANCELED, ACTIVE to COMPLETED.");
      }
      status = to;
    }
    if (body.has("privacy_level") && body.get("privacy_level").asInt(-1) != GUILD_ONLY) {
      throw invalid(world, "privacy_level", "BASE_TYPE_CHOICES", "Value must be one of {2}.");
    }
    String image = body.has("image") ? (body.get("image").isNull() ? null : checks.image(body.get("image"))) : event.image;
    if (end != null && !end.isAfter(start)) {
      throw invalid(world, "scheduled_end_time", "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
          "The end time must be after the start time.");
    }
    // everything checked: change it at once, so that a refused request changes nothing
    event.entityType = entityType;
    if (channel != null) {
      event.channelId = channel.id;
    }
    event.name = name;
    event.description = description;
    event.start = start;
    event.end = end;
    event.status = status;
    event.image = image;
    ObjectNode json = world.eventJson(event, false);
    world.dispatchToGuild(guild.id, "GUILD_SCHEDULED_EVENT_UPDATE", json);
    return json;
  }

  private void delete(Context ctx) {
    Model.Account bot = rest.self(ctx);
    synchronized (world) {
      Model.Guild guild = rest.visibleGuild(ctx);
      Model.ScheduledEvent event = world.event(guild, eventId(ctx));
      checkManage(bot, guild, event);
      remove(world, guild, event);
      ctx.status(204);
    }
  }

  /** Deletes an event and sends GUILD_SCHEDULED_EVENT_DELETE. Caller holds the lock. */
  static void remove(World world, Model.Guild guild, Model.ScheduledEvent event) {
    guild.events.remove(event.id);
    world.dispatchToGuild(guild.id, "GUILD_SCHEDULED_EVENT_DELETE", world.eventJson(event, false));
  }

  /**
   * {@code GET .../scheduled-events/{id}/users?limit&with_member&before&after}: the interested users,
   * ordered by user id, at most {@code limit} (1 to 100, default 100).
   */
  private void users(Context ctx) {
    synchronized (world) {
      Model.Guild guild = rest.visibleGuild(ctx);
      Model.ScheduledEvent event = world.event(guild, eventId(ctx));
      int limit = Math.clamp(parse(ctx.queryParam("limit"), 100), 1, 100);
      long before = parse(ctx.queryParam("before"), Long.MAX_VALUE);
      long after = parse(ctx.queryParam("after"), 0);
      boolean withMember = "true".equals(ctx.queryParam("with_member"));
      List<Long> ids = event.interested.stream().filter(id -> id > after && id < before).sorted().toList();
      if (ctx.queryParam("before") != null) {
        ids = ids.subList(Math.max(0, ids.size() - limit), ids.size());
      } else {
        ids = ids.subList(0, Math.min(limit, ids.size()));
      }
      ArrayNode users = world.json.createArrayNode();
      for (long id : ids) {
        ObjectNode row = users.addObject();
        row.put("guild_scheduled_event_id", Long.toString(event.id));
        row.set("user", world.userJson(world.account(id)));
        Model.Member member = guild.members.get(id);
        if (withMember && member != null) {
          row.set("member", world.memberJson(guild, member, true));
        }
      }
      ctx.json(users);
    }
  }

  private static long parse(String text, long otherwise) {
    try {
      return text == null ? otherwise : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new Rest.DiscordError(400, 50035, "Invalid Form Body: '" + text + "' is not a number");
    }
  }

  private static int parse(String text, int otherwise) {
    return (int) parse(text, (long) otherwise);
  }

  // ---- checks, as Discord makes them

  private static long eventId(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("event"));
    } catch (NumberFormatException e) {
      throw new Rest.DiscordError(404, 10070, "Unknown Guild Scheduled Event");
    }
  }

  /**
   * The event's managers: Manage Events in its channel, or Create Events for the events it created
   * (discord-api-docs, Guild Scheduled Event, "Permissions Requirements").
   */
  private void checkManage(Model.Account bot, Model.Guild guild, Model.ScheduledEvent event) {
    Model.Channel channel = event.channelId == null ? null : guild.channels.get(event.channelId);
    long has = channel == null ? world.permissions(guild, bot.id) : world.permissions(guild, bot.id, channel);
    boolean own = event.creatorId == bot.id && (has & World.CREATE_EVENTS) != 0;
    if ((has & World.MANAGE_EVENTS) == 0 && !own) {
      throw Rest.missingPermissions();
    }
  }

  /** A Stage event needs a Stage moderator; a voice event View Channel and Connect. */
  private static boolean canHost(long has, int entityType) {
    long needed = entityType == STAGE_INSTANCE ? STAGE_MODERATOR : World.VIEW_CHANNEL | World.CONNECT;
    return (has & needed) == needed;
  }

  private int entityType(JsonNode value) {
    int type = value.asInt(-1);
    if (type == 3) {
      throw invalid("entity_type", "BASE_TYPE_CHOICES", "EXTERNAL events (3) are not emulated; use 1 (STAGE_INSTANCE) or 2 (VOICE).");
    }
    if (type != STAGE_INSTANCE && type != VOICE) {
      throw invalid("entity_type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.");
    }
    return type;
  }

  private Model.Channel channel(Model.Guild guild, JsonNode value, int entityType) {
    Model.Channel channel;
    try {
      channel = guild.channels.get(Long.parseLong(value.asText()));
    } catch (NumberFormatException e) {
      throw invalid("channel_id", "BASE_TYPE_REQUIRED", "This field is required");
    }
    int wanted = entityType == STAGE_INSTANCE ? World.STAGE : World.VOICE;
    if (channel == null || channel.type != wanted) {
      throw invalid("channel_id", "GUILD_SCHEDULED_EVENT_INVALID_CHANNEL", entityType == STAGE_INSTANCE
          ? "A STAGE_INSTANCE event needs a Stage channel of this guild." : "A VOICE event needs a voice channel of this guild.");
    }
    return channel;
  }

  private String name(JsonNode value) {
    String text = value.isTextual() ? value.asText() : "";
    int length = text.codePointCount(0, text.length());
    if (length < 1 || length > 100) {
      throw invalid("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
    }
    return text;
  }

  private String description(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    String text = value.asText();
    if (text.codePointCount(0, text.length()) > 1000) {
      throw invalid("description", "BASE_TYPE_MAX_LENGTH", "Must be 1000 or fewer in length.");
    }
    return text;
  }

  private Instant time(String field, JsonNode value) {
    try {
      return OffsetDateTime.parse(value.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid(field, "DATE_TIME_TYPE_PARSE", "Could not parse " + value.asText() + ". Should be ISO8601.");
    }
  }

  private Instant future(String field, JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      throw invalid(field, "BASE_TYPE_REQUIRED", "This field is required");
    }
    Instant at = time(field, value);
    if (!at.isAfter(world.clock.instant())) {
      throw invalid(field, "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", "Cannot schedule event in the past.");
    }
    return at;
  }

  private void checkEnd(Model.ScheduledEvent event) {
    if (event.end != null && !event.end.isAfter(event.start)) {
      throw invalid("scheduled_end_time", "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
          "The end time must be after the start time.");
    }
  }

  /** A cover image as a data URI ({@code data:image/png;base64,...}); Discord keeps its hash. */
  private String image(JsonNode value) {
    String text = value.asText("");
    if (!text.startsWith("data:image/") || !text.contains(";base64,")) {
      throw invalid("image", "IMAGE_INVALID", "Invalid image data");
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private Rest.DiscordError invalid(String field, String code, String message) {
    return invalid(world, field, code, message);
  }

  /** Discord's 400 50035 "Invalid Form Body" naming the field. */
  static Rest.DiscordError invalid(World world, String field, String code, String message) {
    ObjectNode errors = world.json.createObjectNode();
    errors.putObject(field).putArray("_errors").addObject().put("code", code).put("message", message);
    return new Rest.DiscordError(400, 50035, "Invalid Form Body", errors);
  }

  static String statusName(int status) {
    return switch (status) {
      case SCHEDULED -> "SCHEDULED";
      case ACTIVE -> "ACTIVE";
      case COMPLETED -> "COMPLETED";
      case CANCELED -> "CANCELED";
      default -> "unknown status " + status;
    };
  }
}
