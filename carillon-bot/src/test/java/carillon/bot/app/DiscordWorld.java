package carillon.bot.app;

import carillon.bot.config.Config;
import carillon.bot.config.ConfigLoader;
import carillon.bot.config.Secret;
import carillon.bot.library.AudioItem;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The whole application, as {@code ./carillon run} wires it, against the emulator: a guild with a text
 * channel, two voice channels and a role, two bot accounts, and Carillon on a data directory that
 * {@link #restart()} reopens.
 */
final class DiscordWorld implements AutoCloseable {
  final DiscordEmulator discord;
  final GuildHandle guild;
  final long notices;
  final long hall;
  final long garden;
  final long members;
  final BotAccount bell;
  final BotAccount gong;
  final Path dataDir;
  private final List<Carillon> started = new ArrayList<>();
  Carillon carillon;

  private final Map<String, String> env;

  DiscordWorld(Path dir, int accounts) throws Exception {
    this(dir, accounts, Map.of());
  }

  /** {@code env}: more configuration, as environment variables (CARILLON_COMMANDS_ROLE, say). */
  DiscordWorld(Path dir, int accounts, Map<String, String> env) throws Exception {
    this(dir, accounts, env, Clock.systemUTC());
  }

  /** {@code clock}: Discord's clock (snowflakes, the interaction deadline), which a test may move by hand. */
  DiscordWorld(Path dir, int accounts, Map<String, String> env, Clock clock) throws Exception {
    this(dir, accounts, world -> env, clock);
  }

  /**
   * {@code env} is asked once the emulated world exists and before Carillon starts: configuration that names
   * something of the world (an OAuth2 client registered for a bot, say).
   */
  DiscordWorld(Path dir, int accounts, Function<DiscordWorld, Map<String, String>> env, Clock clock) throws Exception {
    discord = DiscordEmulator.builder().clock(clock).voice(VoiceServer.start()).start();
    guild = discord.createGuild("Sangha");
    notices = guild.createTextChannel("notices");
    hall = guild.createVoiceChannel("Meditation Hall");
    garden = guild.createVoiceChannel("Garden");
    members = guild.createRole("members", 0);
    bell = discord.createBot("Carillon Bell");
    gong = discord.createBot("Carillon Gong");
    dataDir = dir.resolve("data");
    guild.addMember(bell);
    if (accounts > 1) {
      guild.addMember(gong);
    }
    this.env = env.apply(this);
    carillon = start(accounts);
  }

  private int accounts;

  private Carillon start(int count) throws Exception {
    accounts = count;
    List<Config.Account> list = new ArrayList<>(List.of(new Config.Account("bell", new Secret(bell.token()), 1)));
    if (count > 1) {
      list.add(new Config.Account("gong", new Secret(gong.token()), 1));
    }
    Map<String, String> all = new HashMap<>(env);
    all.putAll(Map.of("CARILLON_DATA_DIR", dataDir.toString(), "CARILLON_SHUTDOWN_TIMEOUT", "8s",
        "CARILLON_WEB_ADDRESS", "127.0.0.1:0"));
    Config config = ConfigLoader.load(Optional.empty(), all).withAccounts(list);
    Carillon c = new Carillon(new Carillon.Settings(config, discord::configure, Optional.empty()));
    started.add(c);
    return c;
  }

  /** A new Carillon on the same data directory, as a restarted process. */
  Carillon restart() throws Exception {
    carillon = start(accounts);
    return carillon;
  }

  /**
   * The process dies without any shutdown step: the store is closed under the running tasks, so nothing more
   * is recorded, and Discord sees the bots go. The store closes first: a run that ends when its bot account goes
   * must not record that end.
   */
  void crash() {
    carillon.scheduler().stop();
    carillon.db().close();
    carillon.accounts().close();
    carillon.releaseStoreLockAsACrashWould();
  }

  AudioItem audio(String name, byte[] wav) throws Exception {
    Path file = Files.write(Files.createDirectories(dataDir.getParent().resolve("uploads")).resolve(name + ".wav"), wav);
    return carillon.library().importFile(file, name);
  }

  Session session(SessionSpec spec) throws Exception {
    return carillon.sessions().create(spec);
  }

  List<VoiceConnectionSnapshot> voice(BotAccount bot) {
    return discord.voiceConnections().stream().filter(c -> c.userId() == bot.id()).toList();
  }

  /** The dominant frequency of part of a connection's PCM, by zero crossings of the left channel. */
  double frequency(VoiceConnectionSnapshot connection, VoiceConnectionSnapshot.Spurt spurt) {
    short[] pcm = discord.voicePcm(connection.id()).orElseThrow();
    int crossings = 0;
    int frames = 0;
    // Skip the fades at both ends (50 ms each).
    for (int i = spurt.pcmFrom() + 2 * 4800; i + 2 < spurt.pcmTo() - 2 * 4800; i += 2) {
      if ((pcm[i] < 0) != (pcm[i + 2] < 0)) {
        crossings++;
      }
      frames++;
    }
    return crossings / 2.0 / (frames / 48_000.0);
  }

  /** RMS of the left channel over {@code span} ending {@code before} the end of the connection's PCM. */
  double level(VoiceConnectionSnapshot connection, Duration span, Duration before) {
    short[] pcm = discord.voicePcm(connection.id()).orElseThrow();
    int end = pcm.length - (int) (before.toMillis() * 96);
    int start = Math.max(0, end - (int) (span.toMillis() * 96));
    double sum = 0;
    int n = 0;
    for (int i = start - start % 2; i < end; i += 2) {
      sum += (double) pcm[i] * pcm[i];
      n++;
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }

  @Override
  public void close() {
    started.forEach(Carillon::close);
    discord.close();
  }
}
