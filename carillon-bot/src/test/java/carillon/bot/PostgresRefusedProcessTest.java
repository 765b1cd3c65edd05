package carillon.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code carillon run} (a real process) against a PostgreSQL store it cannot use: a wrong password on a real
 * server that asks for one, and a port where nothing listens. Either is a setting to fix: one
 * {@code carillon:} line naming the server and PostgreSQL's message, no stack trace, status 2.
 */
class PostgresRefusedProcessTest {
  @TempDir Path dir;
  private Process process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void aWrongPasswordIsOneLineNamingTheServerAndPostgresMessage() throws Exception {
    Path data = dir.resolve("pg");
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(data).start()) {
      try (Connection admin = server.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
        sql.execute("CREATE ROLE carillon LOGIN PASSWORD 'the right password'");
        // The embedded server trusts everyone; make it ask Carillon's user for its password, as a real one does.
        Files.writeString(data.resolve("pg_hba.conf"), """
            local all all trust
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128 trust
            host all all 127.0.0.1/32 md5
            host all all ::1/128 md5
            """);
        sql.execute("SELECT pg_reload_conf()");
      }
      List<String> output = runCarillon(Map.of("CARILLON_DATABASE_URL",
          "jdbc:postgresql://localhost:" + server.getPort() + "/postgres", "CARILLON_DATABASE_PASSWORD", "wrong"));
      assertThat(process.exitValue()).as("%s", output).isEqualTo(2);
      assertOneLineRefusal(output, "localhost:" + server.getPort(), "password authentication failed for user \"carillon\"");
    }
  }

  @Test
  void anUnreachableServerIsOneLineNamingTheServer() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // closed again: nothing listens there
    }
    List<String> output = runCarillon(Map.of("CARILLON_DATABASE_URL",
        "jdbc:postgresql://127.0.0.1:" + port + "/carillon?password=secret", "CARILLON_DATABASE_PASSWORD", "x"));
    assertThat(process.exitValue()).as("%s", output).isEqualTo(2);
    assertOneLineRefusal(output, "127.0.0.1:" + port, "refused");
    assertThat(String.join("\n", output)).doesNotContain("secret");
  }

  private static void assertOneLineRefusal(List<String> output, String server, String postgresSays) {
    List<String> refusals = output.stream().filter(line -> line.startsWith("carillon: ")).toList();
    assertThat(refusals).as("%s", output).hasSize(1);
    assertThat(refusals.getFirst()).contains("cannot connect to the PostgreSQL store at " + server,
        "database.url", "CARILLON_DATABASE_URL", postgresSays, "database.password");
    assertThat(output).as("no stack trace").noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "));
  }

  private List<String> runCarillon(Map<String, String> env) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml", Main.class.getName(), "run"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.txt").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("CARILLON_"));
    builder.environment().put("CARILLON_WEB_ADDRESS", "127.0.0.1:0");
    builder.environment().put("CARILLON_DATA_DIR", dir.resolve("data").toString());
    builder.environment().put("CARILLON_ACCOUNTS_MAIN_TOKEN", "a-token-never-used");
    builder.environment().putAll(env);
    process = builder.start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("carillon run ended").isTrue();
    return Files.readAllLines(dir.resolve("output.txt"), StandardCharsets.UTF_8);
  }
}
