package carillon.bot.app;

import carillon.bot.discord.GuildCacheSync;
import carillon.bot.discord.JdaNoticePort;
import carillon.bot.discord.JdaVoicePort;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.AudioProbe;
import carillon.bot.playback.Notifier;
import carillon.bot.playback.Playback;
import carillon.bot.playback.Slots;
import carillon.bot.queue.CommandQueue;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.bot.web.WebServer;
import carillon.bot.web.WebSettings;
import carillon.tasks.ShutdownReport;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import com.sedmelluq.discord.lavaplayer.player.DefaultAudioPlayerManager;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioSourceManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.requests.GatewayIntent;
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

  /**
   * How to start: the data directory, each bot account's name and token, how to point a JDA builder
   * at Discord (the demo points it at the emulator), the shutdown timeout, and where the admin web
   * server listens (none without an address) with the time zone it shows times in.
   */
  public record Settings(Path dataDir, Map<String, String> tokens, UnaryOperator<JDABuilder> discord,
      Duration shutdownTimeout, InetSocketAddress webAddress, ZoneId timeZone) {
    /** Without the admin web server. */
    public Settings(Path dataDir, Map<String, String> tokens, UnaryOperator<JDABuilder> discord, Duration shutdownTimeout) {
      this(dataDir, tokens, discord, shutdownTimeout, null, ZoneOffset.UTC);
    }
  }

  public final TimeSource time = TimeSource.system();
  public final TaskGroup tasks = TaskGroup.create("carillon");
  public final Database db;
  public final AudioProbe probe = new AudioProbe();
  public final AudioLibrary library;
  public final GuildDirectory guilds;
  public final Sessions sessions;
  public final Runs runs;
  public final Slots slots = new Slots();
  public final Scheduler scheduler;
  public final Playback playback;
  public final CommandQueue commands;
  public final Optional<WebServer> web;
  private final DefaultAudioPlayerManager players = new DefaultAudioPlayerManager();
  private final Map<String, JDA> accounts = new LinkedHashMap<>();
  private final Duration shutdownTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  public Carillon(Settings settings) throws InterruptedException {
    this.shutdownTimeout = settings.shutdownTimeout();
    players.registerSourceManager(new LocalAudioSourceManager());
    db = Database.openSqlite(settings.dataDir().resolve("carillon.db"));
    library = new AudioLibrary(settings.dataDir(), db, Clock.systemUTC(), probe, MAX_UPLOAD_BYTES);
    guilds = new GuildDirectory(db);
    sessions = new Sessions(db, guilds, time);
    runs = new Runs(db);
    for (var account : settings.tokens().entrySet()) {
      JDA jda = settings.discord().apply(JDABuilder.createDefault(account.getValue())
              .enableIntents(GatewayIntent.GUILD_VOICE_STATES))
          .addEventListeners(new GuildCacheSync(account.getKey(), guilds, slots))
          .build();
      accounts.put(account.getKey(), jda);
    }
    for (var account : accounts.entrySet()) {
      account.getValue().awaitReady();
      log.info("Bot account '{}' is connected to {} guild(s)", account.getKey(), account.getValue().getGuilds().size());
    }
    Notifier notifier = new Notifier(new JdaNoticePort(accounts), tasks);
    playback = new Playback(new JdaVoicePort(accounts, players), notifier, library::track, time, tasks, runs, slots);
    scheduler = new Scheduler(sessions, runs, slots, playback, notifier, time, tasks);
    commands = new CommandQueue(db, sessions, scheduler, playback, tasks, time);
    scheduler.start();
    commands.recover();
    web = Optional.ofNullable(settings.webAddress()).map(address -> new WebServer(new WebSettings(address,
        settings.dataDir().resolve("web-uploads"), settings.timeZone(), MAX_UPLOAD_BYTES, Duration.ofHours(12), false),
        db, sessions, scheduler, commands, library, runs, guilds, playback, slots, time));
    web.ifPresent(WebServer::start);
  }

  /** The one shutdown path; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("Shutting down: ending playback, waiting up to {} s for background tasks", shutdownTimeout.toSeconds());
    web.ifPresent(WebServer::close);
    scheduler.stop();
    playback.interruptAll();
    ShutdownReport report = tasks.shutdown(shutdownTimeout);
    report.notEnded().forEach(e -> log.warn("Still running at shutdown: {}", e.name()));
    for (JDA jda : accounts.values()) {
      jda.shutdown();
    }
    for (JDA jda : accounts.values()) {
      try {
        if (!jda.awaitShutdown(Duration.ofSeconds(5))) {
          jda.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        jda.shutdownNow();
      }
    }
    players.shutdown();
    probe.close();
    db.close();
    log.info("Carillon stopped");
  }
}
