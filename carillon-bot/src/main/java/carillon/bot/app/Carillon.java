package carillon.bot.app;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.cluster.ShardOwnership;
import carillon.bot.config.Config;
import carillon.bot.config.Setting;
import carillon.bot.discord.BotAccounts;
import carillon.bot.discord.DaveSupport;
import carillon.bot.discord.GuildCacheSync;
import carillon.bot.discord.GuildLanguage;
import carillon.bot.discord.JdaNoticePort;
import carillon.bot.discord.JdaVoicePort;
import carillon.bot.discord.SlashCommands;
import carillon.bot.events.DirectReminders;
import carillon.bot.events.EventNotices;
import carillon.bot.events.ReminderOptIns;
import carillon.bot.events.ScheduledEvents;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.AudioProbe;
import carillon.bot.metrics.Metrics;
import carillon.bot.playback.CrashRecovery;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.playback.Notifier;
import carillon.bot.playback.Playback;
import carillon.bot.playback.SessionStarter;
import carillon.bot.playback.Slots;
import carillon.bot.queue.CommandQueue;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.bot.store.PrivateFiles;
import carillon.bot.store.StoreLock;
import carillon.bot.store.StoreUnavailableException;
import carillon.tasks.Loop;
import org.jdbi.v3.core.JdbiException;
import carillon.bot.web.Readiness;
import carillon.bot.web.WebServer;
import carillon.bot.web.WebSettings;
import carillon.bot.web.auth.DiscordLogin;
import carillon.emulator.DiscordEmulator;
import carillon.tasks.ShutdownReport;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import com.sedmelluq.discord.lavaplayer.player.DefaultAudioPlayerManager;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioSourceManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongPredicate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import net.dv8tion.jda.api.events.guild.GuildJoinEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application, wired by hand in one place: store, audio library, sessions, scheduler, playback,
 * command queue, one JDA per bot account, and the admin web server. {@link #close()} is the one shutdown
 * path, whatever starts it: stop the web server (no new commands), stop timers, end playback (runs
 * recorded as interrupted), wait for background tasks up to the timeout, close every JDA, close the store.
 */
public final class Carillon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Carillon.class);
  static final long MAX_UPLOAD_BYTES = 200L * 1024 * 1024;
  /** Where people log in with Discord (unless discord.endpoint points at an emulator). */
  private static final URI DISCORD = URI.create("https://discord.com");

  /**
   * How to start: the configuration, where Discord is (the demo and the tests point at the emulator),
   * and why voice cannot work on this machine, if it cannot.
   */
  public record Settings(Config config, BotAccounts.Endpoint discord, Optional<String> voiceOff) {
    /**
     * Settings for Discord itself, with DAVE where this machine supports it; or, when {@code discord.endpoint}
     * is set (tests), for the carillon-emulator there, whose voice needs no DAVE.
     */
    public static Settings discord(Config config) {
      if (config.discordEndpoint().isPresent()) {
        URI emulator = config.discordEndpoint().get();
        log.warn("Connecting to the Discord emulator at {} instead of Discord ({}): for tests only", emulator,
            Setting.DISCORD_ENDPOINT.variable());
        return new Settings(config, builder -> DiscordEmulator.configureRemote(builder, emulator), Optional.empty());
      }
      DaveSupport dave = DaveSupport.probe();
      if (dave instanceof DaveSupport.Available) {
        log.info("Voice: {}", dave.describe());
      }
      return new Settings(config, BotAccounts.Endpoint.discord(dave),
          dave instanceof DaveSupport.Unavailable off ? Optional.of(off.reason()) : Optional.empty());
    }
  }

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  /** Bots join the voice channel this long before a start, so that the first audio is on time. */
  static final Duration JOIN_AHEAD = Duration.ofSeconds(10);

  private final TimeSource time = TimeSource.system();
  private final TaskGroup tasks = TaskGroup.create("carillon");
  private final Config config;
  private final Database db;
  private final AudioProbe probe = new AudioProbe();
  private final AudioLibrary library;
  private final GuildDirectory guilds;
  private final Sessions sessions;
  private final Runs runs;
  private final Slots slots = new Slots();
  private final BotAccounts accounts;
  private final Scheduler scheduler;
  /** Each guild's zone, language and skipped dates; the configuration's are the defaults. */
  private final GuildCalendars calendars;
  private final Playback playback;
  private final CommandQueue commands;
  private final WebServer web;
  private final Metrics metrics = new Metrics();
  private final DirectReminders reminders;
  private final ScheduledEvents events;
  private final Optional<StoreLock> storeLock;
  private final ShardOwnership ownership;
  private Optional<InetSocketAddress> metricsAddress = Optional.empty();
  private final DefaultAudioPlayerManager players = new DefaultAudioPlayerManager();
  private final AtomicBoolean closed = new AtomicBoolean();
  /**
   * Shards held here whose runs are still being taken up: their guilds' commands wait (PENDING) until the
   * runs are resumed, so that a VOLUME or STOP sent during a failover finds the run it is for.
   */
  private final Set<Integer> takingUp = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> accountsLost = new CompletableFuture<>();

  /** Carillon could not start; the message says why and what to change. */
  public static final class StartException extends Exception {
    StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public Carillon(Settings settings) throws InterruptedException, StartException {
    config = settings.config();
    settings.voiceOff().ifPresent(reason -> log.error("Carillon: {}", reason));
    players.registerSourceManager(new LocalAudioSourceManager());
    try {
      PrivateFiles.directory(config.dataDir());
    } catch (IOException e) {
      throw new StartException("the data directory " + config.dataDir() + " cannot be created (" + e.getMessage()
          + "); set dataDir (CARILLON_DATA_DIR) to a directory Carillon may write", e);
    }
    storeLock = config.postgres().isPresent() ? Optional.empty() : Optional.of(lockStore(config));
    db = Database.open(config);
    ownership = holdShards(config);
    LoudnessTarget loudness = new LoudnessTarget(config.targetLoudness());
    library = new AudioLibrary(config.dataDir(), db, Clock.systemUTC(), probe, MAX_UPLOAD_BYTES, loudness);
    guilds = new GuildDirectory(db);
    sessions = new Sessions(db, guilds, time);
    runs = new Runs(db, ownership.processId());
    Set<Integer> loggedInShards = ownership.shards();
    accounts = BotAccounts.login(
        config.accounts().stream().map(a -> new BotAccounts.Login(a.name(), a.token(), a.shards())).toList(),
        settings.discord(), name -> List.of(new GuildCacheSync(name, guilds, slots)), READY_TIMEOUT,
        config.postgres().isPresent() ? loggedInShards : null);
    accounts.allClosed().thenRun(() -> {
      if (!closed.get()) {
        accountsLost.complete(null);
      }
    });
    calendars = new GuildCalendars(db, config.timeZone(), config.language(), time);
    GuildLanguage language = new GuildLanguage(calendars::ownLanguage, config.language());
    events = new ScheduledEvents(sessions, accounts, db, time, tasks, language, ownership::owns);
    ReminderOptIns optIns = new ReminderOptIns(db, time);
    reminders = new DirectReminders(accounts, events, optIns, language);
    accounts.listen(events.listener());
    Notifier notifier = new Notifier(new EventNotices(new JdaNoticePort(accounts, language), events, reminders), tasks);
    JdaVoicePort voice = new JdaVoicePort(accounts, players, settings.voiceOff());
    playback = new Playback(voice, notifier,
        id -> library.track(id, loudness), time,
        tasks, runs, slots, config.cutFade());
    SessionStarter starter = new SessionStarter(sessions, runs, slots, playback, time);
    scheduler = new Scheduler(sessions, runs, slots, playback, starter, notifier, time, tasks, JOIN_AHEAD, calendars,
        ownership::owns);
    commands = new CommandQueue(db, sessions, starter, playback, tasks, time, this::takesCommandsFor);
    SlashCommands slash = new SlashCommands(sessions, scheduler, playback, commands, config.commandRole(), optIns, tasks,
        calendars::ownLanguage);
    accounts.listen(slash);
    accounts.registerGuildCommand(slash.definition());
    accounts.listen(new ListenerAdapter() {
      @Override
      public void onGuildJoin(GuildJoinEvent event) {
        accounts.registerGuildCommand(slash.definition()); // a new guild gets /carillon from its first account
      }
    });
    metrics.watch(playback, time);
    metrics.watch(commands);
    metrics.watch(accounts);
    metrics.watch(voice);
    metrics.watch(db);
    metrics.watch(reminders);
    CrashRecovery recovery = new CrashRecovery(sessions, runs, starter, notifier, time);
    recovery.resumeOrInterrupt(ownership::owns);
    scheduler.start();
    events.start();
    commands.recover();
    // Files imported before Opus copies (or for another target loudness) are encoded once, in the
    // background; until then they play from the original with the gain applied while playing.
    tasks.spawn("encode audio to Opus", library::encodePending);

    if (config.postgres().isPresent()) {
      followShards(recovery, loggedInShards);
    }
    InetSocketAddress address = new InetSocketAddress(config.webAddress().getHostString(), config.webAddress().getPort());
    WebSettings webSettings = new WebSettings(address, config.dataDir().resolve("web-uploads"), config.timeZone(),
        MAX_UPLOAD_BYTES, Duration.ofHours(12), config.secureCookies(), config.publicUrl(), config.trustedProxies());
    if (config.discordLogin().isPresent()) {
      Config.DiscordClient client = config.discordLogin().get();
      webSettings = webSettings.withDiscordLogin(new DiscordLogin(config.discordEndpoint().orElse(DISCORD),
          client.clientId(), client.clientSecret().value(), config.publicUrl(), config.commandRole()));
    }
    web = new WebServer(webSettings, db,
        sessions, scheduler, commands, library, runs, guilds, playback, slots, time,
        new Readiness(accounts::gateways, settings.voiceOff()), calendars);
    try {
      web.start();
    } catch (RuntimeException e) {
      // Javalin reports a port in use (or an address it cannot bind) as an unchecked exception.
      close();
      throw new StartException("the admin web server cannot listen on " + address.getHostString() + ":"
          + address.getPort() + " (" + e.getMessage() + "); set web.address (CARILLON_WEB_ADDRESS) to a free one", e);
    }
    if (config.metricsAddress().isPresent()) {
      InetSocketAddress at = config.metricsAddress().get();
      try {
        metricsAddress = Optional.of(metrics.serve(at));
      } catch (IOException e) {
        close();
        throw new StartException("the metrics server cannot listen on " + at.getHostString() + ":" + at.getPort()
            + " (" + e.getMessage() + "); set metrics.address (CARILLON_METRICS_ADDRESS) to a free one", e);
      }
    }
  }

  /** Where the metrics server listens, if {@code metrics.address} is set. */
  Optional<InetSocketAddress> metricsAddress() {
    return metricsAddress;
  }

  /**
   * Whether at least one bot account logged in or may still log in (Discord was unreachable and it is being
   * retried); those that failed for good are reported in the log.
   */
  public boolean anyAccountMayConnect() {
    return accounts.anyMayConnect();
  }

  /**
   * Completes when Discord has disconnected every bot account for good (or none ever logged in); not
   * when {@link #close()} closes them.
   */
  public CompletableFuture<Void> accountsLost() {
    return accountsLost;
  }

  /** The port the admin web server listens on (the one picked, when web.address asks for port 0). */
  int webPort() {
    return web.port();
  }

  // For the demo and the tests in this package: the parts they drive and watch.

  TimeSource time() {
    return time;
  }

  TaskGroup tasks() {
    return tasks;
  }

  Database db() {
    return db;
  }

  AudioLibrary library() {
    return library;
  }

  Sessions sessions() {
    return sessions;
  }

  Runs runs() {
    return runs;
  }

  Playback playback() {
    return playback;
  }

  CommandQueue commands() {
    return commands;
  }

  GuildCalendars calendars() {
    return calendars;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  BotAccounts accounts() {
    return accounts;
  }

  Slots slots() {
    return slots;
  }

  ScheduledEvents events() {
    return events;
  }

  DirectReminders reminders() {
    return reminders;
  }

  /**
   * This process's shards: with SQLite all of them; with PostgreSQL its share, held by advisory locks (see
   * {@link ShardOwnership}). Every account must then have the same shard count, so that a guild is on the
   * same shard index for all of them.
   */
  private ShardOwnership holdShards(Config config) throws StartException, InterruptedException {
    int shards = config.accounts().stream().mapToInt(Config.Account::shards).max().orElse(1);
    String processId = ProcessHandle.current().pid() + "@" + hostName() + "/"
        + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    if (config.postgres().isEmpty()) {
      return ShardOwnership.single(shards, processId);
    }
    if (config.accounts().stream().mapToInt(Config.Account::shards).distinct().count() > 1) {
      db.close();
      throw new StartException("with PostgreSQL, every bot account must have the same shard count (accounts.NAME.shards):"
          + " a guild must be on the same shard for all of them, because one process holds a shard for every account; "
          + "now they have " + config.accounts().stream().map(a -> a.name() + "=" + a.shards()).toList(), null);
    }
    Config.Postgres pg = config.postgres().get();
    Properties login = new Properties();
    login.setProperty("user", pg.user());
    login.setProperty("password", pg.password().value());
    login.setProperty("options", ShardOwnership.KEEPALIVE_OPTIONS);
    login.setProperty("ApplicationName", "carillon shard locks");
    ShardOwnership held = ShardOwnership.postgres(shards, processId,
        () -> DriverManager.getConnection(config.databaseUrl(), login));
    try {
      held.start(tasks);
    } catch (ShardOwnership.ShardCountMismatch e) {
      db.close();
      throw new StartException("refusing to join the cluster: " + e.getMessage() + " (accounts.NAME.shards), and a "
          + "guild must be on the same shard in every process. Set accounts.NAME.shards (CARILLON_ACCOUNTS_NAME_SHARDS) "
          + "to " + e.theirs().iterator().next() + " for every account of this process, or stop every process and "
          + "change them all", null);
    } catch (SQLException e) {
      db.close();
      throw new StartException("the shard locks cannot be taken on PostgreSQL (" + e.getMessage() + ")", e);
    }
    log.info("Cluster: process {} holds shards {} of {} (failover bound {} ms after a process's connection ends)",
        processId, held.shards(), shards, held.failoverBound().toMillis());
    return held;
  }

  /** Whether this process carries out the guild's commands now: it holds the guild's shard and has taken up its runs. */
  private boolean takesCommandsFor(long guildId) {
    return ownership.owns(guildId) && !takingUp.contains(ShardOwnership.shardOf(guildId, ownership.shardCount()));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  /**
   * Follows shards moving between processes: taken shards are connected, their guilds' runs taken up,
   * their sessions planned and their pending commands applied; lost shards stop playing first (runs handed
   * over, not ended), then their timers, then their gateway connection. Commands stored by other processes
   * are taken up every check interval.
   */
  private void followShards(CrashRecovery recovery, Set<Integer> loggedInShards) {
    var follower = new ShardOwnership.Listener() {
      /** The shards connected here; guarded by this listener (changes while starting race with the ownership thread). */
      private final Set<Integer> known = new TreeSet<>(loggedInShards);

      @Override
      public synchronized void gained(Set<Integer> held) {
        Set<Integer> shards = new TreeSet<>(held);
        shards.removeAll(known);
        if (shards.isEmpty()) {
          return;
        }
        known.addAll(shards);
        takingUp.addAll(shards);
        accounts.startShards(shards);
        LongPredicate inGuild = guildId -> shards.contains(ShardOwnership.shardOf(guildId, ownership.shardCount()));
        tasks.spawn("take up shards " + shards, () -> {
          try {
            awaitShards(shards);
            recovery.resumeOrInterrupt(inGuild);
          } finally {
            takingUp.removeAll(shards);
          }
          scheduler.shardsGained();
          events.start();
          commands.takeOver(inGuild);
        });
      }

      @Override
      public synchronized void lost(Set<Integer> released) {
        Set<Integer> shards = new TreeSet<>(released);
        shards.retainAll(known);
        known.removeAll(shards);
        takingUp.removeAll(shards);
        LongPredicate inGuild = guildId -> shards.contains(ShardOwnership.shardOf(guildId, ownership.shardCount()));
        scheduler.shardsLost(inGuild);
        try {
          playback.handOver(inGuild).get(ownership.interval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          log.warn("Runs of shards {} did not stop within {} ms", shards, ownership.interval().toMillis());
        } catch (ExecutionException e) {
          throw new IllegalStateException("a run failed while handed over", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        accounts.stopShards(shards);
      }

      /** Shards that moved between the login and now, before this listener was there. */
      synchronized void catchUp() {
        Set<Integer> now = ownership.shards();
        Set<Integer> gone = new TreeSet<>(known);
        gone.removeAll(now);
        if (!gone.isEmpty()) {
          lost(gone);
        }
        gained(now);
      }
    };
    ownership.listen(follower);
    // Shards released for a process that joins: idle ones first, so that no run moves (a few seconds of silence).
    ownership.busyWhen(shard -> {
      LongPredicate inShard = guildId -> ShardOwnership.shardOf(guildId, ownership.shardCount()) == shard;
      return playback.all().stream().anyMatch(run -> inShard.test(run.session().guildId()))
          || scheduler.startsBy(inShard, time.now().plus(JOIN_AHEAD).plus(ownership.fenceDelay()));
    });
    follower.catchUp();
    // Notices between processes: "session ID" (re-plan it), "command" (take up or complete commands).
    String me = " " + ownership.processId();
    sessions.onChange(id -> tell("session " + id + me));
    commands.onLeftForAnother(c -> tell("command" + me));
    commands.onFinished(c -> tell("command" + me));
    ownership.onNotice(payload -> {
      if (payload.endsWith(me)) {
        return; // this process's own notice
      }
      String[] words = payload.split(" ");
      if (words[0].equals("session") && words.length == 3) {
        long sessionId = Long.parseLong(words[1]);
        tasks.spawn("re-plan session " + sessionId, () -> scheduler.replan(sessionId));
        events.sessionChanged(sessionId);
      } else if (words[0].equals("command")) {
        tasks.spawn("take up commands", commands::takeUp);
      }
    });
    tasks.add(Loop.every(ownership.interval()).name("take up commands from other processes")
        .handle(StoreUnavailableException.class).build(() -> commands.takeUp())).start();
  }

  /** Tells the other processes (best effort: they look for commands every second anyway). */
  private void tell(String payload) {
    try {
      db.useHandle(h -> h.execute("SELECT pg_notify(?, ?)", ShardOwnership.CHANNEL, payload));
    } catch (StoreUnavailableException | JdbiException e) {
      log.debug("Could not tell the other processes '{}': {}", payload, e.getMessage());
    }
  }

  /** Waits (up to the ready timeout) until every account's shards {@code shards} are connected, or gives up. */
  private void awaitShards(Set<Integer> shards) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && !accounts.connected(shards)) {
      if (closed.get()) {
        return;
      }
      Thread.sleep(100); // polling JDA's shard status: the shards' READY has no per-call future
    }
  }

  /** One process per SQLite store: the lock beside the database file (see {@link StoreLock}). */
  private static StoreLock lockStore(Config config) throws StartException {
    Path dir = config.sqliteFile().toAbsolutePath().getParent();
    try {
      PrivateFiles.directory(dir);
      return StoreLock.acquire(dir);
    } catch (StoreLock.HeldElsewhere e) {
      throw new StartException(e.getMessage(), e);
    } catch (IOException e) {
      throw new StartException("the store's lock file in " + dir + " cannot be opened (" + e.getMessage() + ")", e);
    }
  }

  /** What the OS does for a process killed with -9: tests that crash a Carillon in-process call it by hand. */
  void releaseStoreLockAsACrashWould() {
    storeLock.ifPresent(StoreLock::close);
  }

  GuildDirectory guilds() {
    return guilds;
  }

  /** The one shutdown path; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Duration timeout = config.shutdownTimeout();
    log.info("Shutting down: ending playback, waiting up to {} ms for background tasks", timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos();
    web.beginShutdown(); // requests are answered 503 "shutting down" until the socket closes below
    commands.close();
    // In a cluster the runs go on elsewhere: the shards are released with their runs handed over (not
    // ended), and the processes that take them resume them. Alone, they end as interrupted below.
    ownership.close();
    scheduler.stop();
    // Runs end first, while the task group still takes their end notices; then everything is awaited.
    try {
      playback.interruptAll().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.warn("Playback did not end within {} ms", timeout.toMillis());
    } catch (ExecutionException e) {
      throw new IllegalStateException("a run failed while ending", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    accounts.leaveVoice(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    ShutdownReport report = tasks.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    report.notEnded().forEach(e -> log.warn("Still running at shutdown: {}", e.name()));
    web.close();
    metrics.close();
    ownership.close();
    accounts.close();
    players.shutdown();
    probe.close();
    db.close();
    storeLock.ifPresent(StoreLock::close);
    log.info("Carillon stopped");
  }
}
