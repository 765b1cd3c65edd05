package carillon.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: what each command prints and returns, without starting Discord. */
class MainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) throws Exception {
    return runWithInput("", env, args);
  }

  private int runWithInput(String input, Map<String, String> env, String... args) throws Exception {
    return Main.run(args, env, new java.io.BufferedReader(new java.io.StringReader(input)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void adminAddCreatesTheFirstAdminWithThePasswordFromStandardInput() throws Exception {
    Map<String, String> env = Map.of("CARILLON_DATA_DIR", dir.resolve("data").toString());
    assertThat(runWithInput("short\n", env, "admin", "add", "alice")).isEqualTo(2);
    assertThat(err()).contains("the admin account was not created", "password");
    assertThat(runWithInput("correct horse battery staple\n", env, "admin", "add", "alice")).isZero();
    assertThat(out()).contains("Admin 'alice' created");
    try (var db = carillon.bot.store.Database.openSqlite(dir.resolve("data/carillon.db"))) {
      assertThat(new carillon.bot.web.auth.AdminAccounts(db, carillon.tasks.TimeSource.system()).any()).isTrue();
    }
    assertThat(run(env, "admin", "add")).isEqualTo(2);
    assertThat(err()).contains("usage: ./carillon admin add NAME");
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void configPrintsTheEffectiveConfigurationWithTheTokenHidden() throws Exception {
    Path file = Files.writeString(dir.resolve("c.yaml"), "timeZone: Europe/Paris\naccounts:\n  bell: { shards: 2 }\n");
    int status = run(Map.of("CARILLON_ACCOUNTS_BELL_TOKEN", "very.secret.token"), "--config", file.toString(), "config");
    assertThat(status).isZero();
    assertThat(out()).contains("The configuration is valid", "timeZone: Europe/Paris", "bell: token set (hidden), 2 shards")
        .doesNotContain("very.secret.token");
  }

  @Test
  void anInvalidConfigurationListsEveryProblemAndExitsWithTwo() throws Exception {
    int status = run(Map.of("CARILLON_TIME_ZONE", "Nowhere", "CARILLON_LANGUAGE", "xx"), "run");
    assertThat(status).isEqualTo(2);
    assertThat(err()).contains("the configuration has 2 problem(s)", "timeZone (environment variable CARILLON_TIME_ZONE)",
        "language (environment variable CARILLON_LANGUAGE)").doesNotContain("Exception");
  }

  @Test
  void runWithoutAnAccountSaysHowToConfigureOne() throws Exception {
    assertThat(run(Map.of(), "run")).isEqualTo(2);
    assertThat(err()).contains("no bot account is configured", "CARILLON_ACCOUNTS_MAIN_TOKEN", "./carillon demo");
  }

  @Test
  void aMissingConfigFileOrUnknownCommandIsAClearError() throws Exception {
    assertThat(run(Map.of(), "--config", dir.resolve("nope.yaml").toString(), "run")).isEqualTo(2);
    assertThat(err()).contains("--config: the configuration file").contains("does not exist");
    assertThat(run(Map.of(), "launch")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'launch'", "run, demo, config, admin, emulator, help");
    assertThat(run(Map.of(), "demo", "--start-in", "soon")).isEqualTo(2);
    assertThat(err()).contains("--start-in takes whole seconds");
  }

  @Test
  void helpListsTheCommands() throws Exception {
    assertThat(run(Map.of(), "help")).isZero();
    assertThat(out()).contains("run ", "demo ", "config ", "a second signal forces the exit");
  }
}
