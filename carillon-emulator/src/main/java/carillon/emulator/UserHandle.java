package carillon.emulator;

import java.util.Map;
import java.util.Optional;

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

  /** Sets the language of this user's Discord client ({@code en-US}, {@code vi}, ...), sent with interactions. */
  public void setLocale(String locale) {
    synchronized (world) {
      world.locales.put(id, java.util.Objects.requireNonNull(locale, "locale"));
    }
  }

  /**
   * Runs a slash command of {@code bot} in a channel, as a Discord client would: {@code command} is the
   * command and its subcommand path ({@code "carillon play"}), {@code options} its options by name
   * (strings, whole numbers, numbers or booleans; ids for users, channels and roles).
   *
   * @return the interaction, whose reply the bot will send
   * @throws IllegalArgumentException if the bot registered no such command for the guild or globally, or the
   *     subcommand or an option is unknown, of the wrong type, out of range, or a required one is missing
   * @throws CommandNotAvailableException if Discord would hide the command from this member (its default
   *     member permissions are not theirs)
   */
  public Interaction runSlashCommand(long channelId, BotAccount bot, String command, Map<String, ?> options) {
    synchronized (world) {
      return new SlashInvocation(world, channelId, bot, id, command).dispatch(2, options, Optional.empty());
    }
  }

  /**
   * Types into an option registered with autocomplete, as a Discord client does while the member types:
   * the bot receives an autocomplete interaction with {@code option} focused and {@code typed} as its
   * value, plus the options already filled in.
   *
   * <pre>{@code
   * List<Interaction.Choice> offered = alice.autocomplete(notices, bot, "carillon play", "session", "Mor", Map.of())
   *     .awaitChoices(Duration.ofSeconds(10));
   * }</pre>
   */
  public Interaction autocomplete(long channelId, BotAccount bot, String command, String option, String typed,
      Map<String, ?> filledIn) {
    synchronized (world) {
      Map<String, Object> options = new java.util.LinkedHashMap<>(filledIn);
      options.put(option, typed);
      return new SlashInvocation(world, channelId, bot, id, command).dispatch(4, options, Optional.of(option));
    }
  }

  @Override
  public String toString() {
    return "User[" + name + " " + id + "]";
  }
}
