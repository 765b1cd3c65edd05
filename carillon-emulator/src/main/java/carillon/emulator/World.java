package carillon.emulator;

import carillon.emulator.voice.VoiceGrant;
import carillon.emulator.voice.VoiceService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated Discord's state and the events it sends. Every change happens under this object's lock and
 * sends the gateway events Discord would, to the bots that would see them.
 */
final class World {
  private static final Logger log = LoggerFactory.getLogger(World.class);
  final ObjectMapper json = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .registerModule(new Jdk8Module())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
  final Clock clock;
  final Snowflakes ids;
  final Optional<VoiceService> voice;
  final Map<Long, Model.Account> accounts = new LinkedHashMap<>();
  final Map<Long, Model.Guild> guilds = new LinkedHashMap<>();
  final Map<Long, List<Model.Message>> messages = new HashMap<>();
  final Map<Long, Model.Command> commands = new LinkedHashMap<>();
  /** Gateway sessions by session id; a session outlives its connection so that it can be resumed. */
  final Map<String, GatewaySession> sessions = new ConcurrentHashMap<>();
  final Map<Long, Interaction> interactions = new ConcurrentHashMap<>();
  /** DM channel id → the channel; Discord keeps one per bot and user. */
  final Map<Long, Model.DmChannel> dms = new LinkedHashMap<>();
  /** users who do not accept direct messages from the members of servers they share (their privacy setting) */
  final Set<Long> closedDms = new HashSet<>();
  /** user id → the locale of their client (en-US when not set). */
  final Map<Long, String> locales = new HashMap<>();

  /** The locales Discord's clients send ({@code locale}, {@code guild_locale}, {@code preferred_locale}). */
  static final Set<String> DISCORD_LOCALES = Set.of("id", "da", "de", "en-GB", "en-US", "es-ES",
      "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el",
      "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko", "ar", "he");

  /** Discord permission bits the emulator reasons about. */
  static final long ADMINISTRATOR = 1L << 3;
  static final long MANAGE_CHANNELS = 1L << 4;
  static final long VIEW_CHANNEL = 1L << 10;
  static final long SEND_MESSAGES = 1L << 11;
  static final long EMBED_LINKS = 1L << 14;
  static final long READ_MESSAGE_HISTORY = 1L << 16;
  static final long CONNECT = 1L << 20;
  static final long SPEAK = 1L << 21;
  static final long MUTE_MEMBERS = 1L << 22;
  static final long MOVE_MEMBERS = 1L << 24;
  static final long REQUEST_TO_SPEAK = 1L << 32;
  /** Discord's channel types the emulator has. */
  static final int TEXT = 0;
  static final int VOICE = 2;
  static final int STAGE = 13;
  static final long USE_APPLICATION_COMMANDS = 1L << 31;
  static final long MANAGE_EVENTS = 1L << 33;
  static final long CREATE_EVENTS = 1L << 44;
  /** Every permission bit Discord defines today (0 to 52, Bypass Slowmode), as it computes them for administrators. */
  static final long ALL_PERMISSIONS = (1L << 53) - 1;

  /** How long a bot has to acknowledge an interaction (Discord: 3 seconds), on {@link #clock}. */
  final Duration interactionDeadline;

  World(Clock clock, Optional<VoiceService> voice, Duration interactionDeadline) {
    this.clock = clock;
    this.interactionDeadline = interactionDeadline;
    this.ids = new Snowflakes(clock);
    this.voice = voice;
  }

  /** {@code locale} if Discord knows it, else a clear error naming {@code field} and what is allowed. */
  static String checkLocale(String field, String locale) {
    Objects.requireNonNull(locale, field);
    if (!DISCORD_LOCALES.contains(locale)) {
      throw new IllegalArgumentException(field + " '" + locale + "' is not a Discord locale; use one of "
          + DISCORD_LOCALES.stream().sorted().toList());
    }
    return locale;
  }

  // ---- lookups (lock held by callers or reads of effectively final data)

  synchronized Optional<Model.Account> byToken(String token) {
    String raw = token.startsWith("Bot ") ? token.substring(4) : token;
    return accounts.values().stream().filter(a -> a.bot && a.token.equals(raw)).findFirst();
  }

  synchronized Model.Guild guild(long id) {
    Model.Guild guild = guilds.get(id);
    if (guild == null) {
      throw new NotFound("guild " + id);
    }
    return guild;
  }

