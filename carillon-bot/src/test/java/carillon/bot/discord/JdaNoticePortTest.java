package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;
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
}
