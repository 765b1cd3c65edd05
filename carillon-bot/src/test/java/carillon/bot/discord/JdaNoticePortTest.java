package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.bot.playback.NoticePort;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.session.Session;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.EmulatorExtension;
import carillon.emulator.GuildHandle;
import carillon.emulator.SentMessage;
import carillon.tasks.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import carillon.bot.config.Secret;
import java.util.Locale;
import carillon.bot.playback.Notifier;
import carillon.tasks.TaskGroup;
import carillon.tasks.TaskInfo;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.stream.IntStream;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/** Notices through the real JDA: in the guild's language, and Discord's refusals as NoticeExceptions. */
@ExtendWith(EmulatorExtension.class)
class JdaNoticePortTest {

  static Session session(GuildHandle guild, long voice, long text) {
    return new Session(1, guild.id(), "Thiền sáng", voice, Optional.of(text), Optional.empty(),
        Schedule.parse("daily 07:00 Asia/Ho_Chi_Minh"), List.of("a".repeat(64)), Duration.ZERO, Optional.empty(),
        false, Duration.ZERO, Optional.empty(), Optional.empty(), true, Duration.ZERO, Instant.EPOCH);
  }

  @Test
  void noticesAreWrittenInTheGuildsLanguage(DiscordEmulator discord) throws Exception {
    GuildHandle english = discord.createGuild("Sangha");
    long englishText = english.createTextChannel("notices");
    long englishVoice = english.createVoiceChannel("Hall");
    GuildHandle vietnamese = discord.createGuild("Tăng đoàn");
    vietnamese.setPreferredLocale("vi");
    long vietText = vietnamese.createTextChannel("thong-bao");
    long vietVoice = vietnamese.createVoiceChannel("Thiền đường");
    BotAccount bot = discord.createBot("Carillon");
    english.addMember(bot);
    vietnamese.addMember(bot);
    try (BotAccounts accounts = BotAccounts.login(List.of(new BotAccounts.Login("carillon", new Secret(bot.token()), 1)),
        discord::configure, name -> List.of(), Duration.ofSeconds(30))) {
      JdaNoticePort notices = new JdaNoticePort(accounts, Locale.ENGLISH);
      notices.ended(session(english, englishVoice, englishText), Duration.ofSeconds(75), List.of("Bell"));
      notices.ended(session(vietnamese, vietVoice, vietText), Duration.ofSeconds(75), List.of("Chuông"));
      assertThat(discord.messages(englishText)).flatExtracting(SentMessage::embeds)
          .containsExactly(new SentMessage.Embed("Thiền sáng has ended", "Ran 1 min 15 s."));
      assertThat(discord.messages(vietText)).flatExtracting(SentMessage::embeds)
          .containsExactly(new SentMessage.Embed("Thiền sáng đã kết thúc", "Kéo dài 1 phút 15 giây."));

      discord.failRoute("POST", "/channels/" + englishText + "/messages", 403, 1);
      assertThatThrownBy(() -> notices.started(session(english, englishVoice, englishText), new VoiceSlot("carillon", english.id())))
          .isInstanceOf(NoticePort.NoticeException.class)
          .hasMessageStartingWith("could not post in #notices: 50013: Missing Permissions");
    }
  }

  @Test
  void aGuildsOwnLanguageSettingComesBeforeItsDiscordLocale(DiscordEmulator discord) throws Exception {
    GuildHandle chosen = discord.createGuild("Sangha"); // Discord says English; the guild chose Vietnamese
    long chosenText = chosen.createTextChannel("notices");
    long chosenVoice = chosen.createVoiceChannel("Hall");
    GuildHandle unset = discord.createGuild("Other"); // no choice: Discord's locale, here English
    long unsetText = unset.createTextChannel("notices");
    long unsetVoice = unset.createVoiceChannel("Hall");
    BotAccount bot = discord.createBot("Carillon");
    chosen.addMember(bot);
    unset.addMember(bot);
    try (BotAccounts accounts = login(bot, discord)) {
      JdaNoticePort notices = new JdaNoticePort(accounts, new GuildLanguage(
          guild -> guild == chosen.id() ? Optional.of(Locale.forLanguageTag("vi")) : Optional.empty(), Locale.ENGLISH));
      notices.ended(session(chosen, chosenVoice, chosenText), Duration.ofSeconds(75), List.of("Chuông"));
      notices.ended(session(unset, unsetVoice, unsetText), Duration.ofSeconds(75), List.of("Bell"));
      assertThat(discord.messages(chosenText)).flatExtracting(SentMessage::embeds)
          .containsExactly(new SentMessage.Embed("Thiền sáng đã kết thúc", "Kéo dài 1 phút 15 giây."));
      assertThat(discord.messages(unsetText)).flatExtracting(SentMessage::embeds)
          .containsExactly(new SentMessage.Embed("Thiền sáng has ended", "Ran 1 min 15 s."));
    }
  }

