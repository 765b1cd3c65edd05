package carillon.bot;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.store.Database;
import carillon.bot.store.StoreLock;
import carillon.bot.web.auth.AdminAccounts;
import carillon.tasks.TimeSource;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
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
    return Main.run(args, env, new BufferedReader(new StringReader(input)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void adminAddCreatesTheFirstAdminWithThePasswordFromStandardInput() throws Exception {
    Map<String, String> env = Map.of("CARILLON_DATA_DIR", dir.resolve("data").toString());
    assertThat(runWithInput("short\n", env, "admin", "add", "alice")).isEqualTo(2);
    assertThat(err()).contains("the admin account was not created", "password");
    assertThat(runWithInput("correct horse battery staple\n", env, "admin", "add", "alice")).isZero();
    assertThat(out()).contains("Admin 'alice' created");
    try (var db = Database.openSqlite(dir.resolve("data/carillon.db"))) {
      assertThat(new AdminAccounts(db, TimeSource.system()).any()).isTrue();
    }
    assertThat(run(env, "admin", "add")).isEqualTo(2);
    assertThat(err()).contains("Missing required parameter: 'NAME'", "Usage: carillon admin add");
  }

  /** backup then restore through the command line: the admin account made before is there afterwards. */
  @Test
  void backupAndRestoreRoundTripThroughTheCommandLine() throws Exception {
    Map<String, String> env = Map.of("CARILLON_DATA_DIR", dir.resolve("data").toString());
    assertThat(runWithInput("correct horse battery staple\n", env, "admin", "add", "alice")).isZero();
    Path archive = dir.resolve("carillon.zip");
    assertThat(run(env, "backup", archive.toString())).as(err()).isZero();
    assertThat(out()).contains("Backup written to " + archive);

    Map<String, String> elsewhere = Map.of("CARILLON_DATA_DIR", dir.resolve("restored").toString());
    assertThat(run(elsewhere, "restore", archive.toString())).as(err()).isZero();
    assertThat(out()).contains("Restored the backup of");
    try (var db = Database.openSqlite(dir.resolve("restored/carillon.db"))) {
      assertThat(new AdminAccounts(db, TimeSource.system()).any()).isTrue();
    }
    // Again into the same, now non-empty, directory: refused without --force, done with it.
    assertThat(run(elsewhere, "restore", archive.toString())).isEqualTo(2);
    assertThat(err()).contains("nothing was restored", "--force");
    assertThat(run(elsewhere, "restore", "--force", archive.toString())).isZero();
    assertThat(run(env, "backup")).isEqualTo(2);
    assertThat(err()).contains("Missing required parameter: 'FILE'");
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
  void configSaysVoiceWorksAgainstTheEmulatorAsRunDoesWithoutDave() throws Exception {
    int status = run(Map.of("CARILLON_ACCOUNTS_BELL_TOKEN", "t", "CARILLON_DISCORD_ENDPOINT", "http://127.0.0.1:9"),
        "config");
    assertThat(status).isZero();
    assertThat(out()).contains("voice: available (the Discord emulator at http://127.0.0.1:9, discord.endpoint, "
        + "needs no DAVE)").doesNotContain("voice: unavailable");
  }

  @Test
  void configPrintsEverySettingIncludingTheCommandRoleAndSecureCookies() throws Exception {
    int status = run(Map.of("CARILLON_COMMANDS_ROLE", "x", "CARILLON_WEB_SECURE_COOKIES", "true"), "config");
    assertThat(status).isZero();
    assertThat(out()).contains("commands.role: x", "web.secureCookies: true");
  }

  @Test
  void configMasksSecretsIncludingAPasswordInTheDatabaseUrl() throws Exception {
    int status = run(Map.of("CARILLON_DATABASE_URL", "jdbc:postgresql://db:5432/carillon?user=bells&password=hunter2&ssl=true",
        "CARILLON_DATABASE_PASSWORD", "pg-secret", "CARILLON_ACCOUNTS_MAIN_TOKEN", "very.secret.token"), "config");
    assertThat(status).isZero();
    assertThat(out()).contains("database.url: jdbc:postgresql://db:5432/carillon?user=bells&password=********&ssl=true",
        "database.password: ********").doesNotContain("hunter2", "pg-secret", "very.secret.token");
  }

  /** Any password parameter of the URL (PostgreSQL's sslpassword too) is masked. */
  @Test
  void configMasksEveryPasswordParameterOfTheDatabaseUrl() throws Exception {
    assertThat(run(Map.of("CARILLON_DATABASE_URL", "jdbc:postgresql://h/db?sslpassword=key-secret&password=s3"),
        "config")).isZero();
    assertThat(out()).contains("sslpassword=********&password=********").doesNotContain("key-secret", "=s3");
  }

  /** Found by a new user: these printed stack traces. */
  @Test
  void aBackupThatCannotBeWrittenAndADemoStartingNowAreOneLineEach() throws Exception {
    Map<String, String> env = Map.of("CARILLON_DATA_DIR", dir.resolve("data").toString());
    assertThat(runWithInput("correct horse battery staple\n", env, "admin", "add", "alice")).isZero();
    assertThat(run(env, "backup", dir.resolve("missing/dir/b.zip").toString())).isEqualTo(1);
    assertThat(err()).contains("carillon: no backup was written:", "missing/dir").doesNotContain("\tat ");
    assertThat(run(env, "demo", "--start-in", "0")).isEqualTo(2);
    assertThat(err()).contains("--start-in takes whole seconds, 1 or more").doesNotContain("\tat ");
  }

  /** A restore under a running Carillon would replace its store: refused while the store's lock is held. */
  @SuppressWarnings("try") // the lock is held for the block, as a running Carillon holds it
  @Test
  void aRestoreIsRefusedWhileACarillonHoldsTheStore() throws Exception {
    Map<String, String> env = Map.of("CARILLON_DATA_DIR", dir.resolve("data").toString());
    assertThat(runWithInput("correct horse battery staple\n", env, "admin", "add", "alice")).isZero();
    Path archive = dir.resolve("b.zip");
    assertThat(run(env, "backup", archive.toString())).isZero();
    try (StoreLock running = StoreLock.acquire(dir.resolve("data"))) {
      assertThat(run(env, "restore", "--force", archive.toString())).isEqualTo(1);
      assertThat(err()).contains("nothing was restored", "another Carillon process");
    }
    assertThat(run(env, "restore", "--force", archive.toString())).isZero();
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
    assertThat(err()).contains("Unmatched argument at index 0: 'launch'", "Did you mean: carillon run",
        "Usage: carillon");
    assertThat(run(Map.of(), "demo", "--start-in", "soon")).isEqualTo(2);
    assertThat(err()).contains("--start-in takes whole seconds");
  }

  @Test
  void helpListsTheCommands() throws Exception {
    assertThat(run(Map.of(), "help")).isZero();
    assertThat(out()).contains("run ", "demo ", "config ", "admin ", "emulator ", "a second signal forces the exit");
    out.reset();
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out()).contains("Usage: carillon", "run ", "a second signal forces the exit");
  }

  @Test
  void configRefusesUnknownOptionsAndExtraArguments() throws Exception {
    assertThat(run(Map.of(), "config", "--bogus", "extra")).isEqualTo(2);
    assertThat(err()).contains("Unknown options: '--bogus', 'extra'", "Usage: carillon config").doesNotContain("Exception");
    assertThat(out()).doesNotContain("The configuration is valid");
    err.reset();
    assertThat(run(Map.of(), "config", "extra")).isEqualTo(2);
    assertThat(err()).contains("Unmatched argument at index 1: 'extra'");
    err.reset();
    assertThat(run(Map.of(), "run", "extra")).isEqualTo(2);
    assertThat(err()).contains("Unmatched argument at index 1: 'extra'", "Usage: carillon run");
    err.reset();
    assertThat(run(Map.of(), "admin")).isEqualTo(2);
    assertThat(err()).contains("Missing required subcommand", "Usage: carillon admin");
  }

  @Test
  void aMistypedOptionGetsPicocliSuggestion() throws Exception {
    assertThat(run(Map.of(), "demo", "--start-at", "10")).isEqualTo(2);
    assertThat(err()).contains("Unknown options: '--start-at', '10'", "Possible solutions: --start-in");
  }

  @Test
  void everyCommandHasItsOwnHelp() throws Exception {
    assertThat(run(Map.of("CARILLON_COMMANDS_ROLE", "x"), "config", "--help")).isZero();
    assertThat(out()).contains("Usage: carillon config", "secrets masked").doesNotContain("The configuration is valid",
        "commands.role");
    for (String command : new String[] {"run", "demo", "admin", "emulator"}) {
      out.reset();
      assertThat(run(Map.of(), command, "--help")).isZero();
      assertThat(out()).contains("Usage: carillon " + command);
    }
    out.reset();
    assertThat(run(Map.of(), "admin", "add", "--help")).isZero();
    assertThat(out()).contains("Usage: carillon admin add", "NAME");
  }

  @Test
  void versionIsTheMavenProjectVersion() throws Exception {
    assertThat(run(Map.of(), "--version")).isZero();
    String version;
    try (var pom = Files.newBufferedReader(Path.of("pom.xml"))) {
      version = pom.lines().filter(l -> l.strip().startsWith("<version>")).findFirst().orElseThrow().strip()
          .replaceAll("</?version>", "");
    }
    assertThat(out().strip()).isEqualTo("carillon " + version);
    out.reset();
    assertThat(run(Map.of(), "config", "--version")).isZero();
    assertThat(out().strip()).isEqualTo("carillon " + version);
  }

  @Test
  void theConfigFileOptionWorksBeforeAndAfterTheCommand() throws Exception {
    Path file = Files.writeString(dir.resolve("c.yaml"), "timeZone: Europe/Paris\n");
    assertThat(run(Map.of(), "config", "--config", file.toString())).isZero();
    assertThat(out()).contains("timeZone: Europe/Paris");
    out.reset();
    assertThat(run(Map.of(), "--config", file.toString(), "config")).isZero();
    assertThat(out()).contains("timeZone: Europe/Paris");
  }
}
