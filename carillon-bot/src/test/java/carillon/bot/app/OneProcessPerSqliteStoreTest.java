package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.Main;
import carillon.bot.config.Config;
import carillon.bot.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second Carillon on the same SQLite store is refused, whether it is another process (a real child JVM
 * running {@code carillon run}) or another instance here; once the first has stopped, the store is free.
 */
class OneProcessPerSqliteStoreTest {
  @TempDir Path dir;

  @Test
  void aSecondProcessOnTheSameSqliteStoreIsRefusedWithTheReasonAndTheFirstKeepsRunning() throws Exception {
    try (DiscordWorld world = new DiscordWorld(dir, 1)) {
      String java = ProcessHandle.current().info().command().orElseThrow();
      ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
          System.getProperty("java.class.path"), Main.class.getName(), "run")
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("second.txt").toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("CARILLON_"));
      builder.environment().putAll(Map.of("CARILLON_DATA_DIR", world.dataDir.toString(),
          "CARILLON_WEB_ADDRESS", "127.0.0.1:0", "CARILLON_ACCOUNTS_MAIN_TOKEN", "not-used"));
      Process second = builder.start();
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = Files.readString(dir.resolve("second.txt"), StandardCharsets.UTF_8);
      assertThat(second.exitValue()).as(output).isEqualTo(1);
      assertThat(output).contains("another Carillon process (pid " + ProcessHandle.current().pid() + ")")
          .contains("use PostgreSQL").doesNotContain("Exception");
      assertThat(world.carillon.sessions().enabled()).isEmpty(); // the first still answers from its store

      Config config = ConfigLoader.load(Optional.empty(), Map.of("CARILLON_DATA_DIR", world.dataDir.toString(),
          "CARILLON_WEB_ADDRESS", "127.0.0.1:0"));
      assertThatThrownBy(() -> new Carillon(new Carillon.Settings(config, world.discord::configure, Optional.empty())))
          .isInstanceOf(Carillon.StartException.class).hasMessageContaining("another Carillon process");

      world.carillon.close();
      try (Carillon next = new Carillon(new Carillon.Settings(config, world.discord::configure, Optional.empty()))) {
        assertThat(next.sessions().enabled()).isEmpty();
      }
    }
  }
}
