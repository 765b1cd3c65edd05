package carillon.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.app.DemoAudio;
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
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.GuildHandle;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import carillon.tasks.TimeSource;
import carillon.bot.web.auth.AdminAccounts;
import carillon.bot.web.auth.TokensInStore;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 with real separate processes: two {@code carillon run} JVMs on one PostgreSQL and one emulator,
 * an account with two shards and a session in a guild on each shard, both at the same instant. Each guild
 * is played once, by the process that holds its shard; kill -9 of one process mid-session and the other
 * resumes its run, once, within the failover bound.
 */
class ClusterProcessIT {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();
  private static final Pattern HOLDS = Pattern.compile("Cluster: process (\\S+) (?:now )?holds shards \\[([0-9, ]*)\\]");
  @TempDir Path dir;
  private DiscordEmulator discord;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    if (discord != null) {
      discord.close();
    }
  }

  private Process start(String name, BotAccount bot, Path dataDir) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml", Main.class.getName(), "run")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".txt").toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("CARILLON_"));
    builder.environment().putAll(Map.of("CARILLON_WEB_ADDRESS", "127.0.0.1:0", "CARILLON_DATA_DIR", dataDir.toString(),
        "CARILLON_DATABASE_URL", postgres.jdbcUrl(), "CARILLON_DATABASE_USER", "postgres",
        "CARILLON_DATABASE_PASSWORD", "postgres", "CARILLON_ACCOUNTS_MAIN_TOKEN", bot.token(),
        "CARILLON_ACCOUNTS_MAIN_SHARDS", "2", "CARILLON_DISCORD_ENDPOINT", "http://127.0.0.1:" + discord.port()));
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private String output(String name) throws IOException {
    Path file = dir.resolve(name + ".txt");
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private List<VoiceConnectionSnapshot> heard(long guildId) {
    return discord.voiceConnections().stream().filter(v -> v.guildId() == guildId && v.audioPackets() > 0).toList();
  }

  @Test
  void eachGuildIsPlayedOnceByItsShardsHolderAndAKilledHoldersRunIsResumedOnceByTheOther() throws Exception {
    discord = DiscordEmulator.builder().voice(VoiceServer.start()).start();
    BotAccount bot = discord.createBot("Carillon");
    // One guild on each of the two shards: (guild_id >> 22) % 2, the snowflake's millisecond.
    Map<Integer, GuildHandle> byShard = new HashMap<>();
    Map<Long, Long> hallOf = new HashMap<>();
    Map<Long, Long> noticesOf = new HashMap<>();
    for (int i = 0; byShard.size() < 2 && i < 200; i++) {
      GuildHandle guild = discord.createGuild("Guild " + i);
      int shard = (int) ((guild.id() >>> 22) % 2);
      if (byShard.putIfAbsent(shard, guild) == null) {
        guild.addMember(bot);
        noticesOf.put(guild.id(), guild.createTextChannel("notices"));
        hallOf.put(guild.id(), guild.createVoiceChannel("Hall"));
      }
      Thread.sleep(2); // a new millisecond for the next snowflake (not synchronisation: a different id)
    }
    assertThat(byShard).hasSize(2);

    Path dataDir = dir.resolve("data");
    Files.createDirectories(dataDir);
    Instant startAt = Instant.now().plus(Duration.ofSeconds(75)).truncatedTo(ChronoUnit.SECONDS);
    Map<Long, Long> sessionOf = new HashMap<>();
    String token;
    try (Database db = postgres.database().get(); AudioProbe probe = new AudioProbe()) {
      GuildDirectory guilds = new GuildDirectory(db);
      Path wav = Files.write(dir.resolve("long tone.wav"), DemoAudio.tone(440, 90));
      String track = new AudioLibrary(dataDir, db, Clock.systemUTC(), probe, 100L * 1024 * 1024, new LoudnessTarget(-18)).importFile(wav, "Long tone")
          .id();
      Sessions sessions = new Sessions(db, guilds, TimeSource.system());
      for (GuildHandle guild : byShard.values()) {
        long hall = hallOf.get(guild.id());
        long notices = noticesOf.get(guild.id());
        guilds.replaceGuild(guild.id(), List.of(new Channel(guild.id(), notices, "notices", Channel.Kind.TEXT),
            new Channel(guild.id(), hall, "Hall", Channel.Kind.VOICE)), List.of(new Role(guild.id(), guild.id(), "@everyone")));
        Session session = sessions.create(SessionSpec.builder(guild.id(), "Evening bell").voiceChannel(hall)
            .textChannel(notices).schedule("once " + startAt).playlist(List.of(track)).gap(Duration.ofSeconds(1))
            .lateGrace(Duration.ofMinutes(5)).build());
        sessionOf.put(guild.id(), session.id());
      }
      TimeSource time = TimeSource.system();
      AdminAccounts.Account admin = new AdminAccounts(db, time).create("operator", "a long enough password", true, Set.of());
      token = TokensInStore.issue(db, time, admin.id(), "test", Set.copyOf(sessionOf.keySet()), Duration.ofHours(1));
    }

    start("a", bot, dataDir);
    start("b", bot, dataDir);
    // Both joined: each holds one shard (the first one alone held both, then released one for the second).
    Map<String, String> holder = new HashMap<>();
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      for (String name : List.of("a", "b")) {
        assertThat(processes.get(name.equals("a") ? 0 : 1).isAlive()).as("%s alive; output:%n%s", name, output(name))
            .isTrue();
      }
      assertThat(shardsNow("a").size() + shardsNow("b").size()).as("shards held; a:%n%s%nb:%n%s", output("a"), output("b"))
          .isEqualTo(2);
      assertThat(shardsNow("a")).isNotEmpty();
      assertThat(shardsNow("b")).isNotEmpty();
    });
    holder.put("a", shardsNow("a").getFirst());
    holder.put("b", shardsNow("b").getFirst());

    for (GuildHandle guild : byShard.values()) {
      try {
        await().atMost(Duration.ofSeconds(150))
            .until(() -> !heard(guild.id()).isEmpty() || !processes.get(0).isAlive() || !processes.get(1).isAlive());
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("guild " + guild.id() + " not heard; a:\n" + output("a") + "\nb:\n" + output("b"), e);
      }
      assertThat(heard(guild.id())).as("guild %s heard; a:%n%s%nb:%n%s", guild.id(), output("a"), output("b"))
          .isNotEmpty();
    }
    for (GuildHandle guild : byShard.values()) {
      assertThat(discord.voiceConnections().stream().filter(v -> v.guildId() == guild.id()).toList())
          .as("voice connections in guild %s: one, by the holder of its shard", guild.id()).hasSize(1);
    }

    String victim = holder.get("a").equals("0") ? "a" : "b";
    String survivor = victim.equals("a") ? "b" : "a";
    // A command for shard 1's guild sent to the process that holds shard 0: its holder carries it out, and
    // the waiting request on the other process gets the result.
    long otherGuild = byShard.get(1).id();
    HttpClient http = HttpClient.newHttpClient();
    String api = "http://127.0.0.1:" + webPort(victim);
    HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(api + "/api/sessions/"
            + sessionOf.get(otherGuild) + "/commands")).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"volume\",\"volume\":\"60\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String location = sent.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(api + location + "?wait=20"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(done.body()).as("the command, waited for on the process that does not hold the guild")
        .contains("\"DONE\"").contains("60%");

    // kill -9 of the process that holds shard 0's guild, mid-session.
    Process killed = processes.get(victim.equals("a") ? 0 : 1);
    long guild0 = byShard.get(0).id();
    killed.destroyForcibly();
    assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long killedAt = System.nanoTime();
    try {
      await().atMost(Duration.ofSeconds(120)).until(() -> heard(guild0).size() == 2);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("not resumed by " + survivor + "; its output:\n" + output(survivor), e);
    }
    Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf("failover after kill -9 until audio again: %d ms%n", failover.toMillis());
    List<VoiceConnectionSnapshot> connections = heard(guild0).stream()
        .sorted(Comparator.comparing(VoiceConnectionSnapshot::connectedAt)).toList();
    VoiceConnectionSnapshot before = connections.get(0);
    VoiceConnectionSnapshot after = connections.get(1);
    Instant lastHeardBefore = before.firstAudioAt().orElseThrow().plus(before.spurts().getLast().end());
    assertThat(after.firstAudioAt().orElseThrow()).as("the channel heard the session once: the resumed audio began after "
        + "the killed process's ended").isAfterOrEqualTo(lastHeardBefore);
    assertThat(output(survivor)).contains("this process takes it up");
    assertThat(discord.voiceConnections().stream().filter(v -> v.guildId() == otherGuild).toList())
        .as("the other guild was not disturbed").hasSize(1);
  }

  /** The port a process's web server listens on. */
  private int webPort(String name) throws IOException {
    Matcher m = Pattern.compile("API at http://[^:]+:(\\d+)/").matcher(output(name));
    assertThat(m.find()).as("the web server of %s started", name).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** The shards a process reported holding last. */
  private List<String> shardsNow(String name) throws IOException {
    Matcher m = HOLDS.matcher(output(name));
    List<String> last = List.of();
    while (m.find()) {
      last = m.group(2).isBlank() ? List.of() : List.of(m.group(2).split(",\\s*"));
    }
    return last;
  }
}
