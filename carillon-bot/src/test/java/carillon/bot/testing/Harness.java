package carillon.bot.testing;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.guild.Role;
import carillon.bot.playback.CrashRecovery;
import carillon.bot.playback.Notifier;
import carillon.bot.playback.Playback;
import carillon.bot.playback.SessionStarter;
import carillon.bot.playback.Slots;
import carillon.bot.playback.Track;
import carillon.bot.queue.CommandQueue;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.InvalidSessionException;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.tasks.ManualTimeSource;
import carillon.tasks.TaskGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * The bot core wired as the application wires it, on a real SQLite file, a ManualTimeSource and the
 * in-memory voice and notice ports. {@link #crashAndRestart()} drops the running world without any
 * shutdown step and builds a new one on the same file, as a killed process would be restarted. Public
 * for the web API's tests, which run the same core behind the HTTP server.
 */
public final class Harness implements AutoCloseable {
  public static final long GUILD = 1000;
  public static final long HALL = 2001;
  public static final long GARDEN = 2002;
  public static final long NOTICES = 2003;
  public static final long MEMBERS_ROLE = 3001;

  public final ManualTimeSource time;
  public final Path dbFile;
  public final Map<String, Track> tracks = new ConcurrentHashMap<>();
  public FakeVoice voice;
  public FakeNotices notices;
  public Database db;
  public GuildDirectory guilds;
  public Sessions sessions;
  public Runs runs;
  public Slots slots;
  public TaskGroup tasks;
  public Playback playback;
  public SessionStarter starter;
  public CrashRecovery recovery;
  public Scheduler scheduler;
  /** Each guild's zone, language and skipped dates (defaults UTC and English). */
  public GuildCalendars calendars;
  public CommandQueue commands;

  public final Duration joinAhead;
  private final ZoneId defaultZone;
  private final Supplier<Database> store;
  private final LongPredicate ownsGuild;
  /** The running process's clock (the test moves {@link #time}; a crash stops this one). */
  private ProcessTime process;

  public Harness(Path dir, Instant start) {
    this(dir, start, Duration.ZERO);
  }

  /** {@code joinAhead}: how long before a start bots join the voice channel (the application's setting). */
  public Harness(Path dir, Instant start, Duration joinAhead) {
    this(dir, start, joinAhead, null);
  }

  /** On another store (PostgreSQL): {@code store} opens it again after a crash, as a restarted process would. */
  public Harness(Path dir, Instant start, Supplier<Database> store) {
    this(dir, start, Duration.ZERO, store);
  }

  /**
   * With guilds whose default time zone is {@code zone} (the configuration's {@code timeZone}); on
   * {@code store} if not null (see {@link #Harness(Path, Instant, Supplier)}), else a SQLite file.
   */
  public Harness(Path dir, Instant start, ZoneId zone, Supplier<Database> store) {
    this(dir, start, Duration.ZERO, store, zone, guildId -> true);
  }

  /**
   * As {@link #Harness(Path, Instant, ZoneId, Supplier)}, as one process of a cluster that holds only the guilds
   * {@code ownsGuild} accepts (its scheduler plans only theirs).
   */
  public Harness(Path dir, Instant start, ZoneId zone, Supplier<Database> store, LongPredicate ownsGuild) {
    this(dir, start, Duration.ZERO, store, zone, ownsGuild);
  }

  private Harness(Path dir, Instant start, Duration joinAhead, Supplier<Database> store) {
    this(dir, start, joinAhead, store, ZoneOffset.UTC, guildId -> true);
  }

  private Harness(Path dir, Instant start, Duration joinAhead, Supplier<Database> store, ZoneId zone,
      LongPredicate ownsGuild) {
    this.ownsGuild = ownsGuild;
    this.defaultZone = zone;
    this.joinAhead = joinAhead;
    this.time = new ManualTimeSource(start);
    this.dbFile = dir.resolve("carillon.db");
    this.store = store != null ? store : () -> Database.openSqlite(dbFile);
    build();
    guilds.replaceGuild(GUILD,
        List.of(new Channel(GUILD, HALL, "Meditation Hall", Channel.Kind.VOICE),
            new Channel(GUILD, GARDEN, "Garden", Channel.Kind.VOICE),
            new Channel(GUILD, NOTICES, "notices", Channel.Kind.TEXT)),
        List.of(new Role(GUILD, MEMBERS_ROLE, "members")));
    slots.join("bot-a", GUILD);
  }

  /** Builds a process on the store: its parts run on their own view of the clock, which its crash stops. */
  private void build() {
    process = new ProcessTime(time);
    voice = new FakeVoice(time);
    notices = new FakeNotices(time);
    db = store.get();
    guilds = new GuildDirectory(db);
    sessions = new Sessions(db, guilds, process);
    runs = new Runs(db);
    slots = new Slots();
    tasks = TaskGroup.create("test", process);
    Notifier notifier = new Notifier(notices, tasks);
    playback = new Playback(voice, notifier, id -> Optional.ofNullable(tracks.get(id)), process, tasks, runs, slots);
    starter = new SessionStarter(sessions, runs, slots, playback, process);
    recovery = new CrashRecovery(sessions, runs, starter, notifier, process);
    calendars = new GuildCalendars(db, defaultZone, Locale.ENGLISH, process);
    scheduler = new Scheduler(sessions, runs, slots, playback, starter, notifier, process, tasks, joinAhead, calendars,
        ownsGuild);
    commands = new CommandQueue(db, sessions, starter, playback, tasks, process);
  }

  public void start() {
    recovery.resumeOrInterruptAll();
    scheduler.start();
    commands.recover();
    time.settle();
  }

  /** An audio item of this length, known to the library table and the catalog. */
  public String track(String name, Duration length) {
    String id = String.format("%064x", tracks.size() + 1);
    tracks.put(id, new Track(id, name, Path.of("/audio/" + id), length));
    db.useHandle(h -> h.execute(
        "INSERT INTO audio_item (id, name, format, duration_ms, size_bytes, imported_at) VALUES (?, ?, 'wav', ?, 1, 0)",
        id, name, length.toMillis()));
    return id;
  }

  public static SessionSpec spec(String name, String schedule, List<String> playlist) {
    return SessionSpec.builder(GUILD, name).voiceChannel(HALL).textChannel(NOTICES).schedule(schedule)
        .playlist(playlist).gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15)).build();
  }

  public Session create(SessionSpec spec) {
    try {
      Session session = sessions.create(spec);
      time.settle();
      return session;
    } catch (InvalidSessionException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The process dies: timers stop, playback freezes, nothing is recorded (none of its threads runs again, see
   * {@link ProcessTime}); then a new process starts.
   */
  public void crashAndRestart() {
    crashAndRestart(Duration.ZERO);
  }

  /** As {@link #crashAndRestart()}, with the process down for {@code downtime}. */
  public void crashAndRestart(Duration downtime) {
    scheduler.stop();
    process.kill();
    voice.kill();
    db.close();
    time.advance(downtime);
    build();
    slots.join("bot-a", GUILD);
    start();
  }

  /**
   * The process ends, then its store closes: none of its tasks runs again (as after {@link #crashAndRestart}),
   * and those at work when it ended finish or park on the clock first, so that none asks the closed store.
   */
  @Override
  public void close() {
    commands.close();
    scheduler.stop();
    process.kill();
    time.settle();
    voice.kill();
    db.close();
  }
}
