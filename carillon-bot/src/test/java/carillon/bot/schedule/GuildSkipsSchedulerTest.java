package carillon.bot.schedule;

import static carillon.bot.testing.Harness.GUILD;
import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.calendar.GuildCalendars.SkipEntry;
import carillon.bot.run.Run;
import carillon.bot.session.Session;
import carillon.bot.testing.Harness;
import carillon.tasks.Occurrence;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A guild's skipped dates and a session's own EXDATEs at run time: RRULE first Sunday, last Friday and
 * every other week, in America/New_York (clocks back on Sunday 1 November 2026) and Australia/Lord_Howe
 * (clocks forward by 30 minutes on Sunday 4 October 2026, 02:00 to 02:30), on the virtual clock.
 */
class GuildSkipsSchedulerTest {
  static final Instant T0 = Instant.parse("2026-09-20T00:00:00Z");
  static final Instant END = Instant.parse("2026-12-26T00:00:00Z");

  @TempDir Path dir;
  Harness world;
  String bell;

  @BeforeEach
  void setUp() {
    world = new Harness(dir, T0);
    bell = world.track("Bell", Duration.ofSeconds(30));
    world.start();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  List<Instant> played(Session s) {
    return world.runs.forSession(s.id()).stream().map(Run::scheduledAt).toList();
  }

  @Test
  void sessionsSkipTheGuildBreakAndTheirExdatesAcrossDstInTwoZones() throws Exception {
    Session firstSunday = world.create(spec("First Sunday",
        "rrule FREQ=MONTHLY;BYDAY=1SU from 2026-09-06T07:00 America/New_York", List.of(bell)));
    Session lastFriday = world.create(spec("Last Friday",
        "rrule FREQ=MONTHLY;BYDAY=-1FR from 2026-09-25T19:00 Australia/Lord_Howe", List.of(bell)));
    Session fortnightNy = world.create(spec("Fortnight NY",
        "rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-09-21T19:00 America/New_York except 2026-10-19",
        List.of(bell)));
    Session fortnightLh = world.create(spec("Fortnight LH",
        "rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=SU from 2026-09-20T02:15 Australia/Lord_Howe", List.of(bell)));
    // Set after the sessions were planned: the change re-plans them.
    world.calendars.update(GUILD, new GuildCalendars.Change(null, null, List.of(
        new SkipEntry("2026-11-10..2026-11-20", "summer break"), new SkipEntry("2026-12-25", "Christmas"))));
    world.time.settle();
    assertThat(world.scheduler.nextStart(fortnightNy.id())).contains(Instant.parse("2026-09-21T23:00:00Z"));

    List<Occurrence> previewNy = fortnightNy.schedule().skipping(world.calendars.of(GUILD)).occurrences(T0, 7);
    List<Occurrence> previewLh = fortnightLh.schedule().skipping(world.calendars.of(GUILD)).occurrences(T0, 6);

    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger schedulerLog = (Logger) LoggerFactory.getLogger(Scheduler.class);
    Level level = schedulerLog.getLevel();
    schedulerLog.setLevel(Level.INFO); // the tests' logback configuration shows WARN and above
    schedulerLog.addAppender(log);
    try {
      world.time.advanceTo(END);
    } finally {
      schedulerLog.detachAppender(log);
      schedulerLog.setLevel(level);
    }
    // One line per skipped occurrence, when its time comes.
    assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).filteredOn(m -> m.contains("does not play"))
        .containsExactlyInAnyOrder(
            "Session 'Fortnight NY' does not play at 2026-10-19T23:00:00Z: except 2026-10-19",
            "Session 'Fortnight LH' does not play at 2026-11-14T15:15:00Z: summer break (2026-11-10..2026-11-20)",
            "Session 'Fortnight NY' does not play at 2026-11-17T00:00:00Z: summer break (2026-11-10..2026-11-20)",
            "Session 'Last Friday' does not play at 2026-12-25T08:00:00Z: Christmas (2026-12-25)");

    // 07:00 EDT (UTC-4) on 4 October, 07:00 EST (UTC-5) on 1 November, the day clocks go back.
    assertThat(played(firstSunday)).containsExactly(Instant.parse("2026-10-04T11:00:00Z"),
        Instant.parse("2026-11-01T12:00:00Z"), Instant.parse("2026-12-06T12:00:00Z"));
    // 19:00 LHST (UTC+10:30) in September, LHDT (UTC+11) after 4 October; Friday 25 December is Christmas, skipped.
    assertThat(played(lastFriday)).containsExactly(Instant.parse("2026-09-25T08:30:00Z"),
        Instant.parse("2026-10-30T08:00:00Z"),
        Instant.parse("2026-11-27T08:00:00Z"));
    // 19 October is an EXDATE, 16 November in the break; 19:00 EST is 00:00Z the next day.
    assertThat(played(fortnightNy)).containsExactly(Instant.parse("2026-09-21T23:00:00Z"),
        Instant.parse("2026-10-05T23:00:00Z"), Instant.parse("2026-11-03T00:00:00Z"),
        Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-15T00:00:00Z"));
    // 02:15 on 4 October is in Lord Howe's half-hour gap: 02:45 LHDT; 15 November is in the break.
    assertThat(played(fortnightLh)).containsExactly(Instant.parse("2026-10-03T15:45:00Z"),
        Instant.parse("2026-10-17T15:15:00Z"), Instant.parse("2026-10-31T15:15:00Z"),
        Instant.parse("2026-11-28T15:15:00Z"), Instant.parse("2026-12-12T15:15:00Z"));

    // What ran is what the preview said would run; the preview marks the others with why.
    assertThat(played(fortnightNy)).containsExactlyElementsOf(
        previewNy.stream().filter(o -> !o.skipped()).map(Occurrence::instant).toList());
    assertThat(previewNy).filteredOn(Occurrence::skipped).extracting(o -> o.skippedBecause().orElseThrow())
        .containsExactly("except 2026-10-19", "summer break (2026-11-10..2026-11-20)");
    assertThat(played(fortnightLh)).containsExactlyElementsOf(
        previewLh.stream().filter(o -> !o.skipped()).map(Occurrence::instant).toList());
    assertThat(previewLh).filteredOn(Occurrence::skipped).extracting(Occurrence::instant)
        .containsExactly(Instant.parse("2026-11-14T15:15:00Z"));
    // No run was recorded for a skipped occurrence: skips are not runs.
    assertThat(world.runs.forSession(lastFriday.id())).noneMatch(r -> r.scheduledAt().equals(
        Instant.parse("2026-12-25T08:00:00Z")));
  }

  @Test
  void removingTheBreakPlansTheSkippedOccurrenceAgain() throws Exception {
    world.calendars.update(GUILD, new GuildCalendars.Change(null, null, List.of(new SkipEntry("2026-09-21", "holiday"))));
    Session fortnightNy = world.create(spec("Fortnight NY",
        "rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-09-21T19:00 America/New_York", List.of(bell)));
    assertThat(world.scheduler.nextStart(fortnightNy.id())).contains(Instant.parse("2026-10-05T23:00:00Z"));
    world.calendars.update(GUILD, new GuildCalendars.Change(null, null, List.of()));
    assertThat(world.scheduler.nextStart(fortnightNy.id())).contains(Instant.parse("2026-09-21T23:00:00Z"));
  }
}