  synchronized Model.Channel channel(long id) {
    for (Model.Guild guild : guilds.values()) {
      Model.Channel channel = guild.channels.get(id);
      if (channel != null) {
        return channel;
      }
    }
    throw new NotFound("channel " + id);
  }

  synchronized Model.Account account(long id) {
    Model.Account account = accounts.get(id);
    if (account == null) {
      throw new NotFound("user " + id);
    }
    return account;
  }

  /** An id the world does not know; the HTTP API answers 404 with the message. */
  static final class NotFound extends RuntimeException {
    NotFound(String what) {
      super("unknown " + what);
    }
  }

  /**
   * A member's permissions in the guild, as Discord computes them for interactions: the owner and
   * administrators have all; else the OR of @everyone's and their roles' bits. There are no channel
   * overwrites here, so this is also their permissions in every channel. Caller holds the lock.
   */
  long permissions(Model.Guild guild, long userId) {
    if (guild.ownerId == userId) {
      return ALL_PERMISSIONS;
    }
    long bits = guild.roles.get(guild.id).permissions;
    Model.Member member = guild.members.get(userId);
    if (member != null) {
      for (long roleId : member.roles) {
        Model.Role role = guild.roles.get(roleId);
        if (role != null) {
          bits |= role.permissions;
        }
      }
    }
    return (bits & ADMINISTRATOR) != 0 ? ALL_PERMISSIONS : bits;
  }

  /**
   * A member's permissions in a channel, computed as Discord's "Permissions" topic describes: the owner and
   * administrators have all; else the guild-level bits ({@code @everyone} OR their roles), then the
   * channel's {@code @everyone} overwrite (deny, then allow), then the overwrites of all their roles together
   * (deny, then allow), then their own member overwrite. Without View Channel a member has nothing in the
   * channel (Discord's implicit deny). Caller holds the lock.
   */
  long permissions(Model.Guild guild, long userId, Model.Channel channel) {
    long bits = permissions(guild, userId);
    if (bits == ALL_PERMISSIONS) {
      return bits;
    }
    Model.Overwrite everyone = channel.overwrites.get(guild.id);
    if (everyone != null) {
      bits = (bits & ~everyone.deny()) | everyone.allow();
    }
    long allow = 0;
    long deny = 0;
    Model.Member member = guild.members.get(userId);
    if (member != null) {
      for (long roleId : member.roles) {
        Model.Overwrite overwrite = channel.overwrites.get(roleId);
        if (overwrite != null && overwrite.type() == 0) {
          allow |= overwrite.allow();
          deny |= overwrite.deny();
        }
      }
    }
    bits = (bits & ~deny) | allow;
    Model.Overwrite own = channel.overwrites.get(userId);
    if (own != null && own.type() == 1) {
      bits = (bits & ~own.deny()) | own.allow();
    }
    return (bits & VIEW_CHANNEL) == 0 ? 0 : bits;
  }

  // ---- events

  /**
   * Sends an event to every connected bot that is a member of the guild, owns it by shard and asked for
   * the event's intent ({@link Intents#receives}); message content is blanked for bots without
   * MESSAGE_CONTENT ({@link Intents#asSeenBy}).
   */
  void dispatchToGuild(long guildId, String type, JsonNode data) {
    for (GatewaySession session : sessions.values()) {
      Model.Guild guild = guilds.get(guildId);
      if (guild != null && guild.members.containsKey(session.bot.id) && session.owns(guildId)
          && Intents.receives(session, type, data)) {
        session.dispatch(type, Intents.asSeenBy(session, type, data));
      }
    }
  }

  void dispatchToBot(long botId, long guildId, String type, JsonNode data) {
    for (GatewaySession session : sessions.values()) {
      if (session.bot.id == botId && session.owns(guildId) && Intents.receives(session, type, data)) {
        session.dispatch(type, data);
      }
    }
  }

  // ---- JSON views

  ObjectNode userJson(Model.Account account) {
    ObjectNode user = json.createObjectNode();
    user.put("id", Long.toString(account.id));
    user.put("username", account.name);
    // Users moved to unique usernames in 2023 and have "0"; bots kept a four-digit tag (Discord's Username
    // System FAQ, discord-api-docs "Users": "discriminator ... 0 for migrated users").
    user.put("discriminator", account.bot ? "0000" : "0");
    user.putNull("global_name");
    user.putNull("avatar");
    user.put("bot", account.bot);
    user.put("flags", 0);
    return user;
  }

