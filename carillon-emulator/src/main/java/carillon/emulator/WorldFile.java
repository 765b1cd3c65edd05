package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small world description in JSON, for tests outside the JVM, and what was made of it (ids, tokens) in
 * the same shape:
 *
 * <pre>{@code
 * {"bots":   [{"name": "Carillon", "privilegedIntents": ["MESSAGE_CONTENT"]}],
 *  "users":  ["alice"],
 *  "guilds": [{"name": "Sangha", "everyonePermissions": "104324673",
 *              "channels": [{"name": "notices", "type": "text"}, {"name": "Hall", "type": "voice"}],
 *              "members": ["Carillon", "alice"]}]}
 * }</pre>
 *
 * <p>Names are unique among bots and users. {@code privilegedIntents} defaults to all three;
 * {@code everyonePermissions} (a decimal string or number) defaults to Administrator; {@code type} is
 * {@code text}, {@code voice} or {@code stage}. Every mistake is an {@link IllegalArgumentException} that
 * names the field.
 */
final class WorldFile {
  private WorldFile() {}

  /** Builds the described world in {@code discord}; returns ids and tokens, keyed as in the description. */
  static ObjectNode build(DiscordEmulator discord, JsonNode description, ObjectMapper json) {
    if (!description.isObject()) {
      throw new IllegalArgumentException("the world description must be a JSON object");
    }
    ObjectNode out = json.createObjectNode();
    Map<String, Long> members = new LinkedHashMap<>();
    ObjectNode bots = out.putObject("bots");
    int index = 0;
    for (JsonNode bot : array(description, "bots")) {
      String where = "bots[" + index++ + "]";
      String name = name(bot, where);
      Set<PrivilegedIntent> intents = PrivilegedIntent.parse(bot.get("privilegedIntents"), where + ".privilegedIntents");
      unique(members, name, where);
      BotAccount account = discord.createBot(name, intents);
      members.put(name, account.id());
      bots.putObject(name).put("id", Long.toString(account.id())).put("token", account.token())
          .put("applicationId", Long.toString(account.applicationId()));
    }
    ObjectNode users = out.putObject("users");
    index = 0;
    for (JsonNode user : array(description, "users")) {
      String where = "users[" + index++ + "]";
      if (!user.isTextual() || user.asText().isBlank()) {
        throw new IllegalArgumentException(where + " must be a user's name, was " + user);
      }
      unique(members, user.asText(), where);
      UserHandle handle = discord.createUser(user.asText());
      members.put(user.asText(), handle.id());
      users.put(user.asText(), Long.toString(handle.id()));
    }
    ObjectNode guilds = out.putObject("guilds");
    index = 0;
    for (JsonNode guild : array(description, "guilds")) {
      String where = "guilds[" + index++ + "]";
      GuildHandle handle = discord.createGuild(name(guild, where));
      ObjectNode made = guilds.putObject(handle.name()).put("id", Long.toString(handle.id()));
      if (guild.has("everyonePermissions")) {
        handle.setEveryonePermissions(permissions(guild.get("everyonePermissions"), where + ".everyonePermissions"));
      }
      ObjectNode channels = made.putObject("channels");
      int c = 0;
      for (JsonNode channel : array(guild, "channels")) {
        String at = where + ".channels[" + c++ + "]";
        String name = name(channel, at);
        String type = channel.path("type").asText("text");
        long id = switch (type) {
          case "text" -> handle.createTextChannel(name);
          case "voice" -> handle.createVoiceChannel(name);
          case "stage" -> handle.createStageChannel(name);
          default -> throw new IllegalArgumentException(at + ".type must be text, voice or stage, was '" + type + "'");
        };
        channels.put(name, Long.toString(id));
      }
      int m = 0;
      for (JsonNode member : array(guild, "members")) {
        Long id = members.get(member.asText());
        if (id == null) {
          throw new IllegalArgumentException(where + ".members[" + m + "]: '" + member.asText()
              + "' is not one of the bots or users " + members.keySet());
        }
        m++;
        handle.addMember(id);
      }
    }
    return out;
  }

  private static Iterable<JsonNode> array(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array, was " + value);
    }
    return value;
  }

  private static String name(JsonNode node, String where) {
    JsonNode name = node.path("name");
    if (!name.isTextual() || name.asText().isBlank()) {
      throw new IllegalArgumentException(where + ".name must be a non-empty string"
          + (name.isMissingNode() ? " and is missing" : ", was " + name));
    }
    return name.asText();
  }

  private static void unique(Map<String, Long> members, String name, String where) {
    if (members.containsKey(name)) {
      throw new IllegalArgumentException(where + ": the name '" + name + "' is already a bot or user");
    }
  }

  private static long permissions(JsonNode value, String where) {
    try {
      return value.isIntegralNumber() ? value.asLong() : Long.parseLong(value.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + " must be a permission bit set (a decimal number), was " + value, e);
    }
  }
}
