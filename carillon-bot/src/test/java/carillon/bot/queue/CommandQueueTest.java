package carillon.bot.queue;

import carillon.bot.testing.Harness;
import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.queue.CommandStatus;
import carillon.bot.queue.InvalidCommandException;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandQueueTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");

  @TempDir Path dir;
  Harness world;
  String bell;
  String talk;
  Session session;

  /** The world the tests run in: a SQLite file here; {@link CommandQueueOnPostgresTest} runs them on PostgreSQL. */
  Harness newWorld(Path dir, Instant start) {
    return new Harness(dir, start);
  }

  @BeforeEach
  void setUp() {
    world = newWorld(dir, T0);
    bell = world.track("Bell", Duration.ofSeconds(30));
    talk = world.track("Talk", Duration.ofMinutes(10));
    world.start();
    SessionSpec s = spec("Meditation Hall", "daily 23:00 UTC", List.of(talk, bell));
    session = world.create(SessionSpec.builder(s.guildId(), s.name()).voiceChannel(s.voiceChannelId())
        .textChannel(s.textChannelId()).schedule(s.schedule()).playlist(s.playlist()).gap(Duration.ofSeconds(20))
        .lateGrace(Duration.ofMinutes(15)).build());
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  CommandRecord run(CommandKind kind, long sessionId, Integer volume) throws Exception {
    CommandRecord submitted = world.commands.submit(new CommandRequest(kind, sessionId, volume, CommandSource.WEB, "alice"));
    assertThat(submitted.id()).isPositive();
    CommandRecord done = world.commands.completion(submitted.id()).get(5, TimeUnit.SECONDS);
    world.time.settle();
    return done;
  }

  /** Puts the session's slot in the named state. */
  void enter(String state) throws Exception {
    switch (state) {
      case "idle" -> { }
      case "playing" -> assertThat(run(CommandKind.PLAY, session.id(), null).status()).isEqualTo(CommandStatus.DONE);
      case "paused" -> {
        enter("playing");
        assertThat(run(CommandKind.PAUSE, session.id(), null).status()).isEqualTo(CommandStatus.DONE);
      }
      case "between tracks" -> {
        enter("playing");
        world.time.advance(Duration.ofMinutes(10).plusSeconds(5)); // the talk ended, 15 s of the gap remain
      }
      case "disabled" -> world.sessions.setEnabled(session.id(), false);
      default -> throw new IllegalArgumentException(state);
    }
  }

  static Stream<Arguments> everyCommandInEveryState() {
    return Stream.of(
        Arguments.of("idle", CommandKind.PLAY, null, CommandStatus.DONE, "started 'Meditation Hall' with bot-a"),
        Arguments.of("idle", CommandKind.PAUSE, null, CommandStatus.REJECTED, "nothing is playing in 'Meditation Hall'"),
        Arguments.of("idle", CommandKind.RESUME, null, CommandStatus.REJECTED, "nothing is playing in 'Meditation Hall'"),
        Arguments.of("idle", CommandKind.SKIP, null, CommandStatus.REJECTED, "nothing is playing in 'Meditation Hall'"),
        Arguments.of("idle", CommandKind.STOP, null, CommandStatus.REJECTED, "nothing is playing in 'Meditation Hall'"),
        Arguments.of("idle", CommandKind.VOLUME, 50, CommandStatus.REJECTED, "nothing is playing in 'Meditation Hall'"),
        Arguments.of("playing", CommandKind.PLAY, null, CommandStatus.REJECTED, "'Meditation Hall' is already playing"),
        Arguments.of("playing", CommandKind.PAUSE, null, CommandStatus.DONE, "paused 'Talk' in 'Meditation Hall'"),
        Arguments.of("playing", CommandKind.RESUME, null, CommandStatus.DONE, "'Meditation Hall' is not paused"),
        Arguments.of("playing", CommandKind.SKIP, null, CommandStatus.DONE, "skipped 'Talk' in 'Meditation Hall'"),
        Arguments.of("playing", CommandKind.STOP, null, CommandStatus.DONE, "stopped 'Meditation Hall'"),
        Arguments.of("playing", CommandKind.VOLUME, 50, CommandStatus.DONE, "volume of 'Meditation Hall' set to 50%"),
        Arguments.of("paused", CommandKind.PLAY, null, CommandStatus.REJECTED, "'Meditation Hall' is already playing"),
        Arguments.of("paused", CommandKind.PAUSE, null, CommandStatus.DONE, "'Meditation Hall' is already paused"),
        Arguments.of("paused", CommandKind.RESUME, null, CommandStatus.DONE, "resumed 'Talk' in 'Meditation Hall'"),
        Arguments.of("paused", CommandKind.SKIP, null, CommandStatus.DONE, "skipped 'Talk' in 'Meditation Hall'"),
        Arguments.of("paused", CommandKind.STOP, null, CommandStatus.DONE, "stopped 'Meditation Hall'"),
        Arguments.of("paused", CommandKind.VOLUME, 120, CommandStatus.DONE, "volume of 'Meditation Hall' set to 120%"),
        Arguments.of("between tracks", CommandKind.PAUSE, null, CommandStatus.DONE, "paused 'Meditation Hall'"),
        Arguments.of("between tracks", CommandKind.SKIP, null, CommandStatus.DONE,
            "nothing to skip in 'Meditation Hall': between tracks"),
        Arguments.of("between tracks", CommandKind.STOP, null, CommandStatus.DONE, "stopped 'Meditation Hall'"),
        Arguments.of("disabled", CommandKind.PLAY, null, CommandStatus.REJECTED,
            "'Meditation Hall' is disabled; enable it first"),
        Arguments.of("disabled", CommandKind.STOP, null, CommandStatus.REJECTED, "nothing is playing in 'Meditation Hall'"));
  }

  @ParameterizedTest(name = "{1} while {0}: {3} ({4})")
  @MethodSource("everyCommandInEveryState")
  void everyCommandKindInEverySlotState(String state, CommandKind kind, Integer volume, CommandStatus status,
      String result) throws Exception {
    enter(state);
    CommandRecord done = run(kind, session.id(), volume);
    assertThat(done.status()).isEqualTo(status);
    assertThat(done.result()).contains(result);
    assertThat(done.finishedAt()).isPresent();
    assertThat(done.requestedBy()).isEqualTo("alice");
  }

  @Test
  void pauseHoldsTheTrackAndResumeContinuesItWhereItWas() throws Exception {
    enter("playing");
    world.time.advance(Duration.ofMinutes(4));
    run(CommandKind.PAUSE, session.id(), null);
    world.time.advance(Duration.ofMinutes(30));
    run(CommandKind.RESUME, session.id(), null);
    world.time.advance(Duration.ofMinutes(6));
    assertThat(world.voice.events).containsSubsequence(
        "2026-03-27T00:04:00Z pause Talk",
        "2026-03-27T00:34:00Z resume Talk",
        "2026-03-27T00:40:00Z end Talk FINISHED in bot-a@1000");
  }

  @Test
  void stopEndsTheRunAsStoppedAndSkipMovesToTheNextTrack() throws Exception {
    enter("playing");
    world.time.advance(Duration.ofMinutes(1));
    run(CommandKind.SKIP, session.id(), null);
    world.time.advance(Duration.ofSeconds(21)); // the gap, then the bell starts
    assertThat(world.voice.events).contains("2026-03-27T00:01:00Z end Talk STOPPED in bot-a@1000",
        "2026-03-27T00:01:20Z play Bell in bot-a@1000");
    run(CommandKind.STOP, session.id(), null);
    Run run = world.runs.forSession(session.id()).getFirst();
    assertThat(run.outcome()).isEqualTo(RunOutcome.STOPPED);
    assertThat(world.slots.busySlots()).isEmpty();
  }

  @Test
  void playThatCannotJoinVoiceReportsTheFailureAndItsReasonNotDone() throws Exception {
    world.voice.failingChannels.add(Harness.HALL);
    CommandRecord done = run(CommandKind.PLAY, session.id(), null);
    assertThat(done.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(done.result()).hasValueSatisfying(result -> assertThat(result)
        .startsWith("'Meditation Hall' could not start: ")
        .contains("missing permission Connect in channel " + Harness.HALL));
    assertThat(world.commands.find(done.id())).contains(done);
    assertThat(world.playback.active(session.id())).isEmpty();
    assertThat(world.slots.busySlots()).isEmpty();
  }

  @Test
  void commandsForUnknownSessionsAreStoredAndRejectedWithTheReason() throws Exception {
    CommandRecord done = run(CommandKind.PAUSE, 999, null);
    assertThat(done.status()).isEqualTo(CommandStatus.REJECTED);
    assertThat(done.result()).contains("there is no session with id 999");
    assertThat(world.commands.find(done.id())).contains(done);
  }

  @Test
  void malformedCommandsAreRefusedNamingTheFieldAndNothingIsStored() {
    assertThatThrownBy(() -> world.commands.submit(new CommandRequest(CommandKind.VOLUME, session.id(), null,
        CommandSource.API, "script")))
        .isInstanceOf(InvalidCommandException.class).hasMessage("volume: must be from 0 to 150 percent");
    assertThatThrownBy(() -> world.commands.submit(new CommandRequest(CommandKind.VOLUME, session.id(), 151,
        CommandSource.API, "script")))
        .isInstanceOf(InvalidCommandException.class).hasMessage("volume: must be from 0 to 150 percent");
    assertThatThrownBy(() -> world.commands.submit(new CommandRequest(CommandKind.PAUSE, session.id(), 3,
        CommandSource.API, "script")))
        .isInstanceOf(InvalidCommandException.class).hasMessage("volume: is only for VOLUME commands");
    assertThatThrownBy(() -> world.commands.submit(new CommandRequest(CommandKind.PAUSE, session.id(), null,
        CommandSource.API, " ")))
        .isInstanceOf(InvalidCommandException.class).hasMessage("requestedBy: is required: who asked");
    assertThat(world.commands.recent(10)).isEmpty();
  }

  @Test
  void commandsOfOneGuildApplyInTheOrderTheyWereAccepted() throws Exception {
    enter("playing");
    List<Long> ids = new ArrayList<>();
    for (CommandKind kind : List.of(CommandKind.PAUSE, CommandKind.RESUME, CommandKind.PAUSE, CommandKind.RESUME,
        CommandKind.STOP)) {
      ids.add(world.commands.submit(new CommandRequest(kind, session.id(), null, CommandSource.SLASH, "bob")).id());
    }
    for (long id : ids) {
      world.commands.completion(id).get(5, TimeUnit.SECONDS);
    }
    List<String> results = ids.stream().map(id -> world.commands.find(id).orElseThrow().result().orElseThrow()).toList();
    assertThat(results).containsExactly("paused 'Talk' in 'Meditation Hall'", "resumed 'Talk' in 'Meditation Hall'",
        "paused 'Talk' in 'Meditation Hall'", "resumed 'Talk' in 'Meditation Hall'", "stopped 'Meditation Hall'");
  }

  /** A PLAY left RUNNING (being applied) and a PLAY left PENDING, as a process that died would leave them. */
  private void storeAPlayBeingAppliedAndAPendingOne(long sessionId) {
    world.db.useHandle(h -> {
      h.execute("INSERT INTO command (kind, session_id, source, requested_by, requested_at, status) "
          + "VALUES ('PLAY', ?, 'API', 'cron-script', 0, 'RUNNING')", sessionId);
      h.execute("INSERT INTO command (kind, session_id, source, requested_by, requested_at, status) "
          + "VALUES ('PLAY', ?, 'API', 'cron-script', 0, 'PENDING')", sessionId);
    });
  }

  @Test
  void commandsLeftPendingByACrashAreCarriedOutAtStartupAndOneCaughtMidApplyIsNotRepeated() throws Exception {
    long sessionId = session.id();
    storeAPlayBeingAppliedAndAPendingOne(sessionId);
    world.crashAndRestart();
    List<CommandRecord> recent = world.commands.recent(2);
    CommandRecord pending = recent.get(0);
    world.commands.completion(pending.id()).get(5, TimeUnit.SECONDS);
    assertThat(world.commands.find(pending.id()).orElseThrow().status()).isEqualTo(CommandStatus.DONE);
    CommandRecord midApply = world.commands.find(recent.get(1).id()).orElseThrow();
    assertThat(midApply.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(midApply.result()).contains("the process stopped while this command was being applied; it was not repeated");
    assertThat(world.runs.forSession(sessionId)).hasSize(1);
  }

  /**
   * Issue 13: a command whose guild's shard moves while it waits in the old holder's lane is taken up by the
   * new holder from the store; both then try to carry it out, and only the one whose claim (PENDING to
   * RUNNING, a compare-and-set in the store) succeeded does. Two queues on one database stand for the two
   * processes; the old holder is held just before its claim until the new holder has finished the command.
   */
  @Test
  void aCommandTwoHoldersTryToApplyIsCarriedOutOnceByTheOneWhoseClaimWon() throws Exception {
    enter("playing");
    CommandQueue newHolder = new CommandQueue(world.db, world.sessions, world.starter, world.playback, world.tasks,
        world.time, guildId -> true);
    List<String> carriedOut = new CopyOnWriteArrayList<>();
    world.commands.onFinished(c -> carriedOut.add("old holder: " + c.result().orElse("")));
    newHolder.onFinished(c -> carriedOut.add("new holder: " + c.result().orElse("")));
    CountDownLatch inLane = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    world.commands.onDispatched(c -> {
      inLane.countDown();
      try {
        assertThat(goOn.await(10, TimeUnit.SECONDS)).as("the test lets the old holder go on").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    CommandRecord skip = world.commands.submit(new CommandRequest(CommandKind.SKIP, session.id(), null,
        CommandSource.API, "alice"));
    assertThat(inLane.await(5, TimeUnit.SECONDS)).as("the old holder took the command into its lane").isTrue();
    newHolder.takeUp(); // the new holder finds it PENDING in the store
    CommandRecord byNewHolder = newHolder.completion(skip.id()).get(5, TimeUnit.SECONDS);
    assertThat(byNewHolder.status()).isEqualTo(CommandStatus.DONE);
    assertThat(byNewHolder.result()).contains("skipped 'Talk' in 'Meditation Hall'");
    goOn.countDown();

    // The old holder's wait completes from the store (as takeUp does every second in a cluster).
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      world.commands.takeUp();
      assertThat(world.commands.completion(skip.id()).isDone()).isTrue();
    });
    CommandRecord byOldHolder = world.commands.completion(skip.id()).get();
    assertThat(byOldHolder.status()).isEqualTo(CommandStatus.DONE);
    assertThat(byOldHolder.result()).contains("skipped 'Talk' in 'Meditation Hall'");
    assertThat(carriedOut).as("carried out once: one SKIP skips one track").containsExactly(
        "new holder: skipped 'Talk' in 'Meditation Hall'");
    assertThat(world.commands.find(skip.id()).orElseThrow().result()).contains("skipped 'Talk' in 'Meditation Hall'");
  }

  /**
   * Issue 13: a process that takes the shard of one that died mid-command ends that command FAILED (never
   * repeated, as at a restart) and carries out the commands it left pending; a command it is applying itself
   * is left alone.
   */
  @Test
  void aNewHolderEndsTheCommandADeadHolderWasApplyingAndCarriesOutThePendingOnes() throws Exception {
    long sessionId = session.id();
    storeAPlayBeingAppliedAndAPendingOne(sessionId);
    List<CommandRecord> recent = world.commands.recent(2);
    CommandRecord pending = recent.get(0);
    CommandRecord midApply = recent.get(1);

    CommandQueue newHolder = new CommandQueue(world.db, world.sessions, world.starter, world.playback, world.tasks,
        world.time, guildId -> true);
    newHolder.takeOver(guildId -> guildId == Harness.GUILD);
    assertThat(newHolder.completion(pending.id()).get(5, TimeUnit.SECONDS).status()).isEqualTo(CommandStatus.DONE);
    CommandRecord interrupted = world.commands.find(midApply.id()).orElseThrow();
    assertThat(interrupted.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(interrupted.result()).contains("the process stopped while this command was being applied; it was not repeated");
    assertThat(world.runs.forSession(sessionId)).hasSize(1);
  }
}
