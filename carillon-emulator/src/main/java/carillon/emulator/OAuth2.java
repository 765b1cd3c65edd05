package carillon.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discord's OAuth2 authorization code grant for people (discord-api-docs, Topics > OAuth2): the consent page at
 * {@code /oauth2/authorize}, where a person of the emulated world picks who they are and Authorize or Cancel; the
 * token endpoint {@code POST /api[/v10]/oauth2/token} (authorization_code, with PKCE S256, and refresh_token); and
 * the Bearer routes {@code users/@me}, {@code users/@me/guilds} and {@code users/@me/guilds/{id}/member}. Errors are
 * RFC 6749's {@code {"error","error_description"}} bodies as Discord sends them.
 */
final class OAuth2 {
  /** Discord: an access token lives 7 days ({@code expires_in: 604800}). */
  static final Duration ACCESS_LIFETIME = Duration.ofDays(7);
  /** RFC 6749 4.1.2 recommends at most 10 minutes for a code. */
  static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
  /** The scopes the emulator grants; any other is {@code invalid_scope}. */
  static final Set<String> SCOPES = Set.of("identify", "guilds", "guilds.members.read", "email");

  record App(long clientId, String secret, List<String> redirectUris) {}

  private record Code(long clientId, long userId, String redirectUri, String scope, String challenge,
      Instant expiresAt) {}

  private record Token(long clientId, long userId, String scope, Instant expiresAt) {}

  private final World world;
  private final SecureRandom random = new SecureRandom();
  private final Map<Long, App> apps = new ConcurrentHashMap<>();
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  private final Map<String, Token> access = new ConcurrentHashMap<>();
  private final Map<String, Token> refresh = new ConcurrentHashMap<>();

  OAuth2(World world) {
    this.world = world;
  }

  /**
   * Registers the bot's application as an OAuth2 client with these redirect URIs; registered again, it keeps its
   * secret and takes the new URIs (as editing its Developer Portal page does).
   */
  App register(long applicationId, List<String> redirectUris) {
    return apps.compute(applicationId, (id, old) -> new App(id, old == null ? secret() : old.secret(),
        List.copyOf(redirectUris)));
  }

  void routes(RoutesConfig routes) {
    routes.get("/oauth2/authorize", this::consentPage);
    routes.post("/oauth2/authorize", this::decide);
    routes.post("/api/oauth2/token", this::token);
    routes.post(Rest.PREFIX + "/oauth2/token", this::token);
  }

  // ---- the consent page

  /** An authorize request's checks that are shown on Discord's page rather than sent to the redirect URI. */
  private App appOf(Context ctx, Map<String, String> params) {
    String clientId = params.getOrDefault("client_id", "");
    App app = clientId.matches("[0-9]{1,20}") ? apps.get(Long.parseLong(clientId)) : null;
    if (app == null) {
      page(ctx, 400, "Unknown Application", "<p class=error>Invalid OAuth2 client_id: " + escape(clientId) + "</p>");
      return null;
    }
    String redirect = params.get("redirect_uri");
    if (redirect == null ? app.redirectUris().size() != 1 : !app.redirectUris().contains(redirect)) {
      page(ctx, 400, "Invalid redirect", "<p class=error>Invalid OAuth2 redirect_uri</p>");
      return null;
    }
    return app;
  }

