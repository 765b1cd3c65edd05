package carillon.bot.discord;

import carillon.bot.config.Setting;
import carillon.bot.playback.NoticePort;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.session.Session;
import carillon.bot.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;

/**
 * Session notices as embeds in the session's text channel, sent by a bot account that is in the guild,
 * in the guild's language: the texts are in {@code carillon/bot/discord/notices*.properties} (English,
 * the default, and Vietnamese). A session's own start and end texts replace the standard descriptions.
 *
 * <p>Every notice is fitted to Discord's embed limits ({@link DiscordLimits}): a played-track list longer
 * than a field holds ends with "… and N more". Before sending, the bot's permissions in the channel are
 * checked (View Channel, Send Messages, Embed Links): a missing one is a {@link NoticeException} naming it
 * and the channel, as is Discord refusing the message; nothing here throws anything else for Discord's
 * sake.
 */
public final class JdaNoticePort implements NoticePort {
  private static final String BUNDLE = "carillon.bot.discord.notices";
  /** What posting an embed needs in the channel. */
  private static final List<Permission> NEEDED =
      List.of(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND, Permission.MESSAGE_EMBED_LINKS);

  private final BotAccounts accounts;
  private final GuildLanguage language;

  /** {@code fallback}: the language of guilds whose Discord locale has no texts here. */
  public JdaNoticePort(BotAccounts accounts, Locale fallback) {
    this(accounts, GuildLanguage.byDiscordLocale(fallback));
  }

  /** {@code language}: which language to post in, per guild. */
  public JdaNoticePort(BotAccounts accounts, GuildLanguage language) {
    this.accounts = accounts;
    this.language = language;
  }

  @Override
  public void reminder(Session session, Instant start) throws NoticeException {
    send(session, true, texts -> DiscordLimits.embed(texts.format("reminder.title", session.name()),
        texts.format("reminder.description", session.name(), "<t:" + start.getEpochSecond() + ":R>",
            "<#" + session.voiceChannelId() + ">"), List.of()));
  }

  @Override
  public void started(Session session, VoiceSlot slot) throws NoticeException {
    send(session, true, texts -> DiscordLimits.embed(texts.format("started.title", session.name()),
        session.startText().orElse(texts.format("started.description", session.name(), "<#" + session.voiceChannelId() + ">")),
        List.of()));
  }

  @Override
  public void ended(Session session, Duration ran, List<String> tracksPlayed) throws NoticeException {
    send(session, false, texts -> DiscordLimits.embed(texts.format("ended.title", session.name()),
        session.endText().orElse(texts.format("ended.description", session.name(), ran.toMinutes(), ran.toSecondsPart())),
        List.of(played(texts, tracksPlayed))));
  }

  @Override
  public void cutShort(Session session, Duration ran, List<String> tracksPlayed, String reason) throws NoticeException {
    send(session, false, texts -> DiscordLimits.embed(texts.format("cutshort.title", session.name()),
        texts.format("cutshort.description", session.name(), ran.toMinutes(), ran.toSecondsPart(), reason),
        List.of(played(texts, tracksPlayed))));
  }

  @Override
  public void couldNotStart(Session session, String reason) throws NoticeException {
    send(session, false, texts -> DiscordLimits.embed(texts.format("notstarted.title", session.name()),
        texts.format("notstarted.description", session.name(), reason), List.of()));
  }

  @Override
  public void crashed(Session session, Duration ran, int tracksPlayed, String why) throws NoticeException {
    send(session, false, texts -> DiscordLimits.embed(texts.format("crashed.title", session.name()),
        texts.format("crashed.description", session.name(), ran.toMinutes(), ran.toSecondsPart(), tracksPlayed, why),
        List.of()));
  }

  @Override
  public void trackSkipped(Session session, String track, String reason) throws NoticeException {
    send(session, false, texts -> DiscordLimits.embed(texts.format("skipped.title", session.name()),
        texts.format("skipped.description", session.name(), track, reason), List.of()));
  }

  @Override
  public void skippedBusy(Session session, Instant scheduledAt) throws NoticeException {
    send(session, false, texts -> DiscordLimits.embed(texts.format("busy.title", session.name()),
        texts.format("busy.description", session.name()), List.of()));
  }


  /** The field listing the tracks a run played, shortened to Discord's field limit with "… and N more". */
  private static DiscordLimits.Field played(Texts texts, List<String> tracksPlayed) {
    return new DiscordLimits.Field(texts.format("ended.played"), tracksPlayed.isEmpty() ? texts.format("ended.nothing")
        : DiscordLimits.list(tracksPlayed, "\n", DiscordLimits.FIELD_VALUE, n -> texts.format("more", n)));
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
    Member self = channel.getGuild().getSelfMember();
    List<Permission> missing = NEEDED.stream().filter(p -> !self.hasPermission(channel, p)).toList();
    if (!missing.isEmpty()) {
      throw new NoticeException("missing permission " + missing.stream().map(Permission::getName)
          .collect(Collectors.joining(", ")) + " in #" + channel.getName(), null);
    }
    MessageEmbed embed = notice.build(Texts.of(BUNDLE, language.of(channel.getGuild())));
    try {
      var message = channel.sendMessageEmbeds(embed);
      if (mention && session.mentionRoleId().isPresent()) {
        message = message.setContent("<@&" + session.mentionRoleId().get() + ">");
      }
      message.complete();
    } catch (InsufficientPermissionException e) {
      // JDA's own check, should the permissions have changed since ours.
      throw new NoticeException("missing permission " + e.getPermission().getName() + " in #" + channel.getName(), e);
    } catch (ErrorResponseException e) {
      throw new NoticeException("could not post in #" + channel.getName() + ": " + e.getMessage(), e);
    }
  }
}