  ObjectNode memberJson(Model.Guild guild, Model.Member member, boolean withUser) {
    ObjectNode node = json.createObjectNode();
    if (withUser) {
      node.set("user", userJson(account(member.userId)));
    }
    ArrayNode roles = node.putArray("roles");
    member.roles.forEach(r -> roles.add(Long.toString(r)));
    node.put("joined_at", member.joinedAt.toString());
    node.put("deaf", false);
    node.put("mute", false);
    node.put("flags", 0);
    node.put("pending", false);
    return node;
  }

  ObjectNode roleJson(Model.Role role) {
    ObjectNode node = json.createObjectNode();
    node.put("id", Long.toString(role.id));
    node.put("name", role.name);
    node.put("position", role.position);
    node.put("permissions", Long.toString(role.permissions));
    node.put("color", 0);
    ObjectNode colors = node.putObject("colors");
    colors.put("primary_color", 0);
    colors.putNull("secondary_color");
    colors.putNull("tertiary_color");
    node.put("hoist", false);
    node.put("managed", false);
    node.put("mentionable", false);
    node.put("flags", 0);
    return node;
  }

  synchronized ObjectNode channelJson(Model.Channel channel) {
    ObjectNode node = json.createObjectNode();
    node.put("id", Long.toString(channel.id));
    node.put("type", channel.type);
    node.put("name", channel.name);
    node.put("position", channel.position);
    node.put("guild_id", Long.toString(channel.guildId));
    ArrayNode overwrites = node.putArray("permission_overwrites");
    channel.overwrites.values().forEach(o -> overwrites.addObject().put("id", Long.toString(o.id())).put("type", o.type())
        .put("allow", Long.toString(o.allow())).put("deny", Long.toString(o.deny())));
    node.put("nsfw", false);
    node.putNull("parent_id");
    if (channel.type == VOICE || channel.type == STAGE) {
      node.put("bitrate", 64_000);
      node.put("user_limit", 0);
      node.putNull("rtc_region");
    } else {
      node.putNull("topic");
      node.put("rate_limit_per_user", 0);
    }
    List<Model.Message> posted = messages.getOrDefault(channel.id, List.of());
    posted.stream().filter(m -> !m.ephemeral()).mapToLong(Model.Message::id).max().ifPresentOrElse(
        id -> node.put("last_message_id", Long.toString(id)), () -> node.putNull("last_message_id"));
    return node;
  }

  ObjectNode voiceStateJson(long guildId, long userId, Long channelId, String sessionId) {
    ObjectNode node = json.createObjectNode();
    node.put("guild_id", Long.toString(guildId));
    node.put("user_id", Long.toString(userId));
    if (channelId == null) {
      node.putNull("channel_id");
    } else {
      node.put("channel_id", Long.toString(channelId));
    }
    node.put("session_id", sessionId);
    Model.Guild guild = guilds.get(guildId);
    Model.VoiceFlags flags = guild == null || channelId == null ? null : guild.voiceFlags.get(userId);
    node.put("deaf", false);
    node.put("mute", flags != null && flags.mute);
    node.put("self_deaf", false);
    node.put("self_mute", false);
    node.put("self_video", false);
    node.put("suppress", flags != null && flags.suppress);
    if (flags == null || flags.requestToSpeak == null) {
      node.putNull("request_to_speak_timestamp");
    } else {
      node.put("request_to_speak_timestamp", flags.requestToSpeak.toString());
    }
    if (guild != null && guild.members.containsKey(userId)) {
      node.set("member", memberJson(guild, guild.members.get(userId), true));
    }
    return node;
  }

