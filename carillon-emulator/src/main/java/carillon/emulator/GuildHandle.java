package carillon.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A guild of the emulated Discord: create channels and roles, add members. Bots that are members see the
 * changes as gateway events once connected.
 *
 * <pre>{@code
 * GuildHandle guild = discord.createGuild("Sangha");
 * long hall = guild.createVoiceChannel("Meditation Hall");
 * long notices = guild.createTextChannel("notices");
 * guild.addMember(bot);
 * guild.addMember(alice);
 * // alice may run commands that need Manage Server; other members may not
 * guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
 * guild.giveRole(alice.id(), guild.createRole("managers", 1L << 5));
 * }</pre>
 */
public final class GuildHandle {
  /** Discord's ADMINISTRATOR permission bit, which @everyone has here unless changed. */
  public static final long ADMINISTRATOR = 8;

  /**
   * What an ordinary member needs to take part: View Channels, Send Messages, Read Message History,
   * Connect, Speak and Use Application Commands (bits 10, 11, 16, 20, 21, 31). For tests about
   * permissions: {@code guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS)}, then give some
   * members a role with more.
   */
  public static final long MEMBER_PERMISSIONS = (1L << 10) | (1L << 11) | (1L << 16) | (1L << 20) | (1L << 21)
      | (1L << 31);

  private final World world;
  private final long id;
  private final String name;

  GuildHandle(World world, long id, String name) {
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

  public long createTextChannel(String channelName) {
    return createChannel(channelName, 0);
  }

  public long createVoiceChannel(String channelName) {
    return createChannel(channelName, 2);
  }

  /** A Stage channel (type 13): members who join are suppressed listeners until they become speakers. */
  public long createStageChannel(String channelName) {
    return createChannel(channelName, World.STAGE);
  }

  /**
   * Deletes a channel, as an administrator does: members in it (a voice or Stage channel) are disconnected
   * first (VOICE_STATE_UPDATE with channel null; a bot's voice WebSocket closes with 4014), an open Stage
   * instance ends (STAGE_INSTANCE_DELETE), then bots receive CHANNEL_DELETE. Its messages are kept.
   */
  public void deleteChannel(long channelId) {
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      Model.Channel channel = channelOf(guild, channelId);
      for (long userId : List.copyOf(guild.voice.keySet())) {
        if (guild.voice.get(userId) == channelId) {
          world.moveMember(id, userId, null);
        }
      }
      Model.StageInstance stage = guild.stages.remove(channelId);
      if (stage != null) {
        world.dispatchToGuild(id, "STAGE_INSTANCE_DELETE", world.stageJson(id, stage));
      }
      guild.channels.remove(channelId);
      world.dispatchToGuild(id, "CHANNEL_DELETE", world.channelJson(channel));
    }
  }

  /**
   * Sets a role's overwrite in a channel ({@code roleId} {@link #id()} is {@code @everyone}); connected
   * bots receive CHANNEL_UPDATE. {@code allow} and {@code deny} are Discord permission bits.
   */
  public void overwriteForRole(long channelId, long roleId, long allow, long deny) {
    synchronized (world) {
      if (!world.guild(id).roles.containsKey(roleId)) {
        throw new World.NotFound("role " + roleId);
      }
      setOverwrite(channelId, new Model.Overwrite(roleId, 0, allow, deny));
    }
  }

  /** Sets a member's own overwrite in a channel; connected bots receive CHANNEL_UPDATE. */
  public void overwriteForMember(long channelId, long userId, long allow, long deny) {
    synchronized (world) {
      if (!world.guild(id).members.containsKey(userId)) {
        throw new World.NotFound("member " + userId);
      }
      setOverwrite(channelId, new Model.Overwrite(userId, 1, allow, deny));
    }
  }

