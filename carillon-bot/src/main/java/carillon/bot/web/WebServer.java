package carillon.bot.web;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.library.AudioLibrary;
import carillon.bot.playback.Playback;
import carillon.bot.playback.Slots;
import carillon.bot.queue.CommandQueue;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.FieldError;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.bot.store.StoreHealth;
import carillon.bot.store.StoreUnavailableException;
import carillon.bot.web.auth.Auth;
import carillon.bot.web.calendar.CalendarRoutes;
import carillon.bot.web.commands.CommandRoutes;
import carillon.bot.web.history.HistoryRoutes;
import carillon.bot.web.http.ClientAddress;
import carillon.bot.web.http.GuildAccess;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import carillon.bot.web.library.LibraryItems;
import carillon.bot.web.library.LibraryRoutes;
import carillon.bot.web.live.LiveHub;
import carillon.bot.web.live.LiveRoutes;
import carillon.bot.web.sessions.SessionRoutes;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin web server: the REST API under {@code /api} (described by {@code /api/openapi.json}),
 * the admin pages, server-sent events of live playback, health, and static assets. Built from the bot
 * core; JSON over HTTP on Javalin (Jetty 12, virtual threads). Errors are {@code application/problem+json}
 * naming the field. This class wires the feature packages (auth, sessions, commands, library, live,
 * history) and keeps what every request shares: security headers, authentication before every route,
 * error answers, health and the OpenAPI document. See docs/web-api.md and docs/architecture.md.
 *
 * <pre>{@code
 * WebServer web = new WebServer(settings, db, sessions, scheduler, commands, library, runs, guilds, playback,
 *     slots, time, readiness, calendars);
 * web.start();   // logs a one-time link to create the first admin if there is none
 * ...
 * web.close();
 * }</pre>
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  /** The largest JSON body accepted. */
  static final long MAX_JSON_BYTES = 1024 * 1024;
  /** How long a connection may stay silent while a request is read or an answer written. */
  static final Duration IO_TIMEOUT = Duration.ofSeconds(20);
  private static final String PROBLEM_JSON = "application/problem+json";

  private final WebSettings settings;
  private final Database db;
  private final ObjectMapper json = mapper();
  private final TaskGroup tasks = TaskGroup.create("web");
  private final LiveHub live;
  private final Auth auth;
  private final Pages pages;
  private final List<String> routes = new CopyOnWriteArrayList<>();
  private final Javalin app;
  private final byte[] openApi;
  private final byte[] setupPage;
  private final Readiness readiness;
  private final TimeSource time;
  /** The problems /health/ready last found, so that a change is logged once, not each check. */
  private final AtomicReference<List<String>> lastProblems = new AtomicReference<>(List.of());
  private volatile boolean closed;
  /** Set when shutdown begins: every request is answered 503 until the socket closes. */
  private volatile boolean stopping;
  /** What a client told of a shutdown should wait before it tries again, in seconds. */
  static final long SHUTDOWN_RETRY_AFTER_SECONDS = 30;
  /** The Host header values accepted (lower case): set at start, when the port is known. */
  private volatile Set<String> hosts = Set.of();

  /** The answer of {@code /health} and {@code /health/live}. */
  private record Health(String status) {}

  /**
   * The answer of {@code /health/ready}: {@code status} is {@code ready} or {@code not ready}, each part says
   * {@code ok} / {@code connected} or what is wrong, and {@code problems} lists what is wrong in words.
   */
  private record Ready(String status, String store, Map<String, String> accounts, String voice, List<String> problems) {}

  public WebServer(WebSettings settings, Database db, Sessions sessions, Scheduler scheduler, CommandQueue commands,
      AudioLibrary library, Runs runs, GuildDirectory guilds, Playback playback, Slots slots, TimeSource time,
      Readiness readiness, GuildCalendars calendars) {
    this.settings = settings;
    this.readiness = readiness;
    this.time = time;
    this.db = db;
    this.openApi = openApi(json);
    this.setupPage = resource("setup.html");
    GuildAccess access = new GuildAccess(slots, guilds, sessions);
    this.pages = new Pages(guilds, access, settings.timeZone(), calendars::zone, calendars::ownLanguage,
        readiness.voiceOff());
    this.auth = new Auth(db, time, json, settings.loginLifetime(), settings.secureCookies(), pages,
        ClientAddress.trusting(settings.trustedProxies()), settings.publicUrl().map(WebServer::origin),
        settings.discordLogin(), guilds);
    this.live = new LiveHub(playback, slots, sessions, time, json, auth::stillValid, scheduler::holds, runs);
    LibraryItems libraryItems = new LibraryItems(library, settings.uploadDir(), settings.maxUploadBytes());
    List<Consumer<JavalinDefaultRoutingApi>> features = List.of(
        auth::routes,
        new SessionRoutes(sessions, scheduler, playback, slots, guilds, commands, libraryItems, live, access, pages, time,
            json, calendars, runs)::routes,
        new CalendarRoutes(calendars, sessions, guilds, libraryItems, runs, access, pages, time, json,
            settings.publicUrl())::routes,
        new CommandRoutes(commands, sessions, access, time, json)::routes,
        new LibraryRoutes(libraryItems, pages, json)::routes,
        new LiveRoutes(live, access, pages)::routes,
        new HistoryRoutes(runs, commands, sessions, access, pages)::routes);
    playback.onChange(run -> {
      if (!closed) {
        live.runChanged(run);
      }
    });
    sessions.onChange(id -> {
      if (!closed) {
        live.sessionChanged(id);
      }
    });
    commands.onFinished(command -> {
      if (!closed) {
        live.commandFinished(command);
      }
    });
    this.app = Javalin.create(config -> {
      configure(config);
      config.routes.before(this::beforeEach);
      config.routes.get("/health", this::health);
      config.routes.get("/health/live", ctx -> ctx.json(new Health("live")));
      config.routes.get("/health/ready", this::ready);
      config.routes.get("/setup", ctx -> ctx.contentType("text/html; charset=utf-8").result(setupPage));
      config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
      features.forEach(feature -> feature.accept(config.routes));
      config.routes.after(WebServer::drainBody);
      config.routes.exception(Pages.Redirect.class, (e, ctx) -> ctx.status(303).header("Location", e.location()));
      config.routes.exception(Problem.class, this::problem);
      config.routes.exception(HttpResponseException.class, (e, ctx) -> {
        if (!Requests.ended(ctx)) {
          problem(fromJavalin(e, ctx), ctx);
        }
      });
      config.routes.exception(StoreUnavailableException.class, (e, ctx) -> storeUnavailable(ctx));
      config.routes.exception(Exception.class, this::unexpected);
    });
  }

  /**
   * A request that failed other than by a {@link Problem}. A request already ended (its client gone, or the
   * server stopping with event streams open) is not touched: Jetty recycled it, and reading its method or
   * path threw again, which Javalin logged in a loop (4.9 GB in one test run, issue 15). A client that ended
   * its body early is a client's doing: one DEBUG line. Anything else is a bug: an ERROR with the trace.
   */
  private void unexpected(Exception e, Context ctx) {
    if (Requests.ended(ctx)) {
      log.debug("A request ended before its answer was written: {}", e.toString());
      return;
    }
    if (StoreUnavailableException.among(e)) {
      storeUnavailable(ctx); // the store's state is logged once by the store, not once per request
      return;
    }
    if (clientEndedEarly(e)) {
      log.debug("{} {}: the client ended the request early ({})", ctx.method(), Requests.shorten(ctx.path()), e.toString());
      ctx.header("Connection", "close");
      problem(Problem.malformed("body", "ended before the length the request announced (Content-Length)"), ctx);
      return;
    }
    log.error("{} {} failed", ctx.method(), ctx.path(), e);
    problem(new Problem(500, "internal", "Internal error", "the server failed on this request; it was logged",
        List.of(), Map.of()), ctx);
  }

  /** Whether {@code e} says the client closed or stalled before sending what it announced. */
  private static boolean clientEndedEarly(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      // Jetty's EofException (and its HttpEofException, "Early EOF") is an EOFException; an idle timeout
      // while reading the body arrives as a TimeoutException.
      if (cause instanceof EOFException || cause instanceof TimeoutException
          || cause instanceof BadMessageException) {
        return true;
      }
    }
    return false;
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.concurrency.useVirtualThreads = true;
    config.jsonMapper(new JavalinJackson(json, true));
    config.http.maxRequestSize = MAX_JSON_BYTES;
    config.jetty.multipartConfig.cacheDirectory(settings.uploadDir().toAbsolutePath().toString());
    config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
    config.jetty.multipartConfig.maxTotalRequestSize(4 * settings.maxUploadBytes(), SizeUnit.BYTES);
    config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
    config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler(json, () -> stopping,
        SHUTDOWN_RETRY_AFTER_SECONDS)));
    config.jetty.modifyHttpConfiguration(http -> {
      // A client that stalls while sending its headers or body is cut off instead of holding a connection and
      // a thread without limit. (Jetty's minimum data rate would also count the time a handler spends before
      // it reads, such as hashing a password, so it is not used.)
      http.setIdleTimeout(IO_TIMEOUT.toMillis());
    });
    config.jetty.addConnector((server, http) -> {
      ServerConnector connector = new ServerConnector(server,
          new HttpConnectionFactory(http));
      connector.setHost(settings.address().getHostString());
      connector.setPort(settings.address().getPort());
      connector.setIdleTimeout(IO_TIMEOUT.toMillis());
      return connector;
    });
    config.staticFiles.add(files -> {
      files.hostedPath = "/assets";
      files.directory = "/carillon/bot/web/assets";
      files.location = Location.CLASSPATH;
    });
    config.events.handlerAdded(handler -> {
      if (!handler.getHttpMethod().isHttpMethod()) {
        return;
      }
      routes.add(handler.getHttpMethod().name() + " " + handler.getPath());
    });
  }

  /** Starts listening; logs the one-time setup link while no admin account exists. */
  public void start() {
    try {
      Files.createDirectories(settings.uploadDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the upload directory " + settings.uploadDir(), e);
    }
    live.start(tasks);
    app.start();
    hosts = allowedHosts(port());
    String host = settings.address().getAddress() != null && settings.address().getAddress().isAnyLocalAddress()
        ? "localhost" : settings.address().getHostString();
    log.info("Admin web page and API at http://{}:{}/ (API description: /api/openapi.json)", host, port());
    auth.prepareSetup().ifPresent(secret -> log.info("""
        No admin account exists yet. Create the first one with this link (it works once, until Carillon restarts):
          http://{}:{}/setup#token={}
        or from the command line.""", host, port(), secret));
  }

  /** The port it listens on (the one chosen, when the settings said 0). */
  public int port() {
    return app.port();
  }

  /** "METHOD /path" of every route, for the check that the OpenAPI document describes each. */
  public List<String> routes() {
    return List.copyOf(routes);
  }

  /**
   * Shutdown has begun: from now on every request is answered 503 "shutting down" (problem+json with
   * {@code Retry-After}) until {@link #close()} closes the socket, so that a client is told rather than
   * refused, and nothing new is accepted while playback ends.
   */
  public void beginShutdown() {
    stopping = true;
  }

  @Override
  public void close() {
    stopping = true;
    if (closed) {
      return;
    }
    closed = true;
    // The streams end before Jetty stops: a stream still running when Jetty recycles its request fails in
    // Javalin's own code after the handler returns.
    live.close(Duration.ofSeconds(5));
    app.stop();
    auth.close();
    tasks.shutdown(Duration.ofSeconds(5)).notEnded()
        .forEach(task -> log.warn("Still running when the web server stopped: {}", task.name()));
  }

  // ---- cross-cutting

  private void beforeEach(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    if (stopping && !ctx.path().equals("/health/live")) {
      throw Problem.shuttingDown(SHUTDOWN_RETRY_AFTER_SECONDS);
    }
    ctx.header("X-Frame-Options", "DENY");
    // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the page's own form
    // posts, and the login's cross-site check could not tell them from a foreign site's.
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (ctx.path().startsWith("/api/")) {
      ctx.header("Cache-Control", "no-store");
    }
    String host = ctx.header("Host");
    if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
      // A page and its login form trust the Host header (the Origin check): a name this server is not reached
      // by is a DNS-rebinding or spoofing attempt, or web.publicUrl is not set behind a proxy.
      throw new Problem(421, "wrong-host", "Misdirected request",
          "this server is not reached as '" + Requests.shorten(String.valueOf(host)) + "'; set web.publicUrl when it is"
              + " served through a proxy", List.of(new FieldError("Host",
          "must be one of " + new TreeSet<>(hosts))), Map.of());
    }
    if (!ctx.isMultipart() && ctx.contentLength() > MAX_JSON_BYTES) {
      // Refused before anyone reads it (Javalin would log a WARN per request while refusing it).
      ctx.header("Connection", "close");
      throw Problem.tooLarge("body", "the body is larger than " + MAX_JSON_BYTES + " bytes");
    }
    auth.authenticate(ctx);
  }

  /**
   * Reads what is left of a small request body that no handler read (a refused request): Jetty closes
   * a connection whose request body was not read, and a client that already reused it would see its
   * next request fail. A large unread body (an upload refused before reading) closes the connection
   * instead, said in the answer.
   */
  private static void drainBody(Context ctx) {
    if (ctx.isMultipart()) {
      if (ctx.statusCode() >= 400) {
        ctx.header("Connection", "close"); // a refused upload may be large: not worth reading
      }
      return;
    }
    try {
      InputStream in = ctx.req().getInputStream();
      long left = MAX_JSON_BYTES;
      byte[] buffer = new byte[8192];
      int read;
      while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
        left -= read;
      }
      if (left <= 0 && in.read() != -1) {
        ctx.header("Connection", "close");
      }
    } catch (IOException | IllegalStateException e) {
      ctx.header("Connection", "close"); // the body cannot be read (or was read as parts): do not reuse
    }
  }

  private void health(Context ctx) {
    try {
      db.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
      ctx.json(new Health("ok"));
    } catch (RuntimeException e) {
      log.warn("Health check: the store does not answer: {}", e.toString());
      problem(Problem.unavailable("the store does not answer"), ctx);
    }
  }

  private void storeUnavailable(Context ctx) {
    String since = db.health().state() instanceof StoreHealth.Unavailable(Instant at, String error)
        ? " since " + at : "";
    ctx.header("Retry-After", Integer.toString(Problem.STORE_RETRY_AFTER_SECONDS)); // pages too
    problem(Problem.storeUnavailable("Carillon's store cannot take work now" + since + " (its disk is full or its "
        + "database server cannot be reached); nothing of this request was kept; try again in a few seconds"), ctx);
  }

  /**
   * Ready to serve: the store takes writes, every bot account's gateway is connected, voice can work here.
   * 200 when all are, else 503; the body names each part and what is wrong.
   */
  private void ready(Context ctx) {
    List<String> problems = new ArrayList<>();
    String store = storeProblem().orElse("ok");
    if (!store.equals("ok")) {
      problems.add("store: " + store);
    }
    Map<String, String> accounts = new LinkedHashMap<>();
    readiness.accounts().get().forEach((name, problem) -> {
      accounts.put(name, problem.orElse("connected"));
      problem.ifPresent(p -> problems.add("bot account '" + name + "': " + p));
    });
    String voice = readiness.voiceOff().map(reason -> "voice unavailable: " + reason).orElse("ok");
    if (readiness.voiceOff().isPresent()) {
      problems.add(voice);
    }
    List<String> before = lastProblems.getAndSet(List.copyOf(problems));
    if (!before.equals(problems)) {
      if (problems.isEmpty()) {
        log.info("Ready: the store, every bot account and voice are fine");
      } else {
        log.warn("Not ready: {}", String.join("; ", problems));
      }
    }
    ctx.status(problems.isEmpty() ? 200 : 503)
        .json(new Ready(problems.isEmpty() ? "ready" : "not ready", store, accounts, voice, problems));
  }

  /** Why the store does not take writes, if it does not: the store's own health state (it probes itself). */
  private Optional<String> storeProblem() {
    return db.health().state() instanceof StoreHealth.Unavailable(Instant since, String error)
        ? Optional.of("unavailable since " + since + " (" + error + ")") : Optional.empty();
  }

  /** Writes an error: a page for a person at a page, {@code application/problem+json} for everything else. */
  private void problem(Problem problem, Context ctx) {
    if (Pages.isPage(ctx.path())) {
      pages.error(ctx, problem);
      return;
    }
    problem.headers().forEach(ctx::header);
    try {
      ctx.status(problem.status()).contentType(PROBLEM_JSON).result(json.writeValueAsBytes(problem.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Problem fromJavalin(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404 -> Problem.notFound("there is no " + ctx.method() + " " + Requests.shorten(ctx.path()));
      case 413 -> Problem.tooLarge("body", "the body is larger than " + MAX_JSON_BYTES + " bytes");
      default -> new Problem(e.getStatus(), "http-" + e.getStatus(), e.getMessage(), e.getMessage(), List.of(), Map.of());
    };
  }

  /**
   * The Host values a request may name: {@code web.publicUrl}'s host (and port), and the address it listens on
   * with its port, as an IP or {@code localhost}; for a wildcard address, every address of this machine.
   */
  private Set<String> allowedHosts(int port) {
    Set<String> names = new HashSet<>();
    settings.publicUrl().ifPresent(url -> {
      String host = url.getHost().toLowerCase(Locale.ROOT);
      int urlPort = url.getPort();
      names.add(urlPort < 0 ? host : host + ":" + urlPort);
      if (urlPort < 0) {
        names.add(host + ":" + ("https".equalsIgnoreCase(url.getScheme()) ? 443 : 80));
      }
    });
    List<InetAddress> addresses = new ArrayList<>();
    InetAddress bound = settings.address().getAddress();
    if (bound == null || bound.isAnyLocalAddress()) {
      try {
        Collections.list(NetworkInterface.getNetworkInterfaces())
            .forEach(nic -> addresses.addAll(Collections.list(nic.getInetAddresses())));
      } catch (SocketException e) {
        log.warn("Cannot list this machine's addresses for the Host check; set web.publicUrl: {}", e.toString());
      }
    } else {
      addresses.add(bound);
    }
    if (addresses.stream().anyMatch(InetAddress::isLoopbackAddress)) {
      names.add("localhost:" + port);
    }
    for (InetAddress address : addresses) {
      String text = address.getHostAddress();
      int zone = text.indexOf('%');
      text = zone < 0 ? text : text.substring(0, zone);
      names.add((address instanceof Inet6Address ? "[" + text + "]" : text) + ":" + port);
    }
    return Set.copyOf(names);
  }

  /** {@code scheme://host[:port]} of a URL, as browsers send it in Origin. */
  private static String origin(URI url) {
    return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT)
        + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  /** The OpenAPI document, written in YAML for people and served as JSON. */
  private static byte[] openApi(ObjectMapper json) {
    try {
      return json.writeValueAsBytes(new YAMLMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(resource("openapi.yaml")));
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document is not valid YAML", e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource carillon/bot/web/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON mapper of the API: java.time as ISO-8601 text, duplicate keys and trailing tokens refused. */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .registerModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }
}
