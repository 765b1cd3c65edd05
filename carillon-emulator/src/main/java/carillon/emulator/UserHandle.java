package carillon.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;

/**
 * A person in the emulated Discord: sends messages, joins and leaves voice channels, runs slash commands.
 *
 * <pre>{@code
 * UserHandle alice = discord.createUser("alice");
 * guild.addMember(alice);
 * alice.joinVoice(guild, hall);
 * Interaction run = alice.runSlashCommand(notices, bot, "ping", Map.of());
 * assertThat(run.awaitReply(Duration.ofSeconds(10)).content()).isEqualTo("pong");
 * }</pre>
 */
public final class UserHandle {
  private final World world;
  private final long id;
  private final String name;

  UserHandle(World world, long id, String name) {
    this.world = world;
    this.id = id;
    this.name = name;
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** Posts a message; the guild's bots receive MESSAGE_CREATE. */
  public SentMessage sendMessage(long channelId, String content) {
    return world.view(world.post(channelId, id, content, null));
  }

  public void joinVoice(GuildHandle guild, long channelId) {
    world.setVoice(guild.id(), id, channelId);
  }

  public void leaveVoice(GuildHandle guild) {
    world.setVoice(guild.id(), id, null);
  }

  /**
   * Runs a registered slash command of {@code bot} in a channel, with options (strings, numbers or
   * booleans), and returns the interaction whose reply the bot will send.
   *
   * @throws IllegalArgumentException if the bot registered no such command for the guild or globally
   */
  public Interaction runSlashCommand(long channelId, BotAccount bot, String command, Map<String, ?> options) {
    synchronized (world) {
      Model.Channel channel = world.channel(channelId);
      Model.Guild guild = world.guild(channel.guildId);
      Model.Command registered = world.commands.values().stream()
          .filter(c -> c.applicationId == bot.applicationId()
              && (c.guildId == null || c.guildId == guild.id)
              && c.definition.path("name").asText().equals(command))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("bot " + bot.name() + " has no command '" + command + "'"));
      long interactionId = world.ids.next();
      String token = "interaction-" + UUID.randomUUID();
      Interaction interaction = new Interaction(interactionId, token, channelId, bot);
      world.interactions.put(interactionId, interaction);

      ObjectNode event = world.json.createObjectNode();
      event.put("id", Long.toString(interactionId));
      event.put("application_id", Long.toString(bot.applicationId()));
      event.put("type", 2);
      event.put("token", token);
      event.put("version", 1);
      event.put("guild_id", Long.toString(guild.id));
      event.putObject("guild").put("id", Long.toString(guild.id)).put("locale", "en-US").putArray("features");
      event.put("channel_id", Long.toString(channelId));
      event.set("channel", world.channelJson(channel));
      ObjectNode member = world.memberJson(guild, guild.members.get(id), true);
      member.put("permissions", "8");
      event.set("member", member);
      event.put("locale", "en-US");
      event.put("guild_locale", "en-US");
      event.put("app_permissions", "8");
      event.put("context", 0);
      event.putObject("authorizing_integration_owners").put("0", Long.toString(guild.id));
      event.putArray("entitlements");
      ObjectNode data = event.putObject("data");
      data.put("id", Long.toString(registered.id));
      data.put("name", command);
      data.put("type", 1);
      data.put("guild_id", Long.toString(guild.id));
      ArrayNode opts = data.putArray("options");
      options.forEach((key, value) -> {
        ObjectNode option = opts.addObject();
        option.put("name", key);
        switch (value) {
          case Integer i -> option.put("type", 4).put("value", i);
          case Long l -> option.put("type", 4).put("value", l);
          case Number n -> option.put("type", 10).put("value", n.doubleValue());
          case Boolean b -> option.put("type", 5).put("value", b);
          default -> option.put("type", 3).put("value", String.valueOf(value));
        }
      });
      world.dispatchToBot(bot.id(), guild.id, "INTERACTION_CREATE", event);
      return interaction;
    }
  }

  @Override
  public String toString() {
    return "User[" + name + " " + id + "]";
  }
}
