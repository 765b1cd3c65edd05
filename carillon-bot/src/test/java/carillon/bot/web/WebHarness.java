package carillon.bot.web;

import carillon.bot.guild.Channel;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.library.AudioProbe;
import carillon.bot.store.Database;
import carillon.bot.testing.Harness;
import carillon.bot.web.auth.AdminAccounts;
import carillon.bot.web.auth.Auth;
import carillon.bot.web.auth.InvalidInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The bot core of {@link Harness} (real SQLite file, ManualTimeSource, fake voice) behind a real
 * {@link WebServer} on an ephemeral loopback port, with a real audio library, and HTTP clients that
 * log in as admins or carry API tokens. A second guild, {@link #OTHER}, is there to be forbidden.
 */
public final class WebHarness implements AutoCloseable {
  public static final long GUILD = Harness.GUILD;
  public static final long HALL = Harness.HALL;
  public static final long NOTICES = Harness.NOTICES;
  public static final long MEMBERS_ROLE = Harness.MEMBERS_ROLE;
  public static final long OTHER = 5000;
  public static final long OTHER_VOICE = 5001;
  public static final String PASSWORD = "correct horse battery staple";
  public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

  public final Harness core;
  public final AudioProbe probe = new AudioProbe();
  public final AudioLibrary library;
  public final AdminAccounts accounts;
  public final WebServer web;
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public final ObjectMapper json = WebServer.mapper();
  public final URI base;

  public WebHarness(Path dir, Instant start, long maxUploadBytes) {
    this(dir, start, maxUploadBytes, null);
  }

  /** On another store (PostgreSQL), opened by {@code store}. */
  public WebHarness(Path dir, Instant start, long maxUploadBytes, Supplier<Database> store) {
    this(dir, start, maxUploadBytes, store, Readiness.withoutAccounts(), settings -> settings);
  }

  /** With what the readiness check and the voice banner see of the bot accounts and voice. */
  public WebHarness(Path dir, Instant start, long maxUploadBytes, Supplier<Database> store, Readiness readiness) {
    this(dir, start, maxUploadBytes, store, readiness, settings -> settings);
  }

  /** With settings changed by {@code adjust} (behind a proxy, say). */
  public WebHarness(Path dir, Instant start, long maxUploadBytes, Supplier<Database> store,
      UnaryOperator<WebSettings> adjust) {
    this(dir, start, maxUploadBytes, store, Readiness.withoutAccounts(), adjust);
  }

  /**
   * One process of a cluster on {@code store}, holding only the guilds {@code ownsGuild} accepts (another
   * harness on the same store may hold the rest).
   */
  public static WebHarness inCluster(Path dir, Instant start, Supplier<Database> store, LongPredicate ownsGuild) {
    return new WebHarness(dir, start, 1_000_000, store, Readiness.withoutAccounts(), settings -> settings, ownsGuild);
  }

  private WebHarness(Path dir, Instant start, long maxUploadBytes, Supplier<Database> store, Readiness readiness,
      UnaryOperator<WebSettings> adjust) {
    this(dir, start, maxUploadBytes, store, readiness, adjust, guildId -> true);
  }

  private WebHarness(Path dir, Instant start, long maxUploadBytes, Supplier<Database> store, Readiness readiness,
      UnaryOperator<WebSettings> adjust, LongPredicate ownsGuild) {
    core = new Harness(dir, start, ZONE, store, ownsGuild);
    core.guilds.replaceGuild(OTHER, List.of(new Channel(OTHER, OTHER_VOICE, "Other hall", Channel.Kind.VOICE)), List.of());
    core.slots.join("bot-b", OTHER);
    core.start();
    library = new AudioLibrary(dir.resolve("data"), core.db, Clock.fixed(start, ZoneOffset.UTC), probe, maxUploadBytes, new LoudnessTarget(-18));
    accounts = new AdminAccounts(core.db, core.time);
    WebSettings settings = new WebSettings(new InetSocketAddress("127.0.0.1", 0), dir.resolve("uploads"), ZONE,
        maxUploadBytes, Duration.ofHours(12), false);
    web = new WebServer(adjust.apply(settings), core.db, core.sessions, core.scheduler, core.commands, library,
        core.runs, core.guilds, core.playback, core.slots, core.time, readiness, core.calendars);
    web.start();
    base = URI.create("http://127.0.0.1:" + web.port());
  }

  /** An account that administers every guild. */
  public void owner(String name) throws InvalidInputException {
    accounts.create(name, PASSWORD);
  }

  /** An account that administers only {@code guilds}. */
  public void admin(String name, Long... guilds) throws InvalidInputException {
    accounts.create(name, PASSWORD, false, Set.of(guilds));
  }

  /** One value from the store, for checks of what was (not) stored. */
  public <T> T query(Class<T> type, String sql, Object... args) {
    return core.db.withHandle(h -> {
      var query = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        query.bind(i, args[i]);
      }
      return query.mapTo(type).one();
    });
  }

  public Client anonymous() {
    return new Client();
  }

  public Client login(String name) {
    Client client = new Client();
    Response response = client.post("/api/login", "{\"name\": \"" + name + "\", \"password\": \"" + PASSWORD + "\"}");
    if (response.status() != 200) {
      throw new AssertionError("login of " + name + " failed: " + response);
    }
    client.adopt(response);
    return client;
  }

  /** A client with an API token made by the logged-in {@code owner} for {@code guilds}. */
  public Client token(Client owner, int days, Long... guilds) {
    StringBuilder ids = new StringBuilder();
    for (Long g : guilds) {
      ids.append(ids.isEmpty() ? "" : ", ").append('"').append(g).append('"');
    }
    Response made = owner.post("/api/tokens", "{\"name\": \"script\", \"guilds\": [" + ids + "], \"expiresInDays\": " + days + "}");
    if (made.status() != 201) {
      throw new AssertionError("token not made: " + made);
    }
    Client client = new Client();
    client.bearer = made.json().get("token").asText();
    return client;
  }

  public record Response(int status, HttpHeaders headers, String body, ObjectMapper mapper) {
    public JsonNode json() {
      try {
        return mapper.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    public String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** A browser or a script: the login cookie and CSRF token it holds, or its API token. */
  public final class Client {
    public String cookie;
    public String csrf;
    public String bearer;
    /** The device cookie a successful login set: the browser that logged in before. */
    public String device;

    public void adopt(Response login) {
      for (String setCookie : login.headers().allValues("Set-Cookie")) {
        String pair = setCookie.substring(0, setCookie.indexOf(';'));
        if (pair.startsWith("carillon_device=")) {
          device = pair;
        } else {
          cookie = pair;
        }
      }
      csrf = login.json().get("csrfToken").asText();
    }

    public HttpRequest.Builder request(String path) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
      if (cookie != null || device != null) {
        builder.header("Cookie", String.join("; ", Stream.of(cookie, device)
            .filter(Objects::nonNull).toList()));
      }
      if (bearer != null) {
        builder.header("Authorization", "Bearer " + bearer);
      }
      return builder;
    }

    public Response send(HttpRequest request) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers(), response.body(), json);
      } catch (IOException e) {
        throw new AssertionError("request " + request + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** A state-changing request, with the CSRF token when there is a login. */
    public HttpRequest.Builder changing(String path) {
      HttpRequest.Builder builder = request(path);
      if (csrf != null) {
        builder.header(Auth.CSRF_HEADER, csrf);
      }
      return builder;
    }

    public Response get(String path) {
      return send(request(path).GET().build());
    }

    public Response post(String path, String body) {
      return send(changing(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Response put(String path, String body) {
      return send(changing(path).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A page's form, as a browser posts it: urlencoded, with no CSRF header (the form carries it, or not). */
    public Response form(String path, String... namesAndValues) {
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < namesAndValues.length; i += 2) {
        body.append(body.isEmpty() ? "" : "&").append(encode(namesAndValues[i])).append('=').append(encode(namesAndValues[i + 1]));
      }
      return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    public Response delete(String path) {
      return send(changing(path).DELETE().build());
    }
  }

  public static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    web.close();
    core.close();
    probe.close();
  }
}
