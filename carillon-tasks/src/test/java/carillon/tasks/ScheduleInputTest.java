package carillon.tasks;

import static carillon.tasks.ScheduleTest.at;
import static carillon.tasks.ScheduleTest.firings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cron's nth and last days, cron on clock changes (Vixie cron), and input validation. */
class ScheduleInputTest {
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Nested
  class CronDays {
    @Test
    void nthWeekdayOfTheMonth() {
      assertThat(firings(Schedule.cron("0 7 * * SUN#1", PARIS), at("2026-01-01T00:00", PARIS), 3)).containsExactly(
          at("2026-01-04T07:00", PARIS), at("2026-02-01T07:00", PARIS), at("2026-03-01T07:00", PARIS));
      assertThat(firings(Schedule.cron("30 18 * * 2#3", PARIS), at("2026-01-01T00:00", PARIS), 2)).containsExactly(
          at("2026-01-20T18:30", PARIS), at("2026-02-17T18:30", PARIS));
      // A fifth Friday exists only in some months.
      assertThat(firings(Schedule.cron("0 20 * * FRI#5", PARIS), at("2026-01-01T00:00", PARIS), 2)).containsExactly(
          at("2026-01-30T20:00", PARIS), at("2026-05-29T20:00", PARIS));
    }

    @Test
    void lastWeekdayAndLastDayOfTheMonth() {
      assertThat(firings(Schedule.cron("0 19 * * 5L", PARIS), at("2026-01-01T00:00", PARIS), 3)).containsExactly(
          at("2026-01-30T19:00", PARIS), at("2026-02-27T19:00", PARIS), at("2026-03-27T19:00", PARIS));
      assertThat(firings(Schedule.cron("0 19 * * friL", PARIS), at("2026-01-01T00:00", PARIS), 1))
          .containsExactly(at("2026-01-30T19:00", PARIS));
      assertThat(firings(Schedule.cron("0 9 L * *", PARIS), at("2028-01-01T00:00", PARIS), 3)).containsExactly(
          at("2028-01-31T09:00", PARIS), at("2028-02-29T09:00", PARIS), at("2028-03-31T09:00", PARIS));
      assertThat(firings(Schedule.cron("0 9 L 2 *", PARIS), at("2026-01-01T00:00", PARIS), 1))
          .containsExactly(at("2026-02-28T09:00", PARIS));
    }

    @Test
    void nthAndLastMixWithOtherDays() {
      // Both day fields restricted: either matches (the 15th, or the first Monday).
      assertThat(firings(Schedule.cron("0 8 15 * MON#1", PARIS), at("2026-01-01T00:00", PARIS), 3)).containsExactly(
          at("2026-01-05T08:00", PARIS), at("2026-01-15T08:00", PARIS), at("2026-02-02T08:00", PARIS));
      assertThat(firings(Schedule.cron("0 8 * * SUN#1,5L", PARIS), at("2026-01-01T00:00", PARIS), 3)).containsExactly(
          at("2026-01-04T08:00", PARIS), at("2026-01-30T08:00", PARIS), at("2026-02-01T08:00", PARIS));
    }

