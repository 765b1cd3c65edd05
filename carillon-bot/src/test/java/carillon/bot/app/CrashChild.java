package carillon.bot.app;

import carillon.bot.config.Config;
import carillon.bot.config.ConfigLoader;
import carillon.bot.config.Secret;
import carillon.bot.library.AudioItem;
import carillon.bot.playback.ActiveRun;
import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.voice.VoiceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Carillon process for {@link KillNineTest}, killed with SIGKILL by it: the emulator and Carillon in one
 * process, on a data directory that outlives it. The emulator's clock is fixed so that each process's
 * guild, channels and bot get the same snowflakes, as Discord keeps them while a bot restarts.
 *
 * <p>{@code first DIR}: plays a 10 s tone, pauses it at 40 % (4 s) at volume 60, prints
 * {@code PAUSED position=<ms>} and waits to be killed. {@code resume DIR}: lets crash recovery resume the
 * run, waits 5 s (the run saves its progress meanwhile), prints
 * {@code RESUMED paused=<bool> volume=<percent> position=<ms>} and waits to be killed.
 */
final class CrashChild {
  static final Duration TONE = Duration.ofSeconds(10);
  static final Duration PAUSE_AT = Duration.ofSeconds(4);

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    boolean first = args[0].equals("first");
    Path dataDir = Path.of(args[1]);
    DiscordEmulator discord = DiscordEmulator.builder()
        .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).voice(VoiceServer.start()).start();
    GuildHandle guild = discord.createGuild("Crash");
    long notices = guild.createTextChannel("notices");
    long hall = guild.createVoiceChannel("Hall");
    BotAccount bot = discord.createBot("Carillon Bell");
    guild.addMember(bot);
    Config config = ConfigLoader.load(Optional.empty(), Map.of("CARILLON_DATA_DIR", dataDir.toString(),
        "CARILLON_WEB_ADDRESS", "127.0.0.1:0")).withAccounts(List.of(new Config.Account("bell", new Secret(bot.token()), 1)));
    Carillon carillon = new Carillon(new Carillon.Settings(config, discord::configure, Optional.empty()));
    if (first) {
      Path wav = Files.write(Files.createDirectories(dataDir.resolve("child-audio")).resolve("tone.wav"),
          DemoAudio.tone(432, TONE.toSeconds()));
      AudioItem tone = carillon.library().importFile(wav, "Tone");
      Instant start = carillon.time().now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
      CompletableFuture<ActiveRun> playing = new CompletableFuture<>();
      carillon.playback().onChange(run -> run.currentTrack().ifPresent(track -> playing.complete(run)));
      Session session = carillon.sessions().create(SessionSpec.builder(guild.id(), "Talk").voiceChannel(hall)
          .textChannel(notices).schedule("once " + start).playlist(List.of(tone.id())).gap(Duration.ZERO)
          .lateGrace(Duration.ofMinutes(5)).build());
      ActiveRun run = playing.get(60, TimeUnit.SECONDS);
      carillon.time().sleepUntil(carillon.time().now().plus(PAUSE_AT.minus(run.trackElapsed().orElseThrow())));
      carillon.commands().submitAndWait(new CommandRequest(CommandKind.PAUSE, session.id(), null, CommandSource.CLI,
          "test"), Duration.ofSeconds(10));
      carillon.commands().submitAndWait(new CommandRequest(CommandKind.VOLUME, session.id(), 60, CommandSource.CLI,
          "test"), Duration.ofSeconds(10));
      System.out.println("PAUSED position=" + run.trackElapsed().orElseThrow().toMillis());
    } else {
      ActiveRun run = carillon.playback().all().getFirst(); // crash recovery resumed it while Carillon started
      run.joinedVoice().get(60, TimeUnit.SECONDS);
      carillon.time().sleepUntil(carillon.time().now().plusSeconds(5));
      System.out.println("RESUMED paused=" + run.isPaused() + " volume=" + run.volume() + " position="
          + run.trackElapsed().map(Duration::toMillis).orElse(-1L));
    }
    System.out.flush();
    new CountDownLatch(1).await(); // until killed
  }
}
