package carillon.bot.discord;

import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.guild.Role;
import carillon.bot.playback.Slots;
import java.util.ArrayList;
import java.util.List;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.events.channel.ChannelCreateEvent;
import net.dv8tion.jda.api.events.channel.ChannelDeleteEvent;
import net.dv8tion.jda.api.events.channel.update.ChannelUpdateNameEvent;
import net.dv8tion.jda.api.events.guild.GuildJoinEvent;
import net.dv8tion.jda.api.events.guild.GuildLeaveEvent;
import net.dv8tion.jda.api.events.guild.GuildReadyEvent;
import net.dv8tion.jda.api.events.guild.update.GuildUpdateNameEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;

/**
 * Keeps the store's channel and role cache and the voice slots in step with what one bot account sees:
 * on guild ready and join, and when channels are created, renamed or deleted.
 */
public final class GuildCacheSync extends ListenerAdapter {
  private final String account;
  private final GuildDirectory directory;
  private final Slots slots;

  public GuildCacheSync(String account, GuildDirectory directory, Slots slots) {
    this.account = account;
    this.directory = directory;
    this.slots = slots;
  }

  @Override
  public void onGuildReady(GuildReadyEvent event) {
    slots.join(account, event.getGuild().getIdLong());
    sync(event.getGuild());
  }

  @Override
  public void onGuildJoin(GuildJoinEvent event) {
    slots.join(account, event.getGuild().getIdLong());
    sync(event.getGuild());
  }

  /** An account that is shut down, by Carillon or for good by Discord, plays nowhere any more. */
  @Override
  public void onShutdown(ShutdownEvent event) {
    slots.leaveAll(account);
  }

  @Override
  public void onGuildLeave(GuildLeaveEvent event) {
    slots.leave(account, event.getGuild().getIdLong());
  }

  @Override
  public void onChannelCreate(ChannelCreateEvent event) {
    if (event.isFromGuild()) {
      sync(event.getGuild());
    }
  }

  @Override
  public void onChannelDelete(ChannelDeleteEvent event) {
    if (event.isFromGuild()) {
      sync(event.getGuild());
    }
  }

  @Override
  public void onChannelUpdateName(ChannelUpdateNameEvent event) {
    if (event.isFromGuild()) {
      sync(event.getGuild());
    }
  }

  @Override
  public void onGuildUpdateName(GuildUpdateNameEvent event) {
    directory.setName(event.getGuild().getIdLong(), event.getNewName());
  }

  private void sync(Guild guild) {
    directory.setName(guild.getIdLong(), guild.getName());
    List<Channel> channels = new ArrayList<>();
    guild.getTextChannels().forEach(c -> channels.add(new Channel(guild.getIdLong(), c.getIdLong(), c.getName(), Channel.Kind.TEXT)));
    guild.getVoiceChannels().forEach(c -> channels.add(new Channel(guild.getIdLong(), c.getIdLong(), c.getName(), Channel.Kind.VOICE)));
    List<Role> roles = guild.getRoles().stream().map(r -> new Role(guild.getIdLong(), r.getIdLong(), r.getName())).toList();
    directory.replaceGuild(guild.getIdLong(), channels, roles);
  }
}
