package carillon.bot.discord;

import carillon.bot.config.Secret;
import carillon.bot.config.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.audio.AudioModuleConfig;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.requests.CloseCode;
import net.dv8tion.jda.api.requests.GatewayIntent;
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
    final int shards;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final AtomicInteger readyShards = new AtomicInteger();
    final Set<Integer> shutDownShards = ConcurrentHashMap.newKeySet();

    Lifecycle(String name, int shards) {
      this.name = name;
      this.shards = shards;
    }

    @Override
    public void onReady(ReadyEvent event) {
      if (readyShards.incrementAndGet() >= shards) {
        ready.complete(null);
      }
    }

    @Override
    public void onShutdown(ShutdownEvent event) {
      String why = describe(event.getCloseCode(), event.getCode());
      if (!ready.isDone()) {
        ready.completeExceptionally(new LoginFailure(why));
        return;
      }
      shutDownShards.add(event.getJDA().getShardInfo().getShardId());
      if (shutDownShards.size() >= shards) {
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

  private final Map<String, ShardManager> live = new ConcurrentHashMap<>();
  private final Map<String, ShardManager> all = new LinkedHashMap<>();
  private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
  private volatile boolean closing;

  private BotAccounts() {}

  /**
   * Logs every account in and waits up to {@code readyTimeout} for each to be ready. {@code listeners}
   * gives each account's own event listeners (by account name).
   *
   * @return the accounts; those that failed are left out, each reported in the log
   */
  public static BotAccounts login(List<Login> logins, Endpoint endpoint, Function<String, List<Object>> listeners,
      Duration readyTimeout) throws InterruptedException {
    BotAccounts accounts = new BotAccounts();
    Map<String, Lifecycle> started = new LinkedHashMap<>();
    for (Login login : logins) {
      Lifecycle lifecycle = accounts.new Lifecycle(login.name(), login.shards());
      List<Object> listening = new ArrayList<>(listeners.apply(login.name()));
      listening.add(lifecycle);
      try {
        // One shard is a ShardManager too: one type for every account, and JDA builds the first shard
        // before build() returns, so a refused token is reported here either way.
        ShardManager connection = endpoint.configure(DefaultShardManagerBuilder.createDefault(login.token().value())
                .enableIntents(GatewayIntent.GUILD_VOICE_STATES).setShardsTotal(login.shards()))
            .addEventListeners(listening.toArray()).build();
        accounts.all.put(login.name(), connection);
        started.put(login.name(), lifecycle);
      } catch (InvalidTokenException e) {
        log.error("Bot account '{}' could not log in: Discord refused its token; check {}", login.name(),
            Setting.variableOf("accounts." + login.name() + ".token"));
      }
    }
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    for (var entry : started.entrySet()) {
      String name = entry.getKey();
      ShardManager connection = accounts.all.get(name);
      try {
        entry.getValue().ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        accounts.live.put(name, connection);
        log.info("Bot account '{}' is connected to {} guild(s)", name, connection.getGuilds().size());
      } catch (ExecutionException e) {
        log.error("Bot account '{}' could not log in: {}", name, e.getCause().getMessage());
      } catch (TimeoutException e) {
        log.error("Bot account '{}' could not log in: Discord did not send READY within {} s", name,
            readyTimeout.toSeconds());
        shutdownNow(connection);
      }
    }
    if (accounts.live.isEmpty()) {
      accounts.allClosed.complete(null);
    }
    return accounts;
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
    if (!closing) {
      log.error("Bot account '{}' is disconnected for good: {}", name, why);
    }
    if (live.isEmpty()) {
      allClosed.complete(null);
    }
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
    for (String name : all.keySet()) {
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
    for (String name : all.keySet()) {
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
    for (String name : all.keySet()) {
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
  public void listen(Object listener) {
    live.values().forEach(connection -> connection.addEventListener(listener));
  }

  /** Completes when no account is logged in any more (or none ever was). */
  public CompletableFuture<Void> allClosed() {
    return allClosed;
  }

  /** Closes every account, waiting a few seconds for each, then forcing. */
  @Override
  public void close() {
    closing = true;
    all.values().forEach(ShardManager::shutdown);
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

  private static void shutdownNow(ShardManager shards) {
    shards.getShardCache().forEach(JDA::shutdownNow);
  }
}
