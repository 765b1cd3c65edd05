package carillon.bot.playback;

import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.queue.CommandStatus;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.FieldError;
import carillon.bot.session.InvalidSessionException;
import carillon.bot.session.Sound;
import carillon.bot.testing.Harness;
import carillon.testing.LogCapture;
import carillon.testing.LoggedEvent;
import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybackTest {
  @TempDir Path dir;
  Harness world;
  String bell;
  String chant;
  String talk;

  @BeforeEach
  void setUp() {
    world = new Harness(dir, Instant.parse("2026-03-27T00:00:00Z"));
    bell = world.track("Bell", Duration.ofSeconds(30));
    chant = world.track("Chant", Duration.ofMinutes(4));
    talk = world.track("Talk", Duration.ofMinutes(5));
    world.start();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  static SessionSpec repeating(String name, List<String> playlist, Duration gap, Duration max) {
    SessionSpec s = spec(name, "once 2026-03-27T06:00:00Z", playlist);
    return SessionSpec.builder(s.guildId(), s.name()).voiceChannel(s.voiceChannelId()).textChannel(s.textChannelId())
        .schedule(s.schedule()).playlist(s.playlist()).gap(gap).maxDuration(max).repeat(max != null)
        .lateGrace(Duration.ofMinutes(15)).build();
  }

  @Test
  void repeatPlaysThePlaylistUntilTheMaximumDurationAndCutsTheLastTrack() {
    Session s = world.create(repeating("Loop", List.of(bell, chant), Duration.ofSeconds(30), Duration.ofMinutes(10)));
    world.time.advance(Duration.ofHours(7));
    assertThat(world.voice.events).containsExactly(
        "2026-03-27T06:00:00Z join bot-a@1000 #2001",
        "2026-03-27T06:00:00Z play Bell in bot-a@1000",
        "2026-03-27T06:00:30Z end Bell FINISHED in bot-a@1000",
        "2026-03-27T06:01:00Z play Chant in bot-a@1000",
        "2026-03-27T06:05:00Z end Chant FINISHED in bot-a@1000",
        "2026-03-27T06:05:30Z play Bell in bot-a@1000",
        "2026-03-27T06:06:00Z end Bell FINISHED in bot-a@1000",
        "2026-03-27T06:06:30Z play Chant in bot-a@1000",
        // The cut at the maximum duration fades out over the default 3 s, ending as it ends.
        "2026-03-27T06:09:57Z fade 1.0->0.0 over 3000ms in bot-a@1000",
        "2026-03-27T06:10:00Z end Chant STOPPED in bot-a@1000",
        "2026-03-27T06:10:00Z leave bot-a@1000");
    Run run = world.runs.forSession(s.id()).getFirst();
    assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(run.tracksPlayed()).isEqualTo(4);
    assertThat(run.endedAt()).contains(Instant.parse("2026-03-27T06:10:00Z"));
  }

  @Test
  void aSessionFadesInAtItsStartAndOutOverTheLastSecondsOfItsLastTrackAndAPauseDelaysTheFade() throws Exception {
    SessionSpec plain = spec("Faded", "once 2026-03-27T06:00:00Z", List.of(bell, chant));
    Session s = world.create(plain.toBuilder().sound(new Sound(Duration.ofSeconds(5), Duration.ofSeconds(10), false)).build());
    assertThat(s.sound()).isEqualTo(new Sound(Duration.ofSeconds(5), Duration.ofSeconds(10), false));
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z"));
    apply(CommandKind.PAUSE, s, null);
    world.time.advance(Duration.ofSeconds(20));
    apply(CommandKind.RESUME, s, null);
    world.time.advance(Duration.ofHours(1));
    // Chant starts at 06:00:30 and plays 4 min, paused 20 s: it ends at 06:04:50; its last 10 s fade.
    assertThat(world.voice.events).containsSubsequence(
        "2026-03-27T06:00:00Z fade 0.0->1.0 over 5000ms in bot-a@1000",
        "2026-03-27T06:00:00Z play Bell in bot-a@1000",
        "2026-03-27T06:00:30Z play Chant in bot-a@1000",
        "2026-03-27T06:04:40Z fade 1.0->0.0 over 10000ms in bot-a@1000",
        "2026-03-27T06:04:50Z end Chant FINISHED in bot-a@1000");
    assertThat(world.voice.events).filteredOn(e -> e.contains("fade")).hasSize(2);
  }

  @Test
  void aCutFadesOutOverTheSessionsOwnFadeOutWhenItHasOne() {
    SessionSpec loop = repeating("Loop", List.of(chant), Duration.ZERO, Duration.ofMinutes(10));
    world.create(loop.toBuilder().sound(new Sound(Duration.ZERO, Duration.ofSeconds(8), false)).build());
    world.time.advance(Duration.ofHours(7));
    assertThat(world.voice.events).containsSubsequence(
        "2026-03-27T06:08:00Z play Chant in bot-a@1000",
        "2026-03-27T06:09:52Z fade 1.0->0.0 over 8000ms in bot-a@1000",
        "2026-03-27T06:10:00Z end Chant STOPPED in bot-a@1000");
    assertThat(world.voice.events).filteredOn(e -> e.contains("fade")).hasSize(1);
  }

  @Test
  void fadesBeyondTheLimitAreRefusedNamingTheField() {
    SessionSpec plain = spec("Long fade", "once 2026-03-27T06:00:00Z", List.of(bell));
    assertThatThrownBy(() -> world.sessions.create(plain.toBuilder()
        .sound(new Sound(Duration.ofSeconds(31), Duration.ofSeconds(-1), false)).build()))
        .isInstanceOf(InvalidSessionException.class)
        .satisfies(e -> assertThat(((InvalidSessionException) e).errors()).containsExactly(
            new FieldError("fadeIn", "must be from 0 (none) to 30 s, was 31.0 s"),
            new FieldError("fadeOut", "must be from 0 (none) to 30 s, was -1.0 s")));
  }

  @Test
  void aShuffledSessionPlaysANewOrderEachRunAndRecordsIt() {
    List<String> six = List.of(bell, world.track("B", Duration.ofSeconds(30)), world.track("C", Duration.ofSeconds(30)),
        world.track("D", Duration.ofSeconds(30)), world.track("E", Duration.ofSeconds(30)), world.track("F", Duration.ofSeconds(30)));
    List<String> names = List.of("Bell", "B", "C", "D", "E", "F");
    SessionSpec daily = spec("Shuffled", "daily 06:00 UTC", six);
    Session s = world.create(daily.toBuilder().sound(new Sound(Duration.ZERO, Duration.ZERO, true)).build());
    world.time.advance(Duration.ofDays(5));
    List<Run> runs = world.runs.forSession(s.id());
    assertThat(runs).hasSize(5).allSatisfy(r -> {
      assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(r.trackOrder()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    });
    // Each run played in its recorded order.
    List<String> plays = world.voice.events.stream().filter(e -> e.contains(" play ")).map(e -> e.split(" ")[2]).toList();
    assertThat(plays).hasSize(30);
    for (int r = 0; r < 5; r++) {
      List<Integer> order = runs.get(r).trackOrder();
      assertThat(plays.subList(6 * r, 6 * r + 6)).as("run %d", r)
          .isEqualTo(order.stream().map(names::get).toList());
    }
    // 720 orders: five runs in one and the same order would be a shuffle that does not shuffle.
    assertThat(runs.stream().map(Run::trackOrder).distinct().count()).isGreaterThan(1);
    // A session that does not shuffle records no order: the playlist's.
    Session plain = world.create(spec("Plain", "once 2026-04-01T07:00:00Z", six));
    world.time.advance(Duration.ofDays(1));
    assertThat(world.runs.forSession(plain.id()).getFirst().trackOrder()).isEmpty();
  }

  @Test
  void aTrackMissingFromTheLibraryIsSkippedWithANoticeAndTheSessionGoesOn() {
    Session s = world.create(repeating("Gone", List.of(bell, chant), Duration.ZERO, null));
    world.tracks.remove(bell);
    world.time.advance(Duration.ofHours(7));
    assertThat(world.notices.sent).contains(
        "2026-03-27T06:00:00Z skipped " + bell + " in Gone: it is no longer in the audio library");
    assertThat(world.voice.events).contains("2026-03-27T06:00:00Z play Chant in bot-a@1000");
    assertThat(world.runs.forSession(s.id()).getFirst().outcome()).isEqualTo(RunOutcome.COMPLETED);
  }

  // Crash recovery restores the whole player state: track, position, paused, volume (issue 12).

  private void apply(CommandKind kind, Session session, Integer volume) throws Exception {
    CommandRecord submitted = world.commands.submit(new CommandRequest(kind, session.id(), volume, CommandSource.API, "tester"));
    world.time.settle();
    assertThat(world.commands.completion(submitted.id()).get(30, TimeUnit.SECONDS).status()).isEqualTo(CommandStatus.DONE);
  }

  @Test
  void aCrashWhilePausedAt40PercentResumesPausedThereAtItsVolumeAndASecondCrashKeepsThePosition() throws Exception {
    Session s = world.create(spec("Talk", "once 2026-03-27T06:00:00Z", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z")); // 40 % of 5 min
    apply(CommandKind.PAUSE, s, null);
    apply(CommandKind.VOLUME, s, 60);
    world.time.advance(Duration.ofSeconds(30));

    world.crashAndRestart(Duration.ofMinutes(1));
    assertThat(world.voice.events).containsExactly(
        "2026-03-27T06:03:30Z join bot-a@1000 #2001",
        "2026-03-27T06:03:30Z volume 60 in bot-a@1000",
        "2026-03-27T06:03:30Z play Talk from 120s in bot-a@1000",
        "2026-03-27T06:03:30Z pause Talk");
    ActiveRun resumed = world.playback.active(s.id()).orElseThrow();
    assertThat(resumed.isPaused()).isTrue();
    assertThat(resumed.volume()).isEqualTo(60);
    assertThat(resumed.trackElapsed()).contains(Duration.ofMinutes(2));

    world.time.advance(Duration.ofMinutes(1)); // saves while paused: the position must not drop to 0
    world.crashAndRestart(Duration.ofMinutes(1));
    assertThat(world.voice.events).contains(
        "2026-03-27T06:05:30Z play Talk from 120s in bot-a@1000",
        "2026-03-27T06:05:30Z pause Talk");

    apply(CommandKind.RESUME, s, null);
    world.time.advance(Duration.ofMinutes(4));
    assertThat(world.voice.events).contains("2026-03-27T06:08:30Z end Talk FINISHED in bot-a@1000");
    Run run = world.runs.forSession(s.id()).getFirst();
    assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(run.tracksPlayed()).isEqualTo(1);
  }

  @Test
  void aRunACrashCutAndThatIsNotResumedIsRecordedCrashedAndGetsItsEndNoticeAtTheNextStart() {
    Session s = world.create(spec("Cut", "once 2026-03-27T06:00:00Z", List.of(bell, talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z")); // Bell played, 90 s into Talk

    world.crashAndRestart(Duration.ofMinutes(20)); // beyond the 15 min grace

    Run run = world.runs.forSession(s.id()).getFirst();
    assertThat(run.outcome()).isEqualTo(RunOutcome.CRASHED);
    assertThat(run.tracksPlayed()).isEqualTo(1);
    assertThat(run.error()).get().asString().endsWith("it was down for longer than the session's late grace");
    world.time.settle();
    assertThat(world.notices.sent).containsExactly("2026-03-27T06:22:00Z crashed Cut after PT2M playing 1: "
        + "it was down for longer than the session's late grace");
  }

  // A run handed over on purpose (its shard released for a process that joined, or its holder stopped) is taken
  // over as such: INFO from both sides, no crash words; a run left by a process that crashed stays a WARN.

  @Test
  void aRunHandedOverIsTakenOverAtInfoAndNotAsACrash() throws Exception {
    Session s = world.create(spec("Talk", "once 2026-03-27T06:00:00Z", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z"));
    long runId = world.playback.active(s.id()).orElseThrow().runId();
    try (LogCapture log = LogCapture.from(Level.INFO, "carillon.bot.playback")) {
      var handedOver = world.playback.handOver(guildId -> true); // the releasing process
      world.time.settle();
      handedOver.get(30, TimeUnit.SECONDS);
      world.crashAndRestart(Duration.ofSeconds(3)); // the taking process, on the same store

      assertThat(messages(log, Level.INFO)).anySatisfy(m -> assertThat(m).startsWith("Run " + runId + " of 'Talk' handed over"));
      assertThat(messages(log, Level.INFO)).contains("Session 'Talk': this process takes over run " + runId
          + " handed over by process " + Runs.LOCAL + ", at track 1, 120 s in");
      assertThat(log.atLeast(Level.WARN)).as("no crash is reported").isEmpty();
      assertThat(messages(log, Level.INFO)).noneSatisfy(m -> assertThat(m).contains(" ends: "));
    }
    assertThat(world.voice.events).contains("2026-03-27T06:02:03Z play Talk from 120s in bot-a@1000");
    assertThat(world.runs.find(runId).orElseThrow().outcome()).isEqualTo(RunOutcome.RUNNING);
  }

  @Test
  void aRunLeftByACrashIsTakenOverWithAWarning() {
    Session s = world.create(spec("Talk", "once 2026-03-27T06:00:00Z", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z"));
    try (LogCapture log = LogCapture.from(Level.INFO, "carillon.bot.playback")) {
      world.crashAndRestart(Duration.ofSeconds(3));
      assertThat(messages(log, Level.WARN)).anySatisfy(m -> assertThat(m).startsWith(
          "Session 'Talk' was cut short by a crash: resuming its run"));
      assertThat(messages(log, Level.INFO)).noneSatisfy(m -> assertThat(m).contains("handed over"));
    }
  }

  private static List<String> messages(LogCapture log, Level level) {
    return log.events().stream().filter(e -> e.level().equals(level)).map(LoggedEvent::message).toList();
  }
}
