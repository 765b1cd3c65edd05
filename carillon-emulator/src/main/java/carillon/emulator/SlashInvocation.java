package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds an interaction the way a Discord client would: only for a chat-input command the bot registered
 * (for the guild or globally), with its subcommand (group) path, options checked against the registered
 * ones, refused to members Discord would not show the command to, and carrying the member's real
 * permissions, the bot's, the user's and the guild's locale, and the resolved users, roles and channels
 * that options name. Caller holds the world lock.
 */
final class SlashInvocation {
  /** Discord's application command option types. */
  private static final int SUB_COMMAND = 1;
  private static final int SUB_COMMAND_GROUP = 2;
  private static final int STRING = 3;
  private static final int INTEGER = 4;
  private static final int BOOLEAN = 5;
  private static final int USER = 6;
  private static final int CHANNEL = 7;
  private static final int ROLE = 8;
  private static final int MENTIONABLE = 9;
  private static final int NUMBER = 10;
  private static final int ATTACHMENT = 11;
  /** Discord's bounds for integer and number options, and for string options' length. */
  private static final long MAX_SAFE = 1L << 53;
  private static final int MAX_STRING = 6000;
  private static final int CHAT_INPUT = 1;

  private final World world;
  private final Model.Guild guild;
  private final Model.Channel channel;
  private final BotAccount bot;
  private final long userId;
  private final Model.Command registered;
  /** The command and its subcommand path, as typed: {@code carillon play}. */
  private final String shown;
  private final List<String> path;
  /** The options the path leads to, as registered. */
  private final JsonNode declared;
  private final ObjectNode resolved;

