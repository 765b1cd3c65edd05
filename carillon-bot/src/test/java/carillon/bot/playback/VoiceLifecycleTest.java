package carillon.bot.playback;

import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Presence;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.testing.Harness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's voice lifecycle in the core, on the virtual clock: a connection someone else ends, and the
 * presence policies (wait for a first member, end or pause when alone). After each test no run is
 * RUNNING without its slot connected, and no slot is busy without a run.
 */
class VoiceLifecycleTest {
  private static final VoiceSlot SLOT = new VoiceSlot("bot-a", Harness.GUILD);
  private static final Instant SIX = Instant.parse("2026-03-27T06:00:00Z");

  @TempDir Path dir;
  Harness world;
  String chant;

  @BeforeEach
  void setUp() {
    world = new Harness(dir, Instant.parse("2026-03-27T00:00:00Z"));
    chant = world.track("Chant", Duration.ofMinutes(4));
    world.start();
  }

  @AfterEach
  void tearDown() {
    try {
      for (Run run : world.runs.leftRunning().keySet()) {
        ActiveRun active = world.playback.active(run.sessionId()).orElseThrow(
            () -> new AssertionError("RUNNING run " + run.id() + " is not playing"));
        assertThat(world.voice.connected(active.slot())).as("RUNNING run %s in voice", run.id()).isTrue();
      }
      assertThat(world.slots.busySlots().keySet()).allSatisfy(slot -> assertThat(world.voice.connected(slot)).isTrue());
    } finally {
      world.close();
    }
  }

  /** "Vigil": the chant repeating for an hour from 06:00, with {@code presence}. */
  private Session vigil(Presence presence) {
    SessionSpec s = spec("Vigil", "once " + SIX, List.of(chant));
    return world.create(s.toBuilder().mentionRole(null).maxDuration(Duration.ofHours(1)).repeat(true).reminderMinutes(0)
        .lateGrace(Duration.ofMinutes(15)).presence(presence).build());
  }

  private Run only(Session s) {
    assertThat(world.runs.forSession(s.id())).hasSize(1);
    return world.runs.forSession(s.id()).getFirst();
  }

  @Test
  void aConnectionSomeoneElseEndsEndsTheRunAtOnceAsDisconnectedAndFreesTheSlot() {
    Session s = vigil(null);
    world.time.advanceTo(SIX.plusSeconds(90));
    world.voice.disconnect(SLOT, "disconnected from 'Hall' by a member or moderator");
    world.time.advance(Duration.ofSeconds(1));

    Run run = only(s);
    assertThat(run.outcome()).isEqualTo(RunOutcome.DISCONNECTED);
    assertThat(run.error()).contains("disconnected from 'Hall' by a member or moderator");
    assertThat(run.endedAt()).contains(SIX.plusSeconds(90));
    assertThat(world.slots.busySlots()).isEmpty();
    assertThat(world.notices.sent).containsExactly(
        SIX + " started Vigil in " + SLOT,
        SIX.plusSeconds(90) + " cut short Vigil after PT1M30S playing [Chant]: disconnected from 'Hall' by a member or"
            + " moderator");
    // The next start in the guild finds its slot free.
    assertThat(world.starter.start(s, SIX.plusSeconds(120), Optional.empty()))
        .isInstanceOf(SessionStarter.Started.class);
    world.time.advance(Duration.ofSeconds(1));
    assertThat(world.voice.connected(SLOT)).isTrue();
  }

  @Test
  void waitingForAMemberWhoNeverComesSkipsTheRunWithANotice() {
    Session s = vigil(new Presence(Optional.of(Duration.ofMinutes(10)), Presence.WhenAlone.STAY, Duration.ZERO));
    world.time.advance(Duration.ofHours(7));

    Run run = only(s);
    assertThat(run.outcome()).isEqualTo(RunOutcome.NO_LISTENERS);
    assertThat(run.error()).contains("nobody joined the voice channel within 10 minutes");
    assertThat(run.endedAt()).contains(SIX.plus(Duration.ofMinutes(10)));
    assertThat(world.voice.events).containsExactly(SIX + " join " + SLOT + " #" + Harness.HALL,
        SIX.plus(Duration.ofMinutes(10)) + " leave " + SLOT);
    assertThat(world.notices.sent).containsExactly(SIX.plus(Duration.ofMinutes(10))
        + " could not start Vigil: nobody joined the voice channel within 10 minutes");
  }

