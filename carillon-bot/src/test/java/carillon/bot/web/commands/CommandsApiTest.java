package carillon.bot.web.commands;

import static carillon.bot.web.WebHarness.GUILD;
import static carillon.bot.web.auth.WebAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.session.SessionSpec;
import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import carillon.bot.session.Session;
import carillon.bot.session.Sound;
import java.util.ArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Commands (answered at once, awaited), the live state of the slots, and the history. */
class CommandsApiTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");

  @TempDir Path dir;
  WebHarness w;
  Client alice;
  long session;

  @BeforeEach
  void setUp() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");
    alice = w.login("alice");
    String talk = w.core.track("Talk", Duration.ofMinutes(10));
    String bell = w.core.track("Bell", Duration.ofSeconds(30));
    session = w.core.create(SessionSpec.builder(GUILD, "Morning").voiceChannel(WebHarness.HALL)
        .schedule("daily 23:00 UTC").playlist(List.of(talk, bell)).gap(Duration.ofSeconds(20))
        .lateGrace(Duration.ofMinutes(15)).build()).id();
  }

  @AfterEach
  void tearDown() {
    try {
      // Every command's end is written before tear-down closes the store; else its lane may still be asking
      // the store as it closes, which the log guard rightly reports (CI saw it twice).
      List<Long> ids = w.core.db.withHandle(h -> h.createQuery("SELECT id FROM command").mapTo(Long.class).list());
      ids.forEach(id -> assertThat(w.core.commands.completion(id)).succeedsWithin(Duration.ofSeconds(10)));
    } finally {
      w.close();
    }
  }

  /** Sends a command, checks it is answered at once with its id, and waits for its final status. */
  JsonNode command(Client client, String body) {
    Response accepted = client.post("/api/sessions/" + session + "/commands", body);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    long id = accepted.json().get("id").asLong();
    assertThat(accepted.headers().firstValue("Location")).hasValue("/api/commands/" + id);
    assertThat(accepted.json().get("status").asText()).isIn("PENDING", "RUNNING", "DONE", "REJECTED");
    JsonNode done = client.get("/api/commands/" + id + "?wait=10").json();
    assertThat(done.get("final").asBoolean()).as(done.toString()).isTrue();
    w.core.time.settle();
    return done;
  }

  JsonNode slot() {
    JsonNode live = alice.get("/api/guilds/" + GUILD + "/live").json();
    assertThat(live.get("slots")).hasSize(1);
    return live.get("slots").get(0);
  }

  @Test
  void commandsPlayPauseResumeVolumeSkipAndStopASession() {
    assertThat(slot().get("state").asText()).isEqualTo("IDLE");
    JsonNode play = command(alice, "{\"kind\": \"play\"}");
    assertThat(play.get("status").asText()).isEqualTo("DONE");
    assertThat(play.get("result").asText()).isEqualTo("started 'Morning' with bot-a");
    assertThat(play.get("source").asText()).isEqualTo("WEB");
    assertThat(play.get("requestedBy").asText()).isEqualTo("alice");
    JsonNode playing = slot();
    assertThat(playing.get("state").asText()).isEqualTo("PLAYING");
    assertThat(playing.get("session").get("name").asText()).isEqualTo("Morning");
    assertThat(playing.get("track").get("name").asText()).isEqualTo("Talk");
    assertThat(playing.get("track").get("durationMs").asLong()).isEqualTo(600_000);
    assertThat(alice.get("/api/sessions/" + session).json().get("state").asText()).isEqualTo("PLAYING");

    w.core.time.advance(Duration.ofMinutes(2));
    assertThat(slot().get("track").get("elapsedMs").asLong()).isEqualTo(120_000);
    assertThat(slot().get("track").get("remainingMs").asLong()).isEqualTo(480_000);

    assertThat(command(alice, "{\"kind\": \"PAUSE\"}").get("result").asText()).isEqualTo("paused 'Talk' in 'Morning'");
    w.core.time.advance(Duration.ofMinutes(1));
    assertThat(slot().get("state").asText()).isEqualTo("PAUSED");
    assertThat(slot().get("track").get("elapsedMs").asLong()).isEqualTo(120_000);
    assertThat(slot().get("elapsedMs").asLong()).isEqualTo(180_000);
    assertThat(alice.get("/api/sessions/" + session).json().get("state").asText()).isEqualTo("PAUSED");

    assertThat(command(alice, "{\"kind\": \"resume\"}").get("status").asText()).isEqualTo("DONE");
    w.core.time.advance(Duration.ofMinutes(1));
    assertThat(slot().get("track").get("elapsedMs").asLong()).isEqualTo(180_000);

    assertThat(command(alice, "{\"kind\": \"VOLUME\", \"volume\": 80}").get("result").asText())
        .isEqualTo("volume of 'Morning' set to 80%");
    assertThat(slot().get("volume").asInt()).isEqualTo(80);

    assertThat(command(alice, "{\"kind\": \"SKIP\"}").get("result").asText()).isEqualTo("skipped 'Talk' in 'Morning'");
    assertThat(slot().get("track").isNull()).isTrue(); // the 20 s gap
    w.core.time.advance(Duration.ofSeconds(20));
    assertThat(slot().get("track").get("name").asText()).isEqualTo("Bell");

    assertThat(command(alice, "{\"kind\": \"stop\"}").get("result").asText()).isEqualTo("stopped 'Morning'");
    assertThat(slot().get("state").asText()).isEqualTo("IDLE");

    JsonNode runs = alice.get("/api/guilds/" + GUILD + "/runs").json().get("runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).get("outcome").asText()).isEqualTo("STOPPED");
    assertThat(runs.get(0).get("sessionName").asText()).isEqualTo("Morning");
    assertThat(runs.get(0).get("durationMs").asLong()).isEqualTo(Duration.ofMinutes(4).plusSeconds(20).toMillis());
    assertThat(runs.get(0).get("account").asText()).isEqualTo("bot-a");
    JsonNode log = alice.get("/api/guilds/" + GUILD + "/commands").json().get("commands");
    assertThat(log.findValuesAsText("kind")).containsExactly("STOP", "SKIP", "VOLUME", "RESUME", "PAUSE", "PLAY");
    assertThat(log.findValuesAsText("requestedBy")).containsOnly("alice");
    assertThat(log.findValuesAsText("status")).containsOnly("DONE");
    assertThat(log.get(0).get("sessionName").asText()).isEqualTo("Morning");
  }

  @Test
  void aRunPlayedToItsEndIsInTheHistoryWithItsDuration() {
    command(alice, "{\"kind\": \"PLAY\"}");
    w.core.time.advance(Duration.ofMinutes(10).plusSeconds(50));
    JsonNode run = alice.get("/api/guilds/" + GUILD + "/runs").json().get("runs").get(0);
    assertThat(run.get("outcome").asText()).isEqualTo("COMPLETED");
    assertThat(run.get("tracksPlayed").asInt()).isEqualTo(2);
    assertThat(run.get("durationMs").asLong()).isEqualTo(650_000);
    assertThat(run.get("trackOrder")).as("playlist order").isEmpty();
  }

  @Test
  void aShuffledRunShowsTheOrderItPlayedInTheHistory() throws Exception {
    Session morning = w.core.sessions.find(session).orElseThrow();
    w.core.sessions.update(morning.id(), SessionSpec.builder(GUILD, "Morning").voiceChannel(WebHarness.HALL)
        .schedule("daily 23:00 UTC").playlist(morning.playlist()).gap(Duration.ofSeconds(20))
        .lateGrace(Duration.ofMinutes(15)).sound(new Sound(Duration.ZERO, Duration.ZERO, true)).build());
    command(alice, "{\"kind\": \"PLAY\"}");
    w.core.time.advance(Duration.ofMinutes(10).plusSeconds(50));
    JsonNode run = alice.get("/api/guilds/" + GUILD + "/runs").json().get("runs").get(0);
    assertThat(run.get("outcome").asText()).isEqualTo("COMPLETED");
    List<Integer> order = new ArrayList<>();
    run.get("trackOrder").forEach(i -> order.add(i.asInt()));
    assertThat(order).containsExactlyInAnyOrder(0, 1);
    // The history page counts from 1.
    String shown = order.stream().map(i -> String.valueOf(i + 1)).collect(Collectors.joining(", "));
    assertThat(alice.get("/guilds/" + GUILD + "/history").body()).contains("(shuffled: " + shown + ")");
  }

  @Test
  void aCommandThatCannotBeCarriedOutIsRejectedWithTheReason() {
    JsonNode pause = command(alice, "{\"kind\": \"PAUSE\"}");
    assertThat(pause.get("status").asText()).isEqualTo("REJECTED");
    assertThat(pause.get("result").asText()).isEqualTo("nothing is playing in 'Morning'");
    alice.put("/api/sessions/" + session + "/enabled", "{\"enabled\": false}");
    assertThat(command(alice, "{\"kind\": \"PLAY\"}").get("result").asText()).isEqualTo("'Morning' is disabled; enable it first");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{}|kind",
      "{\"kind\": \"dance\"}|kind",
      "{\"kind\": 5}|kind",
      "{\"kind\": \"VOLUME\"}|volume",
      "{\"kind\": \"VOLUME\", \"volume\": 151}|volume",
      "{\"kind\": \"VOLUME\", \"volume\": -1}|volume",
      "{\"kind\": \"VOLUME\", \"volume\": \"loud\"}|volume",
      "{\"kind\": \"PAUSE\", \"volume\": 50}|volume",
      "{\"kind\": \"PAUSE\", \"session\": 2}|session"})
  void aMalformedCommandIsRefusedNamingTheFieldAndNotStored(String body, String field) {
    Response refused = alice.post("/api/sessions/" + session + "/commands", body);
    assertProblem(refused, 422, "invalid-input");
    assertThat(refused.json().get("errors").findValuesAsText("field")).contains(field);
    assertThat(w.query(Integer.class, "SELECT count(*) FROM command")).isZero();
  }

  @Test
  void unknownSessionsAndCommandsAreFourHundredsAndNothingIsStored() {
    assertProblem(alice.post("/api/sessions/999/commands", "{\"kind\": \"PLAY\"}"), 404, "not-found");
    assertProblem(alice.post("/api/sessions/x/commands", "{\"kind\": \"PLAY\"}"), 400, "malformed-request");
    assertThat(w.query(Integer.class, "SELECT count(*) FROM command")).isZero();
    assertProblem(alice.get("/api/commands/999"), 404, "not-found");
    assertProblem(alice.get("/api/commands/abc"), 400, "malformed-request");
    long id = command(alice, "{\"kind\": \"PAUSE\"}").get("id").asLong();
    assertProblem(alice.get("/api/commands/" + id + "?wait=61"), 422, "invalid-input");
    assertProblem(alice.get("/api/commands/" + id + "?wait=soon"), 400, "malformed-request");
  }

  @Test
  void waitingForACommandEndsAtTheTimeoutWithItsStatusSoFar() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    // Holds the dispatcher inside the command, waiting on the test's time source like any core work.
    w.core.commands.onDispatched(c -> {
      try {
        w.core.time.await(gate, T0.plus(Duration.ofDays(1)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long id = alice.post("/api/sessions/" + session + "/commands", "{\"kind\": \"PLAY\"}").json().get("id").asLong();
    CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> alice.get("/api/commands/" + id + "?wait=30"));
    Instant deadline = T0.plusSeconds(30);
    await().atMost(10, TimeUnit.SECONDS).until(() -> w.core.time.pending().contains(deadline));
    assertThat(waiting).isNotDone();
    w.core.time.advance(Duration.ofSeconds(30));
    JsonNode timedOut = waiting.get(10, TimeUnit.SECONDS).json();
    assertThat(timedOut.get("final").asBoolean()).isFalse();
    assertThat(timedOut.get("status").asText()).isIn("PENDING", "RUNNING");

    gate.complete(null);
    JsonNode done = alice.get("/api/commands/" + id + "?wait=30").json();
    assertThat(done.get("status").asText()).isEqualTo("DONE");
    assertThat(done.get("final").asBoolean()).isTrue();
    w.core.time.settle();
  }

  @Test
  void aCommandFromAnApiTokenSaysSo() {
    Client script = w.token(alice, 30, GUILD);
    JsonNode play = command(script, "{\"kind\": \"PLAY\"}");
    assertThat(play.get("source").asText()).isEqualTo("API");
    assertThat(play.get("requestedBy").asText()).isEqualTo("token 'script' of alice");
  }

  @Test
  void theHistoryIsPagedNewestFirst() {
    for (int i = 0; i < 3; i++) {
      command(alice, "{\"kind\": \"PLAY\"}");
      command(alice, "{\"kind\": \"STOP\"}");
      w.core.time.advance(Duration.ofSeconds(1));
    }
    JsonNode first = alice.get("/api/guilds/" + GUILD + "/runs?limit=2").json();
    assertThat(first.get("runs")).hasSize(2);
    long newest = first.get("runs").get(0).get("id").asLong();
    assertThat(first.get("runs").get(1).get("id").asLong()).isLessThan(newest);
    String next = first.get("next").asText();
    JsonNode second = alice.get(next).json();
    assertThat(second.get("runs")).hasSize(1);
    assertThat(second.get("next").isNull()).isTrue();
    JsonNode commands = alice.get("/api/guilds/" + GUILD + "/commands?limit=4").json();
    assertThat(commands.get("commands").findValuesAsText("kind")).containsExactly("STOP", "PLAY", "STOP", "PLAY");
    assertThat(alice.get(commands.get("next").asText()).json().get("commands")).hasSize(2);

    assertProblem(alice.get("/api/guilds/" + GUILD + "/runs?limit=0"), 422, "invalid-input");
    assertProblem(alice.get("/api/guilds/" + GUILD + "/runs?limit=201"), 422, "invalid-input");
    assertProblem(alice.get("/api/guilds/" + GUILD + "/commands?before=x"), 400, "malformed-request");
    assertThat(alice.get("/api/guilds/" + WebHarness.OTHER + "/runs").json().get("runs")).isEmpty();
  }

  // ---- Idempotency-Key

  Response keyed(Client client, String key, String body) {
    return client.send(client.changing("/api/sessions/" + session + "/commands").header("Content-Type", "application/json")
        .header("Idempotency-Key", key).POST(BodyPublishers.ofString(body)).build());
  }

  long commandsStored() {
    return w.query(Long.class, "SELECT count(*) FROM command");
  }

  @Test
  void aRetriedCommandWithTheSameKeyReturnsTheFirstCommandInsteadOfASecond() {
    Response first = keyed(alice, "retry-1", "{\"kind\": \"play\"}");
    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    long id = first.json().get("id").asLong();
    w.core.time.settle();

    Response retried = keyed(alice, "retry-1", "{\"kind\": \"play\"}");
    assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
    assertThat(retried.json().get("id").asLong()).isEqualTo(id);
    assertThat(retried.headers().firstValue("Location")).hasValue("/api/commands/" + id);
    assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(commandsStored()).isEqualTo(1);

    Response other = keyed(alice, "retry-2", "{\"kind\": \"pause\"}");
    assertThat(other.json().get("id").asLong()).isNotEqualTo(id);
    assertThat(commandsStored()).isEqualTo(2);
    // Its end is written before the store closes at tear-down (else the queue logs that the store did not take it).
    assertThat(w.core.commands.completion(other.json().get("id").asLong())).succeedsWithin(Duration.ofSeconds(10));
  }

  @Test
  void theSameKeyWithAnotherCommandIsRefusedNamingTheHeaderAndStoresNothing() {
    assertThat(keyed(alice, "k-7", "{\"kind\": \"volume\", \"volume\": 40}").status()).isEqualTo(202);
    Response reused = keyed(alice, "k-7", "{\"kind\": \"volume\", \"volume\": 90}");
    assertProblem(reused, 422, "invalid-input");
    assertThat(reused.json().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(reused.json().get("detail").asText()).contains("already used for command");
    assertThat(commandsStored()).isEqualTo(1);

    Response bad = keyed(alice, "x".repeat(256), "{\"kind\": \"pause\"}");
    assertProblem(bad, 422, "invalid-input");
    assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(commandsStored()).isEqualTo(1);
  }

  @Test
  void aKeyIsKeptForADayAndBelongsToWhoeverSentIt() throws Exception {
    long id = keyed(alice, "daily", "{\"kind\": \"pause\"}").json().get("id").asLong();
    w.admin("bob", GUILD);
    Client bob = w.login("bob");
    assertThat(keyed(bob, "daily", "{\"kind\": \"pause\"}").json().get("id").asLong()).as("bob's own key").isNotEqualTo(id);
    w.core.time.advance(Duration.ofHours(23));
    alice = w.login("alice"); // the login lasts 12 hours; the key is alice's, not the login's
    assertThat(keyed(alice, "daily", "{\"kind\": \"pause\"}").json().get("id").asLong()).isEqualTo(id);
    w.core.time.advance(Duration.ofHours(2));
    alice = w.login("alice");
    assertThat(keyed(alice, "daily", "{\"kind\": \"pause\"}").json().get("id").asLong()).as("forgotten after 24 h")
        .isNotEqualTo(id);
    assertThat(commandsStored()).isEqualTo(3);
  }

  @Test
  void thePagesCommandFormsCarryAKeySoADoubleSubmitMakesOneCommand() {
    Response page = alice.get("/guilds/" + GUILD);
    Matcher pause = Pattern.compile(
        "name=\"kind\" value=\"PAUSE\">\\s*<input type=\"hidden\" name=\"idempotencyKey\" value=\"([^\"]+)\"")
        .matcher(page.body());
    assertThat(pause.find()).as(page.body()).isTrue();
    String key = pause.group(1);
    Response first = alice.form("/sessions/" + session + "/commands", "_csrf", alice.csrf, "kind", "PAUSE", "idempotencyKey", key);
    Response second = alice.form("/sessions/" + session + "/commands", "_csrf", alice.csrf, "kind", "PAUSE", "idempotencyKey", key);
    assertThat(first.status()).isEqualTo(303);
    assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
    assertThat(commandsStored()).isEqualTo(1);
    assertThat(alice.get("/guilds/" + GUILD).body()).doesNotContain(key);
  }
}
