package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The emulated world's records. Mutable, guarded by the World's lock. */
final class Model {
  private Model() {}

  static final class Account {
    final long id;
    final String name;
    final boolean bot;
    final String token;
    final long applicationId;
    /** The privileged intents enabled for the bot's application ({@link PrivilegedIntent} bits). */
    final long privilegedIntents;

    Account(long id, String name, boolean bot, String token, long applicationId) {
      this(id, name, bot, token, applicationId, PrivilegedIntent.ALL);
    }

    Account(long id, String name, boolean bot, String token, long applicationId, long privilegedIntents) {
      this.privilegedIntents = privilegedIntents;
      this.id = id;
      this.name = name;
      this.bot = bot;
      this.token = token;
      this.applicationId = applicationId;
    }
  }

  static final class Guild {
    final long id;
    final String name;
    final long ownerId;
    /** Discord's guild locale, e.g. {@code en-US} or {@code vi}. */
    String locale = "en-US";
    final Map<Long, Channel> channels = new LinkedHashMap<>();
    final Map<Long, Role> roles = new LinkedHashMap<>();
    final Map<Long, Member> members = new LinkedHashMap<>();
    /** user id → voice channel id */
    final Map<Long, Long> voice = new LinkedHashMap<>();
    final Map<Long, String> voiceSessions = new LinkedHashMap<>();
    /** user id → what a moderator or the user set on their voice state (server mute, Stage suppress, hand up) */
    final Map<Long, VoiceFlags> voiceFlags = new LinkedHashMap<>();
    /** Stage channel id → its open Stage instance */
    final Map<Long, StageInstance> stages = new LinkedHashMap<>();
    /** event id → the guild's scheduled events, kept until deleted (ended ones too, as Discord lists them) */
    final Map<Long, ScheduledEvent> events = new LinkedHashMap<>();

    Guild(long id, String name, long ownerId) {
      this.id = id;
      this.name = name;
      this.ownerId = ownerId;
    }
  }

  static final class Channel {
    final long id;
    final long guildId;
    final String name;
    final int type; // 0 text, 2 voice, 13 Stage
    final int position;
    /** role or member id → its overwrite, in the order set (the @everyone role's id is the guild's) */
    final Map<Long, Overwrite> overwrites = new LinkedHashMap<>();

    Channel(long id, long guildId, String name, int type, int position) {
      this.id = id;
      this.guildId = guildId;
      this.name = name;
      this.type = type;
      this.position = position;
    }
  }

  /** A channel's permission overwrite: {@code type} 0 for a role, 1 for a member, as in Discord's API. */
  record Overwrite(long id, int type, long allow, long deny) {}

  /** The parts of a voice state that others set: server mute, Stage suppress, the raised hand. */
  static final class VoiceFlags {
    boolean mute;
    boolean suppress;
    Instant requestToSpeak;
  }

  /** An open Stage: {@code privacyLevel} 2 is GUILD_ONLY, the only level Discord still allows. */
  static final class StageInstance {
    final long id;
    final long channelId;
    String topic;
    int privacyLevel;

    StageInstance(long id, long channelId, String topic, int privacyLevel) {
      this.id = id;
      this.channelId = channelId;
      this.topic = topic;
      this.privacyLevel = privacyLevel;
    }
  }

  /**
   * A guild scheduled event (discord-api-docs, Resources > Guild Scheduled Event). {@code entityType} 1 is
   * STAGE_INSTANCE, 2 VOICE; {@code status} 1 SCHEDULED, 2 ACTIVE, 3 COMPLETED, 4 CANCELED;
   * {@code privacyLevel} 2 GUILD_ONLY; {@code image} the cover image's hash, or null.
   */
  static final class ScheduledEvent {
    final long id;
    final long guildId;
    final long creatorId;
    Long channelId;
    int entityType;
    String name;
    String description;
    Instant start;
    Instant end;
    int privacyLevel;
    int status = 1;
    String image;
    /** members who marked "Interested", in the order they did */
    final Set<Long> interested = new LinkedHashSet<>();

    ScheduledEvent(long id, long guildId, long creatorId) {
      this.id = id;
      this.guildId = guildId;
      this.creatorId = creatorId;
    }
  }

  /** A direct-message channel (type 1) between a bot and a user; Discord has one per pair. */
  record DmChannel(long id, long botId, long userId) {}

  static final class Role {
    final long id;
    final String name;
    long permissions;
    final int position;

    Role(long id, String name, long permissions, int position) {
      this.id = id;
      this.name = name;
      this.permissions = permissions;
      this.position = position;
    }
  }

  static final class Member {
    final long userId;
    final Set<Long> roles = new LinkedHashSet<>();
    final Instant joinedAt;

    Member(long userId, Instant joinedAt) {
      this.userId = userId;
      this.joinedAt = joinedAt;
    }
  }

  /** {@code ephemeral}: an interaction answer only its user sees (flag 64); kept out of the channel. */
  record Message(long id, long channelId, long authorId, String content, JsonNode embeds, Instant timestamp,
      boolean ephemeral) {}

  static final class Command {
    final long id;
    final long applicationId;
    final Long guildId;
    final JsonNode definition;

    Command(long id, long applicationId, Long guildId, JsonNode definition) {
      this.id = id;
      this.applicationId = applicationId;
      this.guildId = guildId;
      this.definition = definition;
    }
  }
}