  @Test
  void waitingForAMemberTheRunStartsWhenOneComes() {
    Session s = vigil(new Presence(Optional.of(Duration.ofMinutes(10)), Presence.WhenAlone.STAY, Duration.ZERO));
    world.time.advanceTo(SIX.plus(Duration.ofMinutes(3)));
    assertThat(world.voice.events).containsExactly(SIX + " join " + SLOT + " #" + Harness.HALL);

    world.voice.members(Harness.HALL, 1);
    world.time.advance(Duration.ofHours(2));

    Run run = only(s);
    assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(world.voice.events).contains(SIX.plus(Duration.ofMinutes(3)) + " play Chant in " + SLOT);
    assertThat(world.notices.sent.getFirst()).isEqualTo(SIX.plus(Duration.ofMinutes(3)) + " started Vigil in " + SLOT);
  }

  @Test
  void aloneForTooLongTheRunEnds() {
    world.voice.members(Harness.HALL, 2);
    Session s = vigil(new Presence(Optional.empty(), Presence.WhenAlone.END, Duration.ofMinutes(5)));
    world.time.advanceTo(SIX.plus(Duration.ofMinutes(1)));
    world.voice.members(Harness.HALL, 0);
    world.time.advanceTo(SIX.plus(Duration.ofMinutes(3)));
    world.voice.members(Harness.HALL, 1); // back in time: the wait starts again when they leave
    world.time.advanceTo(SIX.plus(Duration.ofMinutes(4)));
    world.voice.members(Harness.HALL, 0);
    world.time.advance(Duration.ofHours(2));

    Run run = only(s);
    assertThat(run.outcome()).isEqualTo(RunOutcome.ENDED_ALONE);
    assertThat(run.endedAt()).contains(SIX.plus(Duration.ofMinutes(9)));
    assertThat(run.error()).contains("nobody was in the voice channel for 5 minutes");
    assertThat(world.notices.sent.getLast()).startsWith(SIX.plus(Duration.ofMinutes(9)) + " cut short Vigil")
        .endsWith(": nobody was in the voice channel for 5 minutes");
  }

  @Test
  void aloneForTooLongTheRunPausesAndResumesWhenAMemberComesBack() {
    world.voice.members(Harness.HALL, 1);
    Session s = vigil(new Presence(Optional.empty(), Presence.WhenAlone.PAUSE, Duration.ofMinutes(2)));
    world.time.advanceTo(SIX.plus(Duration.ofMinutes(1)));
    world.voice.members(Harness.HALL, 0);
    world.time.advanceTo(SIX.plus(Duration.ofMinutes(10)));
    assertThat(world.playback.active(s.id()).orElseThrow().isPaused()).isTrue();
    world.voice.members(Harness.HALL, 1);
    world.time.advanceTo(SIX.plus(Duration.ofMinutes(11)));
    assertThat(world.playback.active(s.id()).orElseThrow().isPaused()).isFalse();

    assertThat(world.voice.events).containsSubsequence(
        SIX.plus(Duration.ofMinutes(3)) + " pause Chant",
        SIX.plus(Duration.ofMinutes(10)) + " resume Chant",
        SIX.plus(Duration.ofMinutes(11)) + " end Chant FINISHED in " + SLOT);
    world.time.advance(Duration.ofHours(2));
    assertThat(only(s).outcome()).isEqualTo(RunOutcome.COMPLETED);
  }

  @Test
  void aPresencePolicyIsStoredAndCheckedWithTheFieldNamed() throws Exception {
    Presence policy = new Presence(Optional.of(Duration.ofMinutes(15)), Presence.WhenAlone.PAUSE, Duration.ofMinutes(3));
    Session s = vigil(policy);
    assertThat(world.sessions.find(s.id()).orElseThrow().presence()).isEqualTo(policy);
    assertThat(world.sessions.find(vigilDefault().id()).orElseThrow().presence()).isEqualTo(Presence.REGARDLESS);
    // An edit that does not speak of presence (the web form) keeps the policy.
    world.sessions.update(s.id(), spec("Vigil", "once " + SIX, List.of(chant)));
    assertThat(world.sessions.find(s.id()).orElseThrow().presence()).isEqualTo(policy);

    SessionSpec bad = spec("Bad", "once " + SIX, List.of(chant))
        .toBuilder().presence(new Presence(Optional.of(Duration.ofHours(3)), Presence.WhenAlone.END, Duration.ZERO))
        .build();
    assertThat(world.sessions.problems(bad)).extracting(e -> e.field())
        .containsExactly("waitForMember", "aloneAfter");
  }

  private Session vigilDefault() {
    return world.create(spec("Plain", "once " + SIX, List.of(chant)));
  }
}
