package carillon.bot.web.auth;

import carillon.bot.guild.GuildDirectory;
import carillon.bot.guild.Role;
import carillon.bot.store.Database;
import carillon.bot.web.http.PageModel;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Pages.Redirect;
import carillon.bot.web.http.Principal;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login with Discord: {@code GET /login/discord} sends the browser to Discord's consent page with a fresh state
 * and PKCE challenge (S256), the state's hash and verifier kept in the store for ten minutes (so that another
 * process may take the way back); {@code GET /login/discord/callback} checks the state against the browser's cookie,
 * exchanges the code (with the verifier and the client secret), reads who the person is and their guilds, and
 * logs them in to the guilds where Carillon is and they have Manage Server (or Administrator, or are the owner)
 * or the command role ({@code commands.role}). Discord's tokens are used for these reads and then dropped:
 * nothing of them is stored. Permissions are checked at each login; a login lasts at most {@link #LIFETIME}.
 * Sources: discord-api-docs, Topics > OAuth2 (authorization code grant, token exchange); Resources > User (Get
 * Current User Guilds: {@code permissions} as a string; Get Current User Guild Member); Topics > Permissions
 * (MANAGE_GUILD 1 << 5, ADMINISTRATOR 1 << 3).
 */
final class DiscordLogins {
  private static final Logger log = LoggerFactory.getLogger(DiscordLogins.class);
  /** Discord logins end this soon: permissions lost at Discord stop counting within it. */
  static final Duration LIFETIME = Duration.ofHours(1);
  /** How long a browser has to come back from Discord's consent page. */
  private static final Duration PENDING_FOR = Duration.ofMinutes(10);
  private static final Duration DISCORD_TIMEOUT = Duration.ofSeconds(10);
  static final String COOKIE_PREFIX = "cld_";
  private static final String STATE_COOKIE = "carillon_oauth_state";
  static final long ADMINISTRATOR = 1L << 3;
  static final long MANAGE_GUILD = 1L << 5;
  static final String SCOPES = "identify guilds guilds.members.read";

  /** A login found by its cookie. */
  record Login(long userId, String userName, Set<Long> guilds, String csrfToken, Instant expiresAt) {}

  /** Discord refused or failed: what the login page says. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final DiscordLogin settings;
  private final Database db;
  private final TimeSource time;
  private final Secrets secrets;
  private final ObjectMapper json;
  private final GuildDirectory guilds;
  private final boolean secureCookies;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(DISCORD_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  private final Pages pages;

  DiscordLogins(DiscordLogin settings, Database db, TimeSource time, Secrets secrets, ObjectMapper json,
      GuildDirectory guilds, boolean secureCookies, Pages pages) {
    this.pages = pages;
    this.settings = settings;
    this.db = db;
    this.time = time;
    this.secrets = secrets;
    this.json = json;
    this.guilds = guilds;
    this.secureCookies = secureCookies;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/login/discord", this::start);
    routes.get(DiscordLogin.CALLBACK, this::callback);
  }

  // ---- the flow

  private void start(Context ctx) {
    Instant now = time.now();
    String state = secrets.newSecret("");
    String verifier = secrets.newSecret("") + secrets.newSecret(""); // 86 characters: RFC 7636 asks 43 to 128
    db.useTransaction(h -> {
      h.execute("DELETE FROM discord_login_state WHERE created_at <= ?", now.minus(PENDING_FOR).toEpochMilli());
      h.execute("INSERT INTO discord_login_state (state_hash, verifier, created_at) VALUES (?, ?, ?)",
          Secrets.sha256(state), verifier, now.toEpochMilli());
    });
    // Lax: the browser comes back from Discord by a top-level GET, which Strict would send without the cookie.
    ctx.header("Set-Cookie", STATE_COOKIE + "=" + state + "; Path=/login/discord; Max-Age=" + PENDING_FOR.toSeconds()
        + "; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : ""));
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", settings.clientId());
    query.put("scope", SCOPES);
    query.put("state", state);
    query.put("redirect_uri", redirectUri(ctx).toString());
    query.put("code_challenge", s256(verifier));
    query.put("code_challenge_method", "S256");
    query.put("prompt", "consent");
    throw new Redirect(settings.discord().resolve("/oauth2/authorize") + "?" + form(query));
  }

  private void callback(Context ctx) {
    try {
      String state = ctx.queryParam("state");
      String cookie = ctx.cookie(STATE_COOKIE);
      ctx.res().addHeader("Set-Cookie", STATE_COOKIE + "=; Path=/login/discord; Max-Age=0; HttpOnly; SameSite=Lax");
      Optional<String> verifier = Secrets.same(state, cookie) ? takeVerifier(state) : Optional.empty();
      if (verifier.isEmpty()) {
        throw new Refused(400, "this login with Discord expired or began in another browser; log in again");
      }
      String error = ctx.queryParam("error");
      if (error != null) {
        throw new Refused(403, "access_denied".equals(error) ? "you cancelled at Discord; nothing was shared"
            : "Discord refused the login (" + error + ")");
      }
      String code = ctx.queryParam("code");
      if (code == null || code.isEmpty()) {
        throw new Refused(400, "Discord sent no code back; log in again");
      }
      String token = exchange(code, verifier.get(), redirectUri(ctx));
      JsonNode me = get("/users/@me", token);
      long userId = me.path("id").asLong();
      String name = me.path("global_name").isTextual() ? me.get("global_name").asText() : me.path("username").asText();
      Set<Long> managed = managedGuilds(token);
      if (managed.isEmpty()) {
        log.info("Discord user {} ({}) logged in but manages no guild where Carillon is", name, userId);
        throw new Refused(403, name + ", you manage no server where Carillon is: it takes Manage Server"
            + settings.commandRole().map(role -> " or the role '" + role + "'").orElse("")
            + " in a server Carillon's bot is in");
      }
      String loginCookie = start(userId, name, managed);
      StringBuilder set = new StringBuilder(Auth.COOKIE).append('=').append(loginCookie).append("; Path=/; Max-Age=")
          .append(LIFETIME.toSeconds()).append("; HttpOnly; SameSite=Lax");
      if (secureCookies) {
        set.append("; Secure");
      }
      ctx.res().addHeader("Set-Cookie", set.toString());
      log.info("Discord user {} ({}) logged in, managing guilds {}", name, userId, managed);
      throw new Redirect("/");
    } catch (Refused refused) {
      pages.render(ctx, refused.status, "login", PageModel.of("name", "", "error", refused.getMessage(),
          "discordLogin", true));
    }
  }

  /** The code for an access token (authorization_code grant with the PKCE verifier, client secret by Basic). */
  private String exchange(String code, String verifier, URI redirectUri) throws Refused {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri.toString());
    form.put("code_verifier", verifier);
    String basic = Base64.getEncoder().encodeToString((settings.clientId() + ":" + settings.clientSecret())
        .getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(api("/oauth2/token")).timeout(DISCORD_TIMEOUT)
        .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(form))).build();
    JsonNode answer = send(request);
    if (!answer.path("access_token").isTextual()) {
      String why = answer.path("error").asText("no access token");
      log.warn("Login with Discord: the token exchange failed: {} {}", why, answer.path("error_description").asText(""));
      throw new Refused(502, "Discord did not accept the login (" + why + "); log in again, or ask the admin to"
          + " check web.discordClientId, web.discordClientSecret and the redirect URI " + redirectUri);
    }
    return answer.get("access_token").asText();
  }

  /** The guilds where Carillon is and the person may manage sessions. */
  private Set<Long> managedGuilds(String token) throws Refused {
    Set<Long> known = Set.copyOf(guilds.guildIds());
    Set<Long> managed = new TreeSet<>();
    List<Long> byRole = new ArrayList<>();
    for (JsonNode guild : get("/users/@me/guilds", token)) {
      long id = guild.path("id").asLong();
      if (!known.contains(id)) {
        continue;
      }
      long permissions = Long.parseLong(guild.path("permissions").asText("0")); // a string: it outgrew 53 bits
      if (guild.path("owner").asBoolean(false) || (permissions & (ADMINISTRATOR | MANAGE_GUILD)) != 0) {
        managed.add(id);
      } else if (settings.commandRole().isPresent()) {
        byRole.add(id);
      }
    }
    for (long id : byRole) {
      Optional<Long> role = commandRole(id);
      if (role.isPresent()) {
        JsonNode member = get("/users/@me/guilds/" + id + "/member", token);
        for (JsonNode held : member.path("roles")) {
          if (held.asLong() == role.get()) {
            managed.add(id);
          }
        }
      }
    }
    return managed;
  }

  /** {@code commands.role} in a guild: the id as configured, or the one role of exactly that name. */
  private Optional<Long> commandRole(long guild) {
    String configured = settings.commandRole().orElseThrow().strip();
    if (configured.matches("[0-9]{17,19}")) {
      return Optional.of(Long.parseLong(configured));
    }
    List<Role> named = guilds.roles(guild).stream().filter(r -> r.name().equals(configured)).toList();
    return named.size() == 1 ? Optional.of(named.getFirst().id()) : Optional.empty();
  }

  private JsonNode get(String path, String token) throws Refused {
    return send(HttpRequest.newBuilder(api(path)).timeout(DISCORD_TIMEOUT).header("Authorization", "Bearer " + token)
        .GET().build());
  }

  private JsonNode send(HttpRequest request) throws Refused {
    try {
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() >= 500) {
        throw new IOException("HTTP " + answer.statusCode());
      }
      JsonNode body = json.readTree(answer.body());
      if (answer.statusCode() >= 400 && !request.uri().getPath().endsWith("/oauth2/token")) {
        log.warn("Login with Discord: {} answered {} {}", request.uri().getPath(), answer.statusCode(),
            body.path("message").asText(""));
        throw new Refused(502, "Discord refused to tell who you are (" + answer.statusCode() + "); log in again");
      }
      return body;
    } catch (IOException e) {
      log.warn("Login with Discord: Discord cannot be reached: {}", e.toString());
      throw new Refused(502, "Discord cannot be reached just now; try again in a minute");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused(503, "Carillon is shutting down");
    }
  }

  private URI redirectUri(Context ctx) {
    return settings.redirectUri(ctx.scheme() + "://" + ctx.header("Host"));
  }

  private URI api(String path) {
    return settings.discord().resolve("/api/v10" + path);
  }

  /** RFC 7636 4.2: BASE64URL(SHA-256(ASCII(verifier))), without padding. */
  static String s256(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(Secrets.sha256(verifier)));
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** Ends the HTTP client (its selector thread); a request still waiting on Discord ends with an I/O error. */
  void close() {
    http.shutdownNow();
  }

  // ---- the store

  /** The verifier of a state that is still pending, which it ends: a state works once. */
  private Optional<String> takeVerifier(String state) {
    String hash = Secrets.sha256(state);
    long oldest = time.now().minus(PENDING_FOR).toEpochMilli();
    return db.inTransaction(h -> {
      Optional<String> verifier = h.createQuery(
              "SELECT verifier FROM discord_login_state WHERE state_hash = ? AND created_at > ?")
          .bind(0, hash).bind(1, oldest).mapTo(String.class).findOne();
      h.execute("DELETE FROM discord_login_state WHERE state_hash = ?", hash);
      return verifier;
    });
  }

  private String start(long userId, String name, Set<Long> managed) {
    String cookie = secrets.newSecret(COOKIE_PREFIX);
    String csrf = secrets.newSecret("");
    Instant now = time.now();
    long expires = now.plus(LIFETIME).toEpochMilli();
    String list = managed.stream().map(String::valueOf).collect(Collectors.joining(","));
    db.useTransaction(h -> {
      h.execute("DELETE FROM discord_login WHERE expires_at <= ?", now.toEpochMilli()); // housekeeping
      h.execute("INSERT INTO discord_login (cookie_hash, user_id, user_name, guilds, csrf_token, created_at, expires_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)", Secrets.sha256(cookie), userId, name, list, csrf, now.toEpochMilli(), expires);
    });
    return cookie;
  }

  /** The login of this cookie, if it exists and has not expired. */
  Optional<Login> find(String cookie) {
    long now = time.now().toEpochMilli();
    return db.withHandle(h -> h.createQuery("SELECT user_id, user_name, guilds, csrf_token, expires_at FROM discord_login"
            + " WHERE cookie_hash = ? AND expires_at > ?")
        .bind(0, Secrets.sha256(cookie)).bind(1, now)
        .map((rs, c) -> new Login(rs.getLong(1), rs.getString(2), Arrays.stream(rs.getString(3).split(","))
            .filter(s -> !s.isEmpty()).map(Long::parseLong).collect(Collectors.toSet()), rs.getString(4),
            Instant.ofEpochMilli(rs.getLong(5))))
        .findOne());
  }

  /** Whether the person's login with this CSRF token exists and has not expired. */
  boolean active(long userId, String csrfToken) {
    long now = time.now().toEpochMilli();
    return db.withHandle(h -> h.createQuery(
            "SELECT count(*) FROM discord_login WHERE user_id = ? AND csrf_token = ? AND expires_at > ?")
        .bind(0, userId).bind(1, csrfToken).bind(2, now).mapTo(Integer.class).one() > 0);
  }

  void end(String cookie) {
    db.useHandle(h -> h.execute("DELETE FROM discord_login WHERE cookie_hash = ?", Secrets.sha256(cookie)));
  }

  /** The principal of a login: a Discord member who sees the guilds they manage. */
  static Principal principal(Login login) {
    return new Principal(Principal.Kind.DISCORD, login.userId(), login.userName(), false, login.guilds(),
        login.csrfToken(), 0, login.expiresAt());
  }
}
