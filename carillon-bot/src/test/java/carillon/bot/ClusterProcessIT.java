package carillon.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.app.DemoAudio;
import carillon.bot.cluster.ShardOwnership;
import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.guild.Role;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.AudioProbe;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.bot.testing.PostgresServer;
import carillon.bot.web.auth.AdminAccounts;
import carillon.bot.web.auth.TokensInStore;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import carillon.tasks.TimeSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 with real separate processes: {@code carillon run} JVMs on one PostgreSQL and one emulator, one
 * bot account whose guilds are spread over its shards. Each session is played once, by the process that holds
 * its guild's shard; an edit and a command sent to a process that does not hold the guild take effect; kill
 * -9 of a holder mid-session and another resumes its runs once, within the failover bound, and a command sent
 * meanwhile is carried out; a process that joins takes its share and the runs of the shards it takes are
 * resumed once, after a measured gap; PostgreSQL restarting under the processes plays nothing twice. Every
 * measured figure is printed. Failure messages carry every process's output.
 */
class ClusterProcessIT {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();
  private static final Pattern HOLDS =
      Pattern.compile("(?m)^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Cluster: process \\S+ (?:now )?holds shards \\[([0-9, ]*)\\]");
  private static final Pattern RELEASED =
      Pattern.compile("(?m)^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Cluster: process \\S+ released shard (\\d+) ");
  @TempDir Path dir;
  private DiscordEmulator discord;
  private BotAccount bot;
  private int shardCount;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** A guild with one session: its voice and text channel, its shard and the session's id. */
  private record Place(GuildHandle guild, long hall, long notices, int shard) {
    long id() {
      return guild.id();
    }
  }

  /** What the store was given: each guild's session, the track, and an API token for every guild. */
  private record Stored(Map<Long, Long> sessionOf, String track, String token) {}

  @AfterEach
  void stop() {
    processes.values().forEach(Process::destroyForcibly);
    if (discord != null) {
      discord.close();
    }
  }

  // ---- the proofs

  @Test
  void threeProcessesPlayEachSessionOnceFollowEditsAndCommandsSentAnywhereSurviveKill9AndMakeRoomForAFourth()
      throws Exception {
    shardCount = 6;
    startDiscord();
    // A guild on every shard, two on one of them; one more guild whose session is edited later.
    List<Place> places = places(8);
    Place edited = places.removeLast();
    Instant startAt = Instant.now().plus(Duration.ofSeconds(80)).truncatedTo(ChronoUnit.SECONDS);
    Stored stored = store(places, startAt, edited);
    List<String> first = List.of("a", "b", "c");
    for (String name : first) {
      start(name);
    }
    awaitShares(Map.of("a", 2, "b", 2, "c", 2));

    // Every session, all at the same instant, is played once: one voice connection per guild.
    for (Place place : places) {
      awaitOrFail(Duration.ofSeconds(150), "guild " + place.id() + " heard", () -> assertThat(heard(place.id())).isNotEmpty());
    }
    for (Place place : places) {
      assertThat(discord.voiceConnections().stream().filter(v -> v.guildId() == place.id()).toList())
          .as("voice connections in guild %s (shard %d): one, by the holder of its shard%n%s", place.id(), place.shard(),
              outputs()).hasSize(1);
    }

    // An edit sent to a process that does not hold the guild: its holder re-plans the session at once.
    String editHolder = holderOf(edited.shard());
    String editVia = first.stream().filter(n -> !n.equals(editHolder)).findFirst().orElseThrow();
    Instant editedStart = Instant.now().plus(Duration.ofSeconds(12)).truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> edit = send(editVia, HttpRequest.newBuilder(api(editVia, "/api/sessions/"
        + stored.sessionOf().get(edited.id()))).PUT(HttpRequest.BodyPublishers.ofString("""
        {"name": "Edited bell", "voiceChannel": "%d", "textChannel": "%d", "schedule": "once %s",
         "playlist": ["%s", "%s"], "gapSeconds": 1, "lateGraceMinutes": 5}"""
        .formatted(edited.hall(), edited.notices(), editedStart, stored.track(), stored.track()))), stored.token());
    assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);
    awaitOrFail(Duration.ofSeconds(60), "the edited session heard", () -> assertThat(heard(edited.id())).isNotEmpty());
    VoiceConnectionSnapshot editedRun = heard(edited.id()).getFirst();
    System.out.printf("edit sent to %s (holder %s): first audio %d ms after the edited start%n", editVia, editHolder,
        Duration.between(editedStart, editedRun.firstAudioAt().orElseThrow()).toMillis());
    assertThat(editedRun.firstAudioAt().orElseThrow()).as("played at the edited time, not before")
        .isAfterOrEqualTo(editedStart.minusMillis(100));
    places.add(edited);

