package carillon.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.app.DemoAudio;
import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.guild.Role;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.library.AudioProbe;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.bot.web.auth.AdminAccounts;
import carillon.bot.web.auth.TokensInStore;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.SentMessage;
import carillon.emulator.voice.VoiceServer;
import carillon.tasks.TimeSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code carillon run} in its own process against an emulator in this one ({@code discord.endpoint}): stopped
 * with a real SIGTERM while a session plays; started while the emulator is not yet listening.
 */
class RunProcessTest {
  @TempDir Path dir;
  private DiscordEmulator discord;
  private GuildHandle guild;
  private BotAccount bot;
  private long hall;
  private long notices;
  private Path dataDir;
  private Process process;

  /** An emulator with voice on {@code port} (0: a free one), a guild, and a bot with {@code token} (null: its own). */
  private void world(int port, String token) {
    discord = DiscordEmulator.builder().voice(VoiceServer.start()).port(port).start();
    guild = discord.createGuild("Shutdown Guild");
    notices = guild.createTextChannel("notices");
    hall = guild.createVoiceChannel("Hall");
    bot = token == null ? discord.createBot("Carillon") : discord.createBot("Carillon", token);
    guild.addMember(bot);
  }

  @BeforeEach
  void data() {
    dataDir = dir.resolve("data");
  }

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
    if (discord != null) {
      discord.close();
    }
  }

  private List<String> output() throws IOException {
    return Files.readAllLines(dir.resolve("output.txt"), StandardCharsets.UTF_8);
  }

  /** A session with one long track, an admin and an API token, written to the store before Carillon starts. */
  private record Prepared(long sessionId, String token) {}

  private Prepared prepare() throws Exception {
    Files.createDirectories(dataDir);
    try (Database db = Database.openSqlite(dataDir.resolve("carillon.db")); AudioProbe probe = new AudioProbe()) {
      GuildDirectory guilds = new GuildDirectory(db);
      guilds.replaceGuild(guild.id(), List.of(new Channel(guild.id(), notices, "notices", Channel.Kind.TEXT),
          new Channel(guild.id(), hall, "Hall", Channel.Kind.VOICE)), List.of(new Role(guild.id(), guild.id(), "@everyone")));
      Path wav = Files.write(dir.resolve("long tone.wav"), DemoAudio.tone(440, 60));
      String track = new AudioLibrary(dataDir, db, Clock.systemUTC(), probe, 100L * 1024 * 1024, new LoudnessTarget(-18)).importFile(wav, "Long tone").id();
      TimeSource time = TimeSource.system();
      Session session = new Sessions(db, guilds, time).create(SessionSpec.builder(guild.id(), "Evening bell")
          .voiceChannel(hall).textChannel(notices)
          .schedule("once " + time.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS)).playlist(List.of(track))
          .gap(Duration.ofSeconds(1)).lateGrace(Duration.ofMinutes(5)).build());
      AdminAccounts.Account admin = new AdminAccounts(db, time).create("operator", "a long enough password", true, Set.of());
      return new Prepared(session.id(), TokensInStore.issue(db, time, admin.id(), "test", Set.of(guild.id()), Duration.ofHours(1)));
    }
  }

  private Process start(String... args) throws IOException {
    return start(Map.of("CARILLON_ACCOUNTS_MAIN_TOKEN", bot.token(), "CARILLON_DISCORD_ENDPOINT",
        "http://127.0.0.1:" + discord.port()), args);
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml", Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.txt").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("CARILLON_"));
    builder.environment().put("CARILLON_WEB_ADDRESS", "127.0.0.1:0");
    builder.environment().put("CARILLON_DATA_DIR", dataDir.toString());
    builder.environment().putAll(env);
    return builder.start();
  }

  private int webPort() {
    Pattern listening = Pattern.compile("API at http://[^:]+:(\\d+)/");
    int[] port = new int[1];
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      Matcher m = listening.matcher(String.join("\n", output()));
      if (m.find()) {
        port[0] = Integer.parseInt(m.group(1));
        return true;
      }
      return !process.isAlive();
    });
    assertThat(port[0]).as("the web server started; output:%n%s", lazyOutput()).isPositive();
    return port[0];
  }

  private Object lazyOutput() {
    return new Object() {
      @Override
      public String toString() {
        try {
          return String.join("\n", output());
        } catch (IOException e) {
          return e.toString();
        }
      }
    };
  }

  private boolean noticed(String text) {
    return discord.messages(notices).stream().map(RunProcessTest::text).anyMatch(t -> t.contains(text));
  }

  private static String text(SentMessage message) {
    return message.content() + message.embeds().stream().map(e -> " " + e.title() + " " + e.description()).reduce("", String::concat);
  }

  @Test
  void sigtermWhilePlayingLeavesVoiceRecordsTheRunInterruptedAnswersShuttingDownAndExitsZero() throws Exception {
    world(0, null);
    Prepared prepared = prepare();
    process = start("run");
    int port = webPort();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> play = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sessions/"
            + prepared.sessionId() + "/commands")).header("Authorization", "Bearer " + prepared.token())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"play\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(play.statusCode()).as(play.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> discord.voiceConnections().stream()
        .anyMatch(v -> v.userId() == bot.id() && v.firstAudioAt().isPresent()));
    assertThat(discord.voiceChannelOf(guild, bot.id())).contains(hall);

    // The end notice is answered 429 twice (Retry-After 1 s), so shutdown, which awaits it, lasts about two
    // seconds between its start and the socket closing: requests surely arrive in that window even on a
    // loaded machine (without it, one run saw none).
    discord.failRoute("POST", "/channels/" + notices + "/messages", 429, 2);
    process.destroy(); // SIGTERM
    List<HttpResponse<String>> during = new ArrayList<>();
    HttpRequest sessions = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/me"))
        .header("Authorization", "Bearer " + prepared.token()).timeout(Duration.ofSeconds(5)).build();
    while (process.isAlive()) {
      try {
        during.add(http.send(sessions, HttpResponse.BodyHandlers.ofString()));
      } catch (IOException refused) {
        break; // the socket is closed: the end of the answers
      }
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited; output:%n%s", lazyOutput()).isTrue();
    List<String> lines = output();

    assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("SIGTERM received: shutting down"))
        .anySatisfy(l -> assertThat(l).contains("Carillon stopped"))
        .noneSatisfy(l -> assertThat(l).contains("disconnected for good"));
    List<HttpResponse<String>> refusals = during.stream().filter(r -> r.statusCode() != 200).toList();
    assertThat(refusals).as("requests answered while shutting down").isNotEmpty().allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertThat(r.body()).contains("shutting down");
    });
    assertThat(discord.voiceChannelOf(guild, bot.id())).as("the bot left voice").isEqualTo(Optional.empty());
    assertThat(noticed("has ended")).as("the end notice, in %s", discord.messages(notices)).isTrue();
    try (Database db = Database.openSqlite(dataDir.resolve("carillon.db"))) {
      assertThat(new Runs(db).forSession(prepared.sessionId())).singleElement().extracting(Run::outcome)
          .isEqualTo(RunOutcome.INTERRUPTED);
    }
  }

  @Test
  void discordUnreachableAtStartIsRetriedWhileARefusedTokenIsGivenUpAndTheAccountConnectsWhenDiscordIsUp()
      throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // closed again: nothing listens there until the emulator starts below
    }
    String token = "Y2FyaWxsb24.started-before-the-emulator";
    process = start(Map.of("CARILLON_ACCOUNTS_MAIN_TOKEN", token, "CARILLON_ACCOUNTS_SPARE_TOKEN", "not.a-token-it-knows",
        "CARILLON_DISCORD_ENDPOINT", "http://127.0.0.1:" + port), "run");
    await().atMost(Duration.ofSeconds(90)).until(() -> !process.isAlive() || output().stream()
        .filter(l -> l.contains("cannot reach Discord")).count() >= 2);
    assertThat(process.isAlive()).as("still running; output:%n%s", lazyOutput()).isTrue();
    int web = webPort();

    world(port, token);
    await().atMost(Duration.ofSeconds(90)).until(() -> !process.isAlive()
        || output().stream().anyMatch(l -> l.contains("Bot account 'main' is connected")));
    await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive()
        || output().stream().anyMatch(l -> l.contains("Bot account 'spare' could not log in: Discord refused its token")));
    assertThat(process.isAlive()).as("still running; output:%n%s", lazyOutput()).isTrue();
    List<String> lines = output();
    assertThat(lines).as("one line when the account starts failing, not one per attempt")
        .filteredOn(l -> l.contains("Bot account 'main' cannot reach Discord")).hasSize(1);
    assertThat(lines).noneSatisfy(l -> assertThat(l).contains("Exception in thread"));

    HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + web + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
    assertThat(ready.body()).contains("\"main\":\"connected\"", "bot account 'spare': could not log in: Discord refused its token");

    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join("\n", output())).isZero();
  }
}
