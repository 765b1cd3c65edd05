package carillon.bot.schedule;

import carillon.bot.testing.Harness;
import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bots join the voice channel ahead of a start, so that the first audio is on the dot. */
class JoinAheadTest {
  private static final Instant T0 = Instant.parse("2026-03-27T05:00:00Z");
  @TempDir Path dir;
  private Harness world;
  private String talk;

  @BeforeEach
  void setUp() {
    world = new Harness(dir, T0, Duration.ofSeconds(10));
    talk = world.track("Talk", Duration.ofMinutes(1));
    world.start();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  @Test
  void theBotJoinsTenSecondsAheadAndPlaysAtTheScheduledInstant() {
    Session s = world.create(spec("Sit", "daily 06:00 UTC", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z"));

    assertThat(world.voice.events).containsExactly(
        "2026-03-27T05:59:50Z join bot-a@1000 #2001",
        "2026-03-27T06:00:00Z play Talk in bot-a@1000",
        "2026-03-27T06:01:00Z end Talk FINISHED in bot-a@1000",
        "2026-03-27T06:01:00Z leave bot-a@1000");
    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(run.startedAt()).contains(Instant.parse("2026-03-27T06:00:00Z"));
    });
    assertThat(world.notices.sent).anySatisfy(n -> assertThat(n).startsWith("2026-03-27T06:00:00Z started Sit"));
  }

  /**
   * Issue 13: two processes on one store both joined ahead with the same account; the loser of the run
   * claim then left, which disconnected the winner. The claim now comes first: a loser never touches voice.
   */
  @Test
  void anOccurrenceClaimedByAnotherProcessIsNeverJoined() {
    Session s = world.create(spec("Sit", "daily 06:00 UTC", List.of(talk)));
    Runs otherProcess = new Runs(world.db, "other-process");
    assertThat(otherProcess.claim(s.id(), Instant.parse("2026-03-27T06:00:00Z"), Instant.parse("2026-03-27T05:59:50Z"),
        "bot-a")).isPresent();

    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z"));

    assertThat(world.voice.events).as("this process never joined, ahead or at the start").isEmpty();
    assertThat(world.slots.busySlots()).isEmpty();
    assertThat(world.runs.forSession(s.id())).singleElement()
        .satisfies(run -> assertThat(run.outcome()).isEqualTo(RunOutcome.RUNNING));
  }

  /** A join ahead claims the run: the history shows it when it starts, at the scheduled instant. */
  @Test
  void theJoinAheadClaimsTheRunBeforeJoining() {
    Session s = world.create(spec("Sit", "daily 06:00 UTC", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T05:59:55Z"));

    assertThat(world.voice.events).containsExactly("2026-03-27T05:59:50Z join bot-a@1000 #2001");
    assertThat(new Runs(world.db, "other-process").claim(s.id(), Instant.parse("2026-03-27T06:00:00Z"),
        Instant.parse("2026-03-27T05:59:55Z"), "bot-a")).as("the other process's claim").isEmpty();
  }

  /**
   * Issue 13: the process that claimed an occurrence ahead of its start (another process of a cluster here,
   * holding the guild's shard then) died before the start; the process that takes the guild over within the
   * late grace plays the occurrence late, once, instead of recording it as crashed.
   */
  @Test
  void anOccurrenceClaimedAheadByAProcessThatDiedBeforeTheStartIsPlayedLateOnce() {
    Session s = world.create(spec("Sit", "daily 06:00 UTC", List.of(talk)));
    claimAheadByAProcessThatDies(s);
    world.time.advanceTo(Instant.parse("2026-03-27T05:59:52Z"));
    assertThat(world.voice.events).as("claimed by the other process: not joined here").isEmpty();

    world.crashAndRestart(Duration.ofSeconds(23)); // this process takes over at 06:00:15, within the 15 min grace
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z"));

    assertThat(world.voice.events).contains("2026-03-27T06:00:15Z play Talk in bot-a@1000");
    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(run.scheduledAt()).isEqualTo(Instant.parse("2026-03-27T06:00:00Z"));
      assertThat(run.startedAt()).contains(Instant.parse("2026-03-27T06:00:15Z"));
    });
    assertThat(world.notices.sent).noneSatisfy(n -> assertThat(n).contains("crashed"));
  }

  /** As above, taken over before the start: it is played on the dot. */
  @Test
  void anOccurrenceClaimedAheadByAProcessThatDiedIsPlayedAtItsTimeWhenTakenOverBeforeIt() {
    Session s = world.create(spec("Sit", "daily 06:00 UTC", List.of(talk)));
    claimAheadByAProcessThatDies(s);
    world.time.advanceTo(Instant.parse("2026-03-27T05:59:52Z"));

    world.crashAndRestart(Duration.ofSeconds(3)); // taken over at 05:59:55
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z"));

    assertThat(world.voice.events).contains("2026-03-27T06:00:00Z play Talk in bot-a@1000");
    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(run.startedAt()).contains(Instant.parse("2026-03-27T06:00:00Z"));
    });
  }

  /** Another process claims the 06:00 occurrence ahead of its start (its join-ahead) and dies before it. */
  private void claimAheadByAProcessThatDies(Session s) {
    world.time.advanceTo(Instant.parse("2026-03-27T05:59:49Z"));
    assertThat(new Runs(world.db, "a-process-that-dies").claim(s.id(), Instant.parse("2026-03-27T06:00:00Z"),
        Instant.parse("2026-03-27T05:59:49Z"), "bot-a")).isPresent();
  }

  @Test
  void disablingTheSessionAfterTheJoinLeavesAndFreesTheSlot() throws Exception {
    Session s = world.create(spec("Sit", "daily 06:00 UTC", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T05:59:55Z"));
    assertThat(world.slots.busySlots()).hasSize(1);

    world.sessions.setEnabled(s.id(), false);
    world.time.advanceTo(Instant.parse("2026-03-27T06:02:00Z"));

    assertThat(world.voice.events).containsExactly(
        "2026-03-27T05:59:50Z join bot-a@1000 #2001",
        "2026-03-27T05:59:55Z leave bot-a@1000");
    assertThat(world.slots.busySlots()).isEmpty();
    assertThat(world.runs.forSession(s.id())).isEmpty();
  }

  @Test
  void editingTheTimeAfterTheJoinJoinsAgainAheadOfTheNewTime() throws Exception {
    Session s = world.create(spec("Sit", "daily 06:00 UTC", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T05:59:55Z"));
    world.sessions.update(s.id(), spec("Sit", "daily 06:30 UTC", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:32:00Z"));

    assertThat(world.voice.events).containsExactly(
        "2026-03-27T05:59:50Z join bot-a@1000 #2001",
        "2026-03-27T05:59:55Z leave bot-a@1000",
        "2026-03-27T06:29:50Z join bot-a@1000 #2001",
        "2026-03-27T06:30:00Z play Talk in bot-a@1000",
        "2026-03-27T06:31:00Z end Talk FINISHED in bot-a@1000",
        "2026-03-27T06:31:00Z leave bot-a@1000");
    assertThat(world.runs.forSession(s.id())).extracting(Run::outcome).containsExactly(RunOutcome.COMPLETED);
  }

  @Test
  void whenNoSlotIsFreeAheadTheStartClaimsOneAsUsual() {
    Session first = world.create(spec("First", "once 2026-03-27T05:59:00Z", List.of(talk)));
    Session second = world.create(spec("Second", "once 2026-03-27T06:00:00Z", List.of(talk)));
    world.time.advanceTo(Instant.parse("2026-03-27T06:03:00Z"));

    // First plays until 06:00:00; at 05:59:50 no slot was free, so Second joins at its start.
    assertThat(world.voice.events).containsSubsequence(
        "2026-03-27T06:00:00Z leave bot-a@1000",
        "2026-03-27T06:00:00Z join bot-a@1000 #2001",
        "2026-03-27T06:00:00Z play Talk in bot-a@1000");
    assertThat(world.runs.forSession(first.id())).extracting(Run::outcome).containsExactly(RunOutcome.COMPLETED);
    assertThat(world.runs.forSession(second.id())).extracting(Run::outcome).containsExactly(RunOutcome.COMPLETED);
  }
}
