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

    Account(long id, String name, boolean bot, String token, long applicationId) {
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
    final int type; // 0 text, 2 voice
    final int position;

    Channel(long id, long guildId, String name, int type, int position) {
      this.id = id;
      this.guildId = guildId;
      this.name = name;
      this.type = type;
      this.position = position;
    }
  }

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
