package carillon.bot.web;

import carillon.bot.web.AdminAccounts.Account;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: every request except login, setup, health and static assets must come from a
 * logged-in admin (the login cookie) or carry an API token; a logged-in browser's state-changing
 * requests must also carry the login's CSRF token in {@value #CSRF_HEADER}. Failed logins are limited
 * per account name and per client address.
 *
 * <p>The first admin is created with {@link AdminAccounts#create(String, String)} from the command line,
 * or through a one-time link logged at start while no account exists.
 */
final class Auth {
  private static final Logger log = LoggerFactory.getLogger(Auth.class);
  static final String PRINCIPAL = "carillon.principal";
  static final String COOKIE = "carillon_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  /** What answers without authentication: exact paths, and prefixes ending in '/'. */
  private static final Set<String> PUBLIC = Set.of("/health", "/api/login", "/api/setup", "/setup", "/login");
  private static final List<String> PUBLIC_PREFIXES = List.of("/assets/");
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
  private final LoginLimiter byName;
  private final LoginLimiter byAddress;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  /** The hash of the one-time setup secret, while no account exists and the link was printed. */
  private volatile String setupHash;

  Auth(AdminAccounts accounts, Logins logins, ApiTokens tokens, Secrets secrets, TimeSource time, ObjectMapper json,
      boolean secureCookies) {
    this.accounts = accounts;
    this.logins = logins;
    this.tokens = tokens;
    this.secrets = secrets;
    this.time = time;
    this.json = json;
    this.secureCookies = secureCookies;
    this.byName = new LoginLimiter(time, 5, Duration.ofMinutes(15));
    this.byAddress = new LoginLimiter(time, 20, Duration.ofMinutes(15));
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.post("/api/login", this::login);
    routes.post("/api/logout", this::logout);
    routes.post("/api/setup", this::setup);
    routes.get("/api/me", this::me);
    routes.put("/api/me/password", this::changePassword);
  }

  /**
   * At start: if there is no account yet, makes the one-time setup secret.
   *
   * @return the secret to put in the printed link, or empty if an account exists
   */
  Optional<String> prepareSetup() {
    if (accounts.any()) {
      setupHash = null;
      return Optional.empty();
    }
    String secret = secrets.newSecret("");
    setupHash = Secrets.sha256(secret);
    return Optional.of(secret);
  }

  // ---- the filter

  /** Runs before every request: authenticates, checks the CSRF token, or answers 401/403. */
  void authenticate(Context ctx) {
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
          throw Problem.csrf("this request changes something, so it must carry the header " + CSRF_HEADER
              + " with the csrfToken from POST /api/login or GET /api/me");
        }
        if (!Secrets.same(sent, principal.csrfToken())) {
          throw Problem.csrf("the " + CSRF_HEADER + " header does not match this login's token; reload the page");
        }
      }
    }
    ctx.attribute(PRINCIPAL, principal);
  }

  private Principal fromCookie(String cookie) {
    Instant now = time.now();
    String key = "c" + Secrets.sha256(cookie);
    Cached cached = cache.get(key);
    if (cached != null && cached.validUntil().isAfter(now)) {
      return cached.principal();
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
    if (!authorization.startsWith("Bearer ") || !authorization.substring(7).strip().startsWith(ApiTokens.PREFIX)) {
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
    Account account = checkLogin(name, password, ctx.ip());
    Logins.Started started = startLogin(ctx, account);
    ctx.json(loginView(account, started));
  }

  /**
   * Checks a login attempt: refused with 429 while its name or address has failed too often, 401 if the
   * password is wrong (counted), the account otherwise.
   */
  Account checkLogin(String name, String password, String address) {
    String nameKey = "name:" + (name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT));
    String addressKey = "address:" + address;
    Duration wait = max(byName.blockedFor(nameKey), byAddress.blockedFor(addressKey));
    if (!wait.isZero()) {
      throw Problem.rateLimited("too many failed logins; try again in " + seconds(wait) + " s", seconds(wait));
    }
    Optional<Account> account = accounts.verify(name, password);
    if (account.isEmpty()) {
      byName.failed(nameKey);
      byAddress.failed(addressKey);
      throw Problem.unauthenticated("wrong name or password");
    }
    byName.succeeded(nameKey);
    return account.get();
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
    return started;
  }

  private static Map<String, Object> loginView(Account account, Logins.Started started) {
    Map<String, Object> body = new LinkedHashMap<>(accountView(account));
    body.put("csrfToken", started.csrfToken());
    body.put("expiresAt", started.expiresAt());
    return body;
  }

  /** Ends the request's login and clears its cookie. */
  void endLogin(Context ctx) {
    logins.end(Secrets.sha256(ctx.cookie(COOKIE)));
    forgetCached();
    ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : ""));
  }

  private void logout(Context ctx) {
    Principal principal = Requests.user(ctx);
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
    String addressKey = "address:" + ctx.ip();
    Duration wait = byAddress.blockedFor(addressKey);
    if (!wait.isZero()) {
      throw Problem.rateLimited("too many failed attempts; try again in " + seconds(wait) + " s", seconds(wait));
    }
    String expected = setupHash;
    if (expected == null) {
      throw Problem.forbidden("setup is over: an admin account exists; log in instead");
    }
    if (!Secrets.same(Secrets.sha256(secret), expected)) {
      byAddress.failed(addressKey);
      throw Problem.forbidden("the setup token is wrong; use the link printed in Carillon's log");
    }
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
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", principal.name());
    body.put("kind", principal.kind() == Principal.Kind.USER ? "admin" : "token");
    body.put("allGuilds", principal.allGuilds());
    body.put("guilds", principal.guilds().stream().sorted().map(String::valueOf).toList());
    if (principal.csrfToken() != null) {
      body.put("csrfToken", principal.csrfToken());
    }
    body.put("expiresAt", principal.expiresAt());
    ctx.json(body);
  }

  private void changePassword(Context ctx) {
    Principal principal = Requests.user(ctx);
    JsonInput in = JsonInput.of(ctx, json);
    String current = in.string("currentPassword", true);
    String replacement = in.string("newPassword", true);
    in.check();
    try {
      accounts.changePassword(principal.accountId(), current, replacement);
    } catch (InvalidInputException e) {
      throw Problem.invalid(e.errors());
    }
    logins.endAll(principal.accountId()); // other browsers must log in with the new password
    forgetCached();
    Account account = accounts.find(principal.accountId()).orElseThrow();
    ctx.json(loginView(account, startLogin(ctx, account)));
  }

  static Map<String, Object> accountView(Account account) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", account.id());
    view.put("name", account.name());
    view.put("allGuilds", account.allGuilds());
    view.put("guilds", account.guilds().stream().sorted().map(String::valueOf).toList());
    view.put("createdAt", account.createdAt());
    return view;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }
}
