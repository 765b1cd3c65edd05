package carillon.bot.web.live;

import static carillon.bot.web.WebHarness.GUILD;
import static carillon.bot.web.WebHarness.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.session.SessionSpec;
import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.auth.WebAuthTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server-sent events of live changes, read by a real HTTP client; every wait is bounded. */
class LiveEventsTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");
  static final long WAIT_SECONDS = 10;

  @TempDir Path dir;
  WebHarness w;
  Client alice;
  long session;
  String bell;

  record Event(String name, JsonNode data) {}

  /** Reads one event stream on a thread of its own into a queue. */
  final class Events implements AutoCloseable {
    final BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    final HttpResponse<Stream<String>> response;
    final Thread reader;

    Events(Client client, String path) throws Exception {
      response = w.http.send(client.request(path).header("Accept", "text/event-stream").GET().build(),
          HttpResponse.BodyHandlers.ofLines());
      reader = Thread.ofVirtual().name("sse reader").start(() -> {
        String name = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
          for (String line : (Iterable<String>) lines::iterator) {
            if (line.startsWith("event:")) {
              name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
              data.append(line.substring(5).strip());
            } else if (line.isEmpty() && name != null) {
              received.add(new Event(name, w.json.readTree(data.toString())));
              name = null;
              data.setLength(0);
            }
          }
        } catch (IOException | RuntimeException e) {
          // the stream was closed
        }
      });
    }

    /** Every event received so far, in order, and how far each event name has been read. */
    final List<Event> seen = new ArrayList<>();
    final Map<String, Integer> read = new HashMap<>();

    /**
     * The next event named {@code name} that matches, after the last one read of that name (events of
     * other names stay to be read); fails after a bounded wait.
     */
    JsonNode next(String name, Predicate<JsonNode> matching) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      int i = read.getOrDefault(name, 0);
      while (true) {
        for (; i < seen.size(); i++) {
          Event event = seen.get(i);
          if (event.name().equals(name) && matching.test(event.data())) {
            read.put(name, i + 1);
            return event.data();
          }
        }
        Event event = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (event == null) {
          throw new AssertionError("no '" + name + "' event as expected within " + WAIT_SECONDS + " s; received " + seen);
        }
        seen.add(event);
      }
    }

    /** The very next event, whatever it is (for streams read only this way). */
    Event nextAny() throws InterruptedException {
      Event event = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("no event within " + WAIT_SECONDS + " s");
      }
      seen.add(event);
      return event;
    }

    @Override
    public void close() {
      response.body().close();
      reader.interrupt();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");
    alice = w.login("alice");
    bell = w.core.track("Bell", Duration.ofSeconds(30));
    String talk = w.core.track("Talk", Duration.ofMinutes(10));
    session = w.core.create(SessionSpec.builder(GUILD, "Morning").voiceChannel(WebHarness.HALL)
        .schedule("daily 23:00 UTC").playlist(List.of(talk, bell)).gap(Duration.ofSeconds(20))
        .lateGrace(Duration.ofMinutes(15)).build()).id();
  }

  @AfterEach
  void tearDown() {
    w.close();
  }

  static boolean slot(JsonNode slots, String state, String track) {
    JsonNode first = slots.get("slots").get(0);
    return first.get("state").asText().equals(state)
        && (track == null ? !first.hasNonNull("track") : first.hasNonNull("track")
            && first.get("track").get("name").asText().equals(track));
  }

  @Test
  void aStreamStartsWithEachGuildsSlotsThenFollowsPlaybackAndCommands() throws Exception {
    try (Events events = new Events(alice, "/api/live/events")) {
      assertThat(events.response.statusCode()).isEqualTo(200);
      assertThat(events.response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
      JsonNode first = events.next("slots", s -> true);
      JsonNode second = events.next("slots", s -> true);
      assertThat(List.of(first.get("guild").asText(), second.get("guild").asText())).containsExactly("1000", "5000");
      assertThat(first.get("slots").get(0).get("state").asText()).isEqualTo("IDLE");

      alice.post("/api/sessions/" + session + "/commands", "{\"kind\": \"PLAY\"}");
      JsonNode command = events.next("command", c -> c.get("kind").asText().equals("PLAY"));
      assertThat(command.get("status").asText()).isEqualTo("DONE");
      assertThat(command.get("result").asText()).isEqualTo("started 'Morning' with bot-a");
      JsonNode playing = events.next("slots", s -> slot(s, "PLAYING", "Talk"));
      assertThat(playing.get("guild").asText()).isEqualTo("1000");
      assertThat(playing.get("slots").get(0).get("session").get("name").asText()).isEqualTo("Morning");
      assertThat(playing.get("slots").get(0).get("track").get("remainingMs").asLong()).isEqualTo(600_000);

      alice.post("/api/sessions/" + session + "/commands", "{\"kind\": \"PAUSE\"}");
      events.next("slots", s -> slot(s, "PAUSED", "Talk"));
      alice.post("/api/sessions/" + session + "/commands", "{\"kind\": \"RESUME\"}");
      events.next("slots", s -> slot(s, "PLAYING", "Talk"));
      w.core.time.advance(Duration.ofMinutes(10));
      events.next("slots", s -> slot(s, "PLAYING", null)); // the gap
      w.core.time.advance(Duration.ofSeconds(20));
      events.next("slots", s -> slot(s, "PLAYING", "Bell"));
      w.core.time.advance(Duration.ofSeconds(30));
      events.next("slots", s -> slot(s, "IDLE", null));
    }
  }

  @Test
  void sessionChangesAreAnnounced() throws Exception {
    try (Events events = new Events(alice, "/api/live/events?guild=" + GUILD)) {
      events.next("slots", s -> true);
      alice.put("/api/sessions/" + session + "/enabled", "{\"enabled\": false}");
      JsonNode changed = events.next("session", s -> true);
      assertThat(changed.get("id").asLong()).isEqualTo(session);
      assertThat(changed.get("deleted").asBoolean()).isFalse();
      alice.delete("/api/sessions/" + session);
      JsonNode deleted = events.next("session", s -> s.get("deleted").asBoolean());
      assertThat(deleted.get("guild").asText()).isEqualTo("1000");
    }
  }

  @Test
  void aStreamCarriesOnlyTheGuildsItsReaderMaySee() throws Exception {
    w.admin("bao", OTHER);
    Client bao = w.login("bao");
    try (Events theirs = new Events(bao, "/api/live/events"); Events script = new Events(w.token(alice, 30, OTHER),
        "/api/live/events")) {
      assertThat(theirs.nextAny().data().get("guild").asText()).isEqualTo(String.valueOf(OTHER));
      assertThat(script.nextAny().data().get("guild").asText()).isEqualTo(String.valueOf(OTHER));
      // Activity in guild 1000, then a change in guild 5000: the 5000 one is the next thing bao hears.
      alice.post("/api/sessions/" + session + "/commands", "{\"kind\": \"PLAY\"}");
      alice.get("/api/commands/1?wait=10");
      w.core.time.settle();
      w.core.create(SessionSpec.builder(OTHER, "Theirs").voiceChannel(WebHarness.OTHER_VOICE)
          .schedule("daily 07:00 UTC").playlist(List.of(bell)).gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15))
          .build());
      for (Events stream : List.of(theirs, script)) {
        Event next = stream.nextAny();
        assertThat(next.name()).isEqualTo("session");
        assertThat(next.data().get("guild").asText()).isEqualTo(String.valueOf(OTHER));
      }
    }
  }

  @Test
  void aRevokedTokensStreamEndsAtItsNextCheck() throws Exception {
    Client script = w.token(alice, 30, GUILD);
    Events events = new Events(script, "/api/live/events?guild=" + GUILD);
    events.next("slots", s -> true);
    long tokenId = alice.get("/api/tokens").json().get("tokens").get(0).get("id").asLong();
    assertThat(alice.delete("/api/tokens/" + tokenId).status()).isEqualTo(204);
    // The stream checks its credential at most every 15 s (of the injected clock), when it wakes.
    w.core.time.advance(Duration.ofSeconds(15));
    alice.put("/api/sessions/" + session + "/enabled", "{\"enabled\": false}");
    events.reader.join(Duration.ofSeconds(WAIT_SECONDS));
    assertThat(events.reader.isAlive()).as("the stream ended").isFalse();
    assertThat(events.received).noneMatch(e -> e.name().equals("session"));
    events.close();
  }

  @Test
  void aStreamNeedsTheEventStreamAcceptHeader() {
    WebHarness.Response response = alice.get("/api/live/events");
    WebAuthTest.assertProblem(response, 406, "not-acceptable");
  }

  @Test
  void closingTheServerEndsTheStreams() throws Exception {
    Events events = new Events(alice, "/api/live/events");
    events.next("slots", s -> true);
    w.web.close();
    events.reader.join(Duration.ofSeconds(WAIT_SECONDS));
    assertThat(events.reader.isAlive()).isFalse();
    events.close();
  }
}
