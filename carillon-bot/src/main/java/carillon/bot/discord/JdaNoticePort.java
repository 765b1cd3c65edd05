package carillon.bot.discord;

import carillon.bot.config.Setting;
import carillon.bot.playback.NoticePort;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;

/**
 * Session notices as embeds in the session's text channel, sent by a bot account that is in the guild,
 * in the guild's language: the texts are in {@code carillon/bot/discord/notices*.properties} (English,
 * the default, and Vietnamese). A session's own start and end texts replace the standard descriptions.
 */
public final class JdaNoticePort implements NoticePort {
  private static final String BUNDLE = "carillon.bot.discord.notices";

  private final BotAccounts accounts;
  private final Locale fallback;

  /** {@code fallback}: the language of guilds whose own language has no texts here. */
  public JdaNoticePort(BotAccounts accounts, Locale fallback) {
    this.accounts = accounts;
    this.fallback = fallback;
  }

  @Override
  public void reminder(Session session, Instant start) throws NoticeException {
    send(session, true, texts -> new EmbedBuilder().setTitle(texts.format("reminder.title", session.name()))
        .setDescription(texts.format("reminder.description", session.name(), "<t:" + start.getEpochSecond() + ":R>",
            "<#" + session.voiceChannelId() + ">")).build());
  }

  @Override
  public void started(Session session, VoiceSlot slot) throws NoticeException {
    send(session, true, texts -> new EmbedBuilder().setTitle(texts.format("started.title", session.name()))
        .setDescription(session.startText()
            .orElse(texts.format("started.description", session.name(), "<#" + session.voiceChannelId() + ">")))
        .build());
  }

  @Override
  public void ended(Session session, Duration ran, List<String> tracksPlayed) throws NoticeException {
    send(session, false, texts -> new EmbedBuilder().setTitle(texts.format("ended.title", session.name()))
        .setDescription(session.endText()
            .orElse(texts.format("ended.description", session.name(), ran.toMinutes(), ran.toSecondsPart())))
        .addField(texts.format("ended.played"),
            tracksPlayed.isEmpty() ? texts.format("ended.nothing") : String.join("\n", tracksPlayed), false)
        .build());
  }

  @Override
  public void crashed(Session session, Duration ran, int tracksPlayed, String why) throws NoticeException {
    send(session, false, texts -> new EmbedBuilder().setTitle(texts.format("crashed.title", session.name()))
        .setDescription(texts.format("crashed.description", session.name(), ran.toMinutes(), ran.toSecondsPart(),
            tracksPlayed, why))
        .build());
  }

  @Override
  public void trackSkipped(Session session, String track, String reason) throws NoticeException {
    send(session, false, texts -> new EmbedBuilder().setTitle(texts.format("skipped.title", session.name()))
        .setDescription(texts.format("skipped.description", session.name(), track, reason)).build());
  }

  @Override
  public void skippedBusy(Session session, Instant scheduledAt) throws NoticeException {
    send(session, false, texts -> new EmbedBuilder().setTitle(texts.format("busy.title", session.name()))
        .setDescription(texts.format("busy.description", session.name())).build());
  }


  private interface Notice {
    MessageEmbed build(Texts texts);
  }

  private void send(Session session, boolean mention, Notice notice) throws NoticeException {
    if (session.textChannelId().isEmpty()) {
      return;
    }
    long channelId = session.textChannelId().get();
    TextChannel channel = accounts.textChannel(channelId).orElseThrow(() -> new NoticeException("no bot account sees text channel " + channelId, null));
    Locale language = channel.getGuild().getLocale().toLocale();
    if (!Setting.LANGUAGES.contains(language.getLanguage())) {
      language = fallback;
    }
    var message = channel.sendMessageEmbeds(notice.build(Texts.of(BUNDLE, language)));
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
