package carillon.bot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive that {@code ./mvnw package} makes runs on a machine with only a JDK: unpacked, its
 * launcher and a plain {@code java -jar} start Carillon without a warning (native access is granted by the
 * jar's manifest, not by a flag a user would have to know).
 */
class ReleaseArchiveIT {
  @TempDir Path dir;

  @Test
  void theUnpackedArchiveRunsWithItsLauncherAndWithJavaJarWithoutWarnings() throws Exception {
    Path archive;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      archive = files.filter(f -> f.getFileName().toString().matches("carillon-[0-9].*\\.tar\\.gz"))
          .findFirst().orElseThrow(() -> new AssertionError("no release archive in target/"));
    }
    Path unpackedInto = Files.createDirectory(dir.resolve("unpacked"));
    assertThat(run(List.of("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", unpackedInto.toString())).exit())
        .isZero();
    Path home;
    try (Stream<Path> unpacked = Files.list(unpackedInto)) {
      home = unpacked.findFirst().orElseThrow();
    }
    assertThat(home.resolve("lib")).isDirectory();
    assertThat(home.resolve("docs/operations.md")).isRegularFile();
    assertThat(Files.isExecutable(home.resolve("carillon"))).isTrue();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (List<String> command : List.of(List.of(home.resolve("carillon").toString(), "config"),
        List.of(java, "-jar", home.resolve("carillon-bot.jar").toString(), "config"))) {
      Result result = run(command);
      assertThat(result.exit()).as("%s:%n%s", command, result.output()).isZero();
      assertThat(result.output()).as("%s", command).contains("The configuration is valid").contains("voice: ")
          .doesNotContain("WARNING");
    }
  }

  record Result(int exit, String output) {}

  private Result run(List<String> command) throws IOException, InterruptedException {
    Path output = dir.resolve("output.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("CARILLON_"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("CARILLON_DATA_DIR", dir.resolve("data").toString());
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not end within 2 minutes");
    }
    return new Result(process.exitValue(), Files.readString(output));
  }
}