    // A command sent to a process that does not hold the guild: the holder carries it out; ?wait= on the
    // sending process gets the result.
    Place commanded = places.getFirst();
    String commandHolder = holderOf(commanded.shard());
    String commandVia = first.stream().filter(n -> !n.equals(commandHolder)).findFirst().orElseThrow();
    HttpResponse<String> volume = command(commandVia, stored, commanded, 60, 20);
    assertThat(volume.body()).as("the command, waited for on %s, which does not hold the guild%n%s", commandVia, outputs())
        .contains("\"DONE\"").contains("60%");

    // kill -9 of a holder mid-session; a command sent to a survivor at once is carried out once a survivor
    // has taken the shard and resumed the run.
    String victim = "a";
    Set<Integer> victimShards = shardsNow(victim);
    List<Place> orphaned = places.stream().filter(p -> victimShards.contains(p.shard())).toList();
    assertThat(orphaned).as("guilds on %s's shards %s", victim, victimShards).isNotEmpty();
    Process killed = processes.get(victim);
    killed.destroyForcibly();
    assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Instant killedAt = Instant.now();
    Place afterKill = orphaned.getFirst();
    CompletableFuture<HttpResponse<String>> commandDuringFailover =
        CompletableFuture.supplyAsync(() -> commandUnchecked("b", stored, afterKill, 70, 40));
    for (Place place : orphaned) {
      awaitOrFail(Duration.ofSeconds(120), "guild " + place.id() + " resumed", () -> assertThat(heard(place.id())).hasSize(2));
    }
    Instant held = firstHeld(List.of("b", "c"), victimShards, killedAt);
    Duration bound = ShardOwnership.postgres(shardCount, "bound", () -> null).failoverBound();
    System.out.printf("kill -9: shards %s held by a survivor after %d ms (bound %d ms)%n", victimShards,
        Duration.between(killedAt, held).toMillis(), bound.toMillis());
    for (Place place : orphaned) {
      List<VoiceConnectionSnapshot> two = heardInOrder(place.id());
      System.out.printf("kill -9: guild %d (shard %d): audio again %d ms after the kill (voice connected after %d ms),"
              + " silence %d ms%n", place.id(), place.shard(),
          Duration.between(killedAt, firstAudio(two.get(1))).toMillis(),
          Duration.between(killedAt, two.get(1).connectedAt()).toMillis(),
          Duration.between(lastAudio(two.get(0)), firstAudio(two.get(1))).toMillis());
    }
    assertThat(Duration.between(killedAt, held)).as("failover bound%n%s", outputs()).isLessThanOrEqualTo(bound);
    HttpResponse<String> sentDuringFailover = commandDuringFailover.get(60, TimeUnit.SECONDS);
    assertThat(sentDuringFailover.body()).as("the command sent to b during the failover%n%s", outputs())
        .contains("\"DONE\"").contains("70%");
    assertThat(outputs()).contains("this process takes it up");

