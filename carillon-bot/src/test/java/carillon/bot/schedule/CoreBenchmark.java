package carillon.bot.schedule;

import carillon.bot.testing.SilentNotices;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.playback.Notifier;
import carillon.bot.playback.Playback;
import carillon.bot.playback.SessionStarter;
import carillon.bot.playback.Slots;
import carillon.bot.playback.Track;
import carillon.bot.playback.VoicePort;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The bot core at scale, on a real SQLite file and the system clock: 100,000 enabled sessions across
 * 1,000 guilds are loaded and planned; 1,000 of them start within the same minute; then commands are
 * pushed through the durable queue. Prints its figures; see docs/performance.md.
 *
 * <p>Run with {@code scripts/benchmark-core}.
 */
public final class CoreBenchmark {
  static final int SESSIONS = 100_000;
  static final int GUILDS = 1_000;
  static final int COMMANDS = 5_000;
  static final int COMMAND_CLIENTS = 8;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("carillon-bench");
    TimeSource time = TimeSource.system();
    System.out.printf(Locale.ROOT, "carillon-bot core benchmark: %,d sessions, %,d guilds, SQLite in %s; %d cores%n",
        SESSIONS, GUILDS, dir, Runtime.getRuntime().availableProcessors());
    try (Database db = Database.openSqlite(dir.resolve("carillon.db"))) {
      Instant burst = time.now().plusSeconds(60).truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
      insertSessions(db, burst);

      Map<Long, Instant> scheduledByChannel = new ConcurrentHashMap<>();
      long[] lateness = new long[GUILDS];
      CountDownLatch started = new CountDownLatch(GUILDS);
      int[] next = {0};
      VoicePort voice = (slot, channelId) -> {
        Instant scheduled = scheduledByChannel.get(channelId);
        if (scheduled != null) {
          synchronized (lateness) {
            lateness[next[0]++] = Duration.between(scheduled, time.now()).toNanos();
          }
          started.countDown();
        }
        return new InstantConnection();
      };
      Slots slots = new Slots();
      for (int g = 0; g < GUILDS; g++) {
        slots.join("bot", guild(g));
      }
      TaskGroup tasks = TaskGroup.create("bench");
      Notifier notifier = new Notifier(new SilentNotices(), tasks);
      Runs runs = new Runs(db);
      Sessions sessions = new Sessions(db, new GuildDirectory(db), time);
      Playback playback = new Playback(voice, notifier,
          id -> Optional.of(new Track(id, "tone", Path.of("/dev/null"), Duration.ofSeconds(1))), time, tasks, runs, slots);
      SessionStarter starter = new SessionStarter(sessions, runs, slots, playback, time);
      Scheduler scheduler = new Scheduler(sessions, runs, slots, playback, starter, notifier, time, tasks);

      System.gc();
      long heapBefore = usedHeap();
      long planStart = System.nanoTime();
      scheduler.start();
      long planNanos = System.nanoTime() - planStart;
      System.gc();
      long heapAfter = usedHeap();
      System.out.printf(Locale.ROOT, "%nLoad and plan %,d sessions: %.2f s; heap %.1f MB (%.0f bytes per session)%n",
          SESSIONS, planNanos / 1e9, (heapAfter - heapBefore) / 1e6, (double) (heapAfter - heapBefore) / SESSIONS);

      for (Session s : sessions.enabled()) {
        if (s.name().startsWith("burst")) {
          scheduledByChannel.put(s.voiceChannelId(), s.schedule().next(Instant.EPOCH).orElseThrow());
        }
      }
      if (!started.await(3, TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + (GUILDS - started.getCount()) + " of " + GUILDS + " sessions started");
      }
      Arrays.sort(lateness);
      System.out.printf(Locale.ROOT, "%,d starts within one minute: lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          GUILDS, lateness[GUILDS / 2] / 1e6, lateness[GUILDS * 99 / 100] / 1e6, lateness[GUILDS - 1] / 1e6);

      CommandQueue commands = new CommandQueue(db, sessions, starter, playback, tasks, time);
      commands(commands, sessions);
      scheduler.stop();
      tasks.shutdown(Duration.ofSeconds(10));
    }
  }

  static long guild(int g) {
    return 1_000_000L + g;
  }

