package carillon.emulator;

import carillon.emulator.voice.VoiceServer;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.neovisionaries.ws.client.WebSocketFactory;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.router.EndpointNotFound;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.net.URI;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.jetbrains.annotations.NotNull;

/**
 * A local Discord that the real, unmodified JDA connects to: REST under {@code /api/v10}, the gateway
 * WebSocket, and (given a {@link VoiceService}) voice. It runs on 127.0.0.1 and a free port, keeps its
 * world in memory, and sends the gateway events Discord would.
 *
 * <pre>{@code
 * try (DiscordEmulator discord = DiscordEmulator.start()) {
 *   GuildHandle guild = discord.createGuild("Sangha");
 *   long notices = guild.createTextChannel("notices");
 *   BotAccount bot = discord.createBot("Carillon");
 *   guild.addMember(bot);
 *   JDA jda = discord.configure(JDABuilder.createDefault(bot.token())).build().awaitReady();
 *   jda.getTextChannelById(notices).sendMessage("hello").complete();
 *   assertThat(discord.messages(notices)).extracting(SentMessage::content).containsExactly("hello");
 * }
 * }</pre>
 */
public final class DiscordEmulator implements AutoCloseable {
  private final World world;
  private final Gateway gateway;
  private final Rest rest;
  private final OAuth2 oauth2;
  private final Javalin server;
  private final SecureRandom random = new SecureRandom();

