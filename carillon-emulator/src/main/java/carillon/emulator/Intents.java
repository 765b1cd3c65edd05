package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Gateway intents as Discord applies them (discord-api-docs, Topics > Gateway, "List of Intents",
 * "Caveats" and "Message Content Intent"): an event that belongs to an intent goes only to sessions that
 * identified with it; events in no intent ("passthrough": READY, VOICE_SERVER_UPDATE, INTERACTION_CREATE)
 * always go. A bot without MESSAGE_CONTENT gets guild messages with empty {@code content}, {@code embeds},
 * {@code attachments} and {@code components}, except its own messages and messages that mention it.
 */
final class Intents {
  static final long GUILDS = 1L;
  static final long GUILD_MEMBERS = 1L << 1;
  static final long GUILD_VOICE_STATES = 1L << 7;
  static final long GUILD_MESSAGES = 1L << 9;
  static final long MESSAGE_CONTENT = 1L << 15;
  static final long GUILD_SCHEDULED_EVENTS = 1L << 16;

  /** The events the emulator sends that belong to an intent; the rest are passthrough. */
  private static final Map<String, Long> INTENT_OF = Map.ofEntries(
      Map.entry("GUILD_CREATE", GUILDS),
      Map.entry("GUILD_UPDATE", GUILDS),
      Map.entry("GUILD_DELETE", GUILDS),
      Map.entry("GUILD_ROLE_CREATE", GUILDS),
      Map.entry("GUILD_ROLE_UPDATE", GUILDS),
      Map.entry("GUILD_ROLE_DELETE", GUILDS),
      Map.entry("CHANNEL_CREATE", GUILDS),
      Map.entry("CHANNEL_UPDATE", GUILDS),
      Map.entry("CHANNEL_DELETE", GUILDS),
      Map.entry("STAGE_INSTANCE_CREATE", GUILDS),
      Map.entry("STAGE_INSTANCE_UPDATE", GUILDS),
      Map.entry("STAGE_INSTANCE_DELETE", GUILDS),
      Map.entry("GUILD_MEMBER_ADD", GUILD_MEMBERS),
      Map.entry("GUILD_MEMBER_UPDATE", GUILD_MEMBERS),
      Map.entry("GUILD_MEMBER_REMOVE", GUILD_MEMBERS),
      Map.entry("VOICE_STATE_UPDATE", GUILD_VOICE_STATES),
      Map.entry("MESSAGE_CREATE", GUILD_MESSAGES),
      Map.entry("MESSAGE_UPDATE", GUILD_MESSAGES),
      Map.entry("MESSAGE_DELETE", GUILD_MESSAGES),
      Map.entry("GUILD_SCHEDULED_EVENT_CREATE", GUILD_SCHEDULED_EVENTS),
      Map.entry("GUILD_SCHEDULED_EVENT_UPDATE", GUILD_SCHEDULED_EVENTS),
      Map.entry("GUILD_SCHEDULED_EVENT_DELETE", GUILD_SCHEDULED_EVENTS),
      Map.entry("GUILD_SCHEDULED_EVENT_USER_ADD", GUILD_SCHEDULED_EVENTS),
      Map.entry("GUILD_SCHEDULED_EVENT_USER_REMOVE", GUILD_SCHEDULED_EVENTS));

  private Intents() {}

  /**
   * True if Discord sends this event to the session: passthrough events always; GUILD_MEMBER_UPDATE about
   * the bot itself whatever its intents (the "Caveats"); others only with their intent.
   */
  static boolean receives(GatewaySession session, String type, JsonNode data) {
    Long intent = INTENT_OF.get(type);
    if (intent == null || session.hasIntent(intent)) {
      return true;
    }
    return type.equals("GUILD_MEMBER_UPDATE")
        && data.path("user").path("id").asText().equals(Long.toString(session.bot.id));
  }

  /** The event as this session sees it: a MESSAGE_CREATE without its content when it lacks MESSAGE_CONTENT. */
  static JsonNode asSeenBy(GatewaySession session, String type, JsonNode data) {
    if (!type.equals("MESSAGE_CREATE") || session.hasIntent(MESSAGE_CONTENT) || !(data instanceof ObjectNode message)) {
      return data;
    }
    return blankUnlessConcerned(Long.toString(session.bot.id), message);
  }

  /**
   * A message as a bot reads it over REST: there the application's enabled MESSAGE_CONTENT intent counts,
   * not a session's ("HTTP API restrictions are independent of Gateway restrictions").
   */
  static ObjectNode asReadBy(Model.Account bot, ObjectNode message) {
    if ((bot.privilegedIntents & MESSAGE_CONTENT) != 0) {
      return message;
    }
    return blankUnlessConcerned(Long.toString(bot.id), message);
  }

  private static ObjectNode blankUnlessConcerned(String self, ObjectNode message) {
    if (message.path("author").path("id").asText().equals(self) || mentions(message, self)) {
      return message;
    }
    ObjectNode blank = message.deepCopy();
    blank.put("content", "");
    blank.putArray("embeds");
    blank.putArray("attachments");
    blank.putArray("components");
    return blank;
  }

  private static boolean mentions(ObjectNode message, String userId) {
    for (JsonNode user : message.path("mentions")) {
      if (user.path("id").asText().equals(userId)) {
        return true;
      }
    }
    return false;
  }
}
