package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds an interaction the way a Discord client would: only for a command the bot registered, with its
 * subcommand (group) path, options checked against the registered ones, hidden from members who lack the
 * command's default permissions, and with the member's real permissions and locale. Caller holds the
 * world lock.
 */
final class SlashInvocation {
  /** Discord's option types. */
  private static final int SUB_COMMAND = 1;
  private static final int SUB_COMMAND_GROUP = 2;
  private static final int STRING = 3;
  private static final int INTEGER = 4;
  private static final int BOOLEAN = 5;
  private static final int NUMBER = 10;
  private static final long ADMINISTRATOR = 8;
  /** Every permission bit Discord defines today (bits 0 to 50). */
  private static final long ALL = (1L << 51) - 1;

  private final World world;
  private final Model.Guild guild;
  private final Model.Channel channel;
  private final BotAccount bot;
  private final long userId;
  private final Model.Command registered;
  private final List<String> path;
  /** The options the path leads to, as registered. */
  private final JsonNode declared;

  SlashInvocation(World world, long channelId, BotAccount bot, long userId, String commandPath) {
    this.world = world;
    this.channel = world.channel(channelId);
    this.guild = world.guild(channel.guildId);
    this.bot = bot;
    this.userId = userId;
    if (!guild.members.containsKey(userId)) {
      throw new IllegalArgumentException("user " + userId + " is not a member of guild " + guild.name);
    }
    this.path = List.of(commandPath.strip().split("\\s+"));
    String name = path.getFirst();
    this.registered = world.commands.values().stream()
        .filter(c -> c.applicationId == bot.applicationId()
            && (c.guildId == null || c.guildId == guild.id)
            && c.definition.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("bot " + bot.name() + " has no command '" + name + "'"));
    JsonNode options = registered.definition.path("options");
    for (String part : path.subList(1, path.size())) {
      JsonNode next = find(options, part)
          .filter(o -> o.path("type").asInt() == SUB_COMMAND || o.path("type").asInt() == SUB_COMMAND_GROUP)
          .orElseThrow(() -> new IllegalArgumentException("/" + commandPath + ": '" + part + "' is not a subcommand of /"
              + name + "; it has " + names(registered.definition.path("options"))));
      options = next.path("options");
    }
    boolean needsSub = false;
    for (JsonNode o : options) {
      int type = o.path("type").asInt();
      needsSub |= type == SUB_COMMAND || type == SUB_COMMAND_GROUP;
    }
    if (needsSub) {
      throw new IllegalArgumentException("/" + commandPath + " needs a subcommand: one of " + names(options));
    }
    this.declared = options;
    checkAllowed();
  }

