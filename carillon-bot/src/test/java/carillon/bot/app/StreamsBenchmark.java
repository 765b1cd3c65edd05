package carillon.bot.app;

import carillon.bot.config.Config;
import carillon.bot.config.ConfigLoader;
import carillon.bot.config.Secret;
import carillon.bot.discord.BotAccounts;
import carillon.bot.library.AudioItem;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import com.sedmelluq.discord.lavaplayer.jdaudp.NativeAudioSendFactory;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.dv8tion.jda.api.audio.AudioModuleConfig;

/**
 * N guilds playing at once through the emulator, with one bot account in all of them (as a bot in many
 * communities is). Every file is stored as Ogg/Opus at import, so every stream is passthrough whatever was
 * uploaded (a WAV here); what differs between runs is how JDA sends the packets: {@code jda}, its own send
 * loop (a thread per connection), or {@code udpqueue}, the native UDP queue of {@code club.minnced:udpqueue}
 * (as Lavalink uses: one native thread paces every connection's packets), side by side in one run.
 * Every guild has a session at the same scheduled instant.
 *
 * <p>Figures: CPU of the whole process (Carillon, JDA, LavaPlayer and the emulator's receive loop, whose
 * Opus decoding is deferred until after the window) per stream during a 20 s window; packet inter-arrival
 * p99 and max over all streams, as the emulator measured them on arrival; and scheduled instant to first
 * audio packet. Run with {@code scripts/benchmark-streams [SEND:N ...]}, SEND {@code jda} or {@code udpqueue}.
 */
public final class StreamsBenchmark {
  private static final Duration TRACK = Duration.ofSeconds(30);
  private static final Duration WINDOW_START = Duration.ofSeconds(4);
  private static final Duration WINDOW = Duration.ofSeconds(20);
  private static final Duration CREATE_LEAD = Duration.ofSeconds(5);
  private static final Duration CREATE_PER_SESSION = Duration.ofMillis(100);
  private static final int WARM_UP_STREAMS = 50;

