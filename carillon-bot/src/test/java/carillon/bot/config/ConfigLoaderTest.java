package carillon.bot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("carillon.yaml");
    Files.writeString(file, text);
    return file;
  }

  private List<String> problems(Optional<Path> file, Map<String, String> env) {
    try {
      ConfigLoader.load(file, env);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("the configuration was accepted");
  }

  @Test
  void defaultsWithoutFileOrEnvironment() throws Exception {
    Config config = ConfigLoader.load(Optional.empty(), Map.of());
    assertThat(config.dataDir()).isEqualTo(Path.of("data"));
    assertThat(config.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(config.language()).isEqualTo(Locale.ENGLISH);
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(8));
    assertThat(config.webAddress().getHostString()).isEqualTo("127.0.0.1");
    assertThat(config.webAddress().getPort()).isEqualTo(8080);
    assertThat(config.sqliteFile()).isEqualTo(Path.of("data", "carillon.db"));
    assertThat(config.accounts()).isEmpty();
  }

  @Test
  void readsEveryKeyFromTheFile() throws Exception {
    Path tokenFile = dir.resolve("gong.token");
    Files.writeString(tokenFile, "gong.token.value\n");
    Config config = ConfigLoader.load(Optional.of(yaml("""
        dataDir: /var/lib/carillon
        timeZone: Europe/Paris
        language: vi
        shutdownTimeout: 500ms
        web:
          address: 0.0.0.0:9000
        database:
          url: jdbc:sqlite:/tmp/x.db
        accounts:
          bell:
          gong:
            tokenFile: %s
            shards: 2
        """.formatted(tokenFile))), Map.of("CARILLON_ACCOUNTS_BELL_TOKEN", "bell.token.value"));
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/carillon"));
    assertThat(config.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(config.language().getLanguage()).isEqualTo("vi");
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.webAddress().getPort()).isEqualTo(9000);
    assertThat(config.sqliteFile()).isEqualTo(Path.of("/tmp/x.db"));
    assertThat(config.accounts()).extracting(Config.Account::name).containsExactly("bell", "gong");
    assertThat(config.accounts().get(0).token().value()).isEqualTo("bell.token.value");
    assertThat(config.accounts().get(1).token().value()).isEqualTo("gong.token.value");
    assertThat(config.accounts().get(1).shards()).isEqualTo(2);
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    Config config = ConfigLoader.load(Optional.of(yaml("""
        timeZone: Europe/Paris
        shutdownTimeout: 3s
        web: { address: ':9000' }
        accounts:
          bell-tower: { shards: 1 }
        """)), Map.of("CARILLON_TIME_ZONE", "Asia/Ho_Chi_Minh", "CARILLON_WEB_ADDRESS", ":9100",
        "CARILLON_SHUTDOWN_TIMEOUT", "PT2S", "CARILLON_ACCOUNTS_BELL_TOWER_TOKEN", "t.o.k",
        "CARILLON_ACCOUNTS_BELL_TOWER_SHARDS", "3", "CARILLON_DATA_DIR", "/srv/c"));
    assertThat(config.timeZone()).isEqualTo(ZoneId.of("Asia/Ho_Chi_Minh"));
    assertThat(config.webAddress().getPort()).isEqualTo(9100);
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.dataDir()).isEqualTo(Path.of("/srv/c"));
    assertThat(config.accounts()).singleElement().satisfies(a -> {
      assertThat(a.name()).isEqualTo("bell-tower");
      assertThat(a.shards()).isEqualTo(3);
    });
  }

  @Test
  void anAccountCanComeFromTheEnvironmentAlone() throws Exception {
    Config config = ConfigLoader.load(Optional.empty(), Map.of("CARILLON_ACCOUNTS_MAIN_TOKEN", "abc.def.ghi"));
    assertThat(config.accounts()).singleElement().satisfies(a -> {
      assertThat(a.name()).isEqualTo("main");
      assertThat(a.shards()).isEqualTo(1);
    });
  }

  @Test
  void everyBadValueIsReportedWithItsKeyAndWhatIsAllowed() throws Exception {
    List<String> problems = problems(Optional.of(yaml("""
        timeZone: Mars/Olympus
        language: fr
        shutdownTimeout: soon
        web:
          address: localhost:99999
          port: 3
        database:
          url: mysql://x
        colour: blue
        accounts:
          Bad Name: {}
          bell:
            token: written.in.the.file
          gong:
            shards: many
          quiet: {}
        """)), Map.of("CARILLON_COLOUR", "red"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("timeZone (carillon.yaml)").contains("Europe/Paris"))
        .anySatisfy(p -> assertThat(p).startsWith("language").contains("'fr'").contains("en, vi"))
        .anySatisfy(p -> assertThat(p).startsWith("shutdownTimeout").contains("8s"))
        .anySatisfy(p -> assertThat(p).startsWith("web.address").contains("65535"))
        .anySatisfy(p -> assertThat(p).startsWith("web.port").contains("unknown key").contains("address"))
        .anySatisfy(p -> assertThat(p).startsWith("database.url").contains("jdbc:sqlite:PATH"))
        .anySatisfy(p -> assertThat(p).startsWith("colour").contains("unknown key"))
        .anySatisfy(p -> assertThat(p).startsWith("accounts.Bad Name").contains("lower-case"))
        .anySatisfy(p -> assertThat(p).startsWith("accounts.bell.token").contains("CARILLON_ACCOUNTS_BELL_TOKEN")
            .doesNotContain("written.in.the.file"))
        .anySatisfy(p -> assertThat(p).startsWith("accounts.gong.shards").contains("1 to 64"))
        .anySatisfy(p -> assertThat(p).startsWith("accounts.quiet: no token"))
        .anySatisfy(p -> assertThat(p).startsWith("environment variable CARILLON_COLOUR").contains("CARILLON_WEB_ADDRESS"));
    assertThat(problems).hasSize(12);
  }

  @Test
  void aPostgresStoreTakesItsPasswordFromTheEnvironmentOnly() throws Exception {
    Config config = ConfigLoader.load(Optional.of(yaml("database: { url: 'jdbc:postgresql://db:5432/carillon', user: bells }\n")),
        Map.of("CARILLON_DATABASE_PASSWORD", "pg-secret"));
    assertThat(config.postgres()).hasValueSatisfying(pg -> {
      assertThat(pg.user()).isEqualTo("bells");
      assertThat(pg.password().value()).isEqualTo("pg-secret");
    });
    assertThat(config.toString()).doesNotContain("pg-secret");
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).postgres()).isEmpty();
    assertThat(problems(Optional.of(yaml("database: { url: 'jdbc:postgresql://db/c', password: x }\n")), Map.of()))
        .singleElement().satisfies(p -> assertThat(p).startsWith("database.password").contains("passwordFile"));
  }

  @Test
  void theTargetLoudness() throws Exception {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).targetLoudness()).isEqualTo(-18);
    assertThat(ConfigLoader.load(Optional.of(yaml("playback: { targetLoudness: -23 }\n")), Map.of()).targetLoudness())
        .isEqualTo(-23);
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("CARILLON_PLAYBACK_TARGET_LOUDNESS", "-16.5")).targetLoudness())
        .isEqualTo(-16.5);
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(yaml("playback: { targetLoudness: 3 }\n")), Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement()
            .satisfies(p -> assertThat(p).startsWith("playback.targetLoudness").contains("from -40 to -5 LUFS")));
  }

  @Test
  void secureCookiesAndTheCommandRole() throws Exception {
    Config config = ConfigLoader.load(Optional.of(yaml("web: { secureCookies: true }\ncommands: { role: DJ }\n")), Map.of());
    assertThat(config.secureCookies()).isTrue();
    assertThat(config.commandRole()).contains("DJ");
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).secureCookies()).isFalse();
    assertThat(problems(Optional.empty(), Map.of("CARILLON_WEB_SECURE_COOKIES", "yes")))
        .singleElement().satisfies(p -> assertThat(p).startsWith("web.secureCookies (environment variable").contains("true or false"));
  }

  @Test
  void aBrokenYamlFileNamesTheLine() throws Exception {
    assertThat(problems(Optional.of(yaml("dataDir: a\nweb: [unclosed\n")), Map.of()))
        .singleElement().satisfies(p -> assertThat(p).startsWith("carillon.yaml line ").contains("not valid YAML"));
    assertThat(problems(Optional.of(yaml("- a\n- b\n")), Map.of()))
        .singleElement().satisfies(p -> assertThat(p).contains("must be a mapping"));
  }

  @Test
  void aTokenFileThatCannotBeReadIsNamed() throws Exception {
    assertThat(problems(Optional.empty(), Map.of("CARILLON_ACCOUNTS_BELL_TOKEN_FILE", dir.resolve("missing").toString())))
        .singleElement().satisfies(p -> assertThat(p).startsWith("accounts.bell.tokenFile (environment variable")
            .contains("readable file"));
    Files.writeString(dir.resolve("empty"), "  \n");
    assertThat(problems(Optional.empty(), Map.of("CARILLON_ACCOUNTS_BELL_TOKEN_FILE", dir.resolve("empty").toString())))
        .singleElement().satisfies(p -> assertThat(p).contains("is empty"));
  }

  @Test
  void aTokenIsNeverPrinted() throws Exception {
    Config config = ConfigLoader.load(Optional.empty(), Map.of("CARILLON_ACCOUNTS_MAIN_TOKEN", "s3cr3t.tok.en"));
    assertThat(config.toString()).doesNotContain("s3cr3t");
    List<String> problems = problems(Optional.empty(), Map.of("CARILLON_ACCOUNTS_MAIN_TOKEN", "s3cr3t tok"));
    assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("white space").doesNotContain("s3cr3t"));
  }

  @Test
  void aPasswordInsideTheDatabaseUrlNeverAppearsInAProblem() {
    assertThat(problems(Optional.empty(), Map.of("CARILLON_DATABASE_URL", "mysql://bells:hunter2@db/c?password=hunter2")))
        .singleElement().satisfies(p -> assertThat(p).startsWith("database.url").contains("jdbc:sqlite:PATH")
            .doesNotContain("hunter2"));
  }

  @Test
  void describeMasksAPasswordInEitherPlaceOfTheDatabaseUrl() throws Exception {
    Config userInfo = ConfigLoader.load(Optional.empty(), Map.of("CARILLON_DATABASE_URL", "jdbc:postgresql://bells:hunter2@db:5432/c"));
    assertThat(userInfo.describe()).contains("database.url: jdbc:postgresql://bells:********@db:5432/c")
        .doesNotContain("hunter2");
    Config parameter = ConfigLoader.load(Optional.empty(),
        Map.of("CARILLON_DATABASE_URL", "jdbc:postgresql://db/c?PASSWORD=hunter2;ssl=true"));
    assertThat(parameter.describe()).contains("database.url: jdbc:postgresql://db/c?PASSWORD=********;ssl=true")
        .doesNotContain("hunter2");
    // The URL itself still carries the password to the driver.
    assertThat(userInfo.databaseUrl()).contains("hunter2");
  }

  @Test
  void variableNamesFollowTheKeys() {
    assertThat(Setting.variableOf("dataDir")).isEqualTo("CARILLON_DATA_DIR");
    assertThat(Setting.variableOf("web.address")).isEqualTo("CARILLON_WEB_ADDRESS");
    assertThat(Setting.variableOf("accounts.bell-tower.tokenFile")).isEqualTo("CARILLON_ACCOUNTS_BELL_TOWER_TOKEN_FILE");
  }
}
