package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.bot.library.AudioItem;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandSource;
import carillon.bot.queue.CommandStatus;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.web.auth.AdminAccounts;
import carillon.emulator.Interaction;
import carillon.emulator.UserHandle;
import carillon.testing.ExpectedLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.Permission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same commands through the three entrances of one running Carillon (the REST API with an API token,
 * the admin page's form with a login, /carillon through real JDA and the emulator) are read alike and end
 * alike: the same field error for a bad command, the same status and result for a good one.
 */
class CommandEntrancesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PASSWORD = "correct horse battery staple";
  private static final String VOLUME_ERROR = "volume: must be from 0 to 150 percent";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private DiscordWorld world;
  private UserHandle alice;
  private URI base;
  private String cookie;
  private String csrf;
  private String token;
  private Session session;

  @AfterEach
  void close() {
    if (world != null) {
      world.close();
    }
  }

  /** alice manages the server and the web admin; the bot may connect to voice only if {@code botMayConnect}. */
  private void start(boolean botMayConnect) throws Exception {
    world = new DiscordWorld(dir, 1);
    if (botMayConnect) {
      world.guild.giveRole(world.bell.id(), world.guild.createRole("bots", Permission.ADMINISTRATOR.getRawValue()));
    }
    world.guild.setEveryonePermissions(
        Permission.getRaw(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND, Permission.USE_APPLICATION_COMMANDS));
    alice = world.discord.createUser("alice");
    world.guild.addMember(alice);
    world.guild.giveRole(alice.id(), world.guild.createRole("managers", Permission.MANAGE_SERVER.getRawValue()));
    await().atMost(WAIT).until(() -> world.discord.commandNames(world.bell, world.guild.id()).contains("carillon"));
    AudioItem tone = world.audio("Long tone", DemoAudio.tone(440, 30));
    session = world.session(SessionSpec.builder(world.guild.id(), "Study hour").voiceChannel(world.hall)
        .textChannel(world.notices).schedule("daily 23:59 UTC").playlist(List.of(tone.id())).gap(Duration.ZERO)
        .lateGrace(Duration.ofMinutes(5)).build());

    base = URI.create("http://127.0.0.1:" + world.carillon.webPort());
    new AdminAccounts(world.carillon.db(), world.carillon.time()).create("alice", PASSWORD);
    HttpResponse<String> login = send(HttpRequest.newBuilder(base.resolve("/api/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"alice\", \"password\": \"" + PASSWORD + "\"}")));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    csrf = json.readTree(login.body()).get("csrfToken").asText();
    HttpResponse<String> made = send(HttpRequest.newBuilder(base.resolve("/api/tokens")).header("Cookie", cookie)
        .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"script\", \"guilds\": [\"" + world.guild.id()
            + "\"], \"expiresInDays\": 1}")));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    token = json.readTree(made.body()).get("token").asText();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST /api/sessions/{id}/commands with the API token. */
  private HttpResponse<String> api(String body) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve("/api/sessions/" + session.id() + "/commands"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** The session's control form on the admin page, as the browser posts it. */
  private HttpResponse<String> page(String... namesAndValues) throws Exception {
    StringBuilder body = new StringBuilder("_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      body.append('&').append(namesAndValues[i]).append('=')
          .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return send(HttpRequest.newBuilder(base.resolve("/sessions/" + session.id() + "/commands"))
        .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private Interaction slash(String subcommand, Map<String, ?> options) {
    return alice.runSlashCommand(world.notices, world.bell, "carillon " + subcommand, options);
  }

  /** The newest command once it is final. */
  private CommandRecord lastCommand(int expectedCount) throws Exception {
    await().atMost(WAIT).until(() -> world.carillon.commands().recent(100).size() == expectedCount);
    CommandRecord last = world.carillon.commands().recent(1).getFirst();
    return world.carillon.commands().completion(last.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** After a STOP: the run has ended and its voice slot is free for the next entrance's PLAY. */
  private void ended() {
    await().atMost(WAIT).until(() -> world.carillon.playback().all().isEmpty()
        && world.carillon.slots().busySlots().isEmpty());
  }

  /** A command as compared across entrances: what it was, how it ended, what it says. */
  private static String outcome(CommandRecord c) {
    return c.kind() + " " + c.volume().map(v -> v + "% ").orElse("") + c.status() + ": " + c.result().orElse("");
  }

  @Test
  void badAndGoodCommandsGetTheSameFieldErrorAndTheSameResultFromApiPageAndSlash() throws Exception {
    start(true);

    // Bad: the same volume out of range. Nothing is stored, and the API and the page name the same field
    // error; Discord itself refuses it for /carillon, with the range the command was registered with.
    HttpResponse<String> apiRefused = api("{\"kind\": \"volume\", \"volume\": 151}");
    assertThat(apiRefused.statusCode()).isEqualTo(422);
    JsonNode errors = json.readTree(apiRefused.body()).get("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("field").asText() + ": " + errors.get(0).get("message").asText()).isEqualTo(VOLUME_ERROR);
    HttpResponse<String> pageRefused = page("kind", "volume", "volume", "151");
    assertThat(pageRefused.statusCode()).isEqualTo(422);
    assertThat(pageRefused.body()).contains(VOLUME_ERROR).doesNotContain("volume: volume:");
    assertThatThrownBy(() -> slash("volume", Map.of("percent", 151)))
        .hasMessageContaining("must be from 0 to 150, was 151");
    HttpResponse<String> pageNotANumber = page("kind", "VOLUME", "volume", "loud");
    HttpResponse<String> apiNotANumber = api("{\"kind\": \"VOLUME\", \"volume\": \"loud\"}");
    assertThat(pageNotANumber.statusCode()).isEqualTo(422);
    assertThat(apiNotANumber.statusCode()).isEqualTo(422);
    String notANumber = "volume: must be a whole number from 0 to 150 percent, was &#39;loud&#39;";
    assertThat(pageNotANumber.body()).contains(notANumber);
    assertThat(json.readTree(apiNotANumber.body()).get("detail").asText()).isEqualTo(notANumber.replace("&#39;", "'"));
    assertThat(world.carillon.commands().recent(10)).isEmpty();

    // Good: the same commands end with the same status and result, whichever way they came in.
    List<List<String>> byEntrance = new ArrayList<>();
    int count = 0;
    List<String> api = new ArrayList<>();
    assertThat(api("{\"kind\": \"PLAY\"}").statusCode()).isEqualTo(202);
    api.add(outcome(lastCommand(++count)));
    assertThat(api("{\"kind\": \"VOLUME\", \"volume\": 80}").statusCode()).isEqualTo(202);
    api.add(outcome(lastCommand(++count)));
    assertThat(api("{\"kind\": \"PLAY\"}").statusCode()).isEqualTo(202);
    api.add(outcome(lastCommand(++count)));
    assertThat(api("{\"kind\": \"STOP\"}").statusCode()).isEqualTo(202);
    api.add(outcome(lastCommand(++count)));
    ended();
    byEntrance.add(api);

    List<String> page = new ArrayList<>();
    assertThat(page("kind", "PLAY").statusCode()).isEqualTo(303);
    page.add(outcome(lastCommand(++count)));
    assertThat(page("kind", "VOLUME", "volume", "80").statusCode()).isEqualTo(303);
    page.add(outcome(lastCommand(++count)));
    assertThat(page("kind", "PLAY").statusCode()).isEqualTo(303);
    page.add(outcome(lastCommand(++count)));
    assertThat(page("kind", "STOP").statusCode()).isEqualTo(303);
    page.add(outcome(lastCommand(++count)));
    ended();
    byEntrance.add(page);

    List<String> slash = new ArrayList<>();
    assertThat(slash("play", Map.of("session", "Study hour")).awaitReply(WAIT).content())
        .isEqualTo("Done: started 'Study hour' with bell.");
    slash.add(outcome(lastCommand(++count)));
    assertThat(slash("volume", Map.of("percent", 80)).awaitReply(WAIT).content())
        .isEqualTo("Done: volume of 'Study hour' set to 80%.");
    slash.add(outcome(lastCommand(++count)));
    assertThat(slash("play", Map.of("session", "Study hour")).awaitReply(WAIT).content())
        .isEqualTo("Not done: 'Study hour' is already playing.");
    slash.add(outcome(lastCommand(++count)));
    assertThat(slash("stop", Map.of("session", "Study hour")).awaitReply(WAIT).content())
        .isEqualTo("Done: stopped 'Study hour'.");
    slash.add(outcome(lastCommand(++count)));
    ended();
    byEntrance.add(slash);

    assertThat(byEntrance).allSatisfy(outcomes -> assertThat(outcomes).containsExactly(
        "PLAY DONE: started 'Study hour' with bell",
        "VOLUME 80% DONE: volume of 'Study hour' set to 80%",
        "PLAY REJECTED: 'Study hour' is already playing",
        "STOP DONE: stopped 'Study hour'"));
    assertThat(world.carillon.commands().recent(100)).extracting(CommandRecord::source)
        .containsOnly(CommandSource.API, CommandSource.WEB, CommandSource.SLASH)
        .contains(CommandSource.API, CommandSource.WEB, CommandSource.SLASH);
  }

  // Log guard finding (issue 15), not fixed here: a best-effort notice that Discord refuses (Missing permission)
  // ends its task with an ERROR and a stack trace; a Discord refusal should be a WARN without a trace.
  @ExpectedLog(logger = "carillon.tasks.Task", message = "MESSAGE_EMBED_LINKS")
  @ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "carillon.bot.playback.ActiveRun", message = "missing permission")
  @ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "carillon.bot.playback.Notifier", message = "cannot be sent")
  @Test
  void aPlayWhoseRunCannotJoinVoiceFailsWithTheReasonFromEveryEntrance() throws Exception {
    start(false);
    String reason = "'Study hour' could not start: missing permission Connect in 'Meditation Hall'";

    assertThat(api("{\"kind\": \"PLAY\"}").statusCode()).isEqualTo(202);
    CommandRecord viaApi = lastCommand(1);
    HttpResponse<String> viaPage = page("kind", "PLAY");
    assertThat(viaPage.statusCode()).isEqualTo(303);
    CommandRecord viaPageRecord = lastCommand(2);
    String shown = send(HttpRequest.newBuilder(base.resolve(viaPage.headers().firstValue("Location").orElseThrow()))
        .header("Cookie", cookie).GET()).body();
    String slashReply = slash("play", Map.of("session", "Study hour")).awaitReply(WAIT).content();
    CommandRecord viaSlash = lastCommand(3);

    assertThat(List.of(viaApi, viaPageRecord, viaSlash)).allSatisfy(c -> {
      assertThat(c.status()).isEqualTo(CommandStatus.FAILED);
      assertThat(c.result()).contains(reason);
    });
    assertThat(shown).contains("PLAY: FAILED, " + reason.replace("'", "&#39;"));
    assertThat(slashReply).isEqualTo("Not done: " + reason + ".");
    assertThat(world.carillon.playback().all()).isEmpty();
  }
}
