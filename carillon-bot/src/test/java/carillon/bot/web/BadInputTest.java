package carillon.bot.web;

import static carillon.bot.web.auth.WebAuthTest.assertProblem;
import static carillon.bot.web.WebHarness.GUILD;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.session.SessionSpec;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Requests;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on every route: malformed JSON, wrong types, oversized bodies, unknown and malformed ids.
 * Each is a 4xx problem with a message, never a 5xx, and nothing is stored.
 */
class BadInputTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");
  static final List<String> TABLES = List.of("session", "session_track", "audio_item", "run", "command", "web_account",
      "web_account_guild", "web_token", "web_token_guild");

  @TempDir Path dir;
  WebHarness w;
  Client alice;
  long session;

  @BeforeEach
  void setUp() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");
    alice = w.login("alice");
    String bell = w.core.track("Bell", Duration.ofSeconds(30));
    session = w.core.create(SessionSpec.builder(GUILD, "Morning").voiceChannel(WebHarness.HALL)
        .schedule("daily 07:00 UTC").playlist(List.of(bell)).gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15))
        .build()).id();
  }

  @AfterEach
  void tearDown() {
    w.close();
  }

  Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    TABLES.forEach(t -> counts.put(t, w.query(Integer.class, "SELECT count(*) FROM " + t)));
    return counts;
  }

  /** The routes that take a JSON body, with ids that exist. */
  List<String> jsonRoutes() {
    return w.web.routes().stream()
        .filter(r -> r.startsWith("POST ") || r.startsWith("PUT "))
        .filter(r -> !Pages.isPage(r.substring(r.indexOf(' ') + 1)))
        .filter(r -> !r.equals("POST /api/library") && !r.equals("POST /api/logout"))
        .filter(r -> !r.equals("POST /api/guilds/{guild}/ics-import")) // takes text/calendar or an upload
        .map(r -> r.replace("{guild}", String.valueOf(GUILD)).replace("{session}", String.valueOf(session))
            .replace("{audio}", "a".repeat(64)))
        .toList();
  }

  @Test
  void malformedBodiesOnEveryJsonRouteAreFourHundredsAndStoreNothing() {
    Map<String, Integer> before = counts();
    List<String> routes = jsonRoutes();
    assertThat(routes).hasSizeGreaterThanOrEqualTo(10);
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("{\"name\": ", "malformed-request");
    bodies.put("not json at all", "malformed-request");
    bodies.put("", "malformed-request");
    bodies.put("[1, 2]", "malformed-request");
    bodies.put("\"a string\"", "malformed-request");
    bodies.put("{} {}", "malformed-request");
    bodies.put("{\"name\": \"a\", \"name\": \"b\"}", "malformed-request");
    bodies.put("[".repeat(5000) + "]".repeat(5000), "malformed-request");
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      for (var body : bodies.entrySet()) {
        Response response = alice.send(alice.changing(path).header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body.getKey())).build());
        String what = route + " with " + Requests.shorten(body.getKey());
        if (path.startsWith("/api/library/")) {
          assertThat(response.status()).as(what).isEqualTo(404); // the item is looked up first
          continue;
        }
        assertThat(response.status()).as(what + ": " + response).isEqualTo(400);
        assertThat(response.contentType()).as(what).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asText()).as(what).isEqualTo("body");
      }
      Response wrongType = alice.send(alice.changing(path).header("Content-Type", "text/plain")
          .method(method, HttpRequest.BodyPublishers.ofString("{}")).build());
      if (!path.startsWith("/api/library/")) {
        assertProblem(wrongType, 415, "unsupported-media-type");
      }
    }
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void anOversizedJsonBodyIsRefused() {
    Map<String, Integer> before = counts();
    String huge = "{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    Response response = alice.post("/api/guilds/" + GUILD + "/sessions", huge);
    assertProblem(response, 413, "too-large");
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void garbageIdsInEveryPathAreFourHundreds() {
    Map<String, Integer> before = counts();
    for (String route : w.web.routes()) {
      if (!route.contains("{")) {
        continue;
      }
      String method = route.substring(0, route.indexOf(' '));
      for (String garbage : List.of("abc", "99999999999999999999999", "-1", "%2e%2e", "1.5", "0x10", "%00", "999")) {
        String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[a-z]+}", garbage);
        Response response = alice.send(alice.changing(path).header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString("{\"kind\": \"PLAY\", \"enabled\": true, \"name\": \"x\"}"))
            .build());
        assertThat(response.status()).as(method + " " + path + ": " + response).isBetween(400, 499);
        if (Pages.isPage(path) && response.contentType().startsWith("text/html")) {
          assertThat(response.body()).as(method + " " + path).contains("class=\"error\"");
          continue; // a page answers a person with a page
        }
        assertThat(response.contentType()).as(method + " " + path).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).isNotBlank();
      }
    }
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void scriptInNamesIsRefusedEverywhereANameIsGiven() {
    Map<String, Integer> before = counts();
    String script = "<img src=x onerror=alert(1)>";
    assertProblem(alice.put("/api/sessions/" + session, "{\"name\": \"" + script + "\", \"voiceChannel\": \"2001\", "
        + "\"schedule\": \"daily 07:00 UTC\", \"playlist\": [\"" + "0".repeat(63) + "1\"]}"), 422, "invalid-input");
    assertProblem(alice.post("/api/tokens", "{\"name\": \"" + script + "\", \"guilds\": [\"1000\"]}"), 422, "invalid-input");
    assertProblem(alice.post("/api/accounts", "{\"name\": \"" + script + "\", \"password\": \"" + WebHarness.PASSWORD
        + "\", \"allGuilds\": true}"), 422, "invalid-input");
    assertThat(counts()).isEqualTo(before);
    assertThat(w.core.sessions.find(session).orElseThrow().name()).isEqualTo("Morning");
  }
}