  private DiscordEmulator(Clock clock, VoiceService voice, Duration interactionDeadline, int port) {
    this.world = new World(clock, Optional.ofNullable(voice), interactionDeadline);
    this.gateway = new Gateway(world);
    this.oauth2 = new OAuth2(world);
    this.rest = new Rest(world, gateway, oauth2);
    this.server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(world.json, false));
      config.routes.ws("/gateway", gateway::configure);
      rest.routes(config.routes);
      oauth2.routes(config.routes);
      new ControlApi(this, world).routes(config.routes);
      config.routes.exception(ControlApi.BadRequest.class, (e, ctx) ->
          ctx.status(400).json(Map.of("error", e.getMessage())));
      config.routes.exception(ControlApi.Forbidden.class, (e, ctx) ->
          ctx.status(403).json(Map.of("error", e.getMessage())));
      config.routes.exception(World.NotFound.class, (e, ctx) -> ctx.status(404).json(
          ctx.path().startsWith(ControlApi.PREFIX) ? Map.of("error", e.getMessage())
              : Map.of("code", 10003, "message", e.getMessage())));
      config.routes.exception(OAuth2.OAuthError.class, (e, ctx) -> ctx.status(e.status).json(e.body()));
      config.routes.exception(Rest.DiscordError.class, (e, ctx) -> ctx.status(e.status).json(e.body()));
      config.routes.exception(IllegalArgumentException.class, (e, ctx) -> ctx.status(400).json(
          ctx.path().startsWith(ControlApi.PREFIX) ? Map.of("error", e.getMessage())
              : Map.of("code", 50035, "message", "Invalid Form Body: " + e.getMessage())));
      // An unknown route: Discord's JSON 404, not the web server's page.
      config.routes.exception(EndpointNotFound.class, (e, ctx) -> ctx.status(404).json(
          ctx.path().startsWith(ControlApi.PREFIX) ? Map.of("error", "no route " + ctx.method() + " " + ctx.path())
              : Map.of("message", "404: Not Found", "code", 0)));
      config.routes.exception(Rest.Unauthorized.class, (e, ctx) ->
          ctx.status(401).json(Map.of("code", 0, "message", "401: Unauthorized")));
      config.routes.exception(NumberFormatException.class, (e, ctx) ->
          ctx.status(400).json(Map.of("code", 50035, "message", "Invalid Form Body: " + e.getMessage())));
      config.routes.exception(JsonProcessingException.class, (e, ctx) -> ctx.status(400).json(
          ctx.path().startsWith(ControlApi.PREFIX) ? Map.of("error", "the body is not valid JSON")
              : Map.of("code", 50109, "message", "The request body contains invalid JSON.")));
    });
    server.start("127.0.0.1", port);
    gateway.url = "ws://127.0.0.1:" + server.port() + "/gateway";
  }

  /** Starts an emulator on the system clock, without voice. */
  public static DiscordEmulator start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for {@link #start()}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private VoiceService voice;
    private Duration interactionDeadline = Duration.ofSeconds(3);
    private int port;

    private Builder() {}

    /**
     * The port REST and the gateway listen on (default 0: a free one): a bot process started before the
     * emulator, pointed at this port, reaches it once it is up.
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("a port is 0 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * How long a bot has to acknowledge an interaction before it expires (Discord: 3 seconds, the
     * default), measured on the {@link #clock}: with a test clock, advance it past the deadline instead of
     * sleeping.
     */
    public Builder interactionDeadline(Duration deadline) {
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("interactionDeadline must be positive, was " + deadline);
      }
      this.interactionDeadline = deadline;
      return this;
    }

    /** The clock for snowflakes and timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The voice side; without one, bots can join voice channels but no voice server is offered. */
    public Builder voice(VoiceService voice) {
      this.voice = Objects.requireNonNull(voice, "voice");
      return this;
    }

    public DiscordEmulator start() {
      return new DiscordEmulator(clock, voice, interactionDeadline, port);
    }
  }

  /** The port REST and the gateway listen on. */
  public int port() {
    return server.port();
  }

  /** The REST base URL, for JDA's {@link RestConfig#setBaseUrl}. */
  public String restUrl() {
    return "http://127.0.0.1:" + port() + Rest.PREFIX + "/";
  }

  public String gatewayUrl() {
    return gateway.url;
  }

  /**
   * Points a JDA builder at this emulator: REST base URL, gateway URL without the 5 s identify delay,
   * uncompressed gateway, and TLS trust for the voice WebSocket when there is a voice side.
   */
  public JDABuilder configure(JDABuilder builder) {
    builder.setRestConfig(restConfig()).setSessionController(sessionController()).setCompression(Compression.NONE);
    voiceSocketFactory().ifPresent(builder::setWebsocketFactory);
    return builder;
  }

  /**
   * Points a shard manager builder at this emulator, as {@link #configure(JDABuilder)} does. Guilds are
   * routed to shards as Discord does: {@code (guild_id >> 22) % shards}.
   */
  public DefaultShardManagerBuilder configure(DefaultShardManagerBuilder builder) {
    builder.setRestConfig(restConfig()).setSessionController(sessionController()).setCompression(Compression.NONE);
    voiceSocketFactory().ifPresent(builder::setWebsocketFactory);
    return builder;
  }

  /**
   * Points a shard manager builder at an emulator running in another process, at {@code base}
   * ({@code http://127.0.0.1:PORT}, what {@link Standalone} prints): REST under {@code /api/v10}, the gateway
   * at {@code /gateway}, and trust for the voice server's certificate.
   *
   * @throws IllegalArgumentException when {@code base} is not an {@code http} URL with a host and a port
   */
  public static DefaultShardManagerBuilder configureRemote(DefaultShardManagerBuilder builder, URI base) {
    if (!"http".equals(base.getScheme()) || base.getHost() == null || base.getPort() < 0) {
      throw new IllegalArgumentException("an emulator's address is http://HOST:PORT, not " + base);
    }
    String hostPort = base.getHost() + ":" + base.getPort();
    builder.setRestConfig(new RestConfig().setBaseUrl("http://" + hostPort + Rest.PREFIX + "/"))
        .setSessionController(new LocalSessionController("ws://" + hostPort + "/gateway"))
        .setCompression(Compression.NONE)
        .setWebsocketFactory(new WebSocketFactory().setSSLContext(VoiceServer.trustingClientSslContext())
            .setVerifyHostname(false));
    return builder;
  }

  private RestConfig restConfig() {
    return new RestConfig().setBaseUrl(restUrl());
  }

  private SessionControllerAdapter sessionController() {
    return new LocalSessionController(gateway.url);
  }

  /** JDA copies this factory for the main and the voice socket; only the voice socket is TLS here. */
  private Optional<WebSocketFactory> voiceSocketFactory() {
    return world.voice.map(voice -> new WebSocketFactory().setSSLContext(voice.clientSslContext()).setVerifyHostname(false));
  }

  /** JDA's session controller, with the local gateway and no delay between identifies. */
  private static final class LocalSessionController extends SessionControllerAdapter {
    private final String gatewayUrl;

    LocalSessionController(String gatewayUrl) {
      this.gatewayUrl = gatewayUrl;
    }

    @NotNull
    @Override
    public String getGateway() {
      return gatewayUrl;
    }

    @Override
    protected void runWorker() {
      synchronized (lock) {
        if (workerHandle == null) {
          workerHandle = new QueueWorker(0L);
          workerHandle.start();
        }
      }
    }
  }

  // ---- the world

  /** The world, for handles on what a world description made (package-private: tests and the control API). */
  World world() {
    return world;
  }

  public GuildHandle createGuild(String name) {
    synchronized (world) {
      long ownerId = world.ids.next();
      world.accounts.put(ownerId, new Model.Account(ownerId, name + " owner", false, "", 0));
      long id = world.ids.next();
      Model.Guild guild = new Model.Guild(id, name, ownerId);
      guild.roles.put(id, new Model.Role(id, "@everyone", GuildHandle.ADMINISTRATOR, 0));
      guild.members.put(ownerId, new Model.Member(ownerId, Instant.ofEpochMilli(world.clock.millis())));
      world.guilds.put(id, guild);
      return new GuildHandle(world, id, name);
    }
  }

  /** A bot whose application has every privileged intent enabled (as most test bots need). */
  public BotAccount createBot(String name) {
    return createBot(name, EnumSet.allOf(PrivilegedIntent.class));
  }

  /**
   * A bot whose application has only these privileged intents enabled: a session that identifies with
   * another one is closed with 4014 "Disallowed intent(s)", as on Discord.
   */
  public BotAccount createBot(String name, Set<PrivilegedIntent> enabled) {
    synchronized (world) {
      long id = world.ids.next();
      return addBot(id, name, Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(id).getBytes()) + "."
          + randomPart(), PrivilegedIntent.bits(enabled));
    }
  }

  /** A bot with a token chosen beforehand: for a bot process configured before this emulator started. */
  public BotAccount createBot(String name, String token) {
    synchronized (world) {
      if (world.byToken(token).isPresent()) {
        throw new IllegalArgumentException("another bot has this token");
      }
      return addBot(world.ids.next(), name, token, PrivilegedIntent.bits(EnumSet.allOf(PrivilegedIntent.class)));
    }
  }

  private BotAccount addBot(long id, String name, String token, long privilegedIntents) {
    world.accounts.put(id, new Model.Account(id, name, true, token, id, privilegedIntents));
    return new BotAccount(id, name, token, id);
  }

  public UserHandle createUser(String name) {
    synchronized (world) {
      long id = world.ids.next();
      world.accounts.put(id, new Model.Account(id, name, false, "", 0));
      return new UserHandle(world, id, name);
    }
  }

  private String randomPart() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // ---- observation

  /**
   * Registers the bot's application as an OAuth2 client (Login with Discord) with these redirect URIs, as its
   * Developer Portal page does. The first call makes the client secret; later calls keep it and replace the URIs. People then authorize it on the consent page
   * at {@code /oauth2/authorize}, and it exchanges codes at {@code /api/v10/oauth2/token}.
   */
  public OAuth2Client registerOAuth2(BotAccount bot, String... redirectUris) {
    if (redirectUris.length == 0) {
      throw new IllegalArgumentException("an OAuth2 client needs at least one redirect URI");
    }
    OAuth2.App app = oauth2.register(bot.applicationId(), List.of(redirectUris));
    return new OAuth2Client(app.clientId(), app.secret(), app.redirectUris());
  }

  /** Messages posted in a channel, oldest first. */
  public List<SentMessage> messages(long channelId) {
    synchronized (world) {
      return world.messages.getOrDefault(channelId, List.of()).stream().map(world::view).toList();
    }
  }

  /** Names of the bot's registered commands: global ones, or those of {@code guildId}. */
  public List<String> commandNames(BotAccount bot, Long guildId) {
    synchronized (world) {
      return world.commands.values().stream()
          .filter(c -> c.applicationId == bot.applicationId() && Objects.equals(c.guildId, guildId))
          .map(c -> c.definition.path("name").asText()).toList();
    }
  }

  /** The voice channel a user or bot is in, if any. */
  public Optional<Long> voiceChannelOf(GuildHandle guild, long userId) {
    synchronized (world) {
      return Optional.ofNullable(world.guild(guild.id()).voice.get(userId));
    }
  }

  /** The voice connections the voice side observed (empty without one). */
  public List<VoiceConnectionSnapshot> voiceConnections() {
    return world.voice.map(VoiceService::connections).orElse(List.of());
  }

  /** What the voice side decoded of a connection: 48 kHz, 16-bit, interleaved stereo. */
  public Optional<short[]> voicePcm(long connectionId) {
    return world.voice.flatMap(voice -> voice.pcm(connectionId));
  }

  /** The Opus frames a connection sent, as sent, in arrival order (see {@link VoiceService#opusFrames}). */
  public Optional<List<byte[]>> voiceOpusFrames(long connectionId) {
    return world.voice.flatMap(voice -> voice.opusFrames(connectionId));
  }

  /**
   * How loud a voice connection is now: the level of its last 100 ms in dBFS, or empty when it is closed
   * or silent (between tracks, paused). The panel at {@code /_emulator/panel} shows it as a meter.
   */
  public OptionalDouble voiceLevel(long connectionId) {
    return world.voice.map(voice -> voice.level(connectionId, Duration.ofMillis(100)))
        .orElse(OptionalDouble.empty());
  }

  /** Fault: drops the bot's voice connection in a guild, as a lost connection (JDA resumes it). */
  public boolean dropVoiceConnection(GuildHandle guild, BotAccount bot) {
    return world.voice.map(voice -> voice.dropConnection(guild.id(), bot.id())).orElse(false);
  }

  /** Bots' voice state updates Discord ignored (no View Channel or Connect), oldest first. */
  public List<IgnoredVoiceRequest> ignoredVoiceRequests() {
    return List.copyOf(world.ignoredVoiceRequests);
  }

  /**
   * The bot's voice server moves, as when Discord rebalances voice: a new VOICE_SERVER_UPDATE with a new
   * token mid-connection, for the channel the bot is in; JDA opens a new voice connection.
   *
   * @throws IllegalStateException if there is no voice side or the bot is not in a voice channel
   */
  public void moveVoiceServer(GuildHandle guild, BotAccount bot) {
    synchronized (world) {
      Model.Guild g = world.guild(guild.id());
      Long channel = g.voice.get(bot.id());
      if (world.voice.isEmpty() || channel == null) {
        throw new IllegalStateException(bot.name() + " is not connected to voice in " + guild.name()
            + (world.voice.isEmpty() ? " (the emulator has no voice side)" : ""));
      }
      world.sendVoiceServer(g, bot.id(), channel);
    }
  }

  // ---- faults

  /** Closes the bot's gateway connection with {@code code} (4000 and most 1xxx: JDA resumes). */
  public void closeGateway(BotAccount bot, int code) {
    gateway.close(bot.id(), code);
  }

  /** Whether the bot has an identified gateway connection now. */
  public boolean gatewayConnected(BotAccount bot) {
    return gateway.connected(bot.id());
  }

  /** Sends op 7 RECONNECT: JDA reconnects and resumes. */
  public void requestReconnect(BotAccount bot) {
    gateway.reconnect(bot.id());
  }

  /** Sends op 9 INVALID_SESSION; with {@code resumable} false, JDA identifies anew. */
  public void invalidateSession(BotAccount bot, boolean resumable) {
    gateway.invalidate(bot.id(), resumable);
  }

  /**
   * Makes REST requests whose method and path (after {@code /api/v10}, e.g. {@code /channels/\d+/messages})
   * match fail {@code times} times with {@code status}: 429 (with Retry-After), 403 (Missing Permissions)
   * or any other.
   */
  public void failRoute(String method, String pathRegex, int status, int times) {
    rest.failRoute(method, pathRegex, status, times);
  }

  /** How many REST requests were answered with a fault of {@link #failRoute} so far. */
  public int restFaultsServed() {
    return rest.faultsServed.get();
  }

  @Override
  public void close() {
    gateway.closeAll();
    server.stop();
    world.voice.ifPresent(VoiceService::close);
  }
}