  private static BotAccounts login(BotAccount bot, DiscordEmulator discord) throws Exception {
    return BotAccounts.login(List.of(new BotAccounts.Login("carillon", new Secret(bot.token()), 1)), discord::configure,
        name -> List.of(), Duration.ofSeconds(30));
  }

  /** A guild with a notice channel and a voice channel, and a bot in it. */
  private record Sangha(GuildHandle guild, long text, long voice, BotAccount bot) {
    static Sangha in(DiscordEmulator discord) {
      GuildHandle guild = discord.createGuild("Sangha");
      long text = guild.createTextChannel("notices");
      long voice = guild.createVoiceChannel("Hall");
      BotAccount bot = discord.createBot("Carillon");
      guild.addMember(bot);
      return new Sangha(guild, text, voice, bot);
    }

    Session session() {
      return JdaNoticePortTest.session(guild, voice, text);
    }
  }

  @Test
  void anEndNoticeWhosePlayedTracksPassAFieldsLimitIsPostedWithHowManyMore(DiscordEmulator discord) throws Exception {
    Sangha sangha = Sangha.in(discord);
    long text = sangha.text();
    List<String> played = IntStream.range(0, 80).mapToObj(i -> "Track " + i + " of the long evening chant").toList();
    try (BotAccounts accounts = login(sangha.bot(), discord)) {
      new JdaNoticePort(accounts, Locale.ENGLISH).ended(sangha.session(), Duration.ofMinutes(40), played);
      SentMessage posted = discord.messages(text).getLast();
      assertThat(posted.embeds()).containsExactly(new SentMessage.Embed("Thiền sáng has ended", "Ran 40 min 0 s."));
      // Read back through JDA: the emulator keeps the fields as Discord does.
      MessageEmbed embed = accounts.textChannel(text).orElseThrow().retrieveMessageById(posted.id()).complete()
          .getEmbeds().getFirst();
      String value = embed.getFields().getFirst().getValue();
      assertThat(value.length()).isLessThanOrEqualTo(1024);
      List<String> lines = value.lines().toList();
      assertThat(lines.getFirst()).isEqualTo("Track 0 of the long evening chant");
      assertThat(lines.getLast()).isEqualTo("… and " + (80 - (lines.size() - 1)) + " more.");
    }
  }

  @Test
  void missingNoticePermissionsAreOneWarningPerChannelStateNeverAStackTrace(DiscordEmulator discord) throws Exception {
    Sangha sangha = Sangha.in(discord);
    GuildHandle guild = sangha.guild();
    long text = sangha.text();
    long embedLinks = Permission.MESSAGE_EMBED_LINKS.getRawValue();
    guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS | embedLinks);
    guild.overwriteForRole(text, guild.id(), 0, embedLinks);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger notifierLog = (Logger) LoggerFactory.getLogger(Notifier.class);
    log.start();
    root.addAppender(log);
    notifierLog.setLevel(Level.INFO);
    TaskGroup tasks = TaskGroup.create("notices");
    try (BotAccounts accounts = login(sangha.bot(), discord)) {
      TextChannel channel = accounts.textChannel(text).orElseThrow();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> !channel.getGuild().getSelfMember().hasPermission(channel, Permission.MESSAGE_EMBED_LINKS));
      Notifier notifier = new Notifier(new JdaNoticePort(accounts, Locale.ENGLISH), tasks);
      Session session = sangha.session();
      for (int i = 1; i <= 3; i++) {
        notifier.started(session, new VoiceSlot("carillon", guild.id()));
        awaitNotices(tasks, i);
      }
      assertThat(discord.messages(text)).isEmpty();
      assertThat(log.list).noneMatch(e -> e.getThrowableProxy() != null).noneMatch(e -> e.getLevel() == Level.ERROR);
      assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("Notices to channel " + text + " cannot be sent: missing permission Embed Links in #notices;"
              + " later notices there are not logged until this changes");

      guild.removeOverwrite(text, guild.id());
      await().atMost(Duration.ofSeconds(10))
          .until(() -> channel.getGuild().getSelfMember().hasPermission(channel, Permission.MESSAGE_EMBED_LINKS));
      notifier.started(session, new VoiceSlot("carillon", guild.id()));
      awaitNotices(tasks, 4);
      assertThat(discord.messages(text)).hasSize(1);
      assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO).extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("Notices to channel " + text + " are delivered again");
    } finally {
      root.detachAppender(log);
      notifierLog.setLevel(null);
      tasks.shutdown(Duration.ofSeconds(5));
    }
  }

  private static void awaitNotices(TaskGroup tasks, int ended) {
    await().atMost(Duration.ofSeconds(10)).until(() -> tasks.snapshot().stream()
        .filter(t -> t.state() != TaskInfo.State.RUNNING).count() >= ended);
  }
}