  ObjectNode guildCreateJson(Model.Guild guild) {
    ObjectNode node = json.createObjectNode();
    node.put("id", Long.toString(guild.id));
    node.put("name", guild.name);
    node.putNull("icon");
    node.put("owner_id", Long.toString(guild.ownerId));
    node.put("member_count", guild.members.size());
    node.put("afk_timeout", 300);
    node.putNull("afk_channel_id");
    node.putNull("system_channel_id");
    node.put("verification_level", 0);
    node.put("default_message_notifications", 0);
    node.put("explicit_content_filter", 0);
    node.put("mfa_level", 0);
    node.put("nsfw_level", 0);
    node.put("premium_tier", 0);
    node.put("preferred_locale", guild.locale);
    node.put("large", false);
    node.put("unavailable", false);
    node.putArray("features");
    ArrayNode roles = node.putArray("roles");
    guild.roles.values().forEach(r -> roles.add(roleJson(r)));
    ArrayNode channels = node.putArray("channels");
    guild.channels.values().forEach(c -> channels.add(channelJson(c)));
    ArrayNode members = node.putArray("members");
    guild.members.values().forEach(m -> members.add(memberJson(guild, m, true)));
    ArrayNode voiceStates = node.putArray("voice_states");
    guild.voice.forEach((user, channel) -> voiceStates.add(
        voiceStateJson(guild.id, user, channel, guild.voiceSessions.getOrDefault(user, "none"))));
    node.putArray("threads");
    ArrayNode events = node.putArray("guild_scheduled_events");
    guild.events.values().forEach(e -> events.add(eventJson(e, false)));
    node.putArray("emojis");
    node.putArray("stickers");
    node.putArray("presences");
    ArrayNode stages = node.putArray("stage_instances");
    guild.stages.values().forEach(stage -> stages.add(stageJson(guild.id, stage)));
    node.putArray("soundboard_sounds");
    return node;
  }

  /** A user mention in message content, {@code <@id>} or the older {@code <@!id>} (discord-api-docs, Reference, Message Formatting). */
  private static final Pattern USER_MENTION = Pattern.compile("<@!?(\\d{1,20})>");

  /** A message as Discord writes it; {@code mentions} holds the users its content mentions. */
  ObjectNode messageJson(Model.Message message) {
    ObjectNode node = json.createObjectNode();
    node.put("id", Long.toString(message.id()));
    node.put("type", 0);
    node.put("channel_id", Long.toString(message.channelId()));
    if (!dms.containsKey(message.channelId())) {
      node.put("guild_id", Long.toString(channel(message.channelId()).guildId));
    }
    node.set("author", userJson(account(message.authorId())));
    node.put("content", message.content());
    node.put("timestamp", message.timestamp().toString());
    node.putNull("edited_timestamp");
    node.put("tts", false);
    node.put("mention_everyone", false);
    ArrayNode mentions = node.putArray("mentions");
    var mentioned = USER_MENTION.matcher(message.content());
    Set<Long> seen = new HashSet<>();
    while (mentioned.find()) {
      long userId = Long.parseLong(mentioned.group(1));
      if (accounts.containsKey(userId) && seen.add(userId)) {
        mentions.add(userJson(accounts.get(userId)));
      }
    }
    node.putArray("mention_roles");
    node.putArray("attachments");
    node.set("embeds", message.embeds() == null ? json.createArrayNode() : message.embeds());
    node.putArray("components");
    node.put("pinned", false);
    node.put("flags", message.ephemeral() ? 64 : 0);
    return node;
  }

