package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real Carillon process while a run is paused at 40 % (issue 12: it came back playing at
 * 100 %, and a second crash replayed it from the start): the restarted process resumes it paused, at 40 %,
 * at its volume, and so does the process after a second kill -9.
 */
class KillNineTest {
  private static final Pattern PAUSED = Pattern.compile("PAUSED position=(\\d+)");
  private static final Pattern RESUMED = Pattern.compile("RESUMED paused=(\\w+) volume=(\\d+) position=(-?\\d+)");
  @TempDir Path dir;

  private Process child(String phase, Path output) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml", CrashChild.class.getName(), phase,
        dir.resolve("data").toString()).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("CARILLON_"));
    return builder.start();
  }

  private static Matcher awaitLine(Path output, Pattern pattern) throws IOException {
    await().atMost(Duration.ofSeconds(120)).until(() -> pattern.matcher(read(output)).find());
    Matcher line = pattern.matcher(read(output));
    assertThat(line.find()).isTrue();
    return line;
  }

  private static String read(Path output) throws IOException {
    return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
  }

  private static void killNine(Process process) throws InterruptedException {
    process.destroyForcibly(); // SIGKILL: nothing runs in the process after it
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  @Test
  void killedWhilePausedAt40PercentItResumesPausedAt40PercentAtItsVolumeTwice() throws Exception {
    List<Process> started = new ArrayList<>();
    try {
      Path firstOut = dir.resolve("first.txt");
      Process first = child("first", firstOut);
      started.add(first);
      long pausedAt = Long.parseLong(awaitLine(firstOut, PAUSED).group(1));
      assertThat(pausedAt).isBetween(3_900L, 4_500L);
      killNine(first);

      for (String attempt : List.of("second", "third")) {
        Path out = dir.resolve(attempt + ".txt");
        Process resumed = child("resume", out);
        started.add(resumed);
        Matcher state = awaitLine(out, RESUMED);
        assertThat(state.group(1)).as("%s process: paused; output:%n%s", attempt, read(out)).isEqualTo("true");
        assertThat(Integer.parseInt(state.group(2))).as("%s process: volume", attempt).isEqualTo(60);
        assertThat(Long.parseLong(state.group(3))).as("%s process: position in ms", attempt)
            .isBetween(pausedAt - 1_000, pausedAt + 1_000);
        killNine(resumed);
      }
    } finally {
      started.forEach(Process::destroyForcibly);
    }
  }
}
