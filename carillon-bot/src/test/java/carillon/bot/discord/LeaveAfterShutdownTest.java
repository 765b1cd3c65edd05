package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import carillon.bot.config.Secret;
import carillon.bot.playback.VoicePort;
import carillon.bot.playback.VoiceSlot;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.voice.VoiceServer;
import com.sedmelluq.discord.lavaplayer.player.DefaultAudioPlayerManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run leaves its voice channel when it ends, whatever ended it; its bot account may have shut down first (the
 * process stops, Discord ended the account, a crash test closes it). JDA closed every voice connection when it
 * shut down and refuses work from then on: leaving is then done already, not a failure.
 */
class LeaveAfterShutdownTest {

  @Test
  void leavingAVoiceChannelAfterTheBotAccountShutDownIsDoneAlreadyNotAFailure() throws Exception {
    DefaultAudioPlayerManager players = new DefaultAudioPlayerManager();
    try (DiscordEmulator discord = DiscordEmulator.builder().voice(VoiceServer.start()).start()) {
      GuildHandle guild = discord.createGuild("Sangha");
      long hall = guild.createVoiceChannel("Meditation Hall");
      BotAccount bot = discord.createBot("Carillon");
      guild.addMember(bot);
      BotAccounts accounts = BotAccounts.login(List.of(new BotAccounts.Login("carillon", new Secret(bot.token()), 1)),
          discord::configure, name -> List.of(), Duration.ofSeconds(30));
      try {
        VoicePort.Connection joined = new JdaVoicePort(accounts, players, Optional.empty())
            .join(new VoiceSlot("carillon", guild.id()), hall, "Evening sit");
        assertThat(discord.voiceChannelOf(guild, bot.id())).contains(hall);

        accounts.close(); // JDA shuts down under the connection

        // Before: AudioManagerImpl.closeAudioConnection threw RejectedExecutionException from JDA's terminated
        // audio pool, which escaped ActiveRun.play's finally: the run was never recorded as ended, its slot never
        // freed, and the shutdown waited for it until its timeout.
        assertThatCode(joined::leave).doesNotThrowAnyException();
      } finally {
        accounts.close();
        players.shutdown();
      }
    }
  }
}
