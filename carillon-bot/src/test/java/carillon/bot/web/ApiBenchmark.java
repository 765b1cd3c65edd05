package carillon.bot.web;

import carillon.bot.testing.SilentNotices;
import carillon.bot.calendar.GuildCalendars;
import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.library.AudioProbe;
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
import carillon.bot.queue.CommandStatus;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.bot.web.auth.AdminAccounts;
import carillon.bot.web.auth.TokensInStore;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admin API under load, on loopback: 200 concurrent clients (API tokens, one HTTP connection each)
 * read a guild's session list and post commands while 50 sessions play, against the real server on a
 * real SQLite file and the system clock; voice is in memory (a track plays for an hour). Measured twice:
 * saturated (each client sends its next request as soon as it has the answer) and paced (each client
 * sends one request a second). Prints latency percentiles per request kind; see docs/performance.md.
 *
 * <p>Run with {@code scripts/benchmark-api [clients] [seconds]}.
 */
public final class ApiBenchmark {
  static final int GUILDS = 10;
  static final int ACCOUNTS_PER_GUILD = 5;
  static final int SESSIONS_PER_GUILD = 10;
  static final int PLAYING = 50;

  record Sample(boolean read, long nanos, int status) {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path dir = Files.createTempDirectory("carillon-api-bench");
    TimeSource time = TimeSource.system();
    System.out.printf(Locale.ROOT, "carillon-bot API benchmark: %d clients, %d s measured per run, %d sessions playing; "
        + "SQLite in %s; %d cores; %s%n", clients, seconds, PLAYING, dir, Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    try (Database db = Database.openSqlite(dir.resolve("carillon.db")); AudioProbe probe = new AudioProbe()) {
      GuildDirectory guilds = new GuildDirectory(db);
      Slots slots = new Slots();
      TaskGroup tasks = TaskGroup.create("bench");
      Runs runs = new Runs(db);
      Sessions sessions = new Sessions(db, guilds, time);
      Notifier notifier = new Notifier(new SilentNotices(), tasks);
      String audio = "a".repeat(64);
      db.useHandle(h -> h.execute("INSERT INTO audio_item (id, name, format, duration_ms, size_bytes, imported_at) "
          + "VALUES (?, 'tone', 'wav', 3600000, 1, 0)", audio));
      Track hour = new Track(audio, "tone", Path.of("/dev/null"), Duration.ofHours(1));
      Playback playback = new Playback(new HourLongVoice(), notifier, id -> Optional.of(hour), time, tasks, runs, slots);
      SessionStarter starter = new SessionStarter(sessions, runs, slots, playback, time);
      Scheduler scheduler = new Scheduler(sessions, runs, slots, playback, starter, notifier, time, tasks);
      CommandQueue commands = new CommandQueue(db, sessions, starter, playback, tasks, time);
      List<Long> guildIds = new ArrayList<>();
      for (int g = 0; g < GUILDS; g++) {
        long guild = 1_000_000L + g;
        guildIds.add(guild);
        List<Channel> channels = new ArrayList<>();
        for (int c = 0; c < SESSIONS_PER_GUILD; c++) {
          channels.add(new Channel(guild, guild * 100 + c, "Hall " + c, Channel.Kind.VOICE));
        }
        guilds.replaceGuild(guild, channels, List.of());
        for (int a = 0; a < ACCOUNTS_PER_GUILD; a++) {
          slots.join("bot-" + a, guild);
        }
      }
      List<Long> toPlay = new ArrayList<>();
      for (long guild : guildIds) {
        for (int s = 0; s < SESSIONS_PER_GUILD; s++) {
          Session session = sessions.create(SessionSpec.builder(guild, "Session " + s).voiceChannel(guild * 100 + s)
              .schedule("weekly MON 07:00 Asia/Ho_Chi_Minh").playlist(List.of(audio)).gap(Duration.ofSeconds(5))
              .reminderMinutes(10).lateGrace(Duration.ofMinutes(15)).build());
          if (s < ACCOUNTS_PER_GUILD) {
            toPlay.add(session.id());
          }
        }
      }
      scheduler.start();
      commands.recover();

      AudioLibrary library = new AudioLibrary(dir, db, Clock.system(ZoneOffset.UTC), probe, 200L * 1024 * 1024, new LoudnessTarget(-18));
      WebServer web = new WebServer(new WebSettings(new InetSocketAddress("127.0.0.1", 0), dir.resolve("uploads"),
          ZoneOffset.UTC, 200L * 1024 * 1024, Duration.ofHours(12), false),
          db, sessions, scheduler, commands, library, runs, guilds, playback, slots, time, Readiness.withoutAccounts(),
          new GuildCalendars(db, ZoneOffset.UTC, Locale.ENGLISH, time));
      web.start();
      for (long id : toPlay.subList(0, PLAYING)) {
        var done = commands.completion(commands.submit(new CommandRequest(CommandKind.PLAY, id, null, CommandSource.CLI,
            "bench")).id()).get(10, TimeUnit.SECONDS);
        if (done.status() != CommandStatus.DONE) {
          throw new IllegalStateException("could not start session " + id + ": " + done.result());
        }
      }
      if (playback.all().size() != PLAYING) {
        throw new IllegalStateException(playback.all().size() + " sessions play, not " + PLAYING);
      }

      AdminAccounts accounts = new AdminAccounts(db, time);
      AdminAccounts.Account owner = accounts.create("bench", "benchmark password", true, Set.of());
      List<String> secrets = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        secrets.add(TokensInStore.issue(db, time, owner.id(), "client " + c, new HashSet<>(guildIds),
            Duration.ofDays(1)));
      }
      URI base = URI.create("http://127.0.0.1:" + web.port());
      System.out.printf(Locale.ROOT, "%d sessions in %d guilds, %d playing; server on %s%n%n", GUILDS * SESSIONS_PER_GUILD,
          GUILDS, playback.all().size(), base);

      try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
            .connectTimeout(Duration.ofSeconds(10)).build();
        run("saturated (no pause between requests)", http, executor, base, secrets, guildIds, toPlay, Duration.ZERO,
            seconds);
        run("paced (each client: one request a second)", http, executor, base, secrets, guildIds, toPlay,
            Duration.ofSeconds(1), seconds);
      }
      System.out.printf(Locale.ROOT, "%nCommands stored: %d; still %d sessions playing%n",
          db.withHandle(h -> h.createQuery("SELECT count(*) FROM command").mapTo(Integer.class).one()), playback.all().size());
      web.close();
      scheduler.stop();
      playback.interruptAll();
      tasks.shutdown(Duration.ofSeconds(10));
    }
  }

  /** One run: warm-up of a third of the measured time, then {@code seconds} measured. */
  private static void run(String label, HttpClient http, ExecutorService executor, URI base, List<String> secrets,
      List<Long> guildIds, List<Long> playing, Duration pause, int seconds) throws Exception {
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(3, seconds / 3));
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong failures = new AtomicLong();
    List<CompletableFuture<List<Sample>>> clients = new ArrayList<>();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long[] cpuAtStart = new long[1];
    executor.submit(() -> {
      try {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmupEnd - System.nanoTime())); // marks the measured window
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cpuAtStart[0] = os.getProcessCpuTime();
    });
    for (String secret : secrets) {
      clients.add(CompletableFuture.supplyAsync(() -> client(http, base, secret, guildIds, playing, pause, warmupEnd, end,
          failures), executor));
    }
    List<Sample> samples = new ArrayList<>();
    for (CompletableFuture<List<Sample>> client : clients) {
      samples.addAll(client.get());
    }
    double cpu = (os.getProcessCpuTime() - cpuAtStart[0]) / 1e9 / seconds / Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "%s: %,d requests in %d s (%.0f/s), CPU %.0f %% of all cores, %d failed%n", label,
        samples.size(), seconds, samples.size() / (double) seconds, cpu * 100, failures.get());
    print("  GET  /api/guilds/{guild}/sessions (10 sessions)", samples.stream().filter(Sample::read).toList());
    print("  POST /api/sessions/{session}/commands (202)", samples.stream().filter(s -> !s.read()).toList());
  }

  private static List<Sample> client(HttpClient http, URI base, String secret, List<Long> guildIds, List<Long> playing,
      Duration pause, long warmupEnd, long end, AtomicLong failures) {
    List<Sample> samples = new ArrayList<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try {
      while (System.nanoTime() < end) {
        boolean read = random.nextBoolean();
        HttpRequest.Builder request;
        if (read) {
          request = HttpRequest.newBuilder(base.resolve("/api/guilds/" + guildIds.get(random.nextInt(guildIds.size()))
              + "/sessions")).GET();
        } else {
          long session = playing.get(random.nextInt(playing.size()));
          request = HttpRequest.newBuilder(base.resolve("/api/sessions/" + session + "/commands"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"kind\": \"VOLUME\", \"volume\": " + random.nextInt(151) + "}"));
        }
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + secret)
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != (read ? 200 : 202)) {
          failures.incrementAndGet();
        }
        if (start >= warmupEnd) {
          samples.add(new Sample(read, nanos, response.statusCode()));
        }
        if (!pause.isZero()) {
          Thread.sleep(pause.toMillis()); // the client's own pace, not a wait for the server
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return samples;
  }

  private static void print(String label, List<Sample> samples) {
    long[] nanos = samples.stream().mapToLong(Sample::nanos).toArray();
    if (nanos.length == 0) {
      System.out.printf(Locale.ROOT, "%-50s no samples%n", label);
      return;
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "%-50s n %,7d  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", label,
        nanos.length, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.90)] / 1e6,
        nanos[(int) (nanos.length * 0.99)] / 1e6, nanos[nanos.length - 1] / 1e6);
  }

  /** A voice side where each track plays for its hour unless stopped. */
  private static final class HourLongVoice implements VoicePort {
    @Override
    public Connection join(VoiceSlot slot, long channelId, String topic) {
      return new Connection() {
        @Override
        public PlayingTrack play(Track track, Duration from) {
          CompletableFuture<TrackEnd> ended = new CompletableFuture<>();
          return new PlayingTrack() {
            @Override
            public CompletableFuture<TrackEnd> ended() {
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
            public void stop() {
              ended.complete(TrackEnd.STOPPED);
            }
          };
        }

        @Override
        public void volume(int percent) {}

        @Override
        public void leave() {}
      };
    }
  }

}
