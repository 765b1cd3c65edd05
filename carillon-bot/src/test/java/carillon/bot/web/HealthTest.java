package carillon.bot.web;

import carillon.testing.ExpectedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health/live, /health/ready and the admin page's voice banner, without authentication where they are open. */
class HealthTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");
  static final String NO_DAVE = "JDAVE needs glibc 2.38 (found 2.36); run the container image";

  @TempDir Path dir;
  WebHarness w;
  /** The accounts' gateways as the readiness check sees them; a test changes them. */
  final Map<String, Optional<String>> gateways = new ConcurrentHashMap<>();

  WebHarness start(Optional<String> voiceOff) {
    w = new WebHarness(dir, T0, 1_000_000, null, new Readiness(() -> new TreeMap<>(gateways), voiceOff));
    return w;
  }

  @AfterEach
  void tearDown() {
    if (w != null) {
      w.close();
    }
  }

  @Test
  void liveAnswersWithoutAuthenticationAndReadyIsGreenWhenStoreAccountsAndVoiceAre() {
    start(Optional.empty());
    gateways.put("bell", Optional.empty());
    gateways.put("gong", Optional.empty());
    Client anyone = w.anonymous();
    Response live = anyone.get("/health/live");
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().get("status").asText()).isEqualTo("live");

    Response ready = anyone.get("/health/ready");
    assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    JsonNode body = ready.json();
    assertThat(body.get("status").asText()).isEqualTo("ready");
    assertThat(body.get("store").asText()).isEqualTo("ok");
    assertThat(body.get("voice").asText()).isEqualTo("ok");
    assertThat(body.get("accounts").get("bell").asText()).isEqualTo("connected");
    assertThat(body.get("problems")).isEmpty();
    assertThat(anyone.get("/health").status()).isEqualTo(200);
  }

  @Test
  void readyIs503NamingEachAccountThatIsNotConnectedAndComesBack() {
    start(Optional.empty());
    gateways.put("bell", Optional.empty());
    gateways.put("gong", Optional.of("shard 0 is ATTEMPTING_TO_RECONNECT"));
    Response ready = w.anonymous().get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.contentType()).startsWith("application/json");
    assertThat(ready.json().get("status").asText()).isEqualTo("not ready");
    assertThat(ready.json().get("accounts").get("gong").asText()).isEqualTo("shard 0 is ATTEMPTING_TO_RECONNECT");
    assertThat(ready.json().get("problems").toString()).contains("bot account 'gong': shard 0 is ATTEMPTING_TO_RECONNECT")
        .doesNotContain("bell");
    assertThat(w.anonymous().get("/health").status()).as("the old check: the server and store answer").isEqualTo(200);

    gateways.put("gong", Optional.empty());
    assertThat(w.anonymous().get("/health/ready").status()).isEqualTo(200);
  }

  @Test
  void readyIs503WhenVoiceIsOffAndThePagesSayWhy() throws Exception {
    start(Optional.of(NO_DAVE));
    Response ready = w.anonymous().get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().get("voice").asText()).isEqualTo("voice unavailable: " + NO_DAVE);
    assertThat(ready.json().get("problems").get(0).asText()).isEqualTo("voice unavailable: " + NO_DAVE);

    w.owner("alice");
    Response page = w.login("alice").get("/guilds/" + WebHarness.GUILD);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("voice unavailable: JDAVE needs glibc 2.38 (found 2.36); run the container image");
  }

  @Test
  void thePagesShowNoVoiceBannerWhenVoiceWorks() throws Exception {
    start(Optional.empty());
    w.owner("alice");
    assertThat(w.login("alice").get("/guilds/" + WebHarness.GUILD).body()).doesNotContain("voice unavailable");
  }

  /** A full database (SQLite's own limit on its pages, as a full disk answers) makes it not ready, and back. */
  @ExpectedLog(logger = "carillon.bot.store.StoreHealth", message = "Store unavailable")
  @Test
  void readyIs503WhileTheStoreIsFullAndReadyAgainWhenItIsNot() {
    start(Optional.empty());
    long pages = w.core.db.withHandle(h -> h.createQuery("PRAGMA page_count").mapTo(Long.class).one());
    w.core.db.useHandle(h -> h.execute("PRAGMA max_page_count = " + pages));
    assertThatThrownBy(() -> w.core.db.useHandle(h -> h.execute(
        "CREATE TABLE filler AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
            + "SELECT i, randomblob(100) AS b FROM n")));
    Response ready = w.anonymous().get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().get("store").asText()).startsWith("unavailable since");
    assertThat(ready.json().get("problems").get(0).asText()).startsWith("store: unavailable since");
  }
}
