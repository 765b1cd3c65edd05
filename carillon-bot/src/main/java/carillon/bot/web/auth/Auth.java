package carillon.bot.web.auth;

import carillon.bot.guild.GuildDirectory;
import carillon.bot.session.FieldError;
import carillon.bot.store.Database;
import carillon.bot.web.auth.AdminAccounts.Account;
import carillon.bot.web.auth.AuthViews.AccountView;
import carillon.bot.web.auth.AuthViews.LoginView;
import carillon.bot.web.auth.AuthViews.Me;
import carillon.bot.web.auth.AuthViews.PasswordChanged;
import carillon.bot.web.http.ClientAddress;
import carillon.bot.web.http.JsonInput;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: every request except login, setup, health and static assets must come from a
 * logged-in admin (the login cookie) or carry an API token; a logged-in browser's state-changing
 * requests must also carry the login's CSRF token in {@value #CSRF_HEADER}. Password attempts (login, setup,
 * password change) are reserved before any hashing, per client and per account ({@link LoginThrottle}); a
 * client that logged in before keeps its way in while the account is under attack.
 *
 * <p>The first admin is created with {@link AdminAccounts#create(String, String)} from the command line,
 * or through a one-time link logged at start while no account exists.
 */
public final class Auth {
  private static final Logger log = LoggerFactory.getLogger(Auth.class);
  static final String COOKIE = "carillon_session";
  /** A long-lived random cookie that marks a browser that logged in before (see {@link LoginThrottle}). */
  static final String DEVICE_COOKIE = "carillon_device";
  private static final Duration DEVICE_LIFETIME = Duration.ofDays(400);
  /** The header that carries a logged-in browser's CSRF token on requests that change something. */
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** What answers without authentication: exact paths, and prefixes ending in '/'. */
  private static final Set<String> PUBLIC = Set.of("/health", "/health/live", "/health/ready", "/api/login", "/api/setup", "/setup", "/login",
      "/login/discord", DiscordLogin.CALLBACK, "/language");
  /** The ICS feeds ({@code /calendar/SECRET.ics}) are public: the secret in the path is their credential. */
  private static final List<String> PUBLIC_PREFIXES = List.of("/assets/", "/calendar/");
  private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
  /** A principal found by its credential is trusted this long before the store is asked again. */
  private static final Duration CACHE_FOR = Duration.ofSeconds(10);
  private static final int CACHE_MAX = 10_000;
  static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(365);

  private record Cached(Principal principal, Instant validUntil) {}

  private final AdminAccounts accounts;
  private final Logins logins;
  private final ApiTokens tokens;
  private final Secrets secrets;
  private final TimeSource time;
  private final ObjectMapper json;
  private final boolean secureCookies;
  private final LoginThrottle attempts;
  private final LoginThrottle passwordChanges;
  private final ClientAddress clients;
  private final AccountsApi accountsApi;
  private final LoginPages loginPages;
  private final Optional<DiscordLogins> discordLogins;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  /** The hash of the one-time setup secret, while no account exists and the link was printed. */
  private volatile String setupHash;

  /**
   * @param loginLifetime how long a login lasts
   * @param secureCookies mark the login cookie {@code Secure} (the page is served over HTTPS)
   * @param pages renders the login page
   * @param clients tells a request's client address (through trusted proxies)
   * @param publicOrigin the origin the page is served at ({@code https://carillon.example.org}), if configured:
   *     the login form's Origin check accepts it
   * @param discordLogin Login with Discord, if configured; {@code guilds} tells where Carillon is
   */
  public Auth(Database db, TimeSource time, ObjectMapper json, Duration loginLifetime, boolean secureCookies,
      Pages pages, ClientAddress clients, Optional<String> publicOrigin, Optional<DiscordLogin> discordLogin,
      GuildDirectory guilds) {
    this.secrets = new Secrets();
    this.accounts = new AdminAccounts(db, time, new PasswordHasher(secrets, PasswordHasher.DEFAULT));
    this.logins = new Logins(db, time, secrets, loginLifetime);
    this.tokens = new ApiTokens(db, time, secrets);
    this.time = time;
    this.json = json;
    this.secureCookies = secureCookies;
    this.attempts = new LoginThrottle(time);
    this.passwordChanges = new LoginThrottle(time);
    this.clients = clients;
    this.accountsApi = new AccountsApi(accounts, tokens, this, json);
    this.discordLogins = discordLogin.map(d -> new DiscordLogins(d, db, time, secrets, json, guilds, secureCookies, pages));
    this.loginPages = new LoginPages(this, pages, publicOrigin, discordLogin.isPresent());
  }

  /** The login, setup, account and token routes of the API, and the login page. */
  public void routes(JavalinDefaultRoutingApi routes) {
    routes.post("/api/login", this::login);
    routes.post("/api/logout", this::logout);
    routes.post("/api/setup", this::setup);
    routes.get("/api/me", this::me);
    routes.put("/api/me/password", this::changePassword);
    accountsApi.routes(routes);
    loginPages.routes(routes);
    discordLogins.ifPresent(d -> d.routes(routes));
  }

  /**
   * At start: if there is no account yet, makes the one-time setup secret.
   *
   * @return the secret to put in the printed link, or empty if an account exists
   */
  public Optional<String> prepareSetup() {
    if (accounts.any()) {
      setupHash = null;
      return Optional.empty();
    }
    String secret = secrets.newSecret("");
    setupHash = Secrets.sha256(secret);
    return Optional.of(secret);
  }

  /** At shutdown, after the server stopped: ends the HTTP client that talks to Discord (Login with Discord). */
  public void close() {
    discordLogins.ifPresent(DiscordLogins::close);
  }

  // ---- the filter

  /** Runs before every request: authenticates, checks the CSRF token, or answers 401/403. */
  public void authenticate(Context ctx) {
    String path = ctx.path();
    if (PUBLIC.contains(path) || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith)) {
      return;
    }
    String authorization = ctx.header("Authorization");
    Principal principal;
    if (authorization != null) {
      principal = fromToken(authorization);
    } else {
      String cookie = ctx.cookie(COOKIE);
      try {
        if (cookie == null || cookie.isEmpty()) {
          throw Problem.unauthenticated("log in (POST /api/login) or send an API token as 'Authorization: Bearer <token>'");
        }
        principal = fromCookie(cookie);
      } catch (Problem unauthenticated) {
        if (Pages.isPage(path)) {
          throw new Pages.Redirect("/login"); // a person at a page logs in on the login page
        }
        throw unauthenticated;
      }
      if (!SAFE.contains(ctx.method())) {
        String sent = ctx.header(CSRF_HEADER);
        if ((sent == null || sent.isEmpty()) && (ctx.isFormUrlencoded() || ctx.isMultipartFormData())) {
          sent = ctx.formParam(Pages.CSRF_FIELD); // the pages' forms carry it as a hidden field
        }
        if (sent == null || sent.isEmpty()) {
          throw csrf("this request changes something, so it must carry the header " + CSRF_HEADER
              + " with the csrfToken from POST /api/login or GET /api/me");
        }
        if (!Secrets.same(sent, principal.csrfToken())) {
          throw csrf("the " + CSRF_HEADER + " header does not match this login's token; reload the page");
        }
      }
    }
    Requests.actingFor(ctx, principal);
  }

  private static Problem csrf(String detail) {
    return new Problem(403, "csrf", "CSRF token missing or wrong", detail, List.of(new FieldError(CSRF_HEADER, detail)),
        Map.of());
  }

  /** Whether a credential still works: its login not ended (logout, expiry) or its token not revoked. */
  public boolean stillValid(Principal principal) {
    return switch (principal.kind()) {
      case TOKEN -> tokens.active(principal.tokenId());
      case USER -> logins.active(principal.accountId(), principal.csrfToken());
      case DISCORD -> discordLogins.map(d -> d.active(principal.accountId(), principal.csrfToken())).orElse(false);
    };
  }

  private Principal fromCookie(String cookie) {
    Instant now = time.now();
    String key = "c" + Secrets.sha256(cookie);
    Cached cached = cache.get(key);
    if (cached != null && cached.validUntil().isAfter(now)) {
      return cached.principal();
    }
    if (cookie.startsWith(DiscordLogins.COOKIE_PREFIX)) {
      Principal principal = discordLogins.flatMap(d -> d.find(cookie)).map(DiscordLogins::principal)
          .orElseThrow(() -> Problem.unauthenticated("the login has expired or ended; log in again"));
      remember(key, principal, now);
      return principal;
    }
    Logins.Login login = logins.find(cookie)
        .orElseThrow(() -> Problem.unauthenticated("the login has expired or ended; log in again"));
    Account account = accounts.find(login.accountId())
        .orElseThrow(() -> Problem.unauthenticated("the account no longer exists"));
    Principal principal = new Principal(Principal.Kind.USER, account.id(), account.name(), account.allGuilds(),
        account.guilds(), login.csrfToken(), 0, login.expiresAt());
    remember(key, principal, now);
    return principal;
  }

  private Principal fromToken(String authorization) {
    // The scheme is case-insensitive (RFC 9110, 11.1): "bearer" is "Bearer".
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || !authorization.substring(7).strip().startsWith(ApiTokens.PREFIX)) {
      throw Problem.unauthenticated("the Authorization header must be 'Bearer " + ApiTokens.PREFIX + "...' with an API token");
    }
    String secret = authorization.substring(7).strip();
    Instant now = time.now();
    String key = "t" + Secrets.sha256(secret);
    Cached cached = cache.get(key);
    if (cached != null && cached.validUntil().isAfter(now)) {
      return cached.principal();
    }
    ApiTokens.Token token = tokens.findBySecret(secret)
        .orElseThrow(() -> Problem.unauthenticated("the API token is not known"));
    if (token.revokedAt().isPresent()) {
      throw Problem.unauthenticated("the API token '" + token.name() + "' was revoked at " + token.revokedAt().get());
    }
    if (!token.expiresAt().isAfter(now)) {
      throw Problem.unauthenticated("the API token '" + token.name() + "' expired at " + token.expiresAt()
          + "; create a new one");
    }
    Account account = accounts.find(token.accountId())
        .orElseThrow(() -> Problem.unauthenticated("the API token's account no longer exists"));
    Set<Long> guilds = new HashSet<>(token.guilds());
    if (!account.allGuilds()) {
      guilds.retainAll(account.guilds()); // a token never sees more than its account
    }
    tokens.touch(token);
    Principal principal = new Principal(Principal.Kind.TOKEN, account.id(), "token '" + token.name() + "' of "
        + account.name(), false, guilds, null, token.id(), token.expiresAt());
    remember(key, principal, now);
    return principal;
  }

  private void remember(String key, Principal principal, Instant now) {
    if (cache.size() >= CACHE_MAX) {
      cache.clear();
    }
    Instant until = now.plus(CACHE_FOR);
    cache.put(key, new Cached(principal, until.isBefore(principal.expiresAt()) ? until : principal.expiresAt()));
  }

  /** After a logout, a revocation, a password change or a deleted account: nothing cached is trusted. */
  void forgetCached() {
    cache.clear();
  }

  // ---- routes

  private void login(Context ctx) {
    JsonInput in = JsonInput.of(ctx, json);
    String name = in.string("name", true);
    String password = in.string("password", true);
    in.check();
    Account account = checkLogin(name, password, ctx);
    Logins.Started started = startLogin(ctx, account);
    ctx.json(loginView(account, started));
  }

  /**
   * Checks a login attempt: 429 when its client, or its account from a client it does not know, has used its
   * attempts (reserved before the password is hashed); 401 if the password is wrong; the account otherwise, and
   * the browser is marked as one that logged in (its device cookie).
   */
  Account checkLogin(String name, String password, Context ctx) {
    String nameKey = "name:" + (name == null ? "" : name.strip().toLowerCase(Locale.ROOT));
    String device = deviceOf(ctx);
    LoginThrottle.Attempt attempt = attempts.reserve(nameKey, clients.of(ctx), device);
    Optional<Account> account = accounts.verify(name, password);
    if (account.isEmpty()) {
      throw Problem.unauthenticated("wrong name or password");
    }
    attempt.succeeded();
    if (device == null) {
      String issued = secrets.newSecret("");
      ctx.attribute(DEVICE_COOKIE, DEVICE_COOKIE + "=" + issued + "; Path=/; Max-Age=" + DEVICE_LIFETIME.toSeconds()
          + "; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")); // set beside the login's cookie
      device = Secrets.sha256(issued);
    }
    attempts.rememberDevice(nameKey, device);
    return account.get();
  }

  /** The hash of the request's device cookie, or null. */
  private static String deviceOf(Context ctx) {
    String cookie = ctx.cookie(DEVICE_COOKIE);
    return cookie == null || cookie.isEmpty() || cookie.length() > 200 ? null : Secrets.sha256(cookie);
  }

  /** Starts a login: sets the cookie on the response. */
  Logins.Started startLogin(Context ctx, Account account) {
    Logins.Started started = logins.start(account.id());
    StringBuilder cookie = new StringBuilder(COOKIE).append('=').append(started.cookie())
        .append("; Path=/; Max-Age=").append(logins.lifetime().toSeconds()).append("; HttpOnly; SameSite=Strict");
    if (secureCookies) {
      cookie.append("; Secure");
    }
    ctx.header("Set-Cookie", cookie.toString());
    String deviceCookie = ctx.attribute(DEVICE_COOKIE);
    if (deviceCookie != null) {
      ctx.res().addHeader("Set-Cookie", deviceCookie);
    }
    return started;
  }

  private static LoginView loginView(Account account, Logins.Started started) {
    return new LoginView(AccountView.of(account), started.csrfToken(), started.expiresAt());
  }

  /** Ends the request's login and clears its cookie. */
  void endLogin(Context ctx) {
    String cookie = ctx.cookie(COOKIE);
    if (cookie.startsWith(DiscordLogins.COOKIE_PREFIX)) {
      discordLogins.ifPresent(d -> d.end(cookie));
    } else {
      logins.end(Secrets.sha256(cookie));
    }
    forgetCached();
    ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : ""));
  }

  private void logout(Context ctx) {
    Principal principal = Requests.browser(ctx);
    endLogin(ctx);
    log.info("'{}' logged out", principal.name());
    ctx.status(204);
  }

  private void setup(Context ctx) {
    JsonInput in = JsonInput.of(ctx, json);
    String secret = in.string("setupToken", true);
    String name = in.string("name", true);
    String password = in.string("password", true);
    in.check();
    LoginThrottle.Attempt attempt = attempts.reserve("setup", clients.of(ctx), null);
    String expected = setupHash;
    if (expected == null) {
      throw Problem.forbidden("setup is over: an admin account exists; log in instead");
    }
    if (!Secrets.same(Secrets.sha256(secret), expected)) {
      throw Problem.forbidden("the setup token is wrong; use the link printed in Carillon's log");
    }
    attempt.succeeded();
    Account account;
    synchronized (this) {
      if (setupHash == null || accounts.any()) {
        throw Problem.forbidden("setup is over: an admin account exists; log in instead");
      }
      try {
        account = accounts.create(name, password, true, Set.of());
      } catch (InvalidInputException e) {
        throw Problem.invalid(e.errors());
      }
      setupHash = null;
    }
    log.info("First admin account '{}' created through the setup link", account.name());
    ctx.status(201).json(loginView(account, startLogin(ctx, account)));
  }

  private void me(Context ctx) {
    Principal principal = Requests.principal(ctx);
    ctx.json(new Me(principal.name(), principal.kind() == Principal.Kind.USER ? "admin" : "token", principal.allGuilds(),
        principal.guilds().stream().sorted().map(String::valueOf).toList(), principal.csrfToken(), principal.expiresAt()));
  }

  private void changePassword(Context ctx) {
    Principal principal = Requests.user(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    String current = in.string("currentPassword", true);
    String replacement = in.string("newPassword", true);
    boolean revokeTokens = Boolean.TRUE.equals(in.bool("revokeApiTokens", false));
    in.check();
    // Like a login: a stolen login cookie must not become unlimited guesses at the password.
    LoginThrottle.Attempt attempt = passwordChanges.reserve("account:" + principal.accountId(),
        "change:" + clients.of(ctx), null);
    try {
      accounts.changePassword(principal.accountId(), current, replacement);
    } catch (InvalidInputException e) {
      if (e.errors().stream().noneMatch(error -> error.field().equals("currentPassword"))) {
        attempt.succeeded(); // the current password was right: only the new one is refused
      }
      throw Problem.invalid(e.errors());
    }
    attempt.succeeded();
    logins.endAll(principal.accountId()); // every other browser must log in with the new password
    int revoked = revokeTokens ? tokens.revokeAll(principal.accountId()) : 0;
    forgetCached();
    Account account = accounts.find(principal.accountId()).orElseThrow();
    log.info("'{}' changed the password; other logins ended{}", account.name(),
        revokeTokens ? ", " + revoked + " API tokens revoked" : "");
    Logins.Started started = startLogin(ctx, account);
    ctx.json(new PasswordChanged(AccountView.of(account), started.csrfToken(), started.expiresAt(), revokeTokens,
        revoked));
  }

}
