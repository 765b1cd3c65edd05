package carillon.bot.web.sessions;

import static carillon.bot.web.WebHarness.GUILD;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.testing.PostgresServer;
import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes of a cluster on one PostgreSQL: {@code holder} holds the guild's shard (plans and plays its
 * sessions), {@code other} does not. Behind a load balancer either answers, so both must tell the same state
 * and next start.
 */
class ClusterSessionStateOnPostgresTest {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z"); // a Friday
  /** Wednesday 07:00 in the guild's zone: Monday the 30th is a skipped date of the guild. */
  static final Instant WEDNESDAY = Instant.parse("2026-04-01T00:00:00Z");

  @TempDir Path dir;
  WebHarness holder;
  WebHarness other;
  Client atHolder;
  Client atOther;

  @BeforeEach
  void setUp() throws Exception {
    holder = WebHarness.inCluster(dir.resolve("holder"), T0, postgres.database(), guild -> true);
    other = WebHarness.inCluster(dir.resolve("other"), T0, postgres.database(), guild -> false);
    holder.owner("alice");
    // A token, not a login: the test's clock moves days on, beyond a login's lifetime.
    atHolder = holder.token(holder.login("alice"), 30, GUILD);
    atOther = other.anonymous();
    atOther.bearer = atHolder.bearer; // one store: a token made through one process works on every one
    holder.core.calendars.update(GUILD, new GuildCalendars.Change(null, null,
        List.of(new GuildCalendars.SkipEntry("2026-03-30", "holiday"))));
    holder.core.time.settle();
  }

  @AfterEach
  void tearDown() {
    other.close();
    holder.close();
  }

  @Test
  void aProcessThatDoesNotHoldTheGuildAnswersAsItsHolder() {
    String talk = holder.core.track("Talk", Duration.ofMinutes(10));
    ObjectNode body = holder.json.createObjectNode();
    body.put("name", "Morning");
    body.put("voiceChannel", String.valueOf(WebHarness.HALL));
    body.put("schedule", "weekly MON,WED,FRI 07:00 Asia/Ho_Chi_Minh");
    body.putArray("playlist").add(talk);
    Response created = atOther.post("/api/guilds/" + GUILD + "/sessions", body.toString());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().get("state").asText()).isEqualTo("SCHEDULED");
    assertThat(created.json().get("nextStart").asText()).isEqualTo(WEDNESDAY.toString());
    long id = created.json().get("id").asLong();
    holder.core.scheduler.replan(id); // what the cluster's notice of a changed session does on the holder
    holder.core.time.settle();

    JsonNode atHolderBefore = atHolder.get("/api/sessions/" + id).json();
    JsonNode atOtherBefore = atOther.get("/api/sessions/" + id).json();
    assertThat(atHolderBefore.get("state").asText()).isEqualTo("SCHEDULED");
    assertThat(atHolderBefore.get("nextStart").asText()).isEqualTo(WEDNESDAY.toString());
    assertThat(atOtherBefore.get("state").asText()).isEqualTo("SCHEDULED");
    assertThat(atOtherBefore.get("nextStart").asText()).isEqualTo(WEDNESDAY.toString());
    assertThat(atOtherBefore.get("nextStartLocal").asText()).isEqualTo(atHolderBefore.get("nextStartLocal").asText());
    assertThat(atOther.get("/api/guilds/" + GUILD + "/sessions").body()).contains("\"SCHEDULED\"");

    Duration toStart = Duration.between(T0, WEDNESDAY).plusSeconds(5);
    holder.core.time.advance(toStart);
    other.core.time.advance(toStart);
    holder.core.time.settle();
    assertThat(holder.core.playback.active(id)).isPresent();

    JsonNode playingAtHolder = atHolder.get("/api/sessions/" + id).json();
    JsonNode playingAtOther = atOther.get("/api/sessions/" + id).json();
    assertThat(playingAtHolder.get("state").asText()).isEqualTo("PLAYING");
    assertThat(playingAtOther.get("state").asText()).isEqualTo("PLAYING");
    assertThat(playingAtOther.get("nextStart").asText()).isEqualTo(playingAtHolder.get("nextStart").asText())
        .isEqualTo("2026-04-03T00:00:00Z");
    assertThat(playingAtOther.get("playedBy").asText()).isEqualTo(holder.core.runs.owner());
    assertThat(playingAtHolder.has("playedBy")).as("the holder plays it: no playedBy").isFalse();

    JsonNode live = atOther.get("/api/guilds/" + GUILD + "/live").json();
    assertThat(live.get("slots")).hasSize(1);
    JsonNode slot = live.get("slots").get(0);
    assertThat(slot.get("state").asText()).isEqualTo("PLAYING");
    assertThat(slot.get("account").asText()).isEqualTo("bot-a");
    assertThat(slot.get("session").get("id").asLong()).isEqualTo(id);
    assertThat(slot.get("runId").asLong())
        .isEqualTo(atHolder.get("/api/guilds/" + GUILD + "/live").json().get("slots").get(0).get("runId").asLong());
    assertThat(slot.get("playedBy").asText()).isEqualTo(holder.core.runs.owner());

    Response pause = atHolder.post("/api/sessions/" + id + "/commands", "{\"kind\": \"pause\"}");
    assertThat(pause.status()).as(pause.toString()).isEqualTo(202);
    JsonNode paused = atHolder.get("/api/commands/" + pause.json().get("id").asLong() + "?wait=10").json();
    assertThat(paused.get("status").asText()).as(paused.toString()).isEqualTo("DONE");
    holder.core.time.settle();
    assertThat(atHolder.get("/api/sessions/" + id).json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(atOther.get("/api/sessions/" + id).json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(atOther.get("/api/guilds/" + GUILD + "/live").json().get("slots").get(0).get("state").asText())
        .isEqualTo("PAUSED");
  }
}
