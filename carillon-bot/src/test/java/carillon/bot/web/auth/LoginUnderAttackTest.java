package carillon.bot.web.auth;

import static carillon.bot.web.WebHarness.PASSWORD;
import static carillon.bot.web.auth.WebAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins and password changes under attack (issue 15, items 1 to 3, and the small ones of 9): bursts of
 * parallel guesses get no more password checks than the limits allow, the attacker cannot lock the owner out,
 * forwarded headers count only from trusted proxies.
 */
class LoginUnderAttackTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");

  @TempDir Path dir;
  WebHarness w;

  @AfterEach
  void tearDown() {
    if (w != null) {
      w.close();
    }
  }

  /** 100 guesses at once for alice, the 40th right; each request made by {@code headers}. */
  private Map<Integer, Long> burst(Function<Integer, Map<String, String>> headers) {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String password = i == 39 ? PASSWORD : "guess number " + i;
      HttpRequest.Builder request = HttpRequest.newBuilder(w.base.resolve("/api/login"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"alice\", \"password\": \"" + password + "\"}"));
      headers.apply(i).forEach(request::header);
      answers.add(w.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
    }
    return answers.stream().map(CompletableFuture::join)
        .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
  }

  @Test
  void aHundredParallelGuessesFromOneAddressGetFivePasswordChecksAndTheOwnerStillLogsIn() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");
    Client owner = w.login("alice"); // her browser logged in before the attack: it is known

    Map<Integer, Long> statuses = burst(i -> Map.of());

    // Before the fix 53 passwords were checked and guess 40 logged in.
    long checked = statuses.getOrDefault(401, 0L) + statuses.getOrDefault(200, 0L);
    assertThat(checked).as(statuses.toString()).isLessThanOrEqualTo(LoginThrottle.ACCOUNT.perMinute());
    assertThat(statuses.getOrDefault(429, 0L)).isEqualTo(100 - checked);
    Client again = w.anonymous();
    again.device = owner.device;
    Response login = again.post("/api/login", "{\"name\": \"alice\", \"password\": \"" + PASSWORD + "\"}");
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
  }

  @Test
  void behindATrustedProxyEachClientIsLimitedAloneAndTheAccountOnlyForUnknownClients() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000, null,
        s -> s.behindProxy(URI.create("https://carillon.example.org"), List.of("127.0.0.1")));
    w.owner("alice");
    w.owner("bob");
    Client owner = w.anonymous();
    owner.adopt(owner.send(owner.request("/api/login").header("Content-Type", "application/json")
        .header("X-Forwarded-For", "198.51.100.7")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"alice\", \"password\": \"" + PASSWORD + "\"}")).build()));

    Map<Integer, Long> statuses = burst(i -> Map.of("X-Forwarded-For", "203.0.113.9, 127.0.0.1"));

    long checked = statuses.getOrDefault(401, 0L) + statuses.getOrDefault(200, 0L);
    assertThat(checked).as(statuses.toString()).isLessThanOrEqualTo(LoginThrottle.ACCOUNT.perMinute());
    // Another client through the same proxy is not held: the proxy's address is not everyone's.
    Response bob = w.anonymous().send(w.anonymous().request("/api/login").header("Content-Type", "application/json")
        .header("Forwarded", "for=\"[2001:db8::7]:4711\"")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bob\", \"password\": \"" + PASSWORD + "\"}")).build());
    assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
    // The owner's known browser, from her own address, still logs in.
    Client again = w.anonymous();
    again.device = owner.device;
    Response alice = again.send(again.request("/api/login").header("Content-Type", "application/json")
        .header("X-Forwarded-For", "198.51.100.7")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"alice\", \"password\": \"" + PASSWORD + "\"}")).build());
    assertThat(alice.status()).as(alice.toString()).isEqualTo(200);
  }

  @Test
  void forwardedHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    for (int i = 0; i < 30; i++) {
      Response attempt = w.anonymous().send(w.anonymous().request("/api/login").header("Content-Type", "application/json")
          .header("X-Forwarded-For", "203.0.113." + i)
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"user" + i + "\", \"password\": \"guess\"}")).build());
      assertThat(attempt.status()).isEqualTo(i < LoginThrottle.CLIENT.perMinute() ? 401 : 429);
    }
  }

  @Test
  void passwordChangesAreLimitedEndOtherLoginsAndRevokeTokensWhenAsked() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");
    Client alice = w.login("alice");
    Client otherBrowser = w.login("alice");
    Client script = w.token(alice, 30, WebHarness.GUILD);
    int refused = 0;
    for (int i = 0; i < 30; i++) {
      Response wrong = alice.put("/api/me/password",
          "{\"currentPassword\": \"guess " + i + "\", \"newPassword\": \"a new and long password\"}");
      refused += wrong.status() == 429 ? 1 : 0;
    }
    assertThat(refused).isEqualTo(30 - LoginThrottle.ACCOUNT.perMinute());
    assertProblem(alice.put("/api/me/password", "{\"currentPassword\": \"" + PASSWORD
        + "\", \"newPassword\": \"a new and long password\"}"), 429, "rate-limited");

    w.core.time.advance(Duration.ofMinutes(1));
    Response changed = alice.put("/api/me/password", "{\"currentPassword\": \"" + PASSWORD
        + "\", \"newPassword\": \"a new and long password\", \"revokeApiTokens\": true}");

    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.json().get("revokeApiTokens").asBoolean()).isTrue();
    assertThat(changed.json().get("apiTokensRevoked").asInt()).isEqualTo(1);
    alice.adopt(changed);
    assertThat(alice.get("/api/me").status()).isEqualTo(200);
    assertThat(otherBrowser.get("/api/me").status()).isEqualTo(401);
    assertThat(script.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void aPasswordChangeKeepsTokensUnlessAsked() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");
    Client alice = w.login("alice");
    Client script = w.token(alice, 30, WebHarness.GUILD);

    Response changed = alice.put("/api/me/password", "{\"currentPassword\": \"" + PASSWORD
        + "\", \"newPassword\": \"a new and long password\"}");

    assertThat(changed.json().get("revokeApiTokens").asBoolean()).isFalse();
    assertThat(changed.json().get("apiTokensRevoked").asInt()).isZero();
    assertThat(script.get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");
    Client script = w.token(w.login("alice"), 30, WebHarness.GUILD);

    Response me = script.send(HttpRequest.newBuilder(w.base.resolve("/api/me"))
        .header("Authorization", "bearer " + script.bearer).GET().build());

    assertThat(me.status()).as(me.toString()).isEqualTo(200);
  }

  @Test
  void weakPasswordsAreRefusedWithTheReason() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");
    Client alice = w.login("alice");
    Map<String, String> refused = Map.of(
        "alice-the-admin", "must not contain the account's name",
        "zzzzzzzzzzzzzzzz", "must not be one character repeated",
        "Password1234", "is one of the most common passwords",
        "short", "must be 12 to 1024 characters");

    refused.forEach((password, reason) -> {
      Response response = alice.put("/api/me/password", "{\"currentPassword\": \"" + PASSWORD
          + "\", \"newPassword\": \"" + password + "\"}");
      assertProblem(response, 422, "invalid-input");
      assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("newPassword");
      assertThat(response.json().get("errors").get(0).get("message").asText()).as(password).contains(reason);
    });
  }

  @Test
  void aHostTheServerIsNotReachedByIsRefused() throws Exception {
    w = new WebHarness(dir, T0, 1_000_000);
    w.owner("alice");

    // Before the fix the login form's Origin check passed: it compared Origin with this very Host.
    String spoofed = raw("POST /login HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\nConnection: close\r\n\r\n"
        + "name=alice&password=");

    assertThat(spoofed).startsWith("HTTP/1.1 421").contains("Host");
    assertThat(raw("GET /health HTTP/1.1\r\nHost: localhost:" + w.base.getPort() + "\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
  }

  private String raw(String request) throws IOException {
    try (Socket socket = new Socket(w.base.getHost(), w.base.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
