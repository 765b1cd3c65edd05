package carillon.bot.app;

import carillon.bot.Main;
import carillon.bot.cluster.ShardOwnership;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.AudioProbe;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.store.Database;
import carillon.bot.web.auth.AdminAccounts;
import carillon.bot.web.auth.TokensInStore;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import carillon.tasks.TimeSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Carillon as a cluster (issue 13), measured with real separate {@code carillon run} processes: the emulator
 * (voice included; a new one for each configuration) and one embedded PostgreSQL in this JVM, then 1 process and N processes side by side in
 * one run, each configuration on its own database, bot account and guilds but with the same workload: G
 * guilds spread evenly over S shards of one account, every guild a session at the same scheduled instant,
 * created through the API of one process once every process is ready (so the holders learn of them by
 * LISTEN/NOTIFY, as in production).
 *
 * <p>Figures per configuration: sessions per process (runs each process claimed); scheduled-start lateness
 * (scheduled instant to the run's {@code started_at} in the store) and first audio (scheduled instant to the
 * first audio packet of the guild at the emulator), p50/p99/max over guilds; CPU of the Carillon processes
 * (from /proc, through {@link ProcessHandle.Info#totalCpuDuration}) to start and while the sessions play;
 * and, with more than one process, failover: kill -9 of one process mid-session, then for each guild it
 * played, the time from the kill to the first audio packet of the process that resumed it (p50/max), and
 * whether any guild heard two processes at once. Run with {@code scripts/benchmark-cluster [KEY=VALUE ...]}:
 * {@code guilds=60 shards=6 processes=1,3 track=30 lead=25 kill=10 rounds=1 warmup=0} (track, lead, kill and
 * warmup in seconds; rounds repeat the configurations alternately, and the percentiles over all rounds pool
 * every guild; a warmup plays a session of that length in every guild first, so that the measured sessions
 * run on processes past their first play, as a process that has run for a while is).
 */
public final class ClusterBenchmark {
  private static final Pattern HOLDS =
      Pattern.compile("Cluster: process (\\S+) (?:now )?holds shards \\[([0-9, ]*)\\]");
  private static final Pattern JOINED = Pattern.compile("Cluster: process (\\S+) joined as member");
  private static final Pattern API = Pattern.compile("API at http://[^:]+:(\\d+)/");
  /** The tone measures -11.2 LUFS: played at that target the Ogg/Opus copy passes through (as in StreamsBenchmark). */
  private static final String TARGET_LOUDNESS = "-11.2";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final Options options;
  private final EmbeddedPostgres postgres;
  private final Path work;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final TimeSource time = TimeSource.system();

  /** The workload and the configurations to compare. */
  record Options(int guilds, int shards, List<Integer> processes, Duration track, Duration lead, Duration kill,
      int rounds, Duration warmup) {
    static Options parse(String[] args) {
      Map<String, String> given = new LinkedHashMap<>(Map.of("guilds", "60", "shards", "6", "processes", "1,3",
          "track", "30", "lead", "25", "kill", "10", "rounds", "1", "warmup", "0"));
      for (String arg : args) {
        String[] kv = arg.split("=", 2);
        if (kv.length != 2 || !given.containsKey(kv[0])) {
          throw new IllegalArgumentException("'" + arg + "': use KEY=VALUE with KEY one of " + given.keySet());
        }
        given.put(kv[0], kv[1]);
      }
      Options o = new Options(Integer.parseInt(given.get("guilds")), Integer.parseInt(given.get("shards")),
          List.of(given.get("processes").split(",")).stream().map(String::strip).map(Integer::parseInt).toList(),
          Duration.ofSeconds(Long.parseLong(given.get("track"))), Duration.ofSeconds(Long.parseLong(given.get("lead"))),
          Duration.ofSeconds(Long.parseLong(given.get("kill"))), Integer.parseInt(given.get("rounds")),
          Duration.ofSeconds(Long.parseLong(given.get("warmup"))));
      if (o.kill.plusSeconds(8).compareTo(o.track) > 0) {
        throw new IllegalArgumentException("track must outlast the kill by the failover bound and a voice join: "
            + "track >= kill + 8 s");
      }
      if (o.lead.compareTo(Duration.ofSeconds(15)) < 0) {
        throw new IllegalArgumentException("lead must leave time to create the sessions before the 10 s join-ahead: "
            + "at least 15 s");
      }
      return o;
    }
  }

  private ClusterBenchmark(Options options, EmbeddedPostgres postgres, Path work) {
    this.options = options;
    this.postgres = postgres;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path work = Files.createTempDirectory("carillon-cluster-");
    System.out.printf(Locale.ROOT, "Cluster benchmark, %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), Runtime.version());
    System.out.printf(Locale.ROOT, "%d guilds over %d shards of one account, one session each at the same instant "
            + "(created %d s ahead through one process's API), %d s track; kill -9 of one process %d s into the sessions "
            + "(with more than one process); %d round(s); %s; logs in %s%n", options.guilds, options.shards,
        options.lead.toSeconds(), options.track.toSeconds(), options.kill.toSeconds(), options.rounds,
        options.warmup.isZero() ? "no warm-up: the measured sessions are each process's first"
            : "a " + options.warmup.toSeconds() + " s warm-up session in every guild first", work);
    List<Result> results = new ArrayList<>();
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      ClusterBenchmark bench = new ClusterBenchmark(options, postgres, work);
      System.out.println("round  processes  sessions/process  start lateness p50/p99/max (ms)  first audio p50/p99/max (ms)  "
          + "run start to audio p50/p99 (ms)  "
          + "cpu to start (s/process)  cpu playing (cores, all)  failover p50/max (ms)  guilds heard/overlaps");
      for (int round = 1; round <= options.rounds; round++) {
        for (int n : options.processes) {
          Result r = bench.measure(round, n);
          results.add(r);
          System.out.printf(Locale.ROOT, "%5d  %9d  %16s  %31s  %28s  %31s  %24.1f  %24.2f  %21s  %d/%d%n", r.round, r.processes,
              r.sessionsPerProcess.values().stream().map(String::valueOf).collect(Collectors.joining("/")),
              triple(r.lateness), triple(r.firstAudio), String.format(Locale.ROOT, "%.0f / %.0f",
                  percentile(r.startToAudio, 0.5), percentile(r.startToAudio, 0.99)), r.startCpuPerProcess, r.playingCores,
              r.failover.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f / %.0f", percentile(r.failover, 0.5),
                  r.failover[r.failover.length - 1]), r.guildsHeard, r.overlaps);
        }
      }
    }
    // Every round's guilds together, per configuration.
    Map<Integer, double[][]> pooled = new LinkedHashMap<>();
    for (int n : options.processes) {
      List<Result> of = results.stream().filter(r -> r.processes == n).toList();
      pooled.put(n, new double[][] {pool(of.stream().map(Result::lateness).toList()),
          pool(of.stream().map(Result::firstAudio).toList()), pool(of.stream().map(Result::failover).toList())});
    }
    System.out.println();
    System.out.println("all rounds: processes  guilds  start lateness p50/p99/max (ms)  first audio p50/p99/max (ms)  "
        + "failover p50/max (ms)");
    pooled.forEach((n, p) -> System.out.printf(Locale.ROOT, "            %9d  %6d  %31s  %28s  %21s%n", n,
        p[1].length, triple(p[0]), triple(p[1]), p[2].length == 0 ? "n/a"
            : String.format(Locale.ROOT, "%.0f / %.0f", percentile(p[2], 0.5), p[2][p[2].length - 1])));
    if (pooled.size() >= 2) {
      int first = options.processes.getFirst();
      double[][] one = pooled.get(first);
      for (int n : options.processes.subList(1, options.processes.size())) {
        double[][] p = pooled.get(n);
        System.out.printf(Locale.ROOT, "%d vs %d processes: start lateness p99 %+.0f ms, first audio p99 %+.0f ms "
                + "(issue 13: neither may get worse)%n", n, first, percentile(p[0], 0.99) - percentile(one[0], 0.99),
            percentile(p[1], 0.99) - percentile(one[1], 0.99));
      }
    }
  }

  private static double[] pool(List<double[]> arrays) {
    return arrays.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
  }

  /** What one configuration measured; times in milliseconds, sorted. */
  private record Result(int round, int processes, Map<String, Integer> sessionsPerProcess, double[] lateness, double[] firstAudio,
      double[] startToAudio, double startCpuPerProcess, double playingCores, double[] failover, int guildsHeard, int overlaps) {}

  /** One {@code carillon run} child process and where its output goes. */
  private record Child(String name, Process process, Path output) {
    String log() throws IOException {
      return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    /** The process's cluster id, as it writes it in run.owner. */
    Optional<String> clusterId() throws IOException {
      Matcher m = JOINED.matcher(log());
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The shards it said it holds last. */
    Set<Integer> shards() throws IOException {
      Matcher m = HOLDS.matcher(log());
      Set<Integer> last = Set.of();
      while (m.find()) {
        last = m.group(2).isBlank() ? Set.of()
            : List.of(m.group(2).split(",\\s*")).stream().map(Integer::parseInt).collect(Collectors.toSet());
      }
      return last;
    }

    Optional<Integer> webPort() throws IOException {
      Matcher m = API.matcher(log());
      return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    Duration cpu() {
      return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
  }

  /** One configuration, on an emulator of its own (it keeps every connection's decoded audio until closed). */
  private Result measure(int round, int count) throws Exception {
    try (DiscordEmulator discord = DiscordEmulator.builder().voice(VoiceServer.start()).start()) {
      return measure(discord, round, count);
    }
  }

  private Result measure(DiscordEmulator discord, int round, int count) throws Exception {
    String config = round + "-" + count;
    Path dir = Files.createDirectories(work.resolve("round" + round + "-" + count + "-processes"));
    Path dataDir = Files.createDirectories(dir.resolve("data"));
    String url = newDatabase("cluster_" + round + "_" + count);
    BotAccount bot = discord.createBot("Carillon " + config);
    Map<Long, Long> hallOf = new LinkedHashMap<>();
    Map<Long, Long> noticesOf = new HashMap<>();
    for (GuildHandle guild : guildsOverShards(discord, config)) {
      guild.addMember(bot);
      hallOf.put(guild.id(), guild.createVoiceChannel("Hall"));
      noticesOf.put(guild.id(), guild.createTextChannel("notices"));
    }
    String track;
    String warmTrack = null;
    String token;
    try (Database db = Database.openPostgres(url, "postgres", "postgres"); AudioProbe probe = new AudioProbe()) {
      Path wav = Files.write(dir.resolve("tone.wav"), DemoAudio.tone(440, options.track.toSeconds()));
      track = new AudioLibrary(dataDir, db, Clock.systemUTC(), probe, 100L * 1024 * 1024,
          new LoudnessTarget(Double.parseDouble(TARGET_LOUDNESS))).importFile(wav, "Tone").id();
      if (!options.warmup.isZero()) {
        Path warm = Files.write(dir.resolve("warm-up.wav"), DemoAudio.tone(660, options.warmup.toSeconds()));
        warmTrack = new AudioLibrary(dataDir, db, Clock.systemUTC(), probe, 100L * 1024 * 1024,
            new LoudnessTarget(Double.parseDouble(TARGET_LOUDNESS))).importFile(warm, "Warm-up").id();
      }
      AdminAccounts.Account admin = new AdminAccounts(db, time).create("operator", "a long enough password", true, Set.of());
      token = TokensInStore.issue(db, time, admin.id(), "benchmark", Set.copyOf(hallOf.keySet()), Duration.ofHours(2));
    }

    List<Child> children = new ArrayList<>();
    try {
      for (int i = 1; i <= count; i++) {
        children.add(start(discord, "p" + i, dir, dataDir, url, bot));
      }
      String api = awaitReady(children, token, hallOf.keySet());
      Map<Child, Duration> cpuAtReady = new LinkedHashMap<>();
      children.forEach(c -> cpuAtReady.put(c, c.cpu()));

      // Every session through the first process's API: the holders of the other shards hear of them by NOTIFY.
      // With a warm-up, every guild first plays a short session, as a process that has run for a while has:
      // the measured sessions then start 15 s after it ended (more than the 10 s join-ahead).
      Instant first = time.now().plus(options.lead).truncatedTo(ChronoUnit.SECONDS);
      Instant start = options.warmup.isZero() ? first : first.plus(options.warmup).plusSeconds(15);
      for (long guild : hallOf.keySet()) {
        if (warmTrack != null) {
          createSession(api, token, guild, "Warm-up", hallOf.get(guild), noticesOf.get(guild), warmTrack, first);
        }
        createSession(api, token, guild, "Bell", hallOf.get(guild), noticesOf.get(guild), track, start);
      }
      Duration spare = Duration.between(time.now(), first);
      if (spare.compareTo(Duration.ofSeconds(10)) < 0) {
        System.out.printf(Locale.ROOT, "  (the sessions were created only %d ms before their start: inside the 10 s join-ahead)%n",
            spare.toMillis());
      }

      Instant killAt = start.plus(options.kill);
      time.sleepUntil(start);
      Map<Child, Duration> cpuAtStart = new LinkedHashMap<>();
      children.forEach(c -> cpuAtStart.put(c, c.cpu()));
      long wallAtStart = System.nanoTime();
      time.sleepUntil(killAt);
      double playingCpu = children.stream().mapToDouble(c -> c.cpu().minus(cpuAtStart.get(c)).toNanos()).sum();
      double playingCores = playingCpu / (System.nanoTime() - wallAtStart);
      double startCpu = cpuAtReady.values().stream().mapToDouble(d -> d.toNanos() / 1e9).average().orElse(0);

      Map<Long, String> ownerOf = owners(url, start);
      Map<String, String> nameOf = new HashMap<>();
      for (Child c : children) {
        c.clusterId().ifPresent(id -> nameOf.put(id, c.name));
      }
      Map<String, Integer> perProcess = new TreeMap<>();
      children.forEach(c -> perProcess.put(c.name, 0));
      ownerOf.values().forEach(owner -> perProcess.merge(nameOf.getOrDefault(owner, "?"), 1, Integer::sum));

      Instant killed = null;
      Set<Long> orphaned = new TreeSet<>();
      if (count > 1) {
        Child victim = children.get(1);
        String victimId = victim.clusterId().orElseThrow();
        ownerOf.forEach((guild, owner) -> {
          if (owner.equals(victimId)) {
            orphaned.add(guild);
          }
        });
        victim.process.destroyForcibly(); // SIGKILL: no shutdown hook, PostgreSQL ends its backend
        killed = Instant.now();
        if (!victim.process.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("process " + victim.name + " survived kill -9");
        }
      }

      // Until every run ended (or long after it should have).
      Instant giveUp = start.plus(options.track).plus(options.kill).plusSeconds(60);
      while (running(url) > 0 && time.now().isBefore(giveUp)) {
        time.sleepUntil(time.now().plusMillis(500));
      }
      int stillRunning = running(url);
      if (stillRunning > 0) {
        System.out.printf(Locale.ROOT, "  (%d run(s) still RUNNING at the give-up time)%n", stillRunning);
      }
      Map<Long, Instant> started = startedAt(url, start);
      double[] lateness = hallOf.keySet().stream().filter(started::containsKey)
          .mapToDouble(g -> Duration.between(start, started.get(g)).toNanos() / 1e6).sorted().toArray();

      Map<Long, List<VoiceConnectionSnapshot>> heard = discord.voiceConnections().stream()
          .filter(v -> hallOf.containsKey(v.guildId()) && v.firstAudioAt().isPresent())
          .filter(v -> v.firstAudioAt().orElseThrow().isAfter(start.minusSeconds(5))) // not the warm-up's
          .collect(Collectors.groupingBy(VoiceConnectionSnapshot::guildId));
      Map<Long, Instant> firstHeard = new HashMap<>();
      heard.forEach((guild, list) -> firstHeard.put(guild, list.stream().map(v -> v.firstAudioAt().orElseThrow())
          .min(Comparator.naturalOrder()).orElseThrow()));
      double[] firstAudio = firstHeard.values().stream().mapToDouble(t -> Duration.between(start, t).toNanos() / 1e6)
          .sorted().toArray();
      // Where first audio's time goes: after the run started in the process, until its first packet arrived.
      double[] startToAudio = firstHeard.keySet().stream().filter(started::containsKey)
          .mapToDouble(g -> Duration.between(started.get(g), firstHeard.get(g)).toNanos() / 1e6).sorted().toArray();
      List<Double> failover = new ArrayList<>();
      for (long guild : orphaned) {
        Instant k = killed;
        heard.getOrDefault(guild, List.of()).stream().map(v -> v.firstAudioAt().orElseThrow())
            .filter(t -> t.isAfter(k)).min(Comparator.naturalOrder())
            .ifPresentOrElse(t -> failover.add(Duration.between(k, t).toNanos() / 1e6),
                () -> System.out.printf(Locale.ROOT, "  (guild %d was not heard again after the kill)%n", guild));
      }
      int overlaps = 0;
      for (List<VoiceConnectionSnapshot> list : heard.values()) {
        overlaps += overlapping(list);
      }
      if (lateness.length < options.guilds || firstAudio.length < options.guilds) {
        System.out.printf(Locale.ROOT, "  (%d of %d guilds started a run, %d were heard)%n", lateness.length,
            options.guilds, firstAudio.length);
      }
      return new Result(round, count, perProcess, lateness, firstAudio, startToAudio, startCpu, playingCores,
          failover.stream().mapToDouble(Double::doubleValue).sorted().toArray(), heard.size(), overlaps);
    } finally {
      stop(children);
    }
  }

  /**
   * The workload's guilds, the same number on each shard: a guild is on shard {@code (id >> 22) % shards}, the
   * snowflake's millisecond, so guilds are made until every shard has its share (the extra ones stay without
   * the bot, which never sees them).
   */
  private List<GuildHandle> guildsOverShards(DiscordEmulator discord, String config) throws InterruptedException {
    int perShard = (options.guilds + options.shards - 1) / options.shards;
    Map<Integer, Integer> onShard = new HashMap<>();
    List<GuildHandle> chosen = new ArrayList<>();
    for (int i = 0; chosen.size() < options.guilds; i++) {
      GuildHandle guild = discord.createGuild("Guild " + config + "-" + i);
      int shard = ShardOwnership.shardOf(guild.id(), options.shards);
      if (onShard.merge(shard, 1, Integer::sum) <= perShard) {
        chosen.add(guild);
      }
      Thread.sleep(1); // the next snowflake in another millisecond, so on another shard (not synchronisation)
    }
    return chosen;
  }

  private String newDatabase(String name) throws SQLException {
    try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  private Child start(DiscordEmulator discord, String name, Path dir, Path dataDir, String url, BotAccount bot) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path output = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml", Main.class.getName(), "run"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("CARILLON_"));
    builder.environment().putAll(Map.of("CARILLON_WEB_ADDRESS", "127.0.0.1:0", "CARILLON_DATA_DIR", dataDir.toString(),
        "CARILLON_DATABASE_URL", url, "CARILLON_DATABASE_USER", "postgres", "CARILLON_DATABASE_PASSWORD", "postgres",
        "CARILLON_ACCOUNTS_MAIN_TOKEN", bot.token(), "CARILLON_ACCOUNTS_MAIN_SHARDS", String.valueOf(options.shards),
        "CARILLON_DISCORD_ENDPOINT", "http://127.0.0.1:" + discord.port(),
        "CARILLON_PLAYBACK_TARGET_LOUDNESS", TARGET_LOUDNESS));
    return new Child(name, builder.start(), output);
  }

  /**
   * Until the shards are spread (every one held, each process its share), every process answers
   * /health/ready, and the first process's API knows every guild (their holders connected their shards and
   * wrote the guilds to the store's directory). Returns that API's base URL.
   */
  private String awaitReady(List<Child> children, String token, Set<Long> guilds) throws Exception {
    Instant deadline = time.now().plus(READY_TIMEOUT);
    int share = (options.shards + children.size() - 1) / children.size();
    while (true) {
      for (Child c : children) {
        if (!c.process.isAlive()) {
          throw new IllegalStateException("process " + c.name + " ended; its output:\n" + c.log());
        }
      }
      Set<Integer> held = new TreeSet<>();
      boolean spread = true;
      for (Child c : children) {
        Set<Integer> shards = c.shards();
        held.addAll(shards);
        spread &= !shards.isEmpty() && shards.size() <= share;
      }
      if (spread && held.size() == options.shards && allReady(children)) {
        String api = "http://127.0.0.1:" + children.getFirst().webPort().orElseThrow();
        if (allKnown(api, token, guilds)) {
          return api;
        }
      }
      if (time.now().isAfter(deadline)) {
        StringBuilder logs = new StringBuilder();
        for (Child c : children) {
          logs.append(c.name).append(":\n").append(c.log()).append('\n');
        }
        throw new IllegalStateException("the processes were not ready within " + READY_TIMEOUT + ":\n" + logs);
      }
      time.sleepUntil(time.now().plusMillis(250)); // polling the processes' logs and health: they have no push
    }
  }

  private boolean allReady(List<Child> children) throws IOException, InterruptedException {
    for (Child c : children) {
      Optional<Integer> port = c.webPort();
      if (port.isEmpty()) {
        return false;
      }
      try {
        HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get()
            + "/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() != 200) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private boolean allKnown(String api, String token, Set<Long> guilds) throws IOException, InterruptedException {
    for (long guild : guilds) {
      HttpResponse<Void> known = http.send(HttpRequest.newBuilder(URI.create(api + "/api/guilds/" + guild))
              .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding());
      if (known.statusCode() != 200) {
        return false;
      }
    }
    return true;
  }

  private void createSession(String api, String token, long guild, String name, long hall, long notices, String track,
      Instant start) throws IOException, InterruptedException {
    String body = String.format(Locale.ROOT, "{\"name\":\"%s\",\"voiceChannel\":\"%d\",\"textChannel\":\"%d\","
        + "\"schedule\":\"once %s\",\"playlist\":[\"%s\"],\"gapSeconds\":0,\"lateGraceMinutes\":5,"
        + "\"publishEvent\":false}", name, hall, notices, start, track);
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api + "/api/guilds/" + guild + "/sessions"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("creating the session of guild " + guild + ": " + created.statusCode() + " "
          + created.body());
    }
  }

  /** Guild → the owner of its run at {@code start} (the process that claimed it). */
  private static Map<Long, String> owners(String url, Instant start) throws SQLException {
    Map<Long, String> owners = new HashMap<>();
    query(url, "SELECT s.guild_id, r.owner FROM run r JOIN session s ON s.id = r.session_id WHERE r.scheduled_at = "
        + start.toEpochMilli(),
        rs -> owners.put(rs.getLong(1), rs.getString(2)));
    return owners;
  }

  /** Guild → when its run at {@code start} started playing. */
  private static Map<Long, Instant> startedAt(String url, Instant start) throws SQLException {
    Map<Long, Instant> started = new HashMap<>();
    query(url, "SELECT s.guild_id, r.started_at FROM run r JOIN session s ON s.id = r.session_id "
        + "WHERE r.started_at IS NOT NULL AND r.scheduled_at = " + start.toEpochMilli(), rs -> started.put(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2))));
    return started;
  }

  private static int running(String url) throws SQLException {
    int[] n = new int[1];
    query(url, "SELECT count(*) FROM run WHERE outcome = 'RUNNING'", rs -> n[0] = rs.getInt(1));
    return n[0];
  }

  private interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  private static void query(String url, String sql, Row row) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        row.read(rs);
      }
    }
  }

  /** Connections of one guild whose audio overlapped another's: the guild heard the session twice at once. */
  private static int overlapping(List<VoiceConnectionSnapshot> connections) {
    List<VoiceConnectionSnapshot> byStart = connections.stream()
        .sorted(Comparator.comparing(v -> v.firstAudioAt().orElseThrow())).toList();
    int overlaps = 0;
    for (int i = 1; i < byStart.size(); i++) {
      VoiceConnectionSnapshot before = byStart.get(i - 1);
      Instant lastHeard = before.firstAudioAt().orElseThrow().plus(before.spurts().isEmpty() ? Duration.ZERO
          : before.spurts().getLast().end());
      if (byStart.get(i).firstAudioAt().orElseThrow().isBefore(lastHeard)) {
        overlaps++;
      }
    }
    return overlaps;
  }

  /** SIGTERM (a clean shutdown, as an orchestrator stops a process), then SIGKILL if it hangs. */
  private static void stop(List<Child> children) throws InterruptedException {
    children.forEach(c -> c.process.destroy());
    for (Child c : children) {
      if (!c.process.waitFor(60, TimeUnit.SECONDS)) {
        c.process.destroyForcibly();
      }
    }
  }

  private static String triple(double[] sorted) {
    return sorted.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f / %.0f / %.0f", percentile(sorted, 0.5),
        percentile(sorted, 0.99), sorted[sorted.length - 1]);
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.clamp((int) Math.ceil(p * sorted.length) - 1, 0, sorted.length - 1)];
  }
}
