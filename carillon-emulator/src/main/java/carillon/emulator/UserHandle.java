package carillon.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A person in the emulated Discord: sends messages, joins and leaves voice channels, runs slash commands
 * (with subcommands and options) and types into autocompleted options, in their client's language.
 *
 * <pre>{@code
 * UserHandle alice = discord.createUser("alice");
 * guild.addMember(alice);
 * alice.setLocale("vi");
 * alice.joinVoice(guild, hall);
 * Interaction run = alice.runSlashCommand(notices, bot, "carillon play", Map.of("session", "Morning"));
 * assertThat(run.awaitReply(Duration.ofSeconds(10)).content()).contains("Morning");
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
   * Sets the language of this user's Discord client, sent as {@code locale} with their interactions (JDA's
   * {@code getUserLocale()}); {@code en-US} until set.
   *
   * @param locale one of Discord's locale codes: {@code en-US}, {@code vi}, {@code fr}, {@code pt-BR}, ...
   * @throws IllegalArgumentException if Discord has no such locale
   */
  public void setLocale(String locale) {
    World.checkLocale("locale", locale);
    synchronized (world) {
      world.locales.put(id, locale);
    }
  }

  /**
   * Runs a slash command of {@code bot} in a channel, as a Discord client would. {@code command} is the
   * command's name and its subcommand path ({@code "carillon play"}, {@code "carillon admin reset"});
   * {@code options} are the options of that subcommand by name: text for string options, {@code Integer}
   * or {@code Long} for integer ones, any {@code Number} for number ones, {@code Boolean}, and ids
   * ({@code Long}, or a string of digits) for user, channel, role and mentionable ones.
   *
   * <pre>{@code
   * Interaction run = alice.runSlashCommand(notices, bot, "carillon volume", Map.of("percent", 60));
   * assertThat(run.awaitReply(Duration.ofSeconds(10)).content()).contains("60%");
   * }</pre>
   *
   * <p>The bot receives the member's permissions as Discord computes them (owner and administrators have
   * all; else {@code @everyone} and their roles), its own as {@code app_permissions}, this user's
   * {@link #setLocale locale} and the guild's, and the users, roles and channels options name, resolved.
   *
   * @return the interaction, whose reply the bot will send
   * @throws IllegalArgumentException if the bot registered no such chat-input command for the guild or
   *     globally, or is not in the guild, or the path does not end at a subcommand the command has, or an
   *     option is unknown, of the wrong type, out of range or length, not one of its choices, names an
   *     unknown user, role or channel, or a required one is missing: nothing a client could send
   * @throws CommandNotAvailableException if Discord would not offer the command to this member here: they
   *     cannot see the channel, lack Use Application Commands or the command's default member permissions,
   *     or the command is not usable in servers
   */
  public Interaction runSlashCommand(long channelId, BotAccount bot, String command, Map<String, ?> options) {
    synchronized (world) {
      return new SlashInvocation(world, channelId, bot, id, command)
          .dispatch(Interaction.APPLICATION_COMMAND, options, Optional.empty());
    }
  }

  /**
   * Types into an option registered with autocomplete, as a Discord client does while the member types:
   * the bot receives an autocomplete interaction with {@code option} focused and {@code typed} as its
   * value (text, whatever the option's type), plus the options already filled in, checked as for
   * {@link #runSlashCommand}. Required options may still be missing.
   *
   * <pre>{@code
   * List<Interaction.Choice> offered = alice.autocomplete(notices, bot, "carillon play", "session", "Mor", Map.of())
   *     .awaitChoices(Duration.ofSeconds(10));
   * assertThat(offered).extracting(Interaction.Choice::name).containsExactly("Morning");
   * }</pre>
   *
   * @return the interaction, whose {@link Interaction#awaitChoices choices} the bot will send
   * @throws IllegalArgumentException as {@link #runSlashCommand}, and if {@code option} was not registered
   *     with autocomplete
   * @throws CommandNotAvailableException as {@link #runSlashCommand}
   */
  public Interaction autocomplete(long channelId, BotAccount bot, String command, String option, String typed,
      Map<String, ?> filledIn) {
    synchronized (world) {
      Map<String, Object> options = new LinkedHashMap<>(filledIn);
      options.put(option, Objects.requireNonNull(typed, "typed"));
      return new SlashInvocation(world, channelId, bot, id, command)
          .dispatch(Interaction.APPLICATION_COMMAND_AUTOCOMPLETE, options, Optional.of(option));
    }
  }

  /**
   * Presses "Interested" on a scheduled event (SCHEDULED or ACTIVE), as in Discord's client; bots with the
   * GUILD_SCHEDULED_EVENTS intent receive GUILD_SCHEDULED_EVENT_USER_ADD.
   *
   * @throws IllegalArgumentException if not a member, or the event has ended
   */
  public void markInterested(GuildHandle guild, long eventId) {
    world.setInterested(guild.id(), eventId, id, true);
  }

  /** Takes back "Interested"; bots receive GUILD_SCHEDULED_EVENT_USER_REMOVE. */
  public void unmarkInterested(GuildHandle guild, long eventId) {
    world.setInterested(guild.id(), eventId, id, false);
  }

  /**
   * This user's privacy setting "Allow direct messages from server members" (on until changed): with
   * it off, a bot's direct message is refused with 403 {@code {"code": 50007}}.
   */
  public void allowDirectMessages(boolean allowed) {
    synchronized (world) {
      if (allowed) {
        world.closedDms.remove(id);
      } else {
        world.closedDms.add(id);
      }
    }
  }

  /** The direct messages this user received from bots, oldest first. */
  public List<SentMessage> directMessages() {
    return world.directMessages(id);
  }

  @Override
  public String toString() {
    return "User[" + name + " " + id + "]";
  }
}
