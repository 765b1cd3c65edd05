package carillon.bot.discord;

import carillon.bot.app.DemoAudio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.library.AudioItem;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.library.AudioProbe;
import carillon.bot.playback.Notifier;
import carillon.bot.playback.Playback;
import carillon.bot.playback.SessionStarter;
import carillon.bot.playback.Slots;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.SentMessage;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import com.sedmelluq.discord.lavaplayer.player.DefaultAudioPlayerManager;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioSourceManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import carillon.bot.config.Secret;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot core on (emulated) Discord: a scheduled session is heard in its voice channel, with notices. */
class ScheduledSessionOnDiscordTest {
  @TempDir Path dir;

  @Test
  void aScheduledSessionPlaysItsPlaylistInTheVoiceChannelAndPostsItsNotices() throws Exception {
    TimeSource time = TimeSource.system();
    TaskGroup tasks = TaskGroup.create("e2e");
    DefaultAudioPlayerManager players = new DefaultAudioPlayerManager();
    players.registerSourceManager(new LocalAudioSourceManager());
    try (DiscordEmulator discord = DiscordEmulator.builder().voice(VoiceServer.start()).start();
         Database db = Database.openSqlite(dir.resolve("data/carillon.db"));
         AudioProbe probe = new AudioProbe()) {
      GuildHandle guild = discord.createGuild("Sangha");
      long hall = guild.createVoiceChannel("Meditation Hall");
      long notices = guild.createTextChannel("notices");
      BotAccount bot = discord.createBot("Carillon");
      guild.addMember(bot);
      BotAccounts accounts = BotAccounts.login(List.of(new BotAccounts.Login("carillon", new Secret(bot.token()), 1)),
          discord::configure, name -> List.of(), Duration.ofSeconds(30));
      try {
        GuildDirectory guilds = new GuildDirectory(db);
        guilds.replaceGuild(guild.id(), List.of(new Channel(guild.id(), hall, "Meditation Hall", Channel.Kind.VOICE),
            new Channel(guild.id(), notices, "notices", Channel.Kind.TEXT)), List.of());
        AudioLibrary library = new AudioLibrary(dir.resolve("data"), db, Clock.systemUTC(), probe, 50_000_000, new LoudnessTarget(-18));
        AudioItem chime = library.importFile(Files.write(dir.resolve("chime.wav"),
            DemoAudio.tone(660, 1.5)), "Chime");
        AudioItem tone = library.importFile(Files.write(dir.resolve("tone.wav"),
            DemoAudio.tone(440, 1.0)), "Tone");

        Sessions sessions = new Sessions(db, guilds, time);
        Runs runs = new Runs(db);
        Slots slots = new Slots();
        slots.join("carillon", guild.id());
        Notifier notifier = new Notifier(new JdaNoticePort(accounts, Locale.ENGLISH), tasks);
        Playback playback = new Playback(new JdaVoicePort(accounts, players, Optional.empty()), notifier, library::track, time, tasks,
            runs, slots);
        SessionStarter starter = new SessionStarter(sessions, runs, slots, playback, time);
        Scheduler scheduler = new Scheduler(sessions, runs, slots, playback, starter, notifier, time, tasks);
        scheduler.start();

        Instant start = time.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        Session session = sessions.create(SessionSpec.builder(guild.id(), "Evening sit").voiceChannel(hall)
            .textChannel(notices).schedule("once " + start).playlist(List.of(chime.id(), tone.id()))
            .gap(Duration.ofMillis(500)).lateGrace(Duration.ofMinutes(5)).build());

        await().atMost(Duration.ofSeconds(40)).until(() -> runs.forSession(session.id()).stream()
            .anyMatch(r -> r.outcome() == RunOutcome.COMPLETED));
        Run run = runs.forSession(session.id()).getFirst();
        assertThat(run.scheduledAt()).isEqualTo(start);
        assertThat(Duration.between(start, run.startedAt().orElseThrow())).isLessThan(Duration.ofMillis(500));
        assertThat(run.tracksPlayed()).isEqualTo(2);
        assertThat(run.account()).contains("carillon");

        VoiceConnectionSnapshot heard = discord.voiceConnections().getFirst();
        assertThat(heard.channelId()).isEqualTo(hall);
        assertThat(heard.decodedAudio()).isBetween(Duration.ofMillis(2400), Duration.ofMillis(2600));
        await().atMost(Duration.ofSeconds(10)).until(() -> discord.voiceChannelOf(guild, bot.id()).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> discord.messages(notices).size() == 2);
        assertThat(discord.messages(notices)).flatExtracting(SentMessage::embeds)
            .extracting(SentMessage.Embed::title).containsExactly("Evening sit has started", "Evening sit has ended");
        scheduler.stop();
      } finally {
        accounts.close();
        players.shutdown();
        tasks.shutdown(Duration.ofSeconds(5));
      }
    }
  }
}