  SentMessage view(Model.Message message) {
    List<SentMessage.Embed> embeds = new ArrayList<>();
    if (message.embeds() != null) {
      for (JsonNode embed : message.embeds()) {
        embeds.add(new SentMessage.Embed(text(embed, "title"), text(embed, "description")));
      }
    }
    return new SentMessage(message.id(), message.channelId(), message.authorId(), account(message.authorId()).name,
        message.content(), embeds, message.timestamp());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** Stores a message and sends MESSAGE_CREATE to the guild's bots. */
  synchronized Model.Message post(long channelId, long authorId, String content, JsonNode embeds) {
    Model.Channel channel = channel(channelId);
    markRich(embeds);
    Model.Message message = new Model.Message(ids.next(), channelId, authorId, content == null ? "" : content, embeds,
        clock.instant(), false);
    messages.computeIfAbsent(channelId, c -> new ArrayList<>()).add(message);
    ObjectNode event = messageJson(message);
    Model.Guild guild = guild(channel.guildId);
    Model.Member member = guild.members.get(authorId);
    if (member != null) {
      event.set("member", memberJson(guild, member, false));
    }
    dispatchToGuild(channel.guildId, "MESSAGE_CREATE", event);
    return message;
  }

  /** Discord stores embeds sent by bots as "rich" ones and says so; JDA refuses embeds without a type. */
  static void markRich(JsonNode embeds) {
    if (embeds != null) {
      for (JsonNode embed : embeds) {
        if (embed instanceof ObjectNode object && !object.has("type")) {
          object.put("type", "rich");
        }
      }
    }
  }

  /**
   * A bot's answer to an interaction: a public one is posted like any message; an ephemeral one only the
   * interaction's user sees, so it is neither stored in the channel nor sent as MESSAGE_CREATE.
   */
  synchronized Model.Message answer(Interaction interaction, JsonNode body, boolean ephemeral) {
    if (!ephemeral) {
      return post(interaction.channelId, interaction.bot.id(), body.path("content").asText(""), body.get("embeds"));
    }
    JsonNode embeds = body.get("embeds");
    markRich(embeds);
    return new Model.Message(ids.next(), interaction.channelId, interaction.bot.id(), body.path("content").asText(""),
        embeds, clock.instant(), true);
  }

  /**
   * A scheduled event as Discord writes it; {@code withUserCount} adds {@code user_count} (REST's
   * {@code with_user_count=true}).
   */
  ObjectNode eventJson(Model.ScheduledEvent event, boolean withUserCount) {
    ObjectNode node = json.createObjectNode();
    node.put("id", Long.toString(event.id));
    node.put("guild_id", Long.toString(event.guildId));
    if (event.channelId == null) {
      node.putNull("channel_id");
    } else {
      node.put("channel_id", Long.toString(event.channelId));
    }
    node.put("creator_id", Long.toString(event.creatorId));
    if (accounts.containsKey(event.creatorId)) {
      node.set("creator", userJson(accounts.get(event.creatorId)));
    }
    node.put("name", event.name);
    if (event.description == null) {
      node.putNull("description");
    } else {
      node.put("description", event.description);
    }
    node.put("scheduled_start_time", event.start.toString());
    if (event.end == null) {
      node.putNull("scheduled_end_time");
    } else {
      node.put("scheduled_end_time", event.end.toString());
    }
    node.put("privacy_level", event.privacyLevel);
    node.put("status", event.status);
    node.put("entity_type", event.entityType);
    node.putNull("entity_id");
    node.putNull("entity_metadata");
    if (event.image == null) {
      node.putNull("image");
    } else {
      node.put("image", event.image);
    }
    node.putNull("recurrence_rule");
    if (withUserCount) {
      node.put("user_count", event.interested.size());
    }
    return node;
  }

  /** GUILD_SCHEDULED_EVENT_USER_ADD / _REMOVE's body: the event, the user and the guild. */
  ObjectNode eventUserJson(Model.ScheduledEvent event, long userId) {
    ObjectNode node = json.createObjectNode();
    node.put("guild_scheduled_event_id", Long.toString(event.id));
    node.put("user_id", Long.toString(userId));
    node.put("guild_id", Long.toString(event.guildId));
    return node;
  }

  synchronized Model.ScheduledEvent event(Model.Guild guild, long eventId) {
    Model.ScheduledEvent event = guild.events.get(eventId);
    if (event == null) {
      throw new Rest.DiscordError(404, 10070, "Unknown Guild Scheduled Event");
    }
    return event;
  }

  /**
   * A member marks ({@code interested}) or unmarks an event as "Interested", as in Discord's client:
   * possible while it is SCHEDULED or ACTIVE; bots receive GUILD_SCHEDULED_EVENT_USER_ADD or _REMOVE
   * (only on a change).
   */
  synchronized void setInterested(long guildId, long eventId, long userId, boolean interested) {
    Model.Guild guild = guild(guildId);
    if (!guild.members.containsKey(userId)) {
      throw new IllegalArgumentException("user " + userId + " is not a member of guild " + guildId);
    }
    Model.ScheduledEvent event = event(guild, eventId);
    if (event.status > 2) {
      throw new IllegalArgumentException("event " + eventId + " has ended (status " + event.status
          + "): Discord's client offers Interested only for scheduled and active events");
    }
    boolean changed = interested ? event.interested.add(userId) : event.interested.remove(userId);
    if (changed) {
      dispatchToGuild(guildId, interested ? "GUILD_SCHEDULED_EVENT_USER_ADD" : "GUILD_SCHEDULED_EVENT_USER_REMOVE",
          eventUserJson(event, userId));
    }
  }

  /** The messages a user received in direct messages, oldest first. */
  synchronized List<SentMessage> directMessages(long userId) {
    account(userId);
    List<SentMessage> received = new ArrayList<>();
    for (Model.DmChannel dm : dms.values()) {
      if (dm.userId() == userId) {
        messages.getOrDefault(dm.id(), List.of()).forEach(m -> received.add(view(m)));
      }
    }
    received.sort(Comparator.comparing(SentMessage::time).thenComparingLong(SentMessage::id));
    return received;
  }

  ObjectNode stageJson(long guildId, Model.StageInstance stage) {
    ObjectNode node = json.createObjectNode();
    node.put("id", Long.toString(stage.id));
    node.put("guild_id", Long.toString(guildId));
    node.put("channel_id", Long.toString(stage.channelId));
    node.put("topic", stage.topic);
    node.put("privacy_level", stage.privacyLevel);
    node.put("discoverable_disabled", true);
    node.putNull("guild_scheduled_event_id");
    return node;
  }

  /**
   * A member's voice channel changes (null: leaves); every bot of the guild with the GUILD_VOICE_STATES
   * intent sees it. Joining a Stage makes the member a suppressed listener, as on Discord.
   */
  synchronized void setVoice(long guildId, long userId, Long channelId) {
    Model.Guild guild = guild(guildId);
    String sessionId = guild.voiceSessions.computeIfAbsent(userId, u -> UUID.randomUUID().toString().replace("-", ""));
    Long before = guild.voice.get(userId);
    if (channelId == null) {
      guild.voice.remove(userId);
      guild.voiceFlags.remove(userId);
    } else {
      Model.Channel channel = channel(channelId);
      if (channel.guildId != guildId || (channel.type != VOICE && channel.type != STAGE)) {
        throw new IllegalArgumentException("channel " + channelId + " is not a voice or Stage channel of guild " + guildId);
      }
      guild.voice.put(userId, channelId);
      Model.VoiceFlags flags = guild.voiceFlags.computeIfAbsent(userId, u -> new Model.VoiceFlags());
      if (!channelId.equals(before)) {
        flags.suppress = channel.type == STAGE;
        flags.requestToSpeak = null;
      }
    }
    dispatchToGuild(guildId, "VOICE_STATE_UPDATE", voiceStateJson(guildId, userId, channelId, sessionId));
    updateHearing(guild);
  }

  /**
   * A bot asked to join or leave voice (gateway op 4). Without View Channel and Connect in the channel
   * Discord ignores the request: no VOICE_STATE_UPDATE, no VOICE_SERVER_UPDATE (discord-api-docs PR #733).
   */
  synchronized void botVoice(GatewaySession session, long guildId, Long channelId) {
    Model.Guild guild = guild(guildId);
    if (!guild.members.containsKey(session.bot.id)) {
      log.info("ignored a voice state update of bot {} for guild {}: not a member", session.bot.name, guild.name);
      return;
    }
    if (channelId != null) {
      Model.Channel channel = guild.channels.get(channelId);
      long needed = VIEW_CHANNEL | CONNECT;
      if (channel == null || (channel.type != VOICE && channel.type != STAGE)
          || (permissions(guild, session.bot.id, channel) & needed) != needed) {
        IgnoredVoiceRequest ignored = new IgnoredVoiceRequest(guildId, channelId, session.bot.id,
            channel == null ? "unknown channel" : channel.type != VOICE && channel.type != STAGE
                ? "not a voice or Stage channel" : "missing View Channel or Connect");
        ignoredVoiceRequests.add(ignored);
        log.info("ignored a voice state update of bot {} into channel {}: {}", session.bot.name, channelId,
            ignored.reason());
        return;
      }
    }
    if (channelId != null) {
      // The voice state belongs to the gateway session that asked: its session_id is that session's id,
      // and only that session gets VOICE_SERVER_UPDATE (discord-api-docs, Voice Connections, "Retrieving
      // Voice Server Information"). Another session of the same bot asking takes the voice state over.
      guild.voiceSessions.put(session.bot.id, session.id);
    }
    moveMember(guildId, session.bot.id, channelId);
  }

  /**
   * A gateway session has ended for good (the client closed it with 1000 or 1001, or it was invalidated
   * and cannot be resumed): it can no longer be resumed, and each voice state it held ends, as on Discord,
   * where the member leaves the channel (VOICE_STATE_UPDATE with a null channel to the guild) and the voice
   * socket closes with 4014, "the main gateway session was dropped" (discord-api-docs, Gateway, "Initiating
   * a Disconnect"; Opcodes and Status Codes, Voice Close Event Codes). A voice state that another session
   * has taken over since stays.
   */
  synchronized void endSession(GatewaySession session) {
    sessions.remove(session.id);
    for (Model.Guild guild : guilds.values()) {
      if (session.id.equals(guild.voiceSessions.get(session.bot.id)) && guild.voice.containsKey(session.bot.id)) {
        log.info("gateway session {} of bot {} ended: it leaves voice in guild {}", session.id, session.bot.name,
            guild.name);
        moveMember(guild.id, session.bot.id, null);
      }
    }
  }

  final List<IgnoredVoiceRequest> ignoredVoiceRequests = new CopyOnWriteArrayList<>();

  /**
   * Puts a member into a voice channel, moves or disconnects them (null), as the member themself or a
   * moderator does. For a bot with a voice side: a disconnect closes its voice WebSocket with 4014 after
   * the VOICE_STATE_UPDATE; joining or moving gives it a new token in a VOICE_SERVER_UPDATE.
   */
  synchronized void moveMember(long guildId, long userId, Long channelId) {
    Model.Guild guild = guild(guildId);
    if (!guild.members.containsKey(userId)) {
      throw new IllegalArgumentException("user " + userId + " is not a member of guild " + guildId);
    }
    log.debug("{} {} in guild {}", account(userId).name, channelId == null ? "leaves voice" : "moves to voice channel "
        + channelId, guild.name);
    setVoice(guildId, userId, channelId);
    if (voice.isEmpty() || !account(userId).bot) {
      return;
    }
    if (channelId == null) {
      voice.get().revoke(guildId, userId);
      return;
    }
    sendVoiceServer(guild, userId, channelId);
  }

  /** A new voice token and VOICE_SERVER_UPDATE for a bot in voice: JDA opens a new voice connection. */
  synchronized void sendVoiceServer(Model.Guild guild, long botId, long channelId) {
    String token = UUID.randomUUID().toString().replace("-", "");
    voice.orElseThrow().grant(new VoiceGrant(guild.id, channelId, botId, guild.voiceSessions.get(botId), token));
    ObjectNode server = json.createObjectNode();
    server.put("token", token);
    server.put("guild_id", Long.toString(guild.id));
    server.put("endpoint", voice.get().endpoint());
    String voiceSession = guild.voiceSessions.get(botId);
    GatewaySession holder = voiceSession == null ? null : sessions.get(voiceSession);
    if (holder != null && holder.bot.id == botId && holder.owns(guild.id)) {
      holder.dispatch("VOICE_SERVER_UPDATE", server);
    } else {
      dispatchToBot(botId, guild.id, "VOICE_SERVER_UPDATE", server);
    }
    updateHearing(guild);
  }

  /**
   * Why Discord would not pass on what this member says in their voice channel, or empty if it would:
   * no Speak permission there, server-muted, or a suppressed Stage listener. Caller holds the lock.
   */
  Optional<String> notHeardBecause(Model.Guild guild, long userId) {
    Long channelId = guild.voice.get(userId);
    if (channelId == null) {
      return Optional.of("not in a voice channel");
    }
    Model.Channel channel = guild.channels.get(channelId);
    Model.VoiceFlags flags = guild.voiceFlags.get(userId);
    if (channel != null && (permissions(guild, userId, channel) & SPEAK) == 0) {
      return Optional.of("no Speak permission in " + channel.name);
    }
    if (flags != null && flags.mute) {
      return Optional.of("server-muted");
    }
    if (flags != null && flags.suppress) {
      return Optional.of("suppressed: a Stage listener, not a speaker");
    }
    return Optional.empty();
  }

  /** Tells the voice side, after any change, which bots of the guild are heard. Caller holds the lock. */
  void updateHearing(Model.Guild guild) {
    if (voice.isEmpty()) {
      return;
    }
    for (Model.Member member : guild.members.values()) {
      if (account(member.userId).bot && guild.voice.containsKey(member.userId)) {
        voice.get().hearing(guild.id, member.userId, notHeardBecause(guild, member.userId));
      }
    }
  }
}