    // A fourth process joins: the two survivors (three shards each) release one each; the runs there are
    // handed over and resumed by the newcomer after a gap; the other guilds play on undisturbed.
    Map<Long, Integer> heardBefore = new HashMap<>();
    for (Place place : places) {
      heardBefore.put(place.id(), heard(place.id()).size());
    }
    start("d");
    awaitShares(Map.of("b", 2, "c", 2, "d", 2));
    Set<Integer> moved = shardsNow("d");
    List<Place> handedOver = places.stream().filter(p -> moved.contains(p.shard())).toList();
    List<Place> stayed = places.stream().filter(p -> !moved.contains(p.shard())).toList();
    for (Place place : handedOver) {
      awaitOrFail(Duration.ofSeconds(60), "guild " + place.id() + " resumed by d",
          () -> assertThat(heard(place.id())).hasSize(heardBefore.get(place.id()) + 1));
    }
    Instant rebalanced = Instant.now();
    Instant takenByD = firstHeld(List.of("d"), moved, Instant.EPOCH);
    Instant releasedAt = released(List.of("b", "c"), moved);
    System.out.printf("rebalance: shards %s released %s, held by d %d ms later (bound %d ms)%n", moved, releasedAt,
        Duration.between(releasedAt, takenByD).toMillis(), bound.toMillis());
    Duration longestGap = Duration.ZERO;
    for (Place place : handedOver) {
      List<VoiceConnectionSnapshot> all = heardInOrder(place.id());
      VoiceConnectionSnapshot before = all.get(all.size() - 2);
      VoiceConnectionSnapshot after = all.getLast();
      Duration gap = Duration.between(lastAudio(before), firstAudio(after));
      longestGap = gap.compareTo(longestGap) > 0 ? gap : longestGap;
      // Measured and printed, not asserted: the bound is about the shard's lock (asserted below, from its
      // release); the silence adds the old holder's stop before its release and each process's scheduling on a
      // shared machine (4.65 s once under load). That the guild was heard once is asserted at the end.
      System.out.printf("rebalance: guild %d (shard %d): silence %d ms (last audio to shard held %d ms, shard held to"
              + " voice connected %d ms, voice connected to audio %d ms)%n", place.id(), place.shard(), gap.toMillis(),
          Duration.between(lastAudio(before), takenByD).toMillis(),
          Duration.between(takenByD, after.connectedAt()).toMillis(),
          Duration.between(after.connectedAt(), firstAudio(after)).toMillis());
    }
    System.out.printf("rebalance: longest silence %d ms%n", longestGap.toMillis());
    assertThat(Duration.between(releasedAt, takenByD)).as("a released shard is held again within the bound%n%s", outputs())
        .isLessThanOrEqualTo(bound);
    for (Place place : stayed) {
      awaitOrFail(Duration.ofSeconds(10), "guild " + place.id() + " plays on after the rebalance",
          () -> assertThat(lastAudio(heardInOrder(place.id()).getLast())).isAfter(rebalanced));
      assertThat(heard(place.id())).as("guild %d (shard %d) not interrupted by the rebalance", place.id(), place.shard())
          .hasSize(heardBefore.get(place.id()));
    }

