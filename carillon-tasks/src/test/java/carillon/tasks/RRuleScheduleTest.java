package carillon.tasks;

import static carillon.tasks.ScheduleTest.at;
import static carillon.tasks.ScheduleTest.firings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code rrule} form: RFC 5545 recurrence rules, expanded by ical4j in the schedule's zone. */
class RRuleScheduleTest {
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** Each row: the schedule, from, the instants that follow. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # Paris moves to summer time on 2026-03-29: 07:00 is 06:00Z in March and 05:00Z in April.
      rrule FREQ=MONTHLY;BYDAY=1SU from 2026-01-04T07:00 Europe/Paris | 2026-02-15T00:00:00Z | 2026-03-01T06:00:00Z,2026-04-05T05:00:00Z,2026-05-03T05:00:00Z
      # New York moves to summer time on 2026-03-08: 19:00 is 00:00Z next day in February, 23:00Z in March.
      rrule FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=19;BYMINUTE=0 from 2026-01-01T00:00 America/New_York | 2026-02-01T00:00:00Z | 2026-02-28T00:00:00Z,2026-03-27T23:00:00Z,2026-04-24T23:00:00Z
      # BYSETPOS=-1 of the weekdays: the last weekday of the month.
      rrule FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 from 2026-01-01T18:00 Europe/Paris | 2026-01-01T00:00:00Z | 2026-01-30T17:00:00Z,2026-02-27T17:00:00Z,2026-03-31T16:00:00Z
      # Every other week from the start; Lord Howe leaves summer time (+11:00) for +10:30 on 2026-04-05.
      rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-03-23T19:00 Australia/Lord_Howe | 2026-03-01T00:00:00Z | 2026-03-23T08:00:00Z,2026-04-06T08:30:00Z,2026-04-20T08:30:00Z
      # The week in between is not one of its weeks.
      rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-03-23T19:00 Australia/Lord_Howe | 2026-03-24T00:00:00Z | 2026-04-06T08:30:00Z
      """)
  void expandsInTheWallTimeOfItsZone(String text, String from, String expected) {
    List<Instant> instants = Stream.of(expected.split(",")).map(Instant::parse).toList();
    assertThat(firings(Schedule.parse(text), Instant.parse(from), instants.size())).containsExactlyElementsOf(instants);
  }

  @Test
  void countAndUntilEndTheRule() {
    Schedule three = Schedule.parse("rrule FREQ=WEEKLY;COUNT=3 from 2026-01-05T19:00 UTC");
    assertThat(firings(three, Instant.parse("2026-01-01T00:00:00Z"), 5)).containsExactly(
        Instant.parse("2026-01-05T19:00:00Z"), Instant.parse("2026-01-12T19:00:00Z"),
        Instant.parse("2026-01-19T19:00:00Z"));
    // COUNT counts from the start, not from the instant asked about.
    assertThat(three.next(Instant.parse("2026-01-13T00:00:00Z"))).contains(Instant.parse("2026-01-19T19:00:00Z"));
    Schedule until = Schedule.parse("rrule FREQ=WEEKLY;UNTIL=20260119T190000 from 2026-01-05T19:00 Europe/Paris");
    assertThat(firings(until, Instant.parse("2026-01-01T00:00:00Z"), 5)).hasSize(3);
    // A UTC UNTIL (what calendar exports write) is read in the schedule's zone and written as local time.
    Schedule utcUntil = Schedule.parse("rrule FREQ=WEEKLY;UNTIL=20260119T180000Z from 2026-01-05T19:00 Europe/Paris");
    assertThat(utcUntil.toString()).isEqualTo("rrule FREQ=WEEKLY;UNTIL=20260119T190000 from 2026-01-05T19:00 Europe/Paris");
    assertThat(utcUntil).isEqualTo(until);
  }

  @Test
  void exceptSkipsWholeDatesAndSingleOccurrences() {
    Schedule s = Schedule.parse(
        "rrule FREQ=WEEKLY;BYDAY=TH from 2026-12-03T20:00 Europe/Paris except 2026-12-24,2026-12-31T20:00");
    assertThat(firings(s, at("2026-12-01T00:00", PARIS), 3)).containsExactly(
        at("2026-12-03T20:00", PARIS), at("2026-12-10T20:00", PARIS), at("2026-12-17T20:00", PARIS));
    assertThat(s.next(at("2026-12-17T20:00", PARIS))).contains(at("2027-01-07T20:00", PARIS));
    // A date-time that is not an occurrence skips nothing.
    Schedule other = Schedule.parse("rrule FREQ=WEEKLY;BYDAY=TH from 2026-12-03T20:00 Europe/Paris except 2026-12-24T19:00");
    assertThat(other.next(at("2026-12-23T00:00", PARIS))).contains(at("2026-12-24T20:00", PARIS));
  }

  @Test
  void wallTimesInGapsAndOverlapsFollowRfc5545() {
    Schedule s = Schedule.parse("rrule FREQ=DAILY;BYHOUR=2;BYMINUTE=30 from 2026-03-01T02:30 America/New_York");
    // 2026-03-08 02:30 does not exist: read with the offset before the gap, it is 03:30 EDT.
    assertThat(s.next(Instant.parse("2026-03-08T05:00:00Z"))).contains(Instant.parse("2026-03-08T07:30:00Z"));
    Schedule overlap = Schedule.parse("rrule FREQ=DAILY;BYHOUR=1;BYMINUTE=30 from 2026-10-01T01:30 America/New_York");
    // 2026-11-01 01:30 happens twice: the first one counts, once.
    assertThat(firings(overlap, Instant.parse("2026-11-01T04:00:00Z"), 2)).containsExactly(
        Instant.parse("2026-11-01T05:30:00Z"), Instant.parse("2026-11-02T06:30:00Z"));
  }

  @Test
  void textIsReadLenientlyAndWrittenCanonically() {
    Schedule s = Schedule.parse("  RRULE  RRULE:freq=weekly;byday=mo;interval=2  FROM 2026-01-05T19:00  america/new_york"
        + "  EXCEPT 2026-12-28,2026-02-02T19:00 ");
    assertThat(s.toString()).isEqualTo("rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-01-05T19:00 America/New_York"
        + " except 2026-02-02T19:00,2026-12-28");
    assertThat(Schedule.parse(s.toString())).isEqualTo(s);
    assertThat(Schedule.parse("rrule FREQ=MONTHLY;BYDAY=1SU from 2026-01-04T07:00 Europe/Paris | daily 07:00 UTC")
        .toString()).isEqualTo("rrule FREQ=MONTHLY;BYDAY=1SU from 2026-01-04T07:00 Europe/Paris | daily 07:00 UTC");
  }

  @Test
  void theFactoryEqualsTheTextForm() {
    Schedule built = Schedule.rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", LocalDateTime.parse("2026-01-05T19:00"),
        NEW_YORK, List.of(LocalDate.parse("2026-12-28"), LocalDateTime.parse("2026-02-02T19:00")));
    assertThat(built).isEqualTo(Schedule.parse(
        "rrule FREQ=WEEKLY;INTERVAL=2;BYDAY=MO from 2026-01-05T19:00 America/New_York except 2026-02-02T19:00,2026-12-28"));
  }

  @Test
  void aRuleThatHasEndedIsRefusedForNewInputButReadWhenStored() {
    String text = "rrule FREQ=DAILY;COUNT=2 from 2026-01-01T07:00 UTC";
    assertThat(Schedule.parse(text).next(Instant.parse("2026-06-01T00:00:00Z"))).isEmpty();
    assertThatThrownBy(() -> Schedule.parse(text, Instant.parse("2026-06-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("schedule '" + text + "' has no occurrence after now (2026-06-01T00:00:00Z):"
            + " its last occurrence has passed");
  }

  @Test
  void exceptedOccurrencesAreMarkedInThePreview() {
    Schedule s = Schedule.parse("rrule FREQ=WEEKLY;BYDAY=TH from 2026-12-03T20:00 Europe/Paris except 2026-12-24");
    assertThat(s.occurrences(at("2026-12-15T00:00", PARIS), 3)).containsExactly(
        new Occurrence(at("2026-12-17T20:00", PARIS), Optional.empty()),
        new Occurrence(at("2026-12-24T20:00", PARIS), Optional.of("except 2026-12-24")),
        new Occurrence(at("2026-12-31T20:00", PARIS), Optional.empty()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "rrule FREQ=FORTNIGHTLY from 2026-01-01T07:00 UTC|rrule rule 'FREQ=FORTNIGHTLY' is not an RFC 5545 RRULE",
      "rrule BYDAY=MO from 2026-01-01T07:00 UTC|rrule rule 'BYDAY=MO' is not an RFC 5545 RRULE",
      "rrule FREQ=WEEKLY;INTERVAL=0 from 2026-01-01T07:00 UTC|rrule rule 'FREQ=WEEKLY;INTERVAL=0' has INTERVAL 0",
      "rrule FREQ=WEEKLY;COUNT=0 from 2026-01-01T07:00 UTC|rrule rule 'FREQ=WEEKLY;COUNT=0' has COUNT 0",
      "rrule FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 from 2026-01-01T07:00 UTC|rrule 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' never fires",
      "rrule FREQ=WEEKLY 2026-01-01T07:00 UTC|schedule 'rrule FREQ=WEEKLY 2026-01-01T07:00 UTC' has 4 words; expected rrule RULE from START ZONE",
      "rrule FREQ=WEEKLY from 2026-01-01 UTC|'2026-01-01' in rrule start is not a local date-time",
      "rrule FREQ=WEEKLY from 2026-01-01T24:00 UTC|'2026-01-01T24:00' has the time 24:00",
      "rrule FREQ=WEEKLY from +10000-01-01T07:00 UTC|'+10000-01-01T07:00' has the year 10000",
      "rrule FREQ=WEEKLY from 2026-01-01T07:00 UTC except 2026-02-30|'2026-02-30' in rrule except is not a date",
      "rrule FREQ=WEEKLY from 2026-01-01T07:00 Mars/Olympus|unknown time zone 'Mars/Olympus'"})
  void malformedRulesSayWhatIsWrongAndWhatIsAllowed(String caseText) {
    ScheduleTest.assertRefusedWithExample(caseText, Schedule::parse);
  }
}
