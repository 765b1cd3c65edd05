package carillon.bot.store;

import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.testing.ExpectedLog;
import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.queue.CommandStatus;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.testing.DiskFull;
import carillon.bot.testing.Harness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store fails mid-run (issue 12): here the disk under a real SQLite file fills up (writes fail with
 * SQLITE_FULL), in {@link StoreOutageOnPostgresTest} a real PostgreSQL server stops. Playback goes on, the
 * store reports the outage as a state, new work is refused at once, and what happened meanwhile is
 * written when the store is back.
 */
@ExpectedLog(logger = "carillon.bot.store.StoreHealth") // "Store unavailable" (ERROR) and "Store back" (WARN)
@ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "com.zaxxer.hikari") // connections the stopped server broke
@ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "carillon.bot.schedule.Scheduler", message = "store is unavailable")
@ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "carillon.bot.playback.CrashRecovery", message = "cut short by a crash")
class StoreOutageTest {
  static final Instant START = Instant.parse("2026-03-27T00:00:00Z");
  @TempDir Path dir;
  final DiskFull disk = new DiskFull();
  Harness world;
  String talk;
  String bell;

  Harness newWorld(Path dir) {
    return new Harness(dir, START, () -> Database.openSqlite(dir.resolve("carillon.db"), disk::around));
  }

  void storeFails() throws Exception {
    disk.fill();
  }

  void storeBack() throws Exception {
    disk.free();
  }

  @BeforeEach
  void setUp() {
    world = newWorld(dir);
    world.time.settleTimeout(Duration.ofSeconds(30)); // the first failure may wait for a connection
    talk = world.track("Talk", Duration.ofMinutes(5));
    bell = world.track("Bell", Duration.ofMinutes(1));
    world.start();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  private CommandRequest command(CommandKind kind, Session session) {
    return new CommandRequest(kind, session.id(), null, CommandSource.API, "tester");
  }

  @Test
  void playbackGoesOnThroughAStoreOutageAndTheRunIsRecordedTrulyWhenTheStoreIsBack() throws Exception {
    Session s = world.create(spec("Outage", "once 2026-03-27T06:00:00Z", List.of(talk, bell)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:01:00Z"));

    storeFails();
    world.time.advance(Duration.ofMinutes(1)); // the progress saves fail
    assertThat(world.db.health().state()).isInstanceOf(StoreHealth.Unavailable.class);
    assertThatThrownBy(() -> world.commands.submit(command(CommandKind.PAUSE, s)))
        .as("refused at once: the API answers 503").isInstanceOf(StoreUnavailableException.class);

    world.time.advance(Duration.ofMinutes(10));
    assertThat(world.voice.events).as("the outage did not end playback").containsExactly(
        "2026-03-27T06:00:00Z join bot-a@1000 #2001",
        "2026-03-27T06:00:00Z play Talk in bot-a@1000",
        "2026-03-27T06:05:00Z end Talk FINISHED in bot-a@1000",
        "2026-03-27T06:05:00Z play Bell in bot-a@1000",
        "2026-03-27T06:06:00Z end Bell FINISHED in bot-a@1000",
        "2026-03-27T06:06:00Z leave bot-a@1000");
    assertThat(world.notices.sent).contains("2026-03-27T06:06:00Z ended Outage after PT6M playing [Talk, Bell]");

    storeBack();
    await().atMost(Duration.ofSeconds(30)).until(() -> world.db.health().isAvailable());
    Run run = world.runs.forSession(s.id()).getFirst();
    assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(run.tracksPlayed()).isEqualTo(2);
    assertThat(run.endedAt()).contains(Instant.parse("2026-03-27T06:06:00Z"));

    CommandRecord played = world.commands.submit(command(CommandKind.PLAY, s));
    world.time.settle();
    assertThat(world.commands.completion(played.id()).get(30, TimeUnit.SECONDS).status())
        .as("the guild's commands are applied after the outage").isEqualTo(CommandStatus.DONE);
  }

  @Test
  void aCommandWhoseEndTheStoreCouldNotTakeKeepsItAndIsNotAppliedAgainAfterARestart() throws Exception {
    Session s = world.create(spec("Kept", "once 2026-03-27T06:00:00Z", List.of(talk, bell)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:01:00Z"));
    // The store fails while the pause is being applied: after the command was stored and marked running.
    AtomicBoolean failed = new AtomicBoolean();
    world.playback.onChange(run -> {
      if (run.isPaused() && failed.compareAndSet(false, true)) {
        try {
          storeFails();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    CompletableFuture<CommandRecord> finished = new CompletableFuture<>();
    world.commands.onFinished(finished::complete);
    CommandRecord pause = world.commands.submit(command(CommandKind.PAUSE, s));
    world.time.settle();
    assertThat(finished.get(30, TimeUnit.SECONDS).status()).isEqualTo(CommandStatus.DONE);
    assertThat(world.db.health().state()).isInstanceOf(StoreHealth.Unavailable.class);

    storeBack();
    await().atMost(Duration.ofSeconds(30)).until(() -> world.db.health().isAvailable());
    world.crashAndRestart();

    assertThat(world.commands.find(pause.id())).get().satisfies(c -> {
      assertThat(c.status()).isEqualTo(CommandStatus.DONE);
      assertThat(c.result()).get().asString().startsWith("paused 'Talk'");
    });
    assertThat(world.playback.active(s.id())).get().satisfies(run -> assertThat(run.isPaused()).isTrue());
  }

  @Test
  void aStartThatFallsInAnOutageStartsWhenTheStoreIsBackWithinItsGrace() throws Exception {
    Session s = world.create(spec("Late", "once 2026-03-27T06:00:00Z", List.of(bell)));
    world.time.advanceTo(Instant.parse("2026-03-27T05:59:00Z"));
    storeFails();
    world.time.advanceTo(Instant.parse("2026-03-27T06:00:00Z")); // the claim of the occurrence fails
    assertThat(world.db.health().state()).isInstanceOf(StoreHealth.Unavailable.class);
    assertThat(world.voice.events).isEmpty();

    storeBack();
    await().atMost(Duration.ofSeconds(30)).until(() -> world.db.health().isAvailable());
    world.time.advance(Duration.ofMinutes(2));
    assertThat(world.voice.events).as("started by the next try, in the slot the failed claim let go").startsWith(
        "2026-03-27T06:00:05Z join bot-a@1000 #2001",
        "2026-03-27T06:00:05Z play Bell in bot-a@1000");
    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(run.scheduledAt()).isEqualTo(Instant.parse("2026-03-27T06:00:00Z"));
    });
  }
}