  private StreamsBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> runs = args.length > 0 ? List.of(args)
        : List.of("jda:1", "udpqueue:1", "jda:100", "udpqueue:100", "jda:200", "udpqueue:200", "jda:500", "udpqueue:500");
    Path work = Files.createTempDirectory("carillon-streams-");
    Path wav = Files.write(work.resolve("tone.wav"), DemoAudio.tone(440, TRACK.toSeconds()));
    System.out.printf(Locale.ROOT, "Streams benchmark, %d cores, %s, Java %s; %d s tracks, CPU and jitter over %d s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), Runtime.version(), TRACK.toSeconds(),
        WINDOW.toSeconds());
    System.out.println("(one bot account in every guild, one shard per 50 guilds)");
    System.out.println("send      streams  cpu/stream(% of a core)  cpu total(cores)  inter-arrival p50/p99(median of streams)  p99(worst stream)  max  first audio p50/p99/max  spurts>1");
    // Each send system plays once first, unreported, in this JVM: the run measured first would otherwise also
    // pay for the JIT compiling Carillon's, JDA's and LavaPlayer's play path (it made the first run's first
    // audio p99 3.4 times the second's on 2026-12-01, whichever ran first).
    for (String send : runs.stream().map(run -> run.split(":")[0]).distinct().toList()) {
      measure(send + "(warm-up, not counted)", send, wav, WARM_UP_STREAMS, work);
    }
    for (String run : runs) {
      String[] parts = run.split(":");
      measure(parts[0], parts[0], wav, Integer.parseInt(parts[1]), work);
    }
  }

  private static void measure(String label, String send, Path audio, int streams, Path work) throws Exception {
    // What the run before left (its emulator's decoded audio, hundreds of MB) is collected now, not in
    // this run's window: G1's mixed collections of it paused every stream for 100-180 ms.
    System.gc();
    Path dataDir = Files.createTempDirectory(work, send + streams + "-");
    NativeAudioSendFactory nas = send.equals("udpqueue") ? new NativeAudioSendFactory() : null;
    if (nas == null && !send.equals("jda")) {
      throw new IllegalArgumentException("send system '" + send + "': use jda or udpqueue");
    }
    try (DiscordEmulator discord = DiscordEmulator.builder().voice(VoiceServer.start()).start()) {
      BotAccount bot = discord.createBot("Carillon");
      List<GuildHandle> guilds = new ArrayList<>();
      List<Long> halls = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        GuildHandle guild = discord.createGuild("Guild " + i);
        halls.add(guild.createVoiceChannel("Hall"));
        guild.addMember(bot);
        guilds.add(guild);
      }
      // The tone (0.3 of full scale, 440 Hz) measures -11.2 LUFS: played at that target it needs no gain, so
      // the Ogg/Opus file passes through, which is what this benchmark measures (docs/sessions.md, Loudness).
      Config config = ConfigLoader.load(Optional.empty(), Map.of("CARILLON_DATA_DIR", dataDir.toString(),
              "CARILLON_WEB_ADDRESS", "127.0.0.1:0", "CARILLON_PLAYBACK_TARGET_LOUDNESS", "-11.2"))
          .withAccounts(List.of(new Config.Account("bot", new Secret(bot.token()), shards(streams))));
      BotAccounts.Endpoint endpoint = nas == null ? discord::configure
          : builder -> discord.configure(builder).setAudioModuleConfig(new AudioModuleConfig().withAudioSendFactory(nas));
      try (Carillon carillon = new Carillon(new Carillon.Settings(config, endpoint, Optional.empty()))) {
        AudioItem item = carillon.library().importFile(audio, "Tone");
        // Far enough ahead that every session is created (each also creates its Discord scheduled event) and
        // planned before its start: a one-off instant already past is refused (docs/sessions.md).
        Instant start = carillon.time().now().plus(CREATE_LEAD).plus(CREATE_PER_SESSION.multipliedBy(streams))
            .truncatedTo(ChronoUnit.SECONDS);
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
          sessions.add(carillon.sessions().create(SessionSpec.builder(guilds.get(i).id(), "Session")
              .voiceChannel(halls.get(i)).schedule("once " + start).playlist(List.of(item.id())).gap(Duration.ZERO)
              .lateGrace(Duration.ofMinutes(5)).build()));
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        carillon.time().sleepUntil(start.plus(WINDOW_START));
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        carillon.time().sleepUntil(start.plus(WINDOW_START).plus(WINDOW));
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        Instant giveUp = start.plus(TRACK).plusSeconds(60);
        while (sessions.stream().anyMatch(s -> carillon.runs().forSession(s.id()).stream()
            .noneMatch(r -> r.outcome() != RunOutcome.RUNNING)) && carillon.time().now().isBefore(giveUp)) {
          carillon.time().sleepUntil(carillon.time().now().plusMillis(500));
        }
        long completed = sessions.stream().filter(s -> carillon.runs().forSession(s.id()).stream()
            .anyMatch(r -> r.outcome() == RunOutcome.COMPLETED)).count();
        List<VoiceConnectionSnapshot> heard = discord.voiceConnections();
        double[] p50 = heard.stream().mapToDouble(c -> c.interArrivalP50().toNanos() / 1e6).sorted().toArray();
        double[] p99 = heard.stream().mapToDouble(c -> c.interArrivalP99().toNanos() / 1e6).sorted().toArray();
        double max = heard.stream().mapToDouble(c -> c.interArrivalMax().toNanos() / 1e6).max().orElse(0);
        double[] first = heard.stream().flatMap(c -> c.firstAudioAt().stream())
            .mapToDouble(t -> Duration.between(start, t).toNanos() / 1e6).sorted().toArray();
        long split = heard.stream().filter(c -> c.spurts().size() > 1).count();
        double cores = (double) cpu / wall;
        System.out.printf(Locale.ROOT, "%-8s  %7d  %22.2f  %16.2f  %18.1f / %-22.1f  %16.1f  %6.1f  %7.0f / %.0f / %.0f ms  %d%s%n",
            label, streams, cores * 100 / streams, cores, median(p50), median(p99), p99.length == 0 ? 0 : p99[p99.length - 1],
            max, percentile(first, 0.5), percentile(first, 0.99), first.length == 0 ? 0 : first[first.length - 1], split,
            completed == streams ? "" : "  (only " + completed + " of " + streams + " runs completed)");
      }
    }
  }

  /**
   * Discord lets a gateway connection send 120 commands a minute, and each voice join is one: a bot that
   * must join many channels at once shards (as big bots do anyway), one shard per 50 guilds here.
   */
  static int shards(int guilds) {
    return Math.max(1, (guilds + 49) / 50);
  }

  private static double median(double[] sorted) {
    return percentile(sorted, 0.5);
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.clamp((int) Math.ceil(p * sorted.length) - 1, 0, sorted.length - 1)];
  }
}
