package carillon.bot.discord;

import carillon.bot.app.DemoAudio;
import carillon.bot.library.AudioProbe;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What audio costs outside playback's passthrough: an import per minute of audio (decode and loudness,
 * then decode, gain and Opus encode) for WAV, MP3 and FLAC; and a fade (frames decoded, scaled and
 * encoded again) against passthrough. Figures are process CPU (LavaPlayer decodes on its own threads) and
 * wall time. Run with {@code scripts/benchmark-audio [MINUTES] [ROUNDS]}; needs lame and ffmpeg.
 */
public final class AudioCostBenchmark {
  private AudioCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createTempDirectory("carillon-audio-cost-");
    Path wav = Files.write(work.resolve("tone.wav"), DemoAudio.tone(440, minutes * 60.0));
    Path mp3 = convert(List.of("lame", "--quiet", "-b", "128", wav.toString(), work.resolve("tone.mp3").toString()),
        work.resolve("tone.mp3"));
    Path flac = convert(List.of("ffmpeg", "-loglevel", "error", "-y", "-i", wav.toString(), work.resolve("tone.flac").toString()),
        work.resolve("tone.flac"));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(Locale.ROOT, "Audio cost benchmark, %d cores, Java %s; %d min of audio, best of %d rounds%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version(), minutes, rounds);
    System.out.println("format  probe (decode+loudness) cpu/wall ms per min  encode (decode+gain+Opus) cpu/wall ms per min  total cpu ms per min");
    try (AudioProbe probe = new AudioProbe()) {
      for (Path file : List.of(wav, mp3, flac)) {
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int round = 0; round < rounds; round++) {
          long cpu0 = os.getProcessCpuTime();
          long wall0 = System.nanoTime();
          AudioProbe.Found found = probe.probe(file, "bench");
          long cpu1 = os.getProcessCpuTime();
          long wall1 = System.nanoTime();
          probe.transcode(found.playable(), -6, work.resolve("out.opus"), "bench");
          long cpu2 = os.getProcessCpuTime();
          long wall2 = System.nanoTime();
          double perMinute = found.duration().toMillis() / 60_000.0 * 1e6;
          best[0] = Math.min(best[0], (cpu1 - cpu0) / perMinute);
          best[1] = Math.min(best[1], (wall1 - wall0) / perMinute);
          best[2] = Math.min(best[2], (cpu2 - cpu1) / perMinute);
          best[3] = Math.min(best[3], (wall2 - wall1) / perMinute);
        }
        System.out.printf(Locale.ROOT, "%-6s  %20.0f / %-20.0f  %22.0f / %-22.0f  %10.0f%n",
            file.getFileName().toString().replaceAll(".*\\.", ""), best[0], best[1], best[2], best[3], best[0] + best[2]);
      }
    }
    fades(os);
  }

  /** Per 20 ms frame: passed through, and faded (decode, ramp, encode). */
  private static void fades(OperatingSystemMXBean os) {
    List<byte[]> packets = FaderTest.tone(3000); // 60 s
    LongAdder recoded = new LongAdder();
    for (int warm = 0; warm < 2; warm++) {
      try (Fader fader = new Fader(recoded)) {
        long t0 = System.nanoTime();
        for (byte[] p : packets) {
          fader.apply(p);
        }
        long passthrough = System.nanoTime() - t0;
        fader.fade(1, 0.001, Duration.ofMinutes(10)); // every frame from here on is inside the ramp
        long cpu0 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        for (byte[] p : packets) {
          fader.apply(p);
        }
        long faded = System.nanoTime() - t1;
        long cpu = os.getProcessCpuTime() - cpu0;
        if (warm == 1) {
          System.out.printf(Locale.ROOT, "fade: %.1f µs per faded 20 ms frame (cpu %.1f µs; %.2f %% of a core while a stream fades),"
                  + " passthrough %.2f µs per frame; a 3 s fade costs %.0f ms of CPU%n",
              faded / 1e3 / packets.size(), cpu / 1e3 / packets.size(), cpu / 1e9 / packets.size() / 0.02 * 100,
              passthrough / 1e3 / packets.size(), cpu / 1e6 / packets.size() * 150);
        }
      }
    }
  }

  private static Path convert(List<String> command, Path out) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed; install lame and ffmpeg");
    }
    return out;
  }
}
