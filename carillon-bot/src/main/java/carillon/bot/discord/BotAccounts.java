package carillon.bot.discord;

import carillon.bot.config.Secret;
import carillon.bot.config.Setting;
import carillon.tasks.Backoff;
import carillon.tasks.TaskGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.audio.AudioModuleConfig;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.events.guild.voice.GuildVoiceUpdateEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.requests.CloseCode;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.utils.MemberCachePolicy;
import net.dv8tion.jda.api.utils.cache.CacheFlag;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot accounts one process runs, each a JDA ShardManager (with one shard unless configured with more). All log
 * in together; one that fails (a refused token, a fatal close code, no READY in time) is reported in one
 * line and the others go on. An account Discord closes for good later is reported too, and when the last
 * one has closed, {@link #allClosed()} completes so that the process can end.
 */
public final class BotAccounts implements AutoCloseable {
  /** Room for the guild names in the shutdown line about unconfirmed voice leaves, in characters. */
  private static final int UNCONFIRMED_NAMES = 200;

  private static final Logger log = LoggerFactory.getLogger(BotAccounts.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

  /** One account to log in: its name in Carillon, its token, and its shard count. */
  public record Login(String name, Secret token, int shards) {}

  /**
   * Points JDA at a Discord: {@link #discord} for Discord itself; the demo and the tests point builders at
   * carillon-emulator ({@code emulator::configure}).
   */
  @FunctionalInterface
  public interface Endpoint {
    DefaultShardManagerBuilder configure(DefaultShardManagerBuilder builder);

    /** Discord itself, with DAVE voice encryption where this machine supports it. */
    static Endpoint discord(DaveSupport dave) {
      var audio = new AudioModuleConfig();
      if (dave instanceof DaveSupport.Available available) {
        audio = audio.withDaveSessionFactory(available.factory());
      }
      var config = audio;
      return builder -> builder.setAudioModuleConfig(config);
    }
  }

  /** Follows one account's shards: ready when every shard is, closed when every shard has shut down. */
  private final class Lifecycle extends ListenerAdapter {
    final String name;
    /** How many shards this process runs of the account now (the cluster's share; all of them alone). */
    final AtomicInteger shards;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final AtomicInteger readyShards = new AtomicInteger();
    final Set<Integer> shutDownShards = ConcurrentHashMap.newKeySet();
    /** Shards stopped on purpose (they moved to another process): their shutdown is not a failure. */
    final Set<Integer> stopped = ConcurrentHashMap.newKeySet();

    Lifecycle(String name, int shards) {
      this.name = name;
      this.shards = new AtomicInteger(shards);
      if (shards == 0) {
        ready.complete(null); // this process holds none of its shards now
      }
    }

    @Override
    public void onReady(ReadyEvent event) {
      shutDownShards.remove(event.getJDA().getShardInfo().getShardId());
      if (readyShards.incrementAndGet() >= shards.get()) {
        ready.complete(null);
      }
    }

    @Override
    public void onShutdown(ShutdownEvent event) {
      int shard = event.getJDA().getShardInfo().getShardId();
      if (stopped.remove(shard)) {
        return;
      }
      String why = describe(event.getCloseCode(), event.getCode());
      if (!ready.isDone()) {
        ready.completeExceptionally(new LoginFailure(why));
        return;
      }
      shutDownShards.add(shard);
      if (shutDownShards.size() >= shards.get()) {
        closed(name, why);
      }
    }
  }

  /** Why an account could not log in, in words. */
  private static final class LoginFailure extends Exception {
    LoginFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** The first retry of an unreachable Discord waits about this long; each next one doubles, up to {@link #MAX_RETRY}. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(60);

  private final Map<String, ShardManager> live = new ConcurrentHashMap<>();
  /** Every account built (logged in or trying), by name; iterate {@link #configured} for their order. */
  private final Map<String, ShardManager> all = new ConcurrentHashMap<>();
  /** Every configured account, in order, to why it is not logged in (absent: it is). */
  private final Map<String, String> down = new ConcurrentHashMap<>();
  private final List<String> configured = new CopyOnWriteArrayList<>();
  /** Accounts that could not reach Discord and are being retried. */
  private final Set<String> retrying = ConcurrentHashMap.newKeySet();
  /** Listeners of every account ({@link #listen}), also given to an account that connects late. */
  private final List<Object> shared = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
  /** Counted down by {@link #close()}: ends the retries' waits at once. */
  private final CountDownLatch stopRetrying = new CountDownLatch(1);
  private final TaskGroup logins = TaskGroup.create("bot account logins");
  private final Endpoint endpoint;
  private final Function<String, List<Object>> listeners;
  private final Duration readyTimeout;
  private final Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
  /** The shard ids this process connects (null: all); changed by {@link #startShards} and {@link #stopShards}. */
  private final Set<Integer> shardIds;
  private final Map<String, Lifecycle> lifecycles = new ConcurrentHashMap<>();
  private volatile CommandData guildCommand;
  private volatile boolean closing;

  private BotAccounts(Endpoint endpoint, Function<String, List<Object>> listeners, Duration readyTimeout,
      Set<Integer> shardIds) {
    this.shardIds = shardIds == null ? null : ConcurrentHashMap.newKeySet();
    if (shardIds != null) {
      this.shardIds.addAll(shardIds);
    }
    this.endpoint = endpoint;
    this.listeners = listeners;
    this.readyTimeout = readyTimeout;
  }

  /**
   * Logs every account in and waits up to {@code readyTimeout} for each to be ready. {@code listeners}
   * gives each account's own event listeners (by account name). An account that cannot reach Discord (a
   * network error) is retried in the background with backoff ({@link #FIRST_RETRY} doubling to
   * {@link #MAX_RETRY}), logged once when it starts failing, when the reason changes and when it connects;
   * a refused token or a fatal close code is given up at once. The others go on either way.
   *
   * @return the accounts; those that failed for good are left out, each reported in the log
   */
  public static BotAccounts login(List<Login> logins, Endpoint endpoint, Function<String, List<Object>> listeners,
      Duration readyTimeout) throws InterruptedException {
    return login(logins, endpoint, listeners, readyTimeout, null);
  }

  /**
   * As {@link #login(List, Endpoint, Function, Duration)}, connecting only the shards {@code shardIds} of
   * every account (this process's share of a cluster, {@code cluster.ShardOwnership}); null for all.
   */
  public static BotAccounts login(List<Login> logins, Endpoint endpoint, Function<String, List<Object>> listeners,
      Duration readyTimeout, Set<Integer> shardIds) throws InterruptedException {
    BotAccounts accounts = new BotAccounts(endpoint, listeners, readyTimeout, shardIds);
    logins.forEach(login -> accounts.configured.add(login.name()));
    Map<String, Lifecycle> started = new LinkedHashMap<>();
    for (Login login : logins) {
      try {
        started.put(login.name(), accounts.build(login));
      } catch (InvalidTokenException e) {
        accounts.refused(login);
      } catch (RuntimeException e) {
        accounts.retry(login, unreachable(e).orElseThrow(() -> e));
      }
    }
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    for (var entry : started.entrySet()) {
      accounts.awaitReady(entry.getKey(), entry.getValue(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    accounts.endIfNoneLeft();
    return accounts;
  }

  /** Builds an account's ShardManager; JDA logs in as it builds. */
  private Lifecycle build(Login login) {
    Set<Integer> connecting = shardIds == null ? null : Set.copyOf(shardIds);
    Lifecycle lifecycle = new Lifecycle(login.name(), connecting == null ? login.shards() : connecting.size());
    lifecycles.put(login.name(), lifecycle);
    List<Object> listening = new ArrayList<>(listeners.apply(login.name()));
    listening.add(lifecycle);
    // One shard is a ShardManager too: one type for every account, and JDA builds the first shard
    // before build() returns, so a refused token is reported here either way.
    ShardManager connection = endpoint.configure(DefaultShardManagerBuilder.createDefault(login.token().value())
            .enableIntents(GatewayIntent.GUILD_VOICE_STATES, GatewayIntent.SCHEDULED_EVENTS)
            // Who is in which voice channel: presence policies count the members there (JDA caches
            // members in voice with this policy, and their voice states with this flag).
            .enableCache(CacheFlag.VOICE_STATE)
            // Scheduled events people delete or end in Discord are noticed (carillon.bot.events): JDA
            // reports them only with this cache.
            .enableCache(CacheFlag.SCHEDULED_EVENTS)
            .setMemberCachePolicy(MemberCachePolicy.VOICE.or(MemberCachePolicy.OWNER))
            .setShardsTotal(login.shards())
            .setShards(connecting == null ? allShards(login.shards()) : connecting))
        // JDA's login connects shard 0 when given no shards (DefaultShardManager#login builds the first queued
        // shard, or shard 0 if none is): a process that holds none of the shards now must not log in at all,
        // or it would take shard 0's events (slash commands) beside the process that holds it. The shards it
        // takes later are connected by startShards.
        .addEventListeners(listening.toArray()).build(connecting == null || !connecting.isEmpty());
    all.put(login.name(), connection);
    if (closing) {
      shutdownNow(connection); // built while Carillon was shutting down
    }
    return lifecycle;
  }

  private static Set<Integer> allShards(int count) {
    Set<Integer> all = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      all.add(i);
    }
    return all;
  }

  /**
   * Connects these shards of every account too (their guilds are this process's now). The shards come up
   * in the background; their guilds appear as each shard is ready.
   */
  public void startShards(Set<Integer> ids) {
    if (shardIds == null) {
      return;
    }
    shardIds.addAll(ids);
    for (var entry : all.entrySet()) {
      Lifecycle lifecycle = lifecycles.get(entry.getKey());
      for (int id : ids) {
        lifecycle.stopped.remove(id);
        lifecycle.shards.incrementAndGet();
        entry.getValue().start(id);
      }
    }
    log.info("Bot accounts: connecting shard(s) {}", ids);
  }

  /** Disconnects these shards of every account (another process holds them now). */
  public void stopShards(Set<Integer> ids) {
    if (shardIds == null) {
      return;
    }
    shardIds.removeAll(ids);
    for (var entry : all.entrySet()) {
      Lifecycle lifecycle = lifecycles.get(entry.getKey());
      for (int id : ids) {
        if (entry.getValue().getShardById(id) != null) {
          lifecycle.stopped.add(id);
          lifecycle.shards.decrementAndGet();
          entry.getValue().shutdown(id);
        }
      }
    }
    log.info("Bot accounts: disconnected shard(s) {}", ids);
  }

  /** Waits for READY; true when the account is now logged in. */
  private boolean awaitReady(String name, Lifecycle lifecycle, Duration timeout) throws InterruptedException {
    ShardManager connection = all.get(name);
    try {
      lifecycle.ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      synchronized (this) {
        shared.forEach(connection::addEventListener);
        live.put(name, connection);
        down.remove(name);
      }
      log.info("Bot account '{}' is connected to {} guild(s)", name, connection.getGuilds().size());
      return true;
    } catch (ExecutionException e) {
      log.error("Bot account '{}' could not log in: {}", name, e.getCause().getMessage());
      down.put(name, "could not log in: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      log.error("Bot account '{}' could not log in: Discord did not send READY within {} s", name, timeout.toSeconds());
      down.put(name, "could not log in: no READY within " + timeout.toSeconds() + " s");
      shutdownNow(connection);
    }
    return false;
  }

  private void refused(Login login) {
    log.error("Bot account '{}' could not log in: Discord refused its token; check {}", login.name(),
        Setting.variableOf("accounts." + login.name() + ".token"));
    down.put(login.name(), "could not log in: Discord refused its token");
  }

  /** The network error under {@code e}, if it is one (Discord unreachable), in words. */
  private static Optional<String> unreachable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io) {
        return Optional.of(io.getClass().getSimpleName() + (io.getMessage() == null ? "" : ": " + io.getMessage()));
      }
    }
    return Optional.empty();
  }

  /** Retries an account that could not reach Discord, in the background, until it connects or fails for good. */
  private void retry(Login login, String why) {
    String name = login.name();
    retrying.add(name);
    down.put(name, "cannot reach Discord (" + why + "); retrying");
    log.warn("Bot account '{}' cannot reach Discord ({}); retrying with backoff from {} s up to {} s", name, why,
        FIRST_RETRY.toSeconds(), MAX_RETRY.toSeconds());
    logins.spawn("log in '" + name + "'", () -> {
      String last = why;
      try {
        for (int attempt = 1; !stopRetrying.await(backoff.delay(attempt).toNanos(), TimeUnit.NANOSECONDS); attempt++) {
          try {
            if (awaitReady(name, build(login), readyTimeout)) {
              if (guildCommand != null) {
                registerGuildCommand(guildCommand);
              }
            }
            return; // connected, or failed for good (logged)
          } catch (InvalidTokenException e) {
            refused(login);
            return;
          } catch (RuntimeException e) {
            String now = unreachable(e).orElseThrow(() -> e);
            down.put(name, "cannot reach Discord (" + now + "); retrying");
            // A new kind of failure is news; the same one worded differently (DNS errors alternate) is not.
            if (!kind(now).equals(kind(last))) {
              log.warn("Bot account '{}' still cannot reach Discord, now: {}", name, now);
              last = now;
            }
          }
        }
      } finally {
        retrying.remove(name);
        endIfNoneLeft();
      }
    });
  }

  /** The exception's class in a reason such as "UnknownHostException: discord.com". */
  private static String kind(String why) {
    int colon = why.indexOf(':');
    return colon < 0 ? why : why.substring(0, colon);
  }

  /** Completes {@link #allClosed()} when no account is logged in and none is being retried. */
  private void endIfNoneLeft() {
    if (live.isEmpty() && retrying.isEmpty()) {
      allClosed.complete(null);
    }
  }

  /** Whether an account is logged in or may still log in (being retried). */
  public boolean anyMayConnect() {
    return !live.isEmpty() || !retrying.isEmpty();
  }

  private static String describe(CloseCode code, int raw) {
    if (code == null) {
      return raw == 1000 ? "the connection was closed" : "the connection was closed with code " + raw;
    }
    return "Discord closed the connection with " + code.getCode() + " (" + code.getMeaning() + ")";
  }

  private void closed(String name, String why) {
    if (live.remove(name) == null) {
      return;
    }
    down.put(name, "disconnected for good: " + why);
    if (!closing) {
      log.error("Bot account '{}' is disconnected for good: {}", name, why);
    }
    endIfNoneLeft();
  }

  /**
   * Every configured account, in configuration order, to why its gateway is not connected: not logged in
   * (and why), or a shard that is not CONNECTED (reconnecting, say); empty when every shard is connected.
   */
  public Map<String, Optional<String>> gateways() {
    Map<String, Optional<String>> states = new LinkedHashMap<>();
    for (String name : configured) {
      ShardManager connection = live.get(name);
      if (connection == null) {
        states.put(name, Optional.of(down.getOrDefault(name, "not logged in")));
        continue;
      }
      Optional<String> problem = connection.getShardCache().stream()
          .filter(shard -> shard.getStatus() != JDA.Status.CONNECTED)
          .map(shard -> "shard " + shard.getShardInfo().getShardId() + " is " + shard.getStatus())
          .reduce((a, b) -> a + ", " + b);
      states.put(name, problem);
    }
    return states;
  }

  /** Whether every logged-in account has these shards connected. */
  public boolean connected(Set<Integer> shards) {
    for (ShardManager connection : live.values()) {
      for (int id : shards) {
        JDA shard = connection.getShardById(id);
        if (shard == null || shard.getStatus() != JDA.Status.CONNECTED) {
          return false;
        }
      }
    }
    return true;
  }

  /** The names of the accounts that are logged in. */
  public Collection<String> names() {
    return List.copyOf(live.keySet());
  }

  /**
   * The average gateway heartbeat round trip of a logged-in account, in milliseconds, as JDA measures it
   * (-1 before the first heartbeat); empty when the account is not logged in.
   */
  public OptionalDouble gatewayPingMillis(String account) {
    ShardManager connection = live.get(account);
    return connection == null ? OptionalDouble.empty() : OptionalDouble.of(connection.getAverageGatewayPing());
  }

  /** The guild as {@code account} sees it, if that account is logged in and in the guild. */
  public Optional<Guild> guild(String account, long guildId) {
    ShardManager connection = live.get(account);
    return connection == null ? Optional.empty() : Optional.ofNullable(connection.getGuildById(guildId));
  }

  /** A text channel as the first logged-in account that sees it does. */
  public Optional<TextChannel> textChannel(long channelId) {
    for (String name : configured) {
      ShardManager connection = live.get(name);
      Optional<TextChannel> channel = connection == null ? Optional.empty()
          : Optional.ofNullable(connection.getTextChannelById(channelId));
      if (channel.isPresent()) {
        return channel;
      }
    }
    return Optional.empty();
  }

  /** The first logged-in account, in configuration order, that is in the guild: it answers /carillon there. */
  public Optional<String> primaryIn(long guildId) {
    for (String name : configured) {
      ShardManager connection = live.get(name);
      if (connection != null && connection.getGuildById(guildId) != null) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /**
   * Registers {@code command} in every guild with that guild's {@link #primaryIn primary} account, and
   * clears it from the other accounts there, so that members see one /carillon per server.
   */
  public void registerGuildCommand(CommandData command) {
    guildCommand = command; // an account that connects late registers it too
    for (String name : configured) {
      ShardManager connection = live.get(name);
      if (connection == null) {
        continue;
      }
      for (Guild guild : connection.getGuilds()) {
        boolean primary = primaryIn(guild.getIdLong()).filter(name::equals).isPresent();
        var update = guild.updateCommands();
        (primary ? update.addCommands(command) : update).queue(null,
            e -> log.warn("Could not register /{} in '{}' for account '{}': {}", command.getName(), guild.getName(),
                name, e.getMessage()));
      }
    }
  }

  /** Adds an event listener to every logged-in account. */
  public synchronized void listen(Object listener) {
    shared.add(listener);
    live.values().forEach(connection -> connection.addEventListener(listener));
  }

  /** Completes when no account is logged in any more (or none ever was). */
  public CompletableFuture<Void> allClosed() {
    return allClosed;
  }

  /**
   * Leaves every voice channel a logged-in account is in and waits up to {@code timeout} until Discord
   * confirms each (the bot's VOICE_STATE_UPDATE without a channel): a gateway closed right after a leave
   * would leave the bot shown in the channel. Guilds still not confirmed are named in the log.
   */
  public void leaveVoice(Duration timeout) {
    Map<Long, CompletableFuture<Void>> leaving = new ConcurrentHashMap<>();
    List<Guild> inVoice = new ArrayList<>();
    ListenerAdapter confirm = new ListenerAdapter() {
      @Override
      public void onGuildVoiceUpdate(GuildVoiceUpdateEvent event) {
        if (event.getChannelJoined() == null && event.getMember().equals(event.getGuild().getSelfMember())) {
          CompletableFuture<Void> left = leaving.get(event.getGuild().getIdLong());
          if (left != null) {
            left.complete(null);
          }
        }
      }
    };
    for (ShardManager connection : live.values()) {
      connection.addEventListener(confirm);
      for (Guild guild : connection.getGuilds()) {
        var state = guild.getSelfMember().getVoiceState();
        if (state != null && state.inAudioChannel()) {
          leaving.put(guild.getIdLong(), new CompletableFuture<>());
          inVoice.add(guild);
        }
      }
    }
    try {
      for (Guild guild : inVoice) {
        var state = guild.getSelfMember().getVoiceState();
        if (state == null || !state.inAudioChannel()) {
          leaving.get(guild.getIdLong()).complete(null); // left between the look and now
        } else {
          guild.getAudioManager().closeAudioConnection();
        }
      }
      CompletableFuture.allOf(leaving.values().toArray(CompletableFuture[]::new))
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // One line, whatever the count: with hundreds of guilds the leaves queue behind Discord's 120 gateway
      // commands a minute per shard. The gateway's close ends the voice states that are left.
      List<String> unconfirmed = inVoice.stream().filter(g -> !leaving.get(g.getIdLong()).isDone())
          .map(g -> "'" + g.getName() + "'").toList();
      log.warn("Discord did not confirm that the bot left voice in {} guild(s) within {} ms: {}", unconfirmed.size(),
          timeout.toMillis(), DiscordLimits.list(unconfirmed, ", ", UNCONFIRMED_NAMES, n -> "and " + n + " more"));
    } catch (ExecutionException e) {
      throw new IllegalStateException("a voice leave failed", e.getCause()); // completed only normally: a bug
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      live.values().forEach(connection -> connection.removeEventListener(confirm));
    }
  }

  /** Closes every account, waiting a few seconds for each, then forcing. */
  @Override
  public void close() {
    closing = true;
    stopRetrying.countDown();
    logins.shutdown(SHUTDOWN_WAIT).notEnded().forEach(task -> log.warn("Still logging in at shutdown: {}", task.name()));
    all.values().forEach(BotAccounts::shutdown);
    for (ShardManager connection : all.values()) {
      try {
        if (!awaitShutdown(connection, SHUTDOWN_WAIT)) {
          shutdownNow(connection);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        shutdownNow(connection);
      }
    }
    live.clear();
    allClosed.complete(null);
  }

  /** Waits for every shard to shut down; false when {@code timeout} ran out first. */
  private static boolean awaitShutdown(ShardManager shards, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (JDA shard : shards.getShardCache()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !shard.awaitShutdown(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Shuts the shards down, then their manager. JDA's DefaultShardManager.shutdown() shuts its shared gateway pool
   * at once but its shards later, on another thread: a shard still CONNECTED whose gateway sender then asks the
   * closed pool for its next turn logs "Was unable to schedule next packet" at ERROR. A shard shutting down first
   * (its status set before this returns) takes that refusal as the shutdown it is, at DEBUG.
   */
  private static void shutdown(ShardManager shards) {
    shards.getShardCache().forEach(JDA::shutdown);
    shards.shutdown();
  }

  private static void shutdownNow(ShardManager shards) {
    shards.getShardCache().forEach(JDA::shutdownNow);
  }
}
