package carillon.bot.discord;

import carillon.bot.playback.NoticePort;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;

/**
 * Session notices as embeds in the session's text channel, sent by a bot account that is in the guild.
 * English only so far (the resource bundles in several languages are still to come).
 */
public final class JdaNoticePort implements NoticePort {
  private final Map<String, JDA> accounts;

  public JdaNoticePort(Map<String, JDA> accounts) {
    this.accounts = Map.copyOf(accounts);
  }

  @Override
  public void reminder(Session session, Instant start) throws NoticeException {
    send(session, new EmbedBuilder().setTitle(session.name() + " starts soon")
        .setDescription("Starts <t:" + start.getEpochSecond() + ":R> in <#" + session.voiceChannelId() + ">.").build(),
        true);
  }

  @Override
  public void started(Session session, VoiceSlot slot) throws NoticeException {
    send(session, new EmbedBuilder().setTitle(session.name() + " has started")
        .setDescription(session.startText().orElse("Join us in <#" + session.voiceChannelId() + ">.")).build(), true);
  }

  @Override
  public void ended(Session session, Duration ran, List<String> tracksPlayed) throws NoticeException {
    send(session, new EmbedBuilder().setTitle(session.name() + " has ended")
        .setDescription(session.endText().orElse("Ran " + ran.toMinutes() + " min " + ran.toSecondsPart() + " s."))
        .addField("Played", tracksPlayed.isEmpty() ? "nothing" : String.join("\n", tracksPlayed), false).build(), false);
  }

  @Override
  public void trackSkipped(Session session, String track, String reason) throws NoticeException {
    send(session, new EmbedBuilder().setTitle("Skipped a track").setDescription("'" + track + "': " + reason).build(), false);
  }

  @Override
  public void skippedBusy(Session session, Instant scheduledAt) throws NoticeException {
    send(session, new EmbedBuilder().setTitle(session.name() + " could not start")
        .setDescription("Every voice slot of this server stayed busy.").build(), false);
  }

  private void send(Session session, MessageEmbed embed, boolean mention) throws NoticeException {
    if (session.textChannelId().isEmpty()) {
      return;
    }
    long channelId = session.textChannelId().get();
    TextChannel channel = accounts.values().stream()
        .map(jda -> Optional.ofNullable(jda.getTextChannelById(channelId)))
        .flatMap(Optional::stream).findFirst()
        .orElseThrow(() -> new NoticeException("no bot account sees text channel " + channelId, null));
    var message = channel.sendMessageEmbeds(embed);
    if (mention && session.mentionRoleId().isPresent()) {
      message = message.setContent("<@&" + session.mentionRoleId().get() + ">");
    }
    try {
      message.complete();
    } catch (ErrorResponseException | InsufficientPermissionException e) {
      throw new NoticeException("could not post in #" + channel.getName() + ": " + e.getMessage(), e);
    }
  }
}