  SlashInvocation(World world, long channelId, BotAccount bot, long userId, String commandPath) {
    this.world = world;
    this.channel = world.channel(channelId);
    this.guild = world.guild(channel.guildId);
    this.bot = bot;
    this.userId = userId;
    this.resolved = world.json.createObjectNode();
    if (!guild.members.containsKey(userId)) {
      throw new IllegalArgumentException(world.account(userId).name + " is not a member of guild " + guild.name);
    }
    if (!guild.members.containsKey(bot.id())) {
      throw new IllegalArgumentException("bot " + bot.name() + " is not a member of guild " + guild.name
          + ": its commands are not offered there (add it with GuildHandle.addMember)");
    }
    String trimmed = commandPath == null ? "" : commandPath.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("the command must be a name and its subcommands, like \"carillon play\"");
    }
    this.path = List.of(trimmed.split("\\s+"));
    this.shown = String.join(" ", path);
    this.registered = find(path.getFirst());
    JsonNode options = registered.definition.path("options");
    String at = path.getFirst();
    for (String part : path.subList(1, path.size())) {
      JsonNode subcommands = subcommands(options);
      String parent = at;
      JsonNode next = named(subcommands, part).orElseThrow(() -> new IllegalArgumentException("/" + shown + ": '" + part
          + "' is not a subcommand of /" + parent + "; " + (subcommands.isEmpty() ? "it has none"
              : "its subcommands are " + names(subcommands))));
      options = next.path("options");
      at = at + " " + part;
    }
    JsonNode subcommands = subcommands(options);
    if (!subcommands.isEmpty()) {
      throw new IllegalArgumentException("/" + shown + " needs a subcommand: one of " + names(subcommands));
    }
    this.declared = options;
    checkAvailable();
  }

  /**
   * The bot's chat-input command of that name for this guild, or else its global one (Discord lists both;
   * a test means the guild's when there are two).
   */
  private Model.Command find(String name) {
    Model.Command global = null;
    for (Model.Command command : world.commands.values()) {
      if (command.applicationId != bot.applicationId() || command.definition.path("type").asInt(CHAT_INPUT) != CHAT_INPUT
          || !command.definition.path("name").asText().equals(name)) {
        continue;
      }
      if (command.guildId != null && command.guildId == guild.id) {
        return command;
      }
      if (command.guildId == null && global == null) {
        global = command;
      }
    }
    if (global == null) {
      throw new IllegalArgumentException("bot " + bot.name() + " has no command '" + name + "' in guild " + guild.name
          + " (neither a guild nor a global one)");
    }
    return global;
  }

  private static JsonNode subcommands(JsonNode options) {
    ArrayNode found = JsonNodeFactory.instance.arrayNode();
    for (JsonNode o : options) {
      int type = o.path("type").asInt();
      if (type == SUB_COMMAND || type == SUB_COMMAND_GROUP) {
        found.add(o);
      }
    }
    return found;
  }

  private static Optional<JsonNode> named(JsonNode options, String name) {
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
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  /**
   * What decides whether the client offers the command here: the member must see the channel and may use
   * application commands there, the command must be usable in servers, and the member must have its
   * default member permissions ({@code "0"}: administrators only). The owner and administrators pass all.
   */
  private void checkAvailable() {
    String who = world.account(userId).name;
    long has = world.permissions(guild, userId, channel);
    boolean admin = has == World.ALL_PERMISSIONS;
    String command = "/" + path.getFirst();
    if (!admin && (has & World.VIEW_CHANNEL) == 0) {
      throw new CommandNotAvailableException(who + " cannot see #" + channel.name
          + " (no View Channel permission), so cannot run " + command + " there");
    }
    if (!admin && (has & World.USE_APPLICATION_COMMANDS) == 0) {
      throw new CommandNotAvailableException(command + " is not available to " + who + " in #" + channel.name
          + ": the member lacks the Use Application Commands permission (bit 31)");
    }
    JsonNode contexts = registered.definition.get("contexts");
    if (contexts != null && contexts.isArray() && !contexts.isEmpty()) {
      boolean inGuilds = false;
      for (JsonNode context : contexts) {
        inGuilds |= context.asText().equals("0");
      }
      if (!inGuilds) {
        throw new CommandNotAvailableException(command + " is not usable in servers: its contexts are " + contexts);
      }
    }
    JsonNode required = registered.definition.get("default_member_permissions");
    if (required == null || required.isNull()) {
      return;
    }
    long needed = Long.parseUnsignedLong(required.asText());
    if (needed == 0 && !admin) {
      throw new CommandNotAvailableException(command + " is not available to " + who
          + ": its default member permissions are \"0\", which only administrators pass");
    }
    if ((has & needed) != needed) {
      throw new CommandNotAvailableException(command + " is not available to " + who
          + ": it needs the permissions " + needed + " (bits " + bits(needed) + ") and the member has " + has
          + " (missing bits " + bits(needed & ~has) + ")");
    }
  }

  private static String bits(long permissions) {
    List<Integer> bits = new ArrayList<>();
    for (int bit = 0; bit < 64; bit++) {
      if ((permissions & (1L << bit)) != 0) {
        bits.add(bit);
      }
    }
    return bits.toString();
  }

  /** An APPLICATION_COMMAND (2) or APPLICATION_COMMAND_AUTOCOMPLETE (4) interaction, registered in the world. */
  Interaction dispatch(int type, Map<String, ?> options, Optional<String> focused) {
    ArrayNode leaf = world.json.createArrayNode();
    if (focused.isPresent()) {
      JsonNode option = named(declared, focused.get()).orElseThrow(() -> new IllegalArgumentException(
          "/" + shown + " has no option '" + focused.get() + "'; its options are " + names(declared)));
      if (!option.path("autocomplete").asBoolean()) {
        throw new IllegalArgumentException("option '" + focused.get() + "' of /" + shown
            + " was not registered with autocomplete, so Discord sends the bot nothing while it is typed");
      }
    }
    for (var entry : options.entrySet()) {
      JsonNode option = named(declared, entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
          "/" + shown + " has no option '" + entry.getKey() + "'; its options are " + names(declared)));
      if (entry.getValue() == null) {
        throw new IllegalArgumentException("option '" + entry.getKey() + "' of /" + shown
            + " is null; leave an option out instead");
      }
      boolean isFocused = focused.filter(entry.getKey()::equals).isPresent();
      leaf.add(isFocused ? typed(option, entry.getValue()) : value(option, entry.getValue()));
    }
    if (focused.isEmpty()) {
      for (JsonNode option : declared) {
        if (option.path("required").asBoolean() && !options.containsKey(option.path("name").asText())) {
          throw new IllegalArgumentException("/" + shown + " needs its option '" + option.path("name").asText()
              + "' (required)");
        }
      }
    }
    long interactionId = world.ids.next();
    String token = "interaction-" + UUID.randomUUID();
    Interaction interaction = new Interaction(interactionId, token, channel.id, bot, type, world.clock, world.interactionDeadline);
    world.interactions.put(interactionId, interaction);

    long memberPermissions = world.permissions(guild, userId, channel);
    ObjectNode event = world.json.createObjectNode();
    event.put("id", Long.toString(interactionId));
    event.put("application_id", Long.toString(bot.applicationId()));
    event.put("type", type);
    event.put("token", token);
    event.put("version", 1);
    event.put("guild_id", Long.toString(guild.id));
    event.putObject("guild").put("id", Long.toString(guild.id)).put("locale", guild.locale).putArray("features");
    event.put("channel_id", Long.toString(channel.id));
    // The channel as interactions carry it: with the invoking member's computed permissions in it.
    event.set("channel", world.channelJson(channel).put("permissions", Long.toString(memberPermissions)));
    ObjectNode member = world.memberJson(guild, guild.members.get(userId), true);
    member.put("permissions", Long.toString(memberPermissions));
    event.set("member", member);
    event.put("locale", world.locales.getOrDefault(userId, "en-US"));
    event.put("guild_locale", guild.locale);
    event.put("app_permissions", Long.toString(world.permissions(guild, bot.id(), channel)));
    event.put("context", 0);
    event.putObject("authorizing_integration_owners").put("0", Long.toString(guild.id));
    event.putArray("entitlements");
    ObjectNode data = event.putObject("data");
    data.put("id", Long.toString(registered.id));
    data.put("name", path.getFirst());
    data.put("type", CHAT_INPUT);
    if (registered.guildId != null) {
      data.put("guild_id", Long.toString(guild.id)); // JDA tells guild commands from global ones by this
    }
    ArrayNode level = data.putArray("options");
    JsonNode at = registered.definition.path("options");
    for (String part : path.subList(1, path.size())) {
      JsonNode sub = named(at, part).orElseThrow();
      ObjectNode node = level.addObject();
      node.put("name", part);
      node.put("type", sub.path("type").asInt());
      level = node.putArray("options");
      at = sub.path("options");
    }
    level.addAll(leaf);
    if (!resolved.isEmpty()) {
      data.set("resolved", resolved);
    }
    world.dispatchToBot(bot.id(), guild.id, "INTERACTION_CREATE", event);
    return interaction;
  }

  /** The focused option: what the member has typed so far, which Discord sends as text whatever the type. */
  private ObjectNode typed(JsonNode option, Object value) {
    if (!(value instanceof CharSequence)) {
      throw new IllegalArgumentException("what is typed into option '" + option.path("name").asText() + "' of /"
          + shown + " must be text (the characters typed so far), not " + describe(value));
    }
    ObjectNode node = world.json.createObjectNode();
    node.put("name", option.path("name").asText());
    node.put("type", option.path("type").asInt());
    node.put("value", value.toString());
    node.put("focused", true);
    return node;
  }

  /** One option's value as Discord sends it, checked as the client checks what a member enters. */
  private ObjectNode value(JsonNode option, Object value) {
    String name = option.path("name").asText();
    int type = option.path("type").asInt();
    String where = "option '" + name + "' of /" + shown;
    ObjectNode node = world.json.createObjectNode();
    node.put("name", name);
    node.put("type", type);
    switch (type) {
      case STRING -> {
        if (!(value instanceof CharSequence text)) {
          throw wrongType(where, "text", type, value);
        }
        String s = text.toString();
        int length = s.codePointCount(0, s.length());
        int min = option.path("min_length").asInt(1);
        int max = option.path("max_length").asInt(MAX_STRING);
        if (length < Math.max(1, min) || length > max) {
          throw new IllegalArgumentException(where + " must be " + Math.max(1, min) + " to " + max
              + " characters long, was " + length + " ('" + s + "')");
        }
        checkChoice(where, option, node.put("value", s).get("value"));
      }
      case INTEGER -> {
        long v = whole(where, type, value);
        checkRange(where, option, BigDecimal.valueOf(v));
        checkChoice(where, option, node.put("value", v).get("value"));
      }
      case NUMBER -> {
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
          throw wrongType(where, "a finite number", type, value);
        }
        double v = number.doubleValue();
        checkRange(where, option, BigDecimal.valueOf(v));
        checkChoice(where, option, node.put("value", v).get("value"));
      }
      case BOOLEAN -> {
        if (!(value instanceof Boolean b)) {
          throw wrongType(where, "true or false", type, value);
        }
        node.put("value", b);
      }
      case USER -> node.put("value", Long.toString(user(where, id(where, type, value))));
      case CHANNEL -> node.put("value", Long.toString(channel(where, option, id(where, type, value))));
      case ROLE -> node.put("value", Long.toString(role(where, id(where, type, value))));
      case MENTIONABLE -> {
        long id = id(where, type, value);
        if (guild.roles.containsKey(id)) {
          role(where, id);
        } else if (world.accounts.containsKey(id)) {
          user(where, id);
        } else {
          throw new IllegalArgumentException(where + " takes a user or a role of guild " + guild.name
              + "; " + id + " is neither");
        }
        node.put("value", Long.toString(id));
      }
      case ATTACHMENT -> throw new IllegalArgumentException(where + " is an attachment; the emulator cannot send files");
      default -> throw new IllegalArgumentException(where + " has Discord option type " + type
          + ", which the emulator does not know");
    }
    return node;
  }

  /** The option type as a phrase for messages: "an integer option". */
  private static String typeName(int type) {
    return switch (type) {
      case STRING -> "a string";
      case INTEGER -> "an integer";
      case BOOLEAN -> "a boolean";
      case USER -> "a user";
      case CHANNEL -> "a channel";
      case ROLE -> "a role";
      case MENTIONABLE -> "a mentionable";
      case NUMBER -> "a number";
      default -> "a type " + type;
    };
  }

  /** A value as a message names it; plain words, since values also come from the HTTP API's JSON. */
  private static String describe(Object value) {
    return switch (value) {
      case CharSequence text -> "the text '" + text + "'";
      case Number number -> "the number " + number;
      case Boolean bool -> "the boolean " + bool;
      default -> "a " + value.getClass().getSimpleName() + " (" + value + ")";
    };
  }

  private static IllegalArgumentException wrongType(String where, String takes, int type, Object value) {
    return new IllegalArgumentException(where + " is " + typeName(type) + " option (Discord type " + type
        + ") and takes " + takes + ", not " + describe(value));
  }

  private static long whole(String where, int type, Object value) {
    if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger)) {
      throw wrongType(where, "a whole number (Integer or Long)", type, value);
    }
    BigInteger v = value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
    if (v.abs().compareTo(BigInteger.valueOf(MAX_SAFE)) > 0) {
      throw new IllegalArgumentException(where + " must be from -2^53 to 2^53 (Discord's limit), was " + v);
    }
    return v.longValue();
  }

  /** An id of a user, channel or role: a whole number, or a string of digits as in Discord's JSON. */
  private static long id(String where, int type, Object value) {
    if (value instanceof Long || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big && big.signum() >= 0 && big.bitLength() < 64) {
      return big.longValue(); // from the HTTP API's JSON numbers
    }
    if (value instanceof CharSequence text && text.toString().matches("\\d{1,19}")) {
      try {
        return Long.parseLong(text.toString());
      } catch (NumberFormatException e) {
        // too large: reported below
      }
    }
    throw wrongType(where, "an id (a Long, or a string of digits)", type, value);
  }

  private static void checkRange(String where, JsonNode option, BigDecimal v) {
    JsonNode min = option.get("min_value");
    JsonNode max = option.get("max_value");
    BigDecimal lowest = min == null || min.isNull() ? BigDecimal.valueOf(-MAX_SAFE) : min.decimalValue();
    BigDecimal highest = max == null || max.isNull() ? BigDecimal.valueOf(MAX_SAFE) : max.decimalValue();
    if (v.compareTo(lowest) < 0 || v.compareTo(highest) > 0) {
      throw new IllegalArgumentException(where + " must be from " + lowest.stripTrailingZeros().toPlainString()
          + " to " + highest.stripTrailingZeros().toPlainString() + ", was " + v.stripTrailingZeros().toPlainString());
    }
  }

  /** An option registered with choices only takes one of their values: the client offers nothing else. */
  private static void checkChoice(String where, JsonNode option, JsonNode value) {
    JsonNode choices = option.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      return;
    }
    List<String> values = new ArrayList<>();
    for (JsonNode choice : choices) {
      JsonNode offered = choice.path("value");
      if (offered.isNumber() && value.isNumber() ? offered.decimalValue().compareTo(value.decimalValue()) == 0
          : offered.asText().equals(value.asText())) {
        return;
      }
      values.add(offered.asText());
    }
    throw new IllegalArgumentException(where + " must be one of its choices " + values + ", was " + value.asText());
  }

  /** A user the option names; its user, and its member when in the guild, go into {@code resolved}. */
  private long user(String where, long id) {
    Model.Account account = world.accounts.get(id);
    if (account == null) {
      throw new IllegalArgumentException(where + " names user " + id + ", who does not exist");
    }
    resolvedMap("users").set(Long.toString(id), world.userJson(account));
    Model.Member member = guild.members.get(id);
    if (member != null) {
      ObjectNode json = world.memberJson(guild, member, false);
      json.put("permissions", Long.toString(world.permissions(guild, id, channel)));
      resolvedMap("members").set(Long.toString(id), json);
    }
    return id;
  }

  private long role(String where, long id) {
    Model.Role role = guild.roles.get(id);
    if (role == null) {
      throw new IllegalArgumentException(where + " names role " + id + ", which is not a role of guild " + guild.name);
    }
    resolvedMap("roles").set(Long.toString(id), world.roleJson(role));
    return id;
  }

  private long channel(String where, JsonNode option, long id) {
    Model.Channel named = guild.channels.get(id);
    if (named == null) {
      throw new IllegalArgumentException(where + " names channel " + id + ", which is not a channel of guild "
          + guild.name);
    }
    JsonNode types = option.get("channel_types");
    if (types != null && types.isArray() && !types.isEmpty()) {
      List<Integer> allowed = new ArrayList<>();
      types.forEach(t -> allowed.add(t.asInt()));
      if (!allowed.contains(named.type)) {
        throw new IllegalArgumentException(where + " takes channels of the types " + allowed + "; #" + named.name
            + " is of type " + named.type);
      }
    }
    ObjectNode json = world.json.createObjectNode();
    json.put("id", Long.toString(named.id));
    json.put("name", named.name);
    json.put("type", named.type);
    json.putNull("parent_id");
    json.put("permissions", Long.toString(world.permissions(guild, userId, named)));
    resolvedMap("channels").set(Long.toString(id), json);
    return id;
  }

  private ObjectNode resolvedMap(String kind) {
    return resolved.has(kind) ? (ObjectNode) resolved.get(kind) : resolved.putObject(kind);
  }
}
