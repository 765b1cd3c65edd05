package carillon.bot.app;

import carillon.bot.library.AudioProbe;
import carillon.emulator.Standalone;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The peer for {@link StreamsBenchmark}: a minimal discord.js 14 + @discordjs/voice bot
 * ({@code compat/js/peer-streams.js}, versions pinned by its package-lock.json) playing the same Ogg/Opus
 * file (Carillon's own encoding of the same tone) in N guilds of the same emulator, demuxed and sent
 * without decoding, as Carillon's passthrough does. Figures: the node process's CPU per stream (from
 * /proc, over the same 20 s window), and the emulator's inter-arrival statistics per stream; the
 * emulator's own receive cost is this JVM's CPU over the window (it runs nothing else), reported apart so
 * that both bots are compared without it. Run with {@code scripts/benchmark-peer N [N ...]}; needs node and
 * {@code npm ci} in compat/js.
 */
public final class PeerStreamsBenchmark {
  private static final Duration TRACK = Duration.ofSeconds(30);
  private static final Duration WINDOW_START = Duration.ofSeconds(4);
  private static final Duration WINDOW = Duration.ofSeconds(20);
  private static final long TICKS_PER_SECOND = 100; // Linux USER_HZ

  private PeerStreamsBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = args.length > 0 ? List.of(args).stream().map(Integer::valueOf).toList() : List.of(1, 100);
    Path work = Files.createTempDirectory("carillon-peer-");
    Path wav = Files.write(work.resolve("tone.wav"), DemoAudio.tone(440, TRACK.toSeconds()));
    Path opus = work.resolve("tone.opus");
    try (AudioProbe probe = new AudioProbe()) {
      probe.transcode(wav, 0, opus, "tone");
    }
    Path js = Path.of("compat/js").toAbsolutePath();
    if (!Files.isDirectory(js.resolve("node_modules/@discordjs/voice"))) {
      throw new IllegalStateException("compat/js has no node_modules: run npm ci there");
    }
    System.out.printf(Locale.ROOT, "Peer streams benchmark (discord.js + @discordjs/voice, Ogg/Opus demuxed and sent as it is),"
        + " %d cores, node %s; %d s tracks, CPU and jitter over %d s%n", Runtime.getRuntime().availableProcessors(),
        version(), TRACK.toSeconds(), WINDOW.toSeconds());
    System.out.println("streams  node cpu/stream(% of a core)  node cpu total(cores)  emulator receive(cores)"
        + "  inter-arrival p50/p99(median of streams)  p99(worst stream)  max  spurts>1");
    for (int streams : sizes) {
      measure(streams, work, js, opus);
    }
  }

  private static String version() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    return v;
  }

  private static void measure(int streams, Path work, Path js, Path opus) throws Exception {
    Path dir = Files.createTempDirectory(work, "peer" + streams + "-");
    StringBuilder world = new StringBuilder("{\"bots\": [{\"name\": \"Peer\"}], \"users\": [], \"guilds\": [");
    for (int i = 0; i < streams; i++) {
      world.append(i == 0 ? "" : ",").append("{\"name\": \"Guild ").append(i)
          .append("\", \"members\": [\"Peer\"], \"channels\": [{\"name\": \"Hall\", \"type\": \"voice\"}]}");
    }
    Path worldFile = Files.writeString(dir.resolve("world.json"), world.append("]}").toString());
    try (Standalone emulator = Standalone.start(Optional.of(worldFile), dir.resolve("voice.pem"))) {
      JsonNode description = emulator.description();
      Path descriptionFile = Files.writeString(dir.resolve("description.json"), description.toString());
      ProcessBuilder builder = new ProcessBuilder("node", "peer-streams.js", descriptionFile.toString(), "Peer",
          opus.toString()).directory(js.toFile()).redirectError(dir.resolve("node.err").toFile());
      builder.environment().put("NODE_EXTRA_CA_CERTS", description.get("certificate").asText());
      Process node = builder.start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread.ofVirtual().start(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("error " + e);
        }
      });
      try {
        expect(lines, "playing ", Duration.ofMinutes(3), dir);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        TimeUnit.MILLISECONDS.sleep(WINDOW_START.toMillis()); // a benchmark's fixed warm-up, not a synchronisation
        long nodeBefore = cpuTicks(node.pid());
        long jvmBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(WINDOW.toMillis());
        long nodeTicks = cpuTicks(node.pid()) - nodeBefore;
        long jvm = os.getProcessCpuTime() - jvmBefore;
        long wall = System.nanoTime() - wallBefore;
        expect(lines, "idle ", TRACK.plusMinutes(1), dir);
        long bot = description.get("bots").get("Peer").get("id").asLong();
        List<VoiceConnectionSnapshot> heard = new ArrayList<>(emulator.discord().voiceConnections().stream()
            .filter(c -> c.userId() == bot).toList());
        double[] p50 = heard.stream().mapToDouble(c -> c.interArrivalP50().toNanos() / 1e6).sorted().toArray();
        double[] p99 = heard.stream().mapToDouble(c -> c.interArrivalP99().toNanos() / 1e6).sorted().toArray();
        double max = heard.stream().mapToDouble(c -> c.interArrivalMax().toNanos() / 1e6).max().orElse(0);
        long split = heard.stream().filter(c -> c.spurts().size() > 1).count();
        double nodeCores = nodeTicks / (double) TICKS_PER_SECOND / (wall / 1e9);
        System.out.printf(Locale.ROOT, "%7d  %28.2f  %21.2f  %23.2f  %18.1f / %-22.1f  %16.1f  %6.1f  %d (%d streams heard)%n",
            streams, nodeCores * 100 / streams, nodeCores, (double) jvm / wall, median(p50), median(p99),
            p99.length == 0 ? 0 : p99[p99.length - 1], max, split, heard.size());
      } finally {
        node.outputWriter().write("quit\n");
        node.outputWriter().flush();
        if (!node.waitFor(10, TimeUnit.SECONDS)) {
          node.destroyForcibly();
        }
      }
    }
  }

  private static void expect(BlockingQueue<String> lines, String prefix, Duration within, Path dir) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IllegalStateException("the peer did not print '" + prefix + "' within " + within + "; see "
            + dir.resolve("node.err"));
      }
      if (line.startsWith("error")) {
        throw new IllegalStateException("the peer failed: " + line);
      }
      if (line.startsWith(prefix)) {
        return;
      }
    }
  }

  /** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static double median(double[] sorted) {
    return sorted.length == 0 ? Double.NaN : sorted[(sorted.length - 1) / 2];
  }
}
