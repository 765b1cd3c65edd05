package carillon.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./carillon demo` in its own process, stopped with a real SIGTERM while its session plays. */
class SignalShutdownTest {
  @TempDir Path dir;

  private List<String> output() throws IOException {
    return Files.readAllLines(dir.resolve("output.txt"), StandardCharsets.UTF_8);
  }

  @Test
  void sigtermMidSessionEndsPlaybackWithANoticeRecordsTheRunAndExitsZeroWithinTheTimeout() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml", Main.class.getName(), "demo", "--start-in", "3")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("output.txt").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("CARILLON_"));
    builder.environment().put("CARILLON_WEB_ADDRESS", "127.0.0.1:0");
    Process process = builder.start();
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> output().stream().anyMatch(l -> l.contains("Morning meditation has started")));
      long signalled = System.nanoTime();
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited; output:%n%s", String.join("\n", output())).isTrue();
      Duration took = Duration.ofNanos(System.nanoTime() - signalled);
      List<String> lines = output();

      assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
      assertThat(took).as("the 8 s shutdown timeout").isLessThan(Duration.ofSeconds(8));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("SIGTERM received: shutting down"))
          .anySatisfy(l -> assertThat(l).contains("Morning meditation has ended"))
          .anySatisfy(l -> assertThat(l).contains("Carillon stopped"));
      assertThat(lines).noneSatisfy(l -> assertThat(l).contains("ERROR"));

      assertThat(lines).anySatisfy(l -> assertThat(l).contains("Run 1 of 'Morning meditation' ended INTERRUPTED"));
      // The demo's store is temporary: it is gone once the demo has ended.
      Matcher data = Pattern.compile("data directory: (\\S+)").matcher(String.join("\n", lines));
      assertThat(data.find()).isTrue();
      assertThat(Path.of(data.group(1))).doesNotExist();
    } finally {
      process.destroyForcibly();
    }
  }
}