    @Test
    void textFormKeepsNthAndLast() {
      assertThat(Schedule.parse("cron 0 7 * * sun#1 Europe/Paris").toString())
          .isEqualTo("cron 0 7 * * sun#1 Europe/Paris");
      Schedule s = Schedule.parse("cron 0 9 L * 5L UTC");
      assertThat(Schedule.parse(s.toString())).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0 7 * * SUN#6|cron day-of-week field 'SUN#6' has week 6; use 1-5 after '#', e.g. SUN#1",
        "0 7 * * SUN#0|cron day-of-week field 'SUN#0' has week 0; use 1-5 after '#', e.g. SUN#1",
        "0 7 * * #1|cron day-of-week field '#1' has no day before '#'; use DAY#N, e.g. SUN#1",
        "0 7 * * 1-5#1|cron day-of-week field '1-5#1' has '#' after a range",
        "0 7 * * 8L|cron day-of-week field '8L' has 8, out of range; allowed 0-7 or SUN-SAT",
        "0 7 L-2 * *|cron day-of-month field 'L-2' has 'L-2'; L stands alone (the last day of the month)",
        "0 7 * JAN L|cron day-of-week field 'L' has 'L' without a day; use DAYL for the last such day of the month, e.g. 5L"})
    void malformedNthAndLastSayWhatIsAllowed(String caseText) {
      ScheduleTest.assertRefusedWithExample(caseText, text -> Schedule.cron(text, PARIS));
    }
  }

  /** Vixie cron 4.1 (cron.c, find_jobs and the "time has changed" cases), as cronie keeps it. */
  @Nested
  class CronOnClockChanges {
    /** Each row: expression, zone, from, the instants that follow (the table of docs/tasks.md). */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # New York, 2026-11-01: at 02:00 EDT clocks go back to 01:00 EST, 01:00-01:59 happens twice.
        # A wildcard hour (*, a range, a step) fires in both passes; a fixed hour once, at the first.
        0 * * * *        | America/New_York    | 2026-11-01T04:30:00Z | 2026-11-01T05:00:00Z,2026-11-01T06:00:00Z,2026-11-01T07:00:00Z
        15,45 1-2 * * *  | America/New_York    | 2026-11-01T05:00:00Z | 2026-11-01T05:15:00Z,2026-11-01T05:45:00Z,2026-11-01T06:15:00Z,2026-11-01T06:45:00Z,2026-11-01T07:15:00Z
        30 1 * * *       | America/New_York    | 2026-11-01T04:00:00Z | 2026-11-01T05:30:00Z,2026-11-02T06:30:00Z
        # Asked from inside the second pass, a fixed job has already run: next is tomorrow.
        45 1 * * *       | America/New_York    | 2026-11-01T06:10:00Z | 2026-11-02T06:45:00Z
        # New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT. A fixed 02:30 runs right after the gap;
        # a wildcard-hour job has no 02:30 that day.
        30 2 * * *       | America/New_York    | 2026-03-08T05:00:00Z | 2026-03-08T07:00:00Z,2026-03-09T06:30:00Z
        30 * * * *       | America/New_York    | 2026-03-08T06:00:00Z | 2026-03-08T06:30:00Z,2026-03-08T07:30:00Z
        # Lord Howe, 2026-04-05: at 02:00 (+11:00) clocks go back to 01:30 (+10:30): 01:30-01:59 twice.
        */30 * * * *     | Australia/Lord_Howe | 2026-04-04T14:00:00Z | 2026-04-04T14:30:00Z,2026-04-04T15:00:00Z,2026-04-04T15:30:00Z,2026-04-04T16:00:00Z
        45 1 * * *       | Australia/Lord_Howe | 2026-04-04T14:00:00Z | 2026-04-04T14:45:00Z,2026-04-05T15:15:00Z
        # Lord Howe, 2026-10-04: at 02:00 (+10:30) clocks jump to 02:30 (+11:00). Two fixed times in
        # the gap run together, once, right after it.
        15 2 * * *       | Australia/Lord_Howe | 2026-10-03T14:00:00Z | 2026-10-03T15:30:00Z,2026-10-04T15:15:00Z
        15 * * * *       | Australia/Lord_Howe | 2026-10-03T14:00:00Z | 2026-10-03T14:45:00Z,2026-10-03T16:15:00Z
        10,20 2 * * *    | Australia/Lord_Howe | 2026-10-03T14:00:00Z | 2026-10-03T15:30:00Z,2026-10-04T15:10:00Z
        """)
    void firesAsVixieCronDoesOnClockChanges(String expression, String zone, String from, String expected) {
      List<Instant> instants = Stream.of(expected.split(",")).map(Instant::parse).toList();
      assertThat(firings(Schedule.cron(expression, ZoneId.of(zone)), Instant.parse(from), instants.size()))
          .containsExactlyElementsOf(instants);
    }
  }

  @Nested
  class Validation {
    @ParameterizedTest
    @ValueSource(strings = {"weekly MON 24:00 UTC", "daily 07:00,24:00 UTC", "once 2026-12-24T24:00 Europe/Paris",
        "once 2026-12-24T24:00:00Z"})
    void endOfDayTwentyFourIsRefusedLikeTheMessageSays(String text) {
      assertThatThrownBy(() -> Schedule.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("24:00")
          .hasMessageContaining("00:00 to 23:59")
          .hasMessageContaining("e.g.");
    }

    @Test
    void zoneNamesInAnyCaseAreShownCanonical() {
      assertThat(Schedule.parse("daily 07:00 utc").toString()).isEqualTo("daily 07:00 UTC");
      assertThat(Schedule.parse("weekly mon 07:00 europe/paris").toString()).isEqualTo("weekly MON 07:00 Europe/Paris");
      assertThat(Schedule.parse("cron 0 7 * * * AMERICA/NEW_YORK").toString())
          .isEqualTo("cron 0 7 * * * America/New_York");
      assertThat(Schedule.parse("once 2026-12-24T18:00 australia/lord_howe").toString())
          .isEqualTo("once 2026-12-24T07:00:00Z");
      assertThat(Schedule.parse("daily 07:00 europe/paris")).isEqualTo(Schedule.parse("daily 07:00 Europe/Paris"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"once +10000-01-01T00:00:00Z", "once +999999999-12-31T23:59:59Z",
        "once +10000-01-01T00:00 UTC"})
    void yearsBeyond9999AreRefused(String text) {
      assertThatThrownBy(() -> Schedule.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("years 0001 to 9999")
          .hasMessageContaining("e.g.");
    }

    @Test
    void aOneOffInThePastIsRefusedWhenNowIsGiven() {
      Instant now = Instant.parse("2026-12-01T00:00:00Z");
      assertThatThrownBy(() -> Schedule.parse("once 1970-01-01T00:00:00Z", now))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("schedule 'once 1970-01-01T00:00:00Z' has no occurrence after now (2026-12-01T00:00:00Z):"
              + " it is in the past; use a later instant, e.g. 'once 2026-12-08T00:00:00Z'");
      assertThat(Schedule.parse("once 2026-12-24T18:00:00Z", now)).isEqualTo(Schedule.parse("once 2026-12-24T18:00:00Z"));
      // Reading back a stored schedule does not depend on the clock.
      assertThat(Schedule.parse("once 1970-01-01T00:00:00Z").next(Instant.EPOCH.minusSeconds(1)))
          .contains(Instant.EPOCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hourly 07:00 UTC", "daily 07:00", "daily 25:00 UTC", "daily 07:00 Mars/Olympus",
        "cron 0 7 * * 9 UTC", "cron 0 7 * * SUN#9 UTC", "cron */0 * * * * UTC",
        "once tomorrow", "once 2026-13-01T00:00 UTC", "daily 07:00 UTC | "})
    void everyMessageGivesAnExample(String text) {
      assertThatThrownBy(() -> Schedule.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("e.g.");
    }
  }
}
