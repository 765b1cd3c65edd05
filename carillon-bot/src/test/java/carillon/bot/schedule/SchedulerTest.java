package carillon.bot.schedule;

import carillon.bot.testing.Harness;
import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {
  /** Friday before the spring-forward weekend in Europe. */
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");

  @TempDir Path dir;
  Harness world;
  String bell;
  String talk;

  /** The world the tests run in: a SQLite file here; {@link SchedulerOnPostgresTest} runs them on PostgreSQL. */
  Harness newWorld(Path dir, Instant start) {
    return new Harness(dir, start);
  }

  @BeforeEach
  void setUp() {
    world = newWorld(dir, T0);
    bell = world.track("Bell", Duration.ofSeconds(30));
    talk = world.track("Talk", Duration.ofMinutes(10));
    world.start();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  List<Instant> scheduledRuns(Session s) {
    return world.runs.forSession(s.id()).stream().map(Run::scheduledAt).toList();
  }

  static SessionSpec with(SessionSpec s, Duration gap, Integer reminderMinutes, Duration grace) {
    return SessionSpec.builder(s.guildId(), s.name()).voiceChannel(s.voiceChannelId()).textChannel(s.textChannelId())
        .mentionRole(s.mentionRoleId()).schedule(s.schedule()).playlist(s.playlist()).gap(gap)
        .maxDuration(s.maxDuration()).repeat(s.repeat()).reminderMinutes(reminderMinutes).startText(s.startText())
        .endText(s.endText()).enabled(s.enabled()).lateGrace(grace).build();
  }

  @Test
  void dailySessionStartsAtItsWallTimeAcrossTheDstChange() {
    Session s = world.create(spec("Morning", "daily 07:00 Europe/Paris", List.of(bell)));
    world.time.advance(Duration.ofDays(4));
    // CET (UTC+1) until Sunday 29 March 02:00, then CEST (UTC+2).
    assertThat(scheduledRuns(s)).containsExactly(
        Instant.parse("2026-03-27T06:00:00Z"), Instant.parse("2026-03-28T06:00:00Z"),
        Instant.parse("2026-03-29T05:00:00Z"), Instant.parse("2026-03-30T05:00:00Z"));
    assertThat(world.runs.forSession(s.id())).allSatisfy(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(run.tracksPlayed()).isEqualTo(1);
      assertThat(run.startedAt()).contains(run.scheduledAt());
      assertThat(run.endedAt()).contains(run.scheduledAt().plusSeconds(30));
    });
    assertThat(world.voice.events).startsWith(
        "2026-03-27T06:00:00Z join bot-a@1000 #2001",
        "2026-03-27T06:00:00Z play Bell in bot-a@1000",
        "2026-03-27T06:00:30Z end Bell FINISHED in bot-a@1000",
        "2026-03-27T06:00:30Z leave bot-a@1000");
  }

  @Test
  void cronAndWeeklySessionsKeepTheirWallTimeAcrossTheDstChange() {
    Session cron = world.create(spec("Cron Paris", "cron 30 6 * * * Europe/Paris", List.of(bell)));
    Session weekly = world.create(spec("Weekly Paris", "weekly SAT,MON 06:45 Europe/Paris", List.of(bell)));
    world.time.advance(Duration.ofDays(4));
    assertThat(scheduledRuns(cron)).containsExactly(
        Instant.parse("2026-03-27T05:30:00Z"), Instant.parse("2026-03-28T05:30:00Z"),
        Instant.parse("2026-03-29T04:30:00Z"), Instant.parse("2026-03-30T04:30:00Z"));
    assertThat(scheduledRuns(weekly)).containsExactly(
        Instant.parse("2026-03-28T05:45:00Z"), Instant.parse("2026-03-30T04:45:00Z"));
  }

  @Test
  void weeklyCronAndOneOffSessionsFireAtTheirInstants() {
    Session weekly = world.create(spec("Weekly", "weekly MON,WED 19:30 Asia/Ho_Chi_Minh", List.of(bell)));
    Session cron = world.create(spec("Cron", "cron 0 */12 * * * UTC", List.of(bell)));
    Session once = world.create(spec("Once", "once 2026-03-28T10:15:00Z", List.of(bell)));
    world.time.advance(Duration.ofDays(6));
    assertThat(scheduledRuns(weekly)).containsExactly(
        Instant.parse("2026-03-30T12:30:00Z"), Instant.parse("2026-04-01T12:30:00Z"));
    assertThat(scheduledRuns(cron)).hasSize(12).first().isEqualTo(Instant.parse("2026-03-27T12:00:00Z"));
    assertThat(scheduledRuns(once)).containsExactly(Instant.parse("2026-03-28T10:15:00Z"));
    assertThat(world.scheduler.nextStart(once.id())).isEmpty();
  }

  @Test
  void reminderGoesOutBeforeTheStartAndNoticesFollowTheRun() {
    world.create(with(spec("Yoga", "once 2026-03-27T08:00:00Z", List.of(bell, talk)), Duration.ofSeconds(5), 10,
        Duration.ofMinutes(15)));
    world.time.advance(Duration.ofHours(9));
    assertThat(world.notices.sent).containsExactly(
        "2026-03-27T07:50:00Z reminder Yoga at 2026-03-27T08:00:00Z",
        "2026-03-27T08:00:00Z started Yoga in bot-a@1000",
        "2026-03-27T08:10:35Z ended Yoga after PT10M35S playing [Bell, Talk]");
    // The 5 s gap between the tracks.
    assertThat(world.voice.events).contains(
        "2026-03-27T08:00:30Z end Bell FINISHED in bot-a@1000", "2026-03-27T08:00:35Z play Talk in bot-a@1000");
  }

  @Test
  void aReminderAlreadySentIsNotSentAgainWhenTheSessionIsPlannedAgainForTheSameStart() throws Exception {
    SessionSpec yoga = with(spec("Yoga", "once 2026-03-27T08:00:00Z", List.of(bell)), Duration.ZERO, 10,
        Duration.ofMinutes(15));
    Session s = world.create(yoga);
    world.time.advance(Duration.ofMinutes(7 * 60 + 52)); // 07:52: the reminder went out at 07:50
    // Edits that keep the start (a new gap; a guild's settings saved as they were) plan the session again.
    world.sessions.update(s.id(), with(yoga, Duration.ofSeconds(3), 10, Duration.ofMinutes(15)));
    world.calendars.update(Harness.GUILD, new GuildCalendars.Change(null, null, List.of()));
    world.time.advance(Duration.ofMinutes(5));
    assertThat(world.notices.sent).containsExactly("2026-03-27T07:50:00Z reminder Yoga at 2026-03-27T08:00:00Z");

    // A new start is a new occurrence: its reminder goes out (at once, being late).
    world.sessions.update(s.id(), with(spec("Yoga", "once 2026-03-27T08:05:00Z", List.of(bell)), Duration.ZERO, 10,
        Duration.ofMinutes(15)));
    world.time.settle(); // the reminder is sent by a task the edit set off
    assertThat(world.notices.sent).containsExactly("2026-03-27T07:50:00Z reminder Yoga at 2026-03-27T08:00:00Z",
        "2026-03-27T07:57:00Z reminder Yoga at 2026-03-27T08:05:00Z");
  }

  @Test
  void anEditRePlansAtOnceAndDisablingStopsIt() throws Exception {
    Session s = world.create(spec("Study", "daily 09:00 UTC", List.of(bell)));
    assertThat(world.scheduler.nextStart(s.id())).contains(Instant.parse("2026-03-27T09:00:00Z"));
    world.sessions.update(s.id(), spec("Study", "daily 03:00 UTC", List.of(bell)));
    assertThat(world.scheduler.nextStart(s.id())).contains(Instant.parse("2026-03-27T03:00:00Z"));
    world.time.advance(Duration.ofHours(4));
    assertThat(scheduledRuns(s)).containsExactly(Instant.parse("2026-03-27T03:00:00Z"));
    world.sessions.setEnabled(s.id(), false);
    assertThat(world.scheduler.nextStart(s.id())).isEmpty();
    world.time.advance(Duration.ofDays(2));
    assertThat(scheduledRuns(s)).hasSize(1);
  }

  @Test
  void aStartThatFellDuringDowntimeStartsLateWithinItsGrace() {
    Session s = world.create(spec("Late", "daily 06:00 UTC", List.of(bell)));
    world.time.advance(Duration.ofHours(5));
    world.scheduler.stop(); // the process is down from 05:00 ...
    world.voice.kill();
    world.time.advance(Duration.ofMinutes(70)); // ... to 06:10, within the 15 min grace
    world.crashAndRestart();
    world.time.advance(Duration.ofMinutes(1));
    List<Run> runs = world.runs.forSession(s.id());
    assertThat(runs).singleElement().satisfies(run -> {
      assertThat(run.scheduledAt()).isEqualTo(Instant.parse("2026-03-27T06:00:00Z"));
      assertThat(run.startedAt()).contains(Instant.parse("2026-03-27T06:10:00Z"));
      assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
    });
  }

  @Test
  void aStartBeyondItsGraceIsRecordedAsMissed() {
    Session s = world.create(spec("Missed", "daily 06:00 UTC", List.of(bell)));
    world.time.advance(Duration.ofHours(5));
    world.scheduler.stop();
    world.voice.kill();
    world.time.advance(Duration.ofHours(2)); // back at 07:00: 45 minutes beyond the grace
    world.crashAndRestart();
    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.MISSED);
      assertThat(run.error()).get().asString().contains("beyond its late-start grace of 15 min");
    });
    assertThat(world.voice.events).isEmpty();
    assertThat(world.scheduler.nextStart(s.id())).contains(Instant.parse("2026-03-28T06:00:00Z"));
  }

  @Test
  void aCrashMidRunResumesTheSameRunAtTheSameTrackAndPosition() {
    Session s = world.create(spec("Crash", "daily 06:00 UTC", List.of(bell, talk, bell)));
    world.time.advance(Duration.ofHours(6).plusMinutes(3)); // 2 min 30 s into the talk (the bell is 30 s)
    assertThat(world.runs.forSession(s.id())).singleElement().extracting(Run::outcome).isEqualTo(RunOutcome.RUNNING);

    world.crashAndRestart(Duration.ofSeconds(30));
    assertThat(world.voice.events).containsExactly(
        "2026-03-27T06:03:30Z join bot-a@1000 #2001",
        "2026-03-27T06:03:30Z play Talk from 150s in bot-a@1000");
    world.time.advance(Duration.ofHours(1));

    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(run.scheduledAt()).isEqualTo(Instant.parse("2026-03-27T06:00:00Z"));
      assertThat(run.tracksPlayed()).isEqualTo(3);
    });
    assertThat(world.voice.events).contains("2026-03-27T06:11:00Z end Talk FINISHED in bot-a@1000",
        "2026-03-27T06:11:00Z play Bell in bot-a@1000");
    assertThat(world.notices.sent).as("no second start notice").noneMatch(n -> n.contains("started"));
    assertThat(world.scheduler.nextStart(s.id())).contains(Instant.parse("2026-03-28T06:00:00Z"));
  }

  @Test
  void aCrashWithADowntimeBeyondTheGraceIsRecordedAsCrashedAndNeverPlayedAgain() {
    Session s = world.create(spec("Crash", "daily 06:00 UTC", List.of(talk)));
    world.time.advance(Duration.ofHours(6).plusMinutes(3));

    world.crashAndRestart(Duration.ofMinutes(16)); // the grace is 15 min
    world.time.advance(Duration.ofHours(1));

    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.CRASHED);
      assertThat(run.scheduledAt()).isEqualTo(Instant.parse("2026-03-27T06:00:00Z"));
      assertThat(run.error()).get().asString().endsWith("not resumed: it was down for longer than the session's late grace");
    });
    assertThat(world.voice.events).as("the new process did not play it again").isEmpty();
    assertThat(world.scheduler.nextStart(s.id())).contains(Instant.parse("2026-03-28T06:00:00Z"));
  }

  @Test
  void aCrashAfterTheMaximumDurationRanOutIsRecordedAsCrashed() {
    Session s = world.create(SessionSpec.builder(Harness.GUILD, "Short").voiceChannel(Harness.HALL)
        .textChannel(Harness.NOTICES).schedule("daily 06:00 UTC").playlist(List.of(talk)).gap(Duration.ZERO)
        .maxDuration(Duration.ofMinutes(4)).lateGrace(Duration.ofMinutes(15)).build());
    world.time.advance(Duration.ofHours(6).plusMinutes(3));

    world.crashAndRestart(Duration.ofMinutes(2));

    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.CRASHED);
      assertThat(run.error()).get().asString().endsWith("its maximum duration has run out");
    });
    assertThat(world.voice.events).isEmpty();
  }

  @Test
  void twoSessionsAtOnceWithOneAccountTheSecondWaitsWithinItsGraceThenPlays() {
    world.create(spec("First", "once 2026-03-27T06:00:00Z", List.of(talk)));
    Session second = world.create(spec("Second", "once 2026-03-27T06:00:00Z", List.of(bell)));
    world.time.advance(Duration.ofHours(7));
    // The talk ends at 06:10, inside the second session's 15 min grace: it plays then.
    assertThat(world.runs.forSession(second.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
      assertThat(run.startedAt()).contains(Instant.parse("2026-03-27T06:10:00Z"));
    });
  }

  @Test
  void twoSessionsAtOnceWithOneAccountTheSecondIsSkippedWhenTheSlotStaysBusy() {
    world.create(spec("Long", "once 2026-03-27T06:00:00Z", List.of(talk, talk)));
    Session second = world.create(with(spec("Short grace", "once 2026-03-27T06:00:00Z", List.of(bell)),
        Duration.ZERO, 0, Duration.ofMinutes(5)));
    world.time.advance(Duration.ofHours(7));
    assertThat(world.runs.forSession(second.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.SKIPPED_BUSY);
      assertThat(run.error()).contains("every voice slot of this guild is busy (1 bot account)");
    });
    assertThat(world.notices.sent).contains("2026-03-27T06:05:00Z busy Short grace at 2026-03-27T06:00:00Z");
  }

  @Test
  void twoSessionsAtOnceWithTwoAccountsPlayTogether() {
    world.slots.join("bot-b", Harness.GUILD);
    Session first = world.create(spec("Hall", "once 2026-03-27T06:00:00Z", List.of(talk)));
    SessionSpec garden = spec("Garden", "once 2026-03-27T06:00:00Z", List.of(talk));
    Session second = world.create(SessionSpec.builder(garden.guildId(), garden.name()).voiceChannel(Harness.GARDEN)
        .schedule(garden.schedule()).playlist(garden.playlist()).gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15))
        .build());
    world.time.advance(Duration.ofHours(6).plusMinutes(1));
    assertThat(world.playback.all()).hasSize(2);
    world.time.advance(Duration.ofHours(1));
    assertThat(world.runs.forSession(first.id()).getFirst().account()).contains("bot-a");
    assertThat(world.runs.forSession(second.id()).getFirst().account()).contains("bot-b");
    assertThat(world.voice.events).contains(
        "2026-03-27T06:00:00Z join bot-a@1000 #2001", "2026-03-27T06:00:00Z join bot-b@1000 #2002");
  }

  @Test
  void failingNoticesNeverStopPlayback() {
    world.notices.failing = true;
    Session s = world.create(with(spec("Quiet", "once 2026-03-27T06:00:00Z", List.of(bell)), Duration.ZERO, 5,
        Duration.ofMinutes(15)));
    world.time.advance(Duration.ofHours(7));
    assertThat(world.runs.forSession(s.id())).singleElement().extracting(Run::outcome).isEqualTo(RunOutcome.COMPLETED);
    assertThat(world.notices.sent).isEmpty();
  }

  @Test
  void aVoiceFailureIsRecordedAsAFailedRunAndFreesTheSlot() {
    world.voice.failingChannels.add(Harness.HALL);
    Session s = world.create(spec("Broken", "daily 06:00 UTC", List.of(bell)));
    world.time.advance(Duration.ofHours(7));
    assertThat(world.runs.forSession(s.id())).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
      assertThat(run.error()).contains("missing permission Connect in channel 2001");
    });
    assertThat(world.slots.busySlots()).isEmpty();
  }
}
