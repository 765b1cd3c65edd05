package carillon.bot.web;

import carillon.testing.ExpectedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.app.DemoAudio;
import carillon.bot.session.SessionSpec;
import carillon.bot.store.Database;
import carillon.bot.testing.DiskFull;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import carillon.bot.web.library.LibraryApiTest;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API while the store is unavailable (issue 12: 1,422 requests got 500 with a stack trace each, and
 * uploads 400 "malformed request"): 503 with Retry-After, uploads too, nothing stored, and the store's
 * answers come back when it does.
 */
class StoreUnavailableApiTest {
  @TempDir Path dir;
  final DiskFull disk = new DiskFull();
  WebHarness w;
  Client alice;
  long session;

  @BeforeEach
  void setUp() throws Exception {
    w = new WebHarness(dir, Instant.parse("2026-03-27T00:00:00Z"), 1_000_000,
        () -> Database.openSqlite(dir.resolve("carillon.db"), disk::around));
    w.owner("alice");
    alice = w.login("alice");
    String talk = w.core.track("Talk", Duration.ofMinutes(10));
    session = w.core.create(SessionSpec.builder(WebHarness.GUILD, "Morning").voiceChannel(WebHarness.HALL)
        .schedule("daily 23:00 UTC").playlist(List.of(talk)).gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15))
        .build()).id();
  }

  @AfterEach
  void tearDown() {
    w.close();
  }

  private static void assertStoreUnavailable(Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(response.json().get("type").asText()).isEqualTo("urn:carillon:problem:store-unavailable");
    assertThat(response.json().get("detail").asText()).contains("nothing");
  }

  @ExpectedLog(logger = "carillon.bot.store.StoreHealth", message = "Store unavailable")
  @Test
  void onAFullDiskUploadsCommandsAndReadsAre503WithRetryAfterAndNothingIsStored() {
    long audioBefore = w.query(Long.class, "SELECT count(*) FROM audio_item");
    disk.fill();

    assertStoreUnavailable(alice.send(alice.changing("/api/library")
        .header("Content-Type", "multipart/form-data; boundary=" + LibraryApiTest.BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(LibraryApiTest.multipart(
            List.of(new LibraryApiTest.Part("Temple bell.wav", DemoAudio.chime(528, 1)))))).build()));
    assertStoreUnavailable(alice.post("/api/sessions/" + session + "/commands", "{\"kind\": \"PLAY\"}"));
    assertStoreUnavailable(alice.get("/api/library"));

    disk.free();
    await().atMost(Duration.ofSeconds(30)).until(() -> w.core.db.health().isAvailable());
    assertThat(w.query(Long.class, "SELECT count(*) FROM audio_item")).isEqualTo(audioBefore);
    assertThat(w.query(Long.class, "SELECT count(*) FROM command")).isZero();
    assertThat(alice.get("/api/library").status()).isEqualTo(200);
  }
}