  private static Map<String, String> params(Context ctx, boolean form) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : List.of("response_type", "client_id", "scope", "state", "redirect_uri", "code_challenge",
        "code_challenge_method", "prompt")) {
      String value = form ? ctx.formParam(name) : ctx.queryParam(name);
      if (value != null) {
        params.put(name, value);
      }
    }
    return params;
  }

  /** The error Discord sends back to the redirect URI for a request it will not show a page for, or null. */
  private static String[] requestError(Map<String, String> params) {
    if (!"code".equals(params.get("response_type"))) {
      return new String[] {"unsupported_response_type", "Invalid \"response_type\" in request."};
    }
    String scope = params.getOrDefault("scope", "").strip();
    if (scope.isEmpty() || !SCOPES.containsAll(List.of(scope.split("[ +]+")))) {
      return new String[] {"invalid_scope", "The requested scope is invalid, unknown, or malformed."};
    }
    String method = params.get("code_challenge_method");
    if (params.containsKey("code_challenge") && !"S256".equals(method)) {
      return new String[] {"invalid_request", "Unsupported \"code_challenge_method\""};
    }
    return null;
  }

  private void consentPage(Context ctx) {
    Map<String, String> params = params(ctx, false);
    App app = appOf(ctx, params);
    if (app == null) {
      return;
    }
    String[] error = requestError(params);
    if (error != null) {
      redirect(ctx, redirectUri(app, params), Map.of("error", error[0], "error_description", error[1]), params);
      return;
    }
    StringBuilder people = new StringBuilder();
    synchronized (world) {
      world.accounts.values().stream().filter(a -> !a.bot).forEach(a -> people.append("<option value=\"")
          .append(a.id).append("\">").append(escape(a.name)).append("</option>"));
    }
    StringBuilder hidden = new StringBuilder();
    params.forEach((name, value) -> hidden.append("<input type=hidden name=\"").append(name).append("\" value=\"")
        .append(escape(value)).append("\">"));
    String appName;
    synchronized (world) {
      Model.Account bot = world.accounts.get(app.clientId());
      appName = bot == null ? Long.toString(app.clientId()) : bot.name;
    }
    page(ctx, 200, "Authorize " + appName, "<form method=post action=\"/oauth2/authorize\">" + hidden
        + "<h1>" + escape(appName) + " wants to access your account</h1>"
        + "<p>Scopes: " + escape(params.get("scope")) + "</p>"
        + "<label for=user>Signed in as</label> <select id=user name=user>" + people + "</select>"
        + "<p><button name=decision value=cancel>Cancel</button> <button name=decision value=authorize>Authorize</button></p>"
        + "</form>");
  }

  private void decide(Context ctx) {
    Map<String, String> params = params(ctx, true);
    App app = appOf(ctx, params);
    if (app == null) {
      return;
    }
    String redirect = redirectUri(app, params);
    String[] error = requestError(params);
    if (error != null) {
      redirect(ctx, redirect, Map.of("error", error[0], "error_description", error[1]), params);
      return;
    }
    if (!"authorize".equals(ctx.formParam("decision"))) {
      redirect(ctx, redirect, Map.of("error", "access_denied",
          "error_description", "The resource owner or authorization server denied the request"), params);
      return;
    }
    long user = Long.parseLong(ctx.formParam("user"));
    world.account(user); // 404 for an unknown person
    String code = secret();
    codes.put(code, new Code(app.clientId(), user, params.get("redirect_uri"), normalScope(params.get("scope")),
        params.get("code_challenge"), world.clock.instant().plus(CODE_LIFETIME)));
    redirect(ctx, redirect, Map.of("code", code), params);
  }

  private static String redirectUri(App app, Map<String, String> params) {
    return params.getOrDefault("redirect_uri", app.redirectUris().getFirst());
  }

  private static void redirect(Context ctx, String to, Map<String, String> query, Map<String, String> params) {
    StringBuilder url = new StringBuilder(to).append(to.contains("?") ? '&' : '?');
    Map<String, String> all = new LinkedHashMap<>(query);
    if (params.containsKey("state")) {
      all.put("state", params.get("state"));
    }
    all.forEach((k, v) -> url.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
    url.setLength(url.length() - 1);
    ctx.status(302).header("Location", url.toString());
  }

  private static void page(Context ctx, int status, String title, String body) {
    ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=en><head>"
        + "<meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>" + escape(title)
        + "</title></head><body><main>" + body + "</main></body></html>");
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String normalScope(String scope) {
    return String.join(" ", scope.strip().split("[ +]+"));
  }

  // ---- the token endpoint

  /** An OAuth2 error body: {@code {"error","error_description"}} (RFC 6749 5.2), as Discord sends it. */
  static final class OAuthError extends RuntimeException {
    final int status;
    final String error;

    OAuthError(int status, String error, String description) {
      super(description);
      this.status = status;
      this.error = error;
    }

    Map<String, String> body() {
      return getMessage() == null ? Map.of("error", error) : Map.of("error", error, "error_description", getMessage());
    }
  }

  private void token(Context ctx) {
    App app = client(ctx);
    String grant = ctx.formParam("grant_type");
    Instant now = world.clock.instant();
    Token token;
    if ("authorization_code".equals(grant)) {
      String code = ctx.formParam("code");
      Code issued = code == null ? null : codes.remove(code); // a code works once
      if (issued == null || issued.clientId() != app.clientId() || !issued.expiresAt().isAfter(now)) {
        throw new OAuthError(400, "invalid_grant", "Invalid \"code\" in request.");
      }
      if (issued.redirectUri() != null && !issued.redirectUri().equals(ctx.formParam("redirect_uri"))) {
        throw new OAuthError(400, "invalid_grant", "Invalid \"redirect_uri\" in request.");
      }
      if (issued.challenge() != null) {
        String verifier = ctx.formParam("code_verifier");
        if (verifier == null) {
          throw new OAuthError(400, "invalid_request", "Missing \"code_verifier\"");
        }
        // RFC 7636 4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]; Discord enforces it.
        if (!verifier.matches("[A-Za-z0-9._~-]{43,128}")) {
          throw new OAuthError(400, "invalid_request", "Invalid \"code_verifier\"");
        }
        if (!s256(verifier).equals(issued.challenge())) {
          throw new OAuthError(400, "invalid_grant", "Invalid \"code_verifier\"");
        }
      }
      token = new Token(app.clientId(), issued.userId(), issued.scope(), now.plus(ACCESS_LIFETIME));
    } else if ("refresh_token".equals(grant)) {
      String old = ctx.formParam("refresh_token");
      Token previous = old == null ? null : refresh.remove(old);
      if (previous == null || previous.clientId() != app.clientId()) {
        throw new OAuthError(400, "invalid_grant", null);
      }
      token = new Token(app.clientId(), previous.userId(), previous.scope(), now.plus(ACCESS_LIFETIME));
    } else {
      throw new OAuthError(400, "unsupported_grant_type", null);
    }
    String accessToken = secret();
    String refreshToken = secret();
    access.put(accessToken, token);
    refresh.put(refreshToken, token);
    ObjectNode body = world.json.createObjectNode();
    body.put("token_type", "Bearer");
    body.put("access_token", accessToken);
    body.put("expires_in", ACCESS_LIFETIME.toSeconds());
    body.put("refresh_token", refreshToken);
    body.put("scope", token.scope());
    ctx.json(body);
  }

  /** The client from HTTP Basic or {@code client_id}/{@code client_secret} in the form; 401 invalid_client else. */
  private App client(Context ctx) {
    String id = ctx.formParam("client_id");
    String secret = ctx.formParam("client_secret");
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon > 0) {
          id = pair.substring(0, colon);
          secret = pair.substring(colon + 1);
        }
      } catch (IllegalArgumentException e) {
        throw new OAuthError(401, "invalid_client", null);
      }
    }
    App app = id != null && id.matches("[0-9]{1,20}") ? apps.get(Long.parseLong(id)) : null;
    if (app == null || secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
        app.secret().getBytes(StandardCharsets.UTF_8))) {
      throw new OAuthError(401, "invalid_client", null);
    }
    return app;
  }

  static String s256(String verifier) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private String secret() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // ---- the Bearer routes

  /** Whether the request carries a Bearer token (a person's), not a bot's. */
  static boolean bearer(Context ctx) {
    String authorization = ctx.header("Authorization");
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  /** The person a Bearer token acts for; 401 if unknown or expired, 403 50001 without {@code scope}. */
  private Token holder(Context ctx, String scope) {
    Token token = access.get(ctx.header("Authorization").substring(7).strip());
    if (token == null || !token.expiresAt().isAfter(world.clock.instant())) {
      throw new Rest.Unauthorized();
    }
    if (!List.of(token.scope().split(" ")).contains(scope)) {
      throw new Rest.DiscordError(403, 50001, "Missing Access");
    }
    return token;
  }

  /** {@code GET users/@me} with a Bearer token (scope identify). */
  ObjectNode me(Context ctx) {
    Token token = holder(ctx, "identify");
    synchronized (world) {
      ObjectNode user = world.userJson(world.account(token.userId()));
      user.put("verified", true);
      user.put("mfa_enabled", false);
      user.put("locale", world.locales.getOrDefault(token.userId(), "en-US"));
      return user;
    }
  }

  /** {@code GET users/@me/guilds} (scope guilds): partial guilds with the person's permissions as a string. */
  ArrayNode guilds(Context ctx) {
    Token token = holder(ctx, "guilds");
    synchronized (world) {
      ArrayNode guilds = world.json.createArrayNode();
      for (Model.Guild guild : world.guilds.values()) {
        if (guild.members.containsKey(token.userId())) {
          ObjectNode node = guilds.addObject();
          node.put("id", Long.toString(guild.id));
          node.put("name", guild.name);
          node.putNull("icon");
          node.putNull("banner");
          node.put("owner", guild.ownerId == token.userId());
          node.put("permissions", Long.toString(world.permissions(guild, token.userId())));
          node.putArray("features");
        }
      }
      return guilds;
    }
  }

  /** {@code GET users/@me/guilds/{guild}/member} (scope guilds.members.read); 10004 Unknown Guild if not a member. */
  ObjectNode member(Context ctx) {
    Token token = holder(ctx, "guilds.members.read");
    synchronized (world) {
      Model.Guild guild = Optional.ofNullable(world.guilds.get(Long.parseLong(ctx.pathParam("guild"))))
          .filter(g -> g.members.containsKey(token.userId()))
          .orElseThrow(() -> new Rest.DiscordError(404, 10004, "Unknown Guild"));
      return world.memberJson(guild, guild.members.get(token.userId()), true);
    }
  }
}