    // Through all of it, each channel heard its session once: one run each, audio never overlapping.
    for (Place place : places) {
      assertHeardOnce(place);
    }
    assertOneRunEach(stored);
  }

  @Test
  void postgresqlRestartingUnderTwoProcessesPlaysNothingTwiceAndTheRunsGoOnOnce() throws Exception {
    shardCount = 2;
    startDiscord();
    List<Place> places = places(2);
    Instant startAt = Instant.now().plus(Duration.ofSeconds(60)).truncatedTo(ChronoUnit.SECONDS);
    Stored stored = store(places, startAt, null);
    start("a");
    start("b");
    awaitShares(Map.of("a", 1, "b", 1));
    for (Place place : places) {
      awaitOrFail(Duration.ofSeconds(150), "guild " + place.id() + " heard", () -> assertThat(heard(place.id())).isNotEmpty());
    }

    Map<String, Integer> lostBefore = new HashMap<>();
    for (String name : processes.keySet()) {
      lostBefore.put(name, count(output(name), "lost its lock connection"));
    }
    postgres.stop();
    Instant stoppedAt = Instant.now();
    // Both notice (their next check fails) and stop playing; then PostgreSQL comes back on the same port and data.
    awaitOrFail(Duration.ofSeconds(30), "both processes noticed PostgreSQL stopping", () -> {
      for (String name : processes.keySet()) {
        assertThat(count(output(name), "lost its lock connection")).as(name).isGreaterThan(lostBefore.get(name));
      }
    });
    postgres.start();
    Instant restartedAt = Instant.now();
    System.out.printf("PostgreSQL down for %d ms%n", Duration.between(stoppedAt, restartedAt).toMillis());
    for (Place place : places) {
      awaitOrFail(Duration.ofSeconds(90), "guild " + place.id() + " heard again after the restart",
          () -> assertThat(heardInOrder(place.id()).getLast().firstAudioAt()).hasValueSatisfying(
              at -> assertThat(at).isAfter(restartedAt)));
    }
    for (Place place : places) {
      List<VoiceConnectionSnapshot> all = heardInOrder(place.id());
      VoiceConnectionSnapshot after = all.getLast();
      VoiceConnectionSnapshot before = all.get(all.size() - 2);
      System.out.printf("PostgreSQL restart: guild %d: silence %d ms, audio again %d ms after the restart%n", place.id(),
          Duration.between(lastAudio(before), firstAudio(after)).toMillis(),
          Duration.between(restartedAt, firstAudio(after)).toMillis());
      assertThat(all).as("guild %d: the first connection and one after the restart%n%s", place.id(), outputs()).hasSize(2);
      assertHeardOnce(place);
    }
    assertOneRunEach(stored);
  }

  // ---- the world

  private void startDiscord() {
    discord = DiscordEmulator.builder().voice(VoiceServer.start()).start();
    bot = discord.createBot("Carillon");
  }

  /**
   * {@code count} guilds with the bot, a text and a voice channel, one on every shard first:
   * {@code (guild_id >> 22) % shards} is the snowflake's millisecond modulo the shard count.
   */
  private List<Place> places(int count) throws InterruptedException {
    List<Place> places = new ArrayList<>();
    Set<Integer> covered = new TreeSet<>();
    for (int i = 0; places.size() < count && i < 2000; i++) {
      GuildHandle guild = discord.createGuild("Guild " + i);
      int shard = ShardOwnership.shardOf(guild.id(), shardCount);
      if (covered.add(shard) || covered.size() == shardCount) {
        guild.addMember(bot);
        long notices = guild.createTextChannel("notices");
        places.add(new Place(guild, guild.createVoiceChannel("Hall"), notices, shard));
      }
      Thread.sleep(1); // a new millisecond for the next snowflake (not synchronisation: a different id)
    }
    assertThat(places).hasSize(count);
    return places;
  }

  /**
   * Imports a 90 s tone and gives each place a session of it twice (about three minutes) at {@code startAt};
   * {@code edited}, if given, gets one a day later.
   */
  private Stored store(List<Place> places, Instant startAt, Place edited) throws Exception {
    Path dataDir = dir.resolve("data");
    Files.createDirectories(dataDir);
    Map<Long, Long> sessionOf = new HashMap<>();
    try (Database db = postgres.database().get(); AudioProbe probe = new AudioProbe()) {
      GuildDirectory guilds = new GuildDirectory(db);
      Path wav = Files.write(dir.resolve("long tone.wav"), DemoAudio.tone(440, 90));
      String track = new AudioLibrary(dataDir, db, Clock.systemUTC(), probe, 100L * 1024 * 1024, new LoudnessTarget(-18))
          .importFile(wav, "Long tone").id();
      Sessions sessions = new Sessions(db, guilds, TimeSource.system());
      List<Place> all = new ArrayList<>(places);
      if (edited != null) {
        all.add(edited);
      }
      for (Place place : all) {
        guilds.replaceGuild(place.id(), List.of(new Channel(place.id(), place.notices(), "notices", Channel.Kind.TEXT),
            new Channel(place.id(), place.hall(), "Hall", Channel.Kind.VOICE)),
            List.of(new Role(place.id(), place.id(), "@everyone")));
        Instant at = place == edited ? startAt.plus(Duration.ofDays(1)) : startAt;
        Session session = sessions.create(SessionSpec.builder(place.id(), "Evening bell").voiceChannel(place.hall())
            .textChannel(place.notices()).schedule("once " + at).playlist(List.of(track, track))
            .gap(Duration.ofSeconds(1)).lateGrace(Duration.ofMinutes(5)).build());
        sessionOf.put(place.id(), session.id());
      }
      TimeSource time = TimeSource.system();
      AdminAccounts.Account admin = new AdminAccounts(db, time).create("operator", "a long enough password", true, Set.of());
      String token = TokensInStore.issue(db, time, admin.id(), "test", Set.copyOf(sessionOf.keySet()), Duration.ofHours(1));
      return new Stored(sessionOf, track, token);
    }
  }

  /** Starts {@code carillon run} as a child JVM with its output in {@code name.txt}. */
  private void start(String name) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml", Main.class.getName(), "run")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".txt").toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("CARILLON_"));
    builder.environment().putAll(Map.of("CARILLON_WEB_ADDRESS", "127.0.0.1:0",
        "CARILLON_DATA_DIR", dir.resolve("data").toString(),
        "CARILLON_DATABASE_URL", postgres.jdbcUrl(), "CARILLON_DATABASE_USER", "postgres",
        "CARILLON_DATABASE_PASSWORD", "postgres", "CARILLON_ACCOUNTS_MAIN_TOKEN", bot.token(),
        "CARILLON_ACCOUNTS_MAIN_SHARDS", String.valueOf(shardCount),
        "CARILLON_DISCORD_ENDPOINT", "http://127.0.0.1:" + discord.port()));
    processes.put(name, builder.start());
  }

  // ---- observing the processes

  private String output(String name) throws IOException {
    Path file = dir.resolve(name + ".txt");
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  /** Every process's output, for failure messages. */
  private String outputs() {
    StringBuilder all = new StringBuilder();
    for (String name : processes.keySet()) {
      try {
        all.append("\n---- process ").append(name).append(processes.get(name).isAlive() ? "" : " (ended)").append(":\n")
            .append(output(name));
      } catch (IOException e) {
        all.append("\n---- process ").append(name).append(": output unreadable: ").append(e);
      }
    }
    return all.toString();
  }

  private void awaitOrFail(Duration atMost, String what, ThrowingRunnable check) {
    try {
      await().atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(check);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + ": " + e.getMessage() + outputs(), e);
    }
  }

  /** Waits until the processes named hold these many shards each, all of them in all, and are alive. */
  private void awaitShares(Map<String, Integer> shares) {
    awaitOrFail(Duration.ofSeconds(120), "shares " + shares, () -> {
      int total = 0;
      for (var share : shares.entrySet()) {
        assertThat(processes.get(share.getKey()).isAlive()).as("%s alive", share.getKey()).isTrue();
        assertThat(shardsNow(share.getKey())).as("shards of %s", share.getKey()).hasSize(share.getValue());
        total += share.getValue();
      }
      assertThat(total).isEqualTo(shardCount);
      Set<Integer> union = new TreeSet<>();
      shares.keySet().forEach(name -> union.addAll(shardsNowUnchecked(name)));
      assertThat(union).hasSize(shardCount);
    });
  }

  /** The shards a process reported holding last. */
  private Set<Integer> shardsNow(String name) throws IOException {
    Matcher m = HOLDS.matcher(output(name));
    Set<Integer> last = Set.of();
    while (m.find()) {
      last = shards(m.group(2));
    }
    return last;
  }

  private Set<Integer> shardsNowUnchecked(String name) {
    try {
      return shardsNow(name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<Integer> shards(String list) {
    return list.isBlank() ? Set.of()
        : List.of(list.split(",\\s*")).stream().map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
  }

  private String holderOf(int shard) throws IOException {
    for (String name : processes.keySet()) {
      if (processes.get(name).isAlive() && shardsNow(name).contains(shard)) {
        return name;
      }
    }
    throw new AssertionError("nobody holds shard " + shard + outputs());
  }

  /** When (by its log) one of {@code names} first reported holding all of {@code wanted} (together), after {@code after}. */
  private Instant firstHeld(List<String> names, Set<Integer> wanted, Instant after) throws IOException {
    Set<Integer> seen = new TreeSet<>();
    List<Map.Entry<Instant, Set<Integer>>> reports = new ArrayList<>();
    for (String name : names) {
      Matcher m = HOLDS.matcher(output(name));
      while (m.find()) {
        Instant at = logTime(m.group(1));
        if (!at.isBefore(after.truncatedTo(ChronoUnit.MILLIS))) {
          reports.add(Map.entry(at, shards(m.group(2))));
        }
      }
    }
    reports.sort(Map.Entry.comparingByKey());
    for (var report : reports) {
      report.getValue().stream().filter(wanted::contains).forEach(seen::add);
      if (seen.containsAll(wanted)) {
        return report.getKey();
      }
    }
    throw new AssertionError("shards " + wanted + " not reported held by " + names + outputs());
  }

  /** When (by their logs) the last of {@code wanted} was released by one of {@code names}. */
  private Instant released(List<String> names, Set<Integer> wanted) throws IOException {
    Map<Integer, Instant> at = new HashMap<>();
    for (String name : names) {
      Matcher m = RELEASED.matcher(output(name));
      while (m.find()) {
        at.merge(Integer.valueOf(m.group(2)), logTime(m.group(1)), (x, y) -> x.isAfter(y) ? x : y);
      }
    }
    assertThat(at.keySet()).as("released shards%s", outputs()).containsAll(wanted);
    return wanted.stream().map(at::get).max(Comparator.naturalOrder()).orElseThrow();
  }

  /** A child's log time (HH:mm:ss.SSS, this machine's zone, today). */
  private static Instant logTime(String time) {
    ZoneId zone = ZoneId.systemDefault();
    return LocalDate.now(zone).atTime(LocalTime.parse(time)).atZone(zone).toInstant();
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  // ---- what the emulator heard

  private List<VoiceConnectionSnapshot> heard(long guildId) {
    return discord.voiceConnections().stream().filter(v -> v.guildId() == guildId && v.audioPackets() > 0).toList();
  }

  private List<VoiceConnectionSnapshot> heardInOrder(long guildId) {
    return heard(guildId).stream().sorted(Comparator.comparing(ClusterProcessIT::firstAudio)).toList();
  }

  private static Instant firstAudio(VoiceConnectionSnapshot connection) {
    return connection.firstAudioAt().orElseThrow();
  }

  private static Instant lastAudio(VoiceConnectionSnapshot connection) {
    return firstAudio(connection).plus(connection.spurts().getLast().end());
  }

  /** The channel heard the session once: no two connections' audio overlapped. */
  private void assertHeardOnce(Place place) {
    List<VoiceConnectionSnapshot> all = heardInOrder(place.id());
    for (int i = 1; i < all.size(); i++) {
      assertThat(firstAudio(all.get(i))).as("guild %d: connection %d's audio began after connection %d's ended%s",
          place.id(), i + 1, i, outputs()).isAfterOrEqualTo(lastAudio(all.get(i - 1)));
    }
  }

  /** One run per session (resumed, never started again), still playing. */
  private void assertOneRunEach(Stored stored) {
    try (Database db = postgres.database().get()) {
      for (long sessionId : stored.sessionOf().values()) {
        List<String> outcomes = db.withHandle(h -> h.createQuery("SELECT outcome FROM run WHERE session_id = ?")
            .bind(0, sessionId).mapTo(String.class).list());
        assertThat(outcomes).as("runs of session %d%s", sessionId, outputs()).containsExactly("RUNNING");
      }
    }
  }

  // ---- the API

  private URI api(String name, String path) throws IOException {
    Matcher m = Pattern.compile("API at http://[^:]+:(\\d+)/").matcher(output(name));
    assertThat(m.find()).as("the web server of %s started", name).isTrue();
    return URI.create("http://127.0.0.1:" + m.group(1) + path);
  }

  private HttpResponse<String> send(String name, HttpRequest.Builder request, String token) throws Exception {
    return http.send(request.header("Authorization", "Bearer " + token).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a VOLUME command to process {@code name} and waits for its result there ({@code ?wait=}). */
  private HttpResponse<String> command(String name, Stored stored, Place place, int volume, int waitSeconds)
      throws Exception {
    HttpResponse<String> sent = send(name, HttpRequest.newBuilder(api(name, "/api/sessions/"
            + stored.sessionOf().get(place.id()) + "/commands"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"volume\",\"volume\":\"" + volume + "\"}")), stored.token());
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String location = sent.headers().firstValue("Location").orElseThrow();
    return send(name, HttpRequest.newBuilder(api(name, location + "?wait=" + waitSeconds)).GET(), stored.token());
  }

  private HttpResponse<String> commandUnchecked(String name, Stored stored, Place place, int volume, int waitSeconds) {
    try {
      return command(name, stored, place, volume, waitSeconds);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
