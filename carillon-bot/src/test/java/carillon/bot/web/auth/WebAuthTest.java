package carillon.bot.web.auth;

import static carillon.bot.web.WebHarness.GUILD;
import static carillon.bot.web.WebHarness.OTHER;
import static carillon.bot.web.WebHarness.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.session.FieldError;
import carillon.bot.session.SessionSpec;
import carillon.bot.web.WebHarness;
import carillon.bot.web.WebHarness.Client;
import carillon.bot.web.WebHarness.Response;
import carillon.bot.web.WebServer;
import carillon.bot.web.http.Pages;
import carillon.testing.LogCapture;
import carillon.testing.LoggedEvent;
import ch.qos.logback.classic.Level;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access: logins, cookies, CSRF, API tokens, rate limits, the first admin, accounts; every failure. */
public class WebAuthTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");

  @TempDir Path dir;
  WebHarness w;

  /** The server under test, on a SQLite file; the PostgreSQL twin of this class overrides it. */
  WebHarness newHarness(Path dir) {
    return new WebHarness(dir, T0, 1_000_000);
  }

  WebHarness start() {
    w = newHarness(dir);
    return w;
  }

  @AfterEach
  void tearDown() {
    if (w != null) {
      w.close();
    }
  }

  public static void assertProblem(Response response, int status, String type) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("type").asText()).isEqualTo("urn:carillon:problem:" + type);
    assertThat(response.json().get("detail").asText()).isNotBlank();
  }

  /** A path for a route template, with ids that exist or not: authentication comes before either. */
  static String concrete(String template) {
    return template.replace("{guild}", String.valueOf(GUILD)).replace("{session}", "1").replace("{command}", "1")
        .replace("{audio}", "a".repeat(64)).replace("{account}", "1").replace("{token}", "1");
  }

  @Test
  void noRouteButLoginSetupHealthAndAssetsAnswersWithoutAuthentication() {
    start();
    List<String> open = List.of("GET /health", "GET /health/live", "GET /health/ready", "GET /setup", "POST /api/login",
        "POST /api/setup", "GET /login", "POST /login", "GET /calendar/{file}", "GET /language");
    List<String> routes = w.web.routes();
    assertThat(routes).containsAll(open).hasSizeGreaterThan(25);
    Client anonymous = w.anonymous();
    for (String route : routes) {
      if (open.contains(route)) {
        continue;
      }
      String method = route.substring(0, route.indexOf(' '));
      String path = concrete(route.substring(route.indexOf(' ') + 1));
      Response response = anonymous.send(anonymous.request(path)
          .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());
      if (Pages.isPage(path)) {
        // A person at a page is sent to the login page, and sees nothing else.
        assertThat(response.status()).as(route).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).as(route).hasValue("/login");
        assertThat(response.body()).as(route).isEmpty();
        continue;
      }
      assertProblem(response, 401, "unauthenticated");
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"carillon\"");
    }
    // Paths that match no route do not answer 404 to strangers either.
    assertProblem(anonymous.get("/api/nothing-here"), 401, "unauthenticated");
    assertThat(anonymous.get("/admin").headers().firstValue("Location")).hasValue("/login");

    // The open prefix of static assets does not open anything else.
    for (String sneaky : List.of("/assets/../api/me", "/assets/%2e%2e/api/me", "/assets/..%2fapi/me", "//api/me",
        "/calendar/../api/me", "/calendar/%2e%2e/api/me")) {
      Response response = anonymous.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.web.port()
          + sneaky)).GET().build());
      assertThat(response.status()).as(sneaky).isIn(303, 400, 401, 404);
      assertThat(response.body()).as(sneaky).doesNotContain("csrfToken");
    }
    assertThat(anonymous.get("/health").json().get("status").asText()).isEqualTo("ok");
    Response css = anonymous.get("/assets/carillon.css");
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.contentType()).startsWith("text/css");
    assertThat(anonymous.get("/setup").body()).contains("Create the first admin account");
    assertProblem(anonymous.get("/assets/missing.css"), 404, "not-found");
  }

  @Test
  void loginSetsAnHttpOnlySameSiteCookieAndReturnsTheCsrfToken() throws Exception {
    start().owner("alice");
    Client browser = w.anonymous();
    Response login = browser.post("/api/login", "{\"name\": \"Alice\", \"password\": \"" + PASSWORD + "\"}");
    assertThat(login.status()).isEqualTo(200);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("carillon_session=cls_").contains("; Path=/", "; HttpOnly", "; SameSite=Strict",
        "; Max-Age=43200").doesNotContain("Secure");
    assertThat(login.json().get("name").asText()).isEqualTo("alice");
    assertThat(login.json().get("allGuilds").asBoolean()).isTrue();
    assertThat(login.json().get("csrfToken").asText()).hasSizeGreaterThan(40);
    browser.adopt(login);
    Response me = browser.get("/api/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("kind").asText()).isEqualTo("admin");
    assertThat(me.json().get("csrfToken").asText()).isEqualTo(browser.csrf);
    assertThat(me.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(me.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    // Neither the cookie nor the password is stored as such.
    String value = cookie.substring("carillon_session=".length(), cookie.indexOf(';'));
    assertThat(w.query(Integer.class, "SELECT count(*) FROM web_login WHERE cookie_hash = ?", value)).isZero();
    assertThat(w.query(Integer.class, "SELECT count(*) FROM web_login WHERE cookie_hash = ?", Secrets.sha256(value)))
        .isOne();
    assertThat(w.query(String.class, "SELECT password_hash FROM web_account"))
        .startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(PASSWORD);
  }

  @Test
  void wrongPasswordsAndUnknownNamesGetTheSameAnswer() throws Exception {
    start().owner("alice");
    Response wrong = w.anonymous().post("/api/login", "{\"name\": \"alice\", \"password\": \"not the password\"}");
    Response unknown = w.anonymous().post("/api/login", "{\"name\": \"mallory\", \"password\": \"" + PASSWORD + "\"}");
    assertProblem(wrong, 401, "unauthenticated");
    assertProblem(unknown, 401, "unauthenticated");
    assertThat(wrong.json().get("detail")).isEqualTo(unknown.json().get("detail"));
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void loginInputErrorsNameTheirField() throws Exception {
    start().owner("alice");
    Response missing = w.anonymous().post("/api/login", "{}");
    assertProblem(missing, 422, "invalid-input");
    assertThat(missing.json().get("errors").findValuesAsText("field")).containsExactly("name", "password");
    assertProblem(w.anonymous().post("/api/login", "{\"name\": \"alice\""), 400, "malformed-request");
    Response form = w.anonymous().send(w.anonymous().request("/api/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("name=alice&password=x")).build());
    assertProblem(form, 415, "unsupported-media-type");
  }

  @Test
  void failedLoginsHoldTheAccountForUnknownClientsLongerAsFailuresGoOn() throws Exception {
    start().owner("alice");
    for (int i = 0; i < 5; i++) {
      assertProblem(w.anonymous().post("/api/login", "{\"name\": \"alice\", \"password\": \"guess " + i + "\"}"),
          401, "unauthenticated");
    }
    // Now even the right password is refused, without being checked.
    Response limited = w.anonymous().post("/api/login", "{\"name\": \"alice\", \"password\": \"" + PASSWORD + "\"}");
    assertProblem(limited, 429, "rate-limited");
    long firstWait = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertThat(firstWait).isEqualTo(12); // 5 a minute
    long lastWait = firstWait;
    int checked = 5;
    while (checked < 40) {
      Response attempt = w.anonymous().post("/api/login", "{\"name\": \"alice\", \"password\": \"guess\"}");
      if (attempt.status() == 429) {
        lastWait = Long.parseLong(attempt.headers().firstValue("Retry-After").orElseThrow());
        w.core.time.advance(Duration.ofSeconds(lastWait));
      } else {
        assertProblem(attempt, 401, "unauthenticated");
        checked++;
      }
    }
    assertThat(lastWait).as("the wait after 40 failures").isGreaterThan(firstWait * 10);
    w.core.time.advance(Duration.ofDays(1));
    assertThat(w.login("alice").get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void failedLoginsAreRateLimitedPerAddressAcrossNames() throws Exception {
    start().owner("alice");
    for (int i = 0; i < 10; i++) {
      assertProblem(w.anonymous().post("/api/login", "{\"name\": \"user" + i + "\", \"password\": \"guess\"}"),
          401, "unauthenticated");
    }
    assertProblem(w.anonymous().post("/api/login", "{\"name\": \"alice\", \"password\": \"" + PASSWORD + "\"}"),
        429, "rate-limited");
  }

  @Test
  void stateChangingRequestsOfALoginNeedTheCsrfToken() throws Exception {
    start().owner("alice");
    Client alice = w.login("alice");
    String body = "{\"name\": \"script\", \"guilds\": [\"" + GUILD + "\"]}";
    Response missing = alice.send(alice.request("/api/tokens").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertProblem(missing, 403, "csrf");
    assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("X-CSRF-Token");
    Response wrong = alice.send(alice.request("/api/tokens").header("Content-Type", "application/json")
        .header("X-CSRF-Token", "guessed").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertProblem(wrong, 403, "csrf");
    Response delete = alice.send(alice.request("/api/sessions/1").DELETE().build());
    assertProblem(delete, 403, "csrf");
    // Another login's token is not this login's token.
    Client other = w.login("alice");
    Response crossed = alice.send(alice.request("/api/tokens").header("Content-Type", "application/json")
        .header("X-CSRF-Token", other.csrf).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertProblem(crossed, 403, "csrf");
    assertThat(alice.get("/api/tokens").json().get("tokens")).isEmpty();
    assertThat(alice.post("/api/tokens", body).status()).isEqualTo(201);
  }

  @Test
  void logoutEndsTheLoginAndNeedsTheCsrfToken() throws Exception {
    start().owner("alice");
    Client alice = w.login("alice");
    assertProblem(alice.send(alice.request("/api/logout").POST(HttpRequest.BodyPublishers.noBody()).build()), 403, "csrf");
    Response out = alice.send(alice.changing("/api/logout").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("carillon_session=;").contains("Max-Age=0");
    assertProblem(alice.get("/api/me"), 401, "unauthenticated");
  }

  @Test
  void aLoginExpiresAfterItsLifetime() throws Exception {
    start().owner("alice");
    Client alice = w.login("alice");
    w.core.time.advance(Duration.ofHours(12).minusSeconds(1));
    assertThat(alice.get("/api/me").status()).isEqualTo(200);
    w.core.time.advance(Duration.ofSeconds(1));
    Response expired = alice.get("/api/me");
    assertProblem(expired, 401, "unauthenticated");
    assertThat(expired.json().get("detail").asText()).contains("expired");
    Client forged = w.anonymous();
    forged.cookie = "carillon_session=cls_forged";
    assertProblem(forged.get("/api/me"), 401, "unauthenticated");
  }

  @Test
  void apiTokensActOnlyInTheirGuildsAndNeedNoCsrf() throws Exception {
    start().owner("alice");
    Client alice = w.login("alice");
    Client script = w.token(alice, 30, GUILD);
    Response me = script.get("/api/me");
    assertThat(me.json().get("kind").asText()).isEqualTo("token");
    assertThat(me.json().get("name").asText()).isEqualTo("token 'script' of alice");
    assertThat(me.json().get("guilds").get(0).asText()).isEqualTo(String.valueOf(GUILD));
    assertThat(me.json().has("csrfToken")).isFalse();
    assertThat(script.get("/api/guilds/" + GUILD + "/sessions").status()).isEqualTo(200);
    assertProblem(script.get("/api/guilds/" + OTHER + "/sessions"), 403, "forbidden");
    assertThat(script.get("/api/guilds").json().get("guilds").findValuesAsText("id")).containsExactly(String.valueOf(GUILD));
    // No CSRF header, and none needed: a token is not sent by browsers on their own.
    assertThat(script.put("/api/sessions/999/enabled", "{\"enabled\": true}").status()).isEqualTo(404);
    // Tokens cannot make tokens or manage accounts.
    assertProblem(script.post("/api/tokens", "{\"name\": \"more\", \"guilds\": [\"" + GUILD + "\"]}"), 403, "forbidden");
    assertProblem(script.get("/api/accounts"), 403, "forbidden");
    // The secret is shown once and stored only hashed.
    assertThat(alice.get("/api/tokens").body()).doesNotContain(script.bearer);
    assertThat(w.query(String.class, "SELECT token_hash FROM web_token"))
        .isEqualTo(Secrets.sha256(script.bearer));
  }

  @Test
  void expiredRevokedUnknownAndMalformedTokensAreRefused() throws Exception {
    start().owner("alice");
    Client alice = w.login("alice");
    Client shortLived = w.token(alice, 1, GUILD);
    Client revoked = w.token(alice, 30, GUILD);
    assertThat(shortLived.get("/api/me").status()).isEqualTo(200);
    assertThat(revoked.get("/api/me").status()).isEqualTo(200); // now cached, and still revoked at once below

    long revokedId = alice.get("/api/tokens").json().get("tokens").get(1).get("id").asLong();
    assertThat(alice.delete("/api/tokens/" + revokedId).status()).isEqualTo(204);
    Response afterRevoke = revoked.get("/api/me");
    assertProblem(afterRevoke, 401, "unauthenticated");
    assertThat(afterRevoke.json().get("detail").asText()).contains("revoked");
    assertThat(alice.get("/api/tokens").json().get("tokens").get(1).get("revokedAt").asText()).isEqualTo(T0.toString());
    assertProblem(alice.delete("/api/tokens/999"), 404, "not-found");

    w.core.time.advance(Duration.ofDays(1));
    Response expired = shortLived.get("/api/me");
    assertProblem(expired, 401, "unauthenticated");
    assertThat(expired.json().get("detail").asText()).contains("expired at 2026-03-28T00:00:00Z");

    Client unknown = w.anonymous();
    unknown.bearer = "crt_" + "A".repeat(43);
    assertProblem(unknown.get("/api/me"), 401, "unauthenticated");
    Client basic = w.anonymous();
    Response basicAuth = basic.send(basic.request("/api/me").header("Authorization", "Basic YWxpY2U6cHc=").build());
    assertProblem(basicAuth, 401, "unauthenticated");
    assertThat(basicAuth.json().get("detail").asText()).contains("Bearer");
  }

  @Test
  void tokenRequestsAreCheckedFieldByField() throws Exception {
    start().admin("bao", GUILD);
    Client bao = w.login("bao");
    Response bad = bao.post("/api/tokens", "{\"name\": \"<b>x</b>\", \"guilds\": [\"" + OTHER + "\", \"x\"], "
        + "\"expiresInDays\": 400}");
    assertProblem(bad, 422, "invalid-input");
    assertThat(bad.json().get("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("name", "guilds[0]", "guilds[1]", "expiresInDays");
    assertThat(bao.post("/api/tokens", "{\"name\": \"x\", \"guilds\": []}").json().get("errors").get(0).get("field")
        .asText()).isEqualTo("guilds");
    assertThat(bao.get("/api/tokens").json().get("tokens")).isEmpty();
  }

  @Test
  void anAdminOfSomeGuildsSeesOnlyThose() throws Exception {
    start().admin("bao", GUILD);
    Client bao = w.login("bao");
    assertThat(bao.get("/api/guilds").json().get("guilds").findValuesAsText("id")).containsExactly(String.valueOf(GUILD));
    for (String path : List.of("/api/guilds/" + OTHER, "/api/guilds/" + OTHER + "/sessions", "/api/guilds/" + OTHER + "/runs",
        "/api/guilds/" + OTHER + "/commands", "/api/guilds/" + OTHER + "/live", "/api/live/events?guild=" + OTHER,
        "/api/guilds/" + OTHER + "/schedule-preview?schedule=daily%2007:00%20UTC")) {
      assertProblem(bao.get(path), 403, "forbidden");
    }
    assertProblem(bao.post("/api/guilds/" + OTHER + "/sessions", "{}"), 403, "forbidden");
    assertProblem(bao.get("/api/accounts"), 403, "forbidden");
    // A session of the other guild does not exist, as far as bao can tell.
    String bell = w.core.track("Bell", Duration.ofSeconds(30));
    long foreign = w.core.create(SessionSpec.builder(OTHER, "Theirs").voiceChannel(WebHarness.OTHER_VOICE)
        .schedule("daily 07:00 UTC").playlist(List.of(bell)).gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15))
        .build()).id();
    for (Response r : List.of(bao.get("/api/sessions/" + foreign), bao.put("/api/sessions/" + foreign + "/enabled",
        "{\"enabled\": false}"), bao.delete("/api/sessions/" + foreign),
        bao.post("/api/sessions/" + foreign + "/commands", "{\"kind\": \"PLAY\"}"))) {
      assertProblem(r, 404, "not-found");
    }
    assertThat(w.core.sessions.find(foreign).orElseThrow().enabled()).isTrue();
    assertThat(w.core.commands.recent(10)).isEmpty();
  }

  @Test
  void theFirstAdminIsCreatedWithTheOneTimeLinkFromTheLog() {
    List<LoggedEvent> logged;
    try (LogCapture log = LogCapture.from(Level.INFO, WebServer.class.getName())) {
      start();
      logged = log.events();
    }
    String line = logged.stream().map(LoggedEvent::message).filter(m -> m.contains("/setup#token="))
        .findFirst().orElseThrow();
    Matcher link = Pattern.compile("http://127\\.0\\.0\\.1:" + w.web.port() + "/setup#token=([A-Za-z0-9_-]{43})").matcher(line);
    assertThat(link.find()).as(line).isTrue();
    String token = link.group(1);

    Client browser = w.anonymous();
    assertProblem(browser.post("/api/setup", "{\"setupToken\": \"wrong\", \"name\": \"alice\", \"password\": \""
        + PASSWORD + "\"}"), 403, "forbidden");
    Response tooShort = browser.post("/api/setup", "{\"setupToken\": \"" + token + "\", \"name\": \"al ice\", "
        + "\"password\": \"short\"}");
    assertProblem(tooShort, 422, "invalid-input");
    assertThat(tooShort.json().get("errors").findValuesAsText("field")).containsExactly("name", "password");
    Response created = browser.post("/api/setup", "{\"setupToken\": \"" + token + "\", \"name\": \"alice\", \"password\": \""
        + PASSWORD + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    browser.adopt(created);
    assertThat(browser.get("/api/me").json().get("allGuilds").asBoolean()).isTrue();
    // The link works once.
    assertProblem(w.anonymous().post("/api/setup", "{\"setupToken\": \"" + token + "\", \"name\": \"eve\", \"password\": \""
        + PASSWORD + "\"}"), 403, "forbidden");
    assertThat(w.accounts.list()).extracting(AdminAccounts.Account::name).containsExactly("alice");
  }

  @Test
  void noSetupLinkOnceAnAccountExists() throws Exception {
    w = newHarness(dir);
    w.owner("alice");
    w.close();
    List<LoggedEvent> logged;
    try (LogCapture log = LogCapture.from(Level.INFO, WebServer.class.getName())) {
      start();
      logged = log.events();
    }
    assertThat(logged).isNotEmpty(); // it said where it listens
    assertThat(logged).noneMatch(e -> e.message().contains("setup#token"));
    assertProblem(w.anonymous().post("/api/setup", "{\"setupToken\": \"x\", \"name\": \"eve\", \"password\": \""
        + PASSWORD + "\"}"), 403, "forbidden");
  }

  @Test
  void adminsOfEveryGuildManageAccounts() throws Exception {
    start().owner("alice");
    Client alice = w.login("alice");
    Response bad = alice.post("/api/accounts", "{\"name\": \"bao\", \"password\": \"" + PASSWORD + "\"}");
    assertProblem(bad, 422, "invalid-input");
    assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("guilds");
    Response created = alice.post("/api/accounts", "{\"name\": \"bao\", \"password\": \"" + PASSWORD + "\", \"guilds\": [\""
        + GUILD + "\"]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("guilds").get(0).asText()).isEqualTo(String.valueOf(GUILD));
    Response duplicate = alice.post("/api/accounts", "{\"name\": \"BAO\", \"password\": \"" + PASSWORD + "\", \"allGuilds\": true}");
    assertProblem(duplicate, 422, "invalid-input");
    assertThat(duplicate.json().get("detail").asText()).contains("already exists");
    assertThat(alice.get("/api/accounts").json().get("accounts").findValuesAsText("name")).containsExactly("alice", "bao");

    Client bao = w.login("bao");
    Client baoScript = w.token(bao, 30, GUILD);
    assertProblem(bao.get("/api/accounts"), 403, "forbidden");
    assertProblem(bao.delete("/api/accounts/1"), 403, "forbidden");
    assertProblem(alice.delete("/api/accounts/1"), 409, "conflict");
    assertProblem(alice.delete("/api/accounts/99"), 404, "not-found");
    assertProblem(alice.delete("/api/accounts/x"), 400, "malformed-request");
    long baoId = created.json().get("id").asLong();
    assertThat(alice.delete("/api/accounts/" + baoId).status()).isEqualTo(204);
    assertProblem(bao.get("/api/me"), 401, "unauthenticated");
    assertProblem(baoScript.get("/api/me"), 401, "unauthenticated");
  }

  @Test
  void changingThePasswordEndsOtherLogins() throws Exception {
    start().owner("alice");
    Client alice = w.login("alice");
    Client elsewhere = w.login("alice");
    Response wrong = alice.put("/api/me/password", "{\"currentPassword\": \"nope\", \"newPassword\": \"short\"}");
    assertProblem(wrong, 422, "invalid-input");
    assertThat(wrong.json().get("errors").findValuesAsText("field")).containsExactly("currentPassword", "newPassword");
    Response changed = alice.put("/api/me/password", "{\"currentPassword\": \"" + PASSWORD + "\", \"newPassword\": "
        + "\"a much longer new secret\"}");
    assertThat(changed.status()).isEqualTo(200);
    assertProblem(elsewhere.get("/api/me"), 401, "unauthenticated");
    assertProblem(alice.get("/api/me"), 401, "unauthenticated");
    alice.adopt(changed);
    assertThat(alice.get("/api/me").status()).isEqualTo(200);
    assertProblem(w.anonymous().post("/api/login", "{\"name\": \"alice\", \"password\": \"" + PASSWORD + "\"}"),
        401, "unauthenticated");
    assertThat(w.anonymous().post("/api/login", "{\"name\": \"alice\", \"password\": \"a much longer new secret\"}")
        .status()).isEqualTo(200);
  }

  @Test
  void theCommandLineCreatesTheFirstAdminAndRefusesBadInput() throws Exception {
    start();
    AdminAccounts cli = new AdminAccounts(w.core.db, w.core.time);
    assertThat(cli.any()).isFalse();
    InvalidInputException refused = Assertions.assertThrows(InvalidInputException.class,
        () -> cli.create("../root", "short"));
    assertThat(refused.errors()).extracting(FieldError::field).containsExactly("name", "password");
    cli.create("Root", PASSWORD);
    assertThat(cli.any()).isTrue();
    assertThat(w.login("root").get("/api/me").json().get("allGuilds").asBoolean()).isTrue();
  }
}