  private static void insertSessions(Database db, Instant burst) {
    long now = Instant.now().toEpochMilli();
    db.useTransaction(h -> {
      h.execute("INSERT INTO audio_item (id, name, format, duration_ms, size_bytes, imported_at) VALUES (?, 'tone', 'wav', 1000, 1, 0)",
          "a".repeat(64));
      var insert = h.prepareBatch("""
          INSERT INTO session (id, guild_id, name, voice_channel_id, schedule, gap_ms, repeat_playlist, reminder_minutes,
            enabled, late_grace_ms, updated_at)
          VALUES (:id, :guild, :name, :voice, :schedule, 0, 0, 0, 1, 900000, :updated)""");
      var track = h.prepareBatch("INSERT INTO session_track (session_id, position, audio_id) VALUES (:id, 0, :audio)");
      for (int i = 1; i <= SESSIONS; i++) {
        int g = i % GUILDS;
        boolean inBurst = i <= GUILDS; // one per guild, spread over the minute
        String schedule = inBurst
            ? "once " + burst.plusMillis((long) (i - 1) * 60_000 / GUILDS)
            : "weekly " + List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN").get(i % 7) + " "
                + String.format("%02d:%02d", i % 24, i % 60) + " " + List.of("UTC", "Europe/Paris", "Asia/Ho_Chi_Minh",
                "America/New_York").get(i % 4);
        insert.bind("id", i).bind("guild", guild(g)).bind("name", (inBurst ? "burst " : "session ") + i)
            .bind("voice", 5_000_000L + i).bind("schedule", schedule).bind("updated", now).add();
        track.bind("id", i).bind("audio", "a".repeat(64)).add();
      }
      insert.execute();
      track.execute();
    });
  }

  private static void commands(CommandQueue commands, Sessions sessions) throws Exception {
    List<Long> ids = sessions.enabled().stream().limit(COMMAND_CLIENTS * 10L).map(Session::id).toList();
    long[] submit = new long[COMMANDS];
    long[] acceptedToDispatched = new long[COMMANDS];
    long[] acceptedToFinal = new long[COMMANDS];
    Map<Long, Long> acceptedAt = new ConcurrentHashMap<>();
    Map<Long, Long> dispatchedAt = new ConcurrentHashMap<>();
    commands.onDispatched(c -> dispatchedAt.put(c.id(), System.nanoTime()));
    List<Thread> clients = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < COMMAND_CLIENTS; c++) {
      int client = c;
      clients.add(Thread.ofVirtual().start(() -> {
        for (int i = client; i < COMMANDS; i += COMMAND_CLIENTS) {
          long t0 = System.nanoTime();
          try {
            long id = commands.submit(new CommandRequest(CommandKind.PAUSE, ids.get(i % ids.size()), null,
                CommandSource.API, "bench")).id();
            long accepted = System.nanoTime();
            acceptedAt.put(id, accepted);
            submit[i] = accepted - t0;
            commands.completion(id).get(30, TimeUnit.SECONDS);
            acceptedToFinal[i] = System.nanoTime() - accepted;
            // The dispatch can happen before submit() has even returned: that counts as zero.
            acceptedToDispatched[i] = Math.max(0, dispatchedAt.get(id) - accepted);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }));
    }
    for (Thread t : clients) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%,d commands from %d concurrent clients: %.0f commands/s%n", COMMANDS,
        COMMAND_CLIENTS, COMMANDS / seconds);
    print("  submit (written to SQLite, acknowledged)", submit);
    print("  accepted -> dispatched", acceptedToDispatched);
    print("  accepted -> final status written", acceptedToFinal);
  }

  private static void print(String label, long[] nanos) {
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "%-45s p50 %6.2f ms, p99 %6.2f ms, max %7.2f ms%n", label, nanos[nanos.length / 2] / 1e6,
        nanos[nanos.length * 99 / 100] / 1e6, nanos[nanos.length - 1] / 1e6);
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Tracks end at once: the benchmark measures starts, not audio. */
  private static final class InstantConnection implements VoicePort.Connection {
    @Override
    public VoicePort.PlayingTrack play(Track track, Duration from) {
      CompletableFuture<VoicePort.TrackEnd> ended = CompletableFuture.completedFuture(VoicePort.TrackEnd.FINISHED);
      return new VoicePort.PlayingTrack() {
        @Override
        public CompletableFuture<VoicePort.TrackEnd> ended() {
          return ended;
        }

        @Override
        public Duration position() {
          return Duration.ZERO;
        }

        @Override
        public void pause() {}

        @Override
        public void resume() {}

        @Override
        public void stop() {}
      };
    }

    @Override
    public void volume(int percent) {}

    @Override
    public void leave() {}
  }

}