  /** Removes a role's or member's overwrite from a channel (if any); connected bots receive CHANNEL_UPDATE. */
  public void removeOverwrite(long channelId, long roleOrUserId) {
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      Model.Channel channel = channelOf(guild, channelId);
      if (channel.overwrites.remove(roleOrUserId) != null) {
        world.dispatchToGuild(id, "CHANNEL_UPDATE", world.channelJson(channel));
        world.updateHearing(guild);
      }
    }
  }

  private void setOverwrite(long channelId, Model.Overwrite overwrite) {
    Model.Guild guild = world.guild(id);
    Model.Channel channel = channelOf(guild, channelId);
    channel.overwrites.put(overwrite.id(), overwrite);
    world.dispatchToGuild(id, "CHANNEL_UPDATE", world.channelJson(channel));
    world.updateHearing(guild);
  }

  /**
   * A member's permissions in a channel, as Discord computes them: roles, Administrator, then the
   * channel's {@code @everyone}, role and member overwrites; nothing without View Channel.
   */
  public long permissions(long userId, long channelId) {
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      if (!guild.members.containsKey(userId)) {
        throw new World.NotFound("member " + userId);
      }
      return world.permissions(guild, userId, channelOf(guild, channelId));
    }
  }

  /**
   * Moves a member (user or bot) to a voice or Stage channel, or disconnects them with {@code null}, as a
   * moderator does. Bots receive VOICE_STATE_UPDATE; a moved bot then a VOICE_SERVER_UPDATE with a new
   * token; a disconnected bot's voice WebSocket is closed with 4014.
   *
   * @throws IllegalArgumentException if the user is not a member or the channel is not a voice or Stage one
   */
  public void moveMember(long userId, Long channelId) {
    world.moveMember(id, userId, channelId);
  }

  /**
   * Server-mutes or unmutes a member in voice, as a moderator does (VOICE_STATE_UPDATE with {@code mute}):
   * a muted bot's audio is not heard.
   */
  public void serverMute(long userId, boolean mute) {
    synchronized (world) {
      flagsOf(userId).mute = mute;
      world.setVoice(id, userId, world.guild(id).voice.get(userId));
    }
  }

  /**
   * Makes a member in a Stage a speaker ({@code false}) or a listener ({@code true}), as a Stage moderator
   * does; a listener's raised hand is lowered. VOICE_STATE_UPDATE with {@code suppress}.
   */
  public void setSuppressed(long userId, boolean suppressed) {
    synchronized (world) {
      Model.VoiceFlags flags = flagsOf(userId);
      flags.suppress = suppressed;
      flags.requestToSpeak = null;
      world.setVoice(id, userId, world.guild(id).voice.get(userId));
    }
  }

  private Model.VoiceFlags flagsOf(long userId) {
    Model.Guild guild = world.guild(id);
    if (!guild.voice.containsKey(userId)) {
      throw new IllegalArgumentException("user " + userId + " is not in a voice channel of " + name);
    }
    return guild.voiceFlags.computeIfAbsent(userId, u -> new Model.VoiceFlags());
  }

  private static Model.Channel channelOf(Model.Guild guild, long channelId) {
    Model.Channel channel = guild.channels.get(channelId);
    if (channel == null) {
      throw new World.NotFound("channel " + channelId);
    }
    return channel;
  }

  private long createChannel(String channelName, int type) {
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      long channelId = world.ids.next();
      Model.Channel channel = new Model.Channel(channelId, id, channelName, type, guild.channels.size());
      guild.channels.put(channelId, channel);
      world.dispatchToGuild(id, "CHANNEL_CREATE", world.channelJson(channel));
      return channelId;
    }
  }

  /** Creates a role with these permission bits and returns its id; connected bots receive GUILD_ROLE_CREATE. */
  public long createRole(String roleName, long permissions) {
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      long roleId = world.ids.next();
      Model.Role role = new Model.Role(roleId, roleName, permissions, guild.roles.size());
      guild.roles.put(roleId, role);
      var event = world.json.createObjectNode();
      event.put("guild_id", Long.toString(id));
      event.set("role", world.roleJson(role));
      world.dispatchToGuild(id, "GUILD_ROLE_CREATE", event);
      return roleId;
    }
  }

  /**
   * Sets the guild's preferred locale, which interactions carry as {@code guild_locale}; connected bots
   * receive GUILD_UPDATE.
   *
   * @param locale one of Discord's locale codes: {@code en-US}, {@code vi}, {@code fr}, ...
   * @throws IllegalArgumentException if Discord has no such locale
   */
  public void setPreferredLocale(String locale) {
    World.checkLocale("locale", locale);
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      guild.locale = locale;
      world.dispatchToGuild(id, "GUILD_UPDATE", world.guildCreateJson(guild));
    }
  }

  /**
   * Sets the permissions of @everyone (by default ADMINISTRATOR, so JDA's local checks pass); connected
   * bots receive GUILD_ROLE_UPDATE. Slash commands see the change at once: interactions carry the
   * member's permissions computed from @everyone and their roles.
   */
  public void setEveryonePermissions(long permissions) {
    synchronized (world) {
      Model.Role everyone = world.guild(id).roles.get(id);
      everyone.permissions = permissions;
      world.updateHearing(world.guild(id));
      var event = world.json.createObjectNode();
      event.put("guild_id", Long.toString(id));
      event.set("role", world.roleJson(everyone));
      world.dispatchToGuild(id, "GUILD_ROLE_UPDATE", event);
    }
  }

  public void addMember(UserHandle user) {
    addMember(user.id());
  }

  public void addMember(BotAccount bot) {
    addMember(bot.id());
  }

  /** Gives a member a role; connected bots receive GUILD_MEMBER_UPDATE. */
  public void giveRole(long userId, long roleId) {
    synchronized (world) {
      Model.Member member = world.guild(id).members.get(userId);
      if (member == null) {
        throw new World.NotFound("member " + userId);
      }
      if (!world.guild(id).roles.containsKey(roleId)) {
        throw new World.NotFound("role " + roleId);
      }
      member.roles.add(roleId);
      world.updateHearing(world.guild(id));
      // Bots see the change, as on Discord: JDA recomputes the member's permissions from it.
      var event = world.memberJson(world.guild(id), member, true);
      event.put("guild_id", Long.toString(id));
      world.dispatchToGuild(id, "GUILD_MEMBER_UPDATE", event);
    }
  }

  void addMember(long userId) {
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      world.account(userId);
      if (guild.members.containsKey(userId)) {
        return;
      }
      Model.Member member = new Model.Member(userId, Instant.ofEpochMilli(world.clock.millis()));
      guild.members.put(userId, member);
      if (world.account(userId).bot) {
        // A bot that joins a guild receives the whole guild.
        world.dispatchToBot(userId, id, "GUILD_CREATE", world.guildCreateJson(guild));
      }
      var event = world.memberJson(guild, member, true);
      event.put("guild_id", Long.toString(id));
      world.dispatchToGuild(id, "GUILD_MEMBER_ADD", event);
    }
  }

  /** The guild's scheduled events (ended ones too, until deleted), in the order they were created. */
  public List<ScheduledEventSnapshot> scheduledEvents() {
    synchronized (world) {
      return world.guild(id).events.values().stream().map(ScheduledEventSnapshot::of).toList();
    }
  }

  /**
   * A person with Manage Events edits an event in Discord's client: any of the fields of Discord's
   * "Modify Guild Scheduled Event" ({@code name}, {@code description}, {@code scheduled_start_time} as
   * ISO 8601 text, {@code scheduled_end_time}, {@code status} as a number), checked as Discord checks
   * them. Bots receive GUILD_SCHEDULED_EVENT_UPDATE.
   *
   * <pre>{@code
   * guild.editScheduledEvent(eventId, Map.of("name", "Morning sit (moved)",
   *     "scheduled_start_time", "2026-12-24T08:00:00Z"));
   * }</pre>
   *
   * @throws IllegalArgumentException when Discord would refuse the change (an ended event, a start in the
   *     past, a status change Discord does not allow...), with Discord's message
   * @throws World.NotFound (a RuntimeException) for an unknown event
   */
  public ScheduledEventSnapshot editScheduledEvent(long eventId, Map<String, ?> changes) {
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      Model.ScheduledEvent event = eventOf(guild, eventId);
      try {
        RestEvents.apply(world, guild, event, world.json.valueToTree(changes));
      } catch (Rest.DiscordError e) {
        throw new IllegalArgumentException(e.code + " " + e.getMessage() + (e.errors == null ? "" : " " + e.errors), e);
      }
      return ScheduledEventSnapshot.of(event);
    }
  }

  /** A person with Manage Events deletes an event; bots receive GUILD_SCHEDULED_EVENT_DELETE. */
  public void deleteScheduledEvent(long eventId) {
    synchronized (world) {
      Model.Guild guild = world.guild(id);
      RestEvents.remove(world, guild, eventOf(guild, eventId));
    }
  }

  private static Model.ScheduledEvent eventOf(Model.Guild guild, long eventId) {
    Model.ScheduledEvent event = guild.events.get(eventId);
    if (event == null) {
      throw new World.NotFound("scheduled event " + eventId);
    }
    return event;
  }

  @Override
  public String toString() {
    return "Guild[" + name + " " + id + "]";
  }
}
