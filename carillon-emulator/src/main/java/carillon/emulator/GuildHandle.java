package carillon.emulator;

import java.time.Instant;

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
      // Bots see the change, as on Discord: JDA recomputes the member's permissions from it.
      var event = world.memberJson(world.guild(id), member, true);
      event.put("guild_id", Long.toString(id));
      world.dispatchToGuild(id, "GUILD_MEMBER_UPDATE", event);
    }
  }

  private void addMember(long userId) {
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

  @Override
  public String toString() {
    return "Guild[" + name + " " + id + "]";
  }
}