  private static Optional<JsonNode> find(JsonNode options, String name) {
    for (JsonNode o : options) {
      if (o.path("name").asText().equals(name)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  private static String names(JsonNode options) {
    List<String> names = new ArrayList<>();
    options.forEach(o -> names.add(o.path("name").asText()));
    return String.join(", ", names);
  }

  /** A member without the command's default permissions never sees it in the client, so cannot run it. */
  private void checkAllowed() {
    JsonNode required = registered.definition.get("default_member_permissions");
    if (required == null || required.isNull()) {
      return;
    }
    long needed = Long.parseLong(required.asText());
    long has = permissions(userId);
    if ((has & needed) != needed) {
      throw new CommandNotAvailableException("/" + path.getFirst() + " is not available to " + world.account(userId).name
          + ": it needs permissions " + needed + " and the member has " + has);
    }
  }

  /** The member's permissions in the guild: the owner and administrators have all; else @everyone and their roles. */
  long permissions(long memberId) {
    if (guild.ownerId == memberId) {
      return ALL;
    }
    long bits = guild.roles.get(guild.id).permissions;
    Model.Member member = guild.members.get(memberId);
    if (member != null) {
      for (long roleId : member.roles) {
        Model.Role role = guild.roles.get(roleId);
        if (role != null) {
          bits |= role.permissions;
        }
      }
    }
    return (bits & ADMINISTRATOR) != 0 ? ALL : bits;
  }

  /** An APPLICATION_COMMAND (2) or APPLICATION_COMMAND_AUTOCOMPLETE (4) interaction, registered in the world. */
  Interaction dispatch(int type, Map<String, ?> options, Optional<String> focused) {
    ArrayNode leaf = world.json.createArrayNode();
    for (var entry : options.entrySet()) {
      JsonNode option = find(declared, entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
          "/" + String.join(" ", path) + " has no option '" + entry.getKey() + "'; its options are " + names(declared)));
      leaf.add(value(option, entry.getValue(), focused.filter(entry.getKey()::equals).isPresent()));
    }
    if (focused.isPresent()) {
      JsonNode option = find(declared, focused.get()).orElseThrow(() -> new IllegalArgumentException(
          "/" + String.join(" ", path) + " has no option '" + focused.get() + "'"));
      if (!option.path("autocomplete").asBoolean()) {
        throw new IllegalArgumentException("option '" + focused.get() + "' of /" + String.join(" ", path)
            + " was not registered with autocomplete");
      }
    } else {
      for (JsonNode option : declared) {
        if (option.path("required").asBoolean() && !options.containsKey(option.path("name").asText())) {
          throw new IllegalArgumentException("/" + String.join(" ", path) + " needs its option '"
              + option.path("name").asText() + "'");
        }
      }
    }
    long interactionId = world.ids.next();
    String token = "interaction-" + UUID.randomUUID();
    Interaction interaction = new Interaction(interactionId, token, channel.id, bot);
    world.interactions.put(interactionId, interaction);

    ObjectNode event = world.json.createObjectNode();
    event.put("id", Long.toString(interactionId));
    event.put("application_id", Long.toString(bot.applicationId()));
    event.put("type", type);
    event.put("token", token);
    event.put("version", 1);
    event.put("guild_id", Long.toString(guild.id));
    event.putObject("guild").put("id", Long.toString(guild.id)).put("locale", guild.locale).putArray("features");
    event.put("channel_id", Long.toString(channel.id));
    event.set("channel", world.channelJson(channel));
    ObjectNode member = world.memberJson(guild, guild.members.get(userId), true);
    member.put("permissions", Long.toString(permissions(userId)));
    event.set("member", member);
    event.put("locale", world.locales.getOrDefault(userId, "en-US"));
    event.put("guild_locale", guild.locale);
    event.put("app_permissions", Long.toString(permissions(bot.id())));
    event.put("context", 0);
    event.putObject("authorizing_integration_owners").put("0", Long.toString(guild.id));
    event.putArray("entitlements");
    ObjectNode data = event.putObject("data");
    data.put("id", Long.toString(registered.id));
    data.put("name", path.getFirst());
    data.put("type", 1);
    data.put("guild_id", Long.toString(guild.id));
    ArrayNode level = data.putArray("options");
    JsonNode options0 = registered.definition.path("options");
    for (String part : path.subList(1, path.size())) {
      JsonNode sub = find(options0, part).orElseThrow();
      ObjectNode node = level.addObject();
      node.put("name", part);
      node.put("type", sub.path("type").asInt());
      level = node.putArray("options");
      options0 = sub.path("options");
    }
    level.addAll(leaf);
    world.dispatchToBot(bot.id(), guild.id, "INTERACTION_CREATE", event);
    return interaction;
  }

  /** One option's value as Discord sends it, checked against its registered type. */
  private ObjectNode value(JsonNode option, Object value, boolean focused) {
    String name = option.path("name").asText();
    int type = option.path("type").asInt();
    ObjectNode node = world.json.createObjectNode();
    node.put("name", name);
    node.put("type", type);
    if (focused) {
      node.put("focused", true);
      node.put("value", String.valueOf(value)); // what the member has typed so far
      return node;
    }
    String wrong = "option '" + name + "' of /" + String.join(" ", path) + " is of Discord type " + type + ", not "
        + value.getClass().getSimpleName();
    switch (type) {
      case STRING -> node.put("value", String.valueOf(value));
      case INTEGER -> {
        if (!(value instanceof Integer || value instanceof Long)) {
          throw new IllegalArgumentException(wrong);
        }
        long v = ((Number) value).longValue();
        if ((option.has("min_value") && v < option.get("min_value").asLong())
            || (option.has("max_value") && v > option.get("max_value").asLong())) {
          throw new IllegalArgumentException("option '" + name + "' must be from " + option.path("min_value").asText()
              + " to " + option.path("max_value").asText() + ", was " + v);
        }
        node.put("value", v);
      }
      case NUMBER -> {
        if (!(value instanceof Number n)) {
          throw new IllegalArgumentException(wrong);
        }
        node.put("value", n.doubleValue());
      }
      case BOOLEAN -> {
        if (!(value instanceof Boolean b)) {
          throw new IllegalArgumentException(wrong);
        }
        node.put("value", b);
      }
      default -> node.put("value", String.valueOf(value)); // users, channels, roles, mentionables: their ids
    }
    return node;
  }
}
