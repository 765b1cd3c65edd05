package carillon.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.stream.Stream;

class ScheduleTest {
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId SAIGON = ZoneId.of("Asia/Ho_Chi_Minh");
  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  static Instant at(String localDateTime, ZoneId zone) {
    return ZonedDateTime.of(LocalDateTime.parse(localDateTime), zone).toInstant();
  }

  /** The first {@code n} instants of {@code schedule} after {@code from}. */
  static List<Instant> firings(Schedule schedule, Instant from, int n) {
    List<Instant> out = new ArrayList<>();
    Instant cursor = from;
    for (int i = 0; i < n; i++) {
      Optional<Instant> next = schedule.next(cursor);
      if (next.isEmpty()) {
        break;
      }
      assertThat(next.get()).isAfter(cursor);
      out.add(next.get());
      cursor = next.get();
    }
    return out;
  }

  /**
   * A case {@code "input|message start"}: {@code read} refuses the input with an
   * {@link IllegalArgumentException} whose message starts so and gives an example.
   */
  static void assertRefusedWithExample(String caseText, Consumer<String> read) {
    String[] parts = caseText.split("\\|");
    assertThatThrownBy(() -> read.accept(parts[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(parts[1])
        .hasMessageContaining("e.g.");
  }

  @Nested
  class Daily {
    @Test
    void firesAtEachTimeEveryDayInItsZone() {
      Schedule s = Schedule.daily(SAIGON, LocalTime.of(19, 30), LocalTime.of(7, 0));
      assertThat(firings(s, at("2026-03-01T06:00", SAIGON), 4)).containsExactly(
          at("2026-03-01T07:00", SAIGON), at("2026-03-01T19:30", SAIGON),
          at("2026-03-02T07:00", SAIGON), at("2026-03-02T19:30", SAIGON));
    }

    @Test
    void nextIsStrictlyAfter() {
      Schedule s = Schedule.daily(PARIS, LocalTime.of(7, 0));
      assertThat(s.next(at("2026-03-01T07:00", PARIS))).contains(at("2026-03-02T07:00", PARIS));
    }

    @Test
    void crossesMidnightMonthAndYearBoundaries() {
      Schedule s = Schedule.daily(TOKYO, LocalTime.MIDNIGHT, LocalTime.of(23, 59));
      assertThat(firings(s, at("2026-12-31T12:00", TOKYO), 3)).containsExactly(
          at("2026-12-31T23:59", TOKYO), at("2027-01-01T00:00", TOKYO), at("2027-01-01T23:59", TOKYO));
      assertThat(firings(s, at("2028-02-28T23:59", TOKYO), 2)).containsExactly(
          at("2028-02-29T00:00", TOKYO), at("2028-02-29T23:59", TOKYO));
    }

    @Test
    void timeInSpringForwardGapIsShiftedForwardByTheGap() {
      // Paris 2026-03-29: clocks jump from 02:00 to 03:00, so 02:30 does not exist.
      Schedule s = Schedule.daily(PARIS, LocalTime.of(2, 30));
      assertThat(firings(s, at("2026-03-28T12:00", PARIS), 3)).containsExactly(
          at("2026-03-29T03:30", PARIS),
          Instant.parse("2026-03-30T00:30:00Z"),
          Instant.parse("2026-03-31T00:30:00Z"));
      assertThat(at("2026-03-29T03:30", PARIS)).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void timeInFallBackOverlapFiresOnceAtTheEarlierOccurrence() {
      // New York 2026-11-01: 01:00-02:00 happens twice (EDT, then EST).
      Schedule s = Schedule.daily(NEW_YORK, LocalTime.of(1, 30));
      List<Instant> fired = firings(s, at("2026-10-31T00:00", NEW_YORK), 3);
      assertThat(fired).containsExactly(
          Instant.parse("2026-10-31T05:30:00Z"), // EDT
          Instant.parse("2026-11-01T05:30:00Z"), // the first 01:30 (EDT), not the second (06:30Z)
          Instant.parse("2026-11-02T06:30:00Z")); // EST
      // Asked from between the two 01:30s, it does not fire the second one.
      assertThat(s.next(Instant.parse("2026-11-01T06:00:00Z"))).contains(Instant.parse("2026-11-02T06:30:00Z"));
    }

    @Test
    void severalZonesInOneScheduleEachFireAtTheirOwnTime() {
      // discord.py compares naive wall times and can skip one of these forever; each keeps its own zone here.
      Schedule s = Schedule.anyOf(
          Schedule.daily(TOKYO, LocalTime.of(9, 0)),
          Schedule.daily(PARIS, LocalTime.of(9, 0)),
          Schedule.daily(NEW_YORK, LocalTime.of(9, 0)));
      assertThat(firings(s, Instant.parse("2026-06-01T00:00:00Z"), 6)).containsExactly(
          Instant.parse("2026-06-01T07:00:00Z"), // Paris, CEST
          Instant.parse("2026-06-01T13:00:00Z"), // New York, EDT
          Instant.parse("2026-06-02T00:00:00Z"), // Tokyo
          Instant.parse("2026-06-02T07:00:00Z"),
          Instant.parse("2026-06-02T13:00:00Z"),
          Instant.parse("2026-06-03T00:00:00Z"));
    }

    @Test
    void sameInstantFromTwoZonesFiresOnce() {
      Schedule s = Schedule.anyOf(
          Schedule.daily(ZoneId.of("UTC"), LocalTime.of(7, 0)),
          Schedule.daily(ZoneId.of("Europe/London"), LocalTime.of(7, 0))); // same instant in winter
      assertThat(firings(s, Instant.parse("2026-01-10T00:00:00Z"), 2)).containsExactly(
          Instant.parse("2026-01-10T07:00:00Z"), Instant.parse("2026-01-11T07:00:00Z"));
    }
  }

  @Nested
  class Weekly {
    @Test
    void firesOnTheGivenDaysOnly() {
      Schedule s = Schedule.weekly(SAIGON, EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY),
          LocalTime.of(7, 0));
      // 2026-11-22 is a Sunday.
      assertThat(firings(s, at("2026-11-22T10:00", SAIGON), 4)).containsExactly(
          at("2026-11-23T07:00", SAIGON), at("2026-11-25T07:00", SAIGON),
          at("2026-11-27T07:00", SAIGON), at("2026-11-30T07:00", SAIGON));
    }

    @Test
    void acrossDstChangeKeepsWallTime() {
      Schedule s = Schedule.weekly(PARIS, EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(7, 0));
      assertThat(firings(s, at("2026-03-21T00:00", PARIS), 2)).containsExactly(
          Instant.parse("2026-03-22T06:00:00Z"), Instant.parse("2026-03-29T05:00:00Z"));
    }

    @Test
    void weeklyPartsInSeveralZones() {
      Schedule s = Schedule.anyOf(
          Schedule.weekly(TOKYO, EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(8, 0)),
          Schedule.weekly(NEW_YORK, EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(20, 0)));
      // Sunday 20:00 New York (EST) = Monday 01:00Z; Monday 08:00 Tokyo = Sunday 23:00Z: Tokyo first.
      assertThat(firings(s, Instant.parse("2026-11-22T00:00:00Z"), 2)).containsExactly(
          Instant.parse("2026-11-22T23:00:00Z"), Instant.parse("2026-11-23T01:00:00Z"));
    }
  }

  @Nested
  class Cron {
    static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void rangesListsAndSteps() {
      Schedule s = Schedule.cron("0,30 9-10 * * *", UTC);
      assertThat(firings(s, Instant.parse("2026-05-01T00:00:00Z"), 5)).containsExactly(
          Instant.parse("2026-05-01T09:00:00Z"), Instant.parse("2026-05-01T09:30:00Z"),
          Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T10:30:00Z"),
          Instant.parse("2026-05-02T09:00:00Z"));
      assertThat(firings(Schedule.cron("*/20 * * * *", UTC), Instant.parse("2026-05-01T00:05:00Z"), 3))
          .containsExactly(Instant.parse("2026-05-01T00:20:00Z"), Instant.parse("2026-05-01T00:40:00Z"),
              Instant.parse("2026-05-01T01:00:00Z"));
      assertThat(firings(Schedule.cron("10-50/20 * * * *", UTC), Instant.parse("2026-05-01T00:00:00Z"), 4))
          .containsExactly(Instant.parse("2026-05-01T00:10:00Z"), Instant.parse("2026-05-01T00:30:00Z"),
              Instant.parse("2026-05-01T00:50:00Z"), Instant.parse("2026-05-01T01:10:00Z"));
      assertThat(firings(Schedule.cron("45/5 * * * *", UTC), Instant.parse("2026-05-01T00:00:00Z"), 4))
          .containsExactly(Instant.parse("2026-05-01T00:45:00Z"), Instant.parse("2026-05-01T00:50:00Z"),
              Instant.parse("2026-05-01T00:55:00Z"), Instant.parse("2026-05-01T01:45:00Z"));
    }

    @Test
    void weekdaysByNumberAndName() {
      Instant sunday = Instant.parse("2026-11-22T12:00:00Z");
      List<Instant> expected = List.of(Instant.parse("2026-11-23T07:00:00Z"), Instant.parse("2026-11-24T07:00:00Z"),
          Instant.parse("2026-11-25T07:00:00Z"), Instant.parse("2026-11-26T07:00:00Z"),
          Instant.parse("2026-11-27T07:00:00Z"), Instant.parse("2026-11-30T07:00:00Z"));
      assertThat(firings(Schedule.cron("0 7 * * 1-5", UTC), sunday, 6)).isEqualTo(expected);
      assertThat(firings(Schedule.cron("0 7 * * mon-FRI", UTC), sunday, 6)).isEqualTo(expected);
      // 0 and 7 are both Sunday.
      assertThat(Schedule.cron("0 7 * * 7", UTC).next(sunday)).contains(Instant.parse("2026-11-29T07:00:00Z"));
      assertThat(Schedule.cron("0 7 * * 0", UTC).next(sunday)).contains(Instant.parse("2026-11-29T07:00:00Z"));
    }

    @Test
    void monthsDaysOfMonthAndYearBoundary() {
      Schedule s = Schedule.cron("0 0 1 JAN,jul *", UTC);
      assertThat(firings(s, Instant.parse("2026-03-01T00:00:00Z"), 3)).containsExactly(
          Instant.parse("2026-07-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
          Instant.parse("2027-07-01T00:00:00Z"));
      // Only months with a 31st.
      assertThat(firings(Schedule.cron("0 12 31 * *", UTC), Instant.parse("2026-01-31T13:00:00Z"), 2))
          .containsExactly(Instant.parse("2026-03-31T12:00:00Z"), Instant.parse("2026-05-31T12:00:00Z"));
      // Leap day.
      assertThat(Schedule.cron("0 0 29 2 *", UTC).next(Instant.parse("2026-01-01T00:00:00Z")))
          .contains(Instant.parse("2028-02-29T00:00:00Z"));
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEither() {
      // Vixie cron: the 13th OR any Friday.
      Schedule s = Schedule.cron("0 0 13 * 5", UTC);
      assertThat(firings(s, Instant.parse("2026-11-01T00:00:00Z"), 4)).containsExactly(
          Instant.parse("2026-11-06T00:00:00Z"), Instant.parse("2026-11-13T00:00:00Z"),
          Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-27T00:00:00Z"));
      // With a * day-of-week, only the day of month counts.
      assertThat(Schedule.cron("0 0 13 * *", UTC).next(Instant.parse("2026-11-01T00:00:00Z")))
          .contains(Instant.parse("2026-11-13T00:00:00Z"));
    }

    @Test
    void macros() {
      Instant from = Instant.parse("2026-11-22T12:34:00Z");
      assertThat(Schedule.cron("@hourly", UTC).next(from)).contains(Instant.parse("2026-11-22T13:00:00Z"));
      assertThat(Schedule.cron("@daily", UTC).next(from)).contains(Instant.parse("2026-11-23T00:00:00Z"));
      assertThat(Schedule.cron("@weekly", UTC).next(from)).contains(Instant.parse("2026-11-29T00:00:00Z"));
      assertThat(Schedule.cron("@monthly", UTC).next(from)).contains(Instant.parse("2026-12-01T00:00:00Z"));
      assertThat(Schedule.cron("@yearly", UTC).next(from)).contains(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void dstGapAndOverlapInTheCronZone() {
      Schedule everyQuarter = Schedule.cron("*/30 1-3 * * *", PARIS);
      // 2026-03-29 02:00-03:00 does not exist in Paris: 02:00 and 02:30 shift to 03:00 and 03:30, once each.
      assertThat(firings(everyQuarter, at("2026-03-29T00:59", PARIS), 4)).containsExactly(
          at("2026-03-29T01:00", PARIS), at("2026-03-29T01:30", PARIS),
          at("2026-03-29T03:00", PARIS), at("2026-03-29T03:30", PARIS));
      // 2026-11-01 01:00-02:00 happens twice in New York: each wall time fires once, the earlier.
      Schedule s = Schedule.cron("30 1 * * *", NEW_YORK);
      assertThat(firings(s, Instant.parse("2026-11-01T00:00:00Z"), 2)).containsExactly(
          Instant.parse("2026-11-01T05:30:00Z"), Instant.parse("2026-11-02T06:30:00Z"));
    }

    @Test
    void nextIsStrictlyAfterEvenWithinTheSameMinute() {
      Schedule s = Schedule.cron("* * * * *", UTC);
      assertThat(s.next(Instant.parse("2026-05-01T10:00:00Z"))).contains(Instant.parse("2026-05-01T10:01:00Z"));
      assertThat(s.next(Instant.parse("2026-05-01T10:00:59.999Z"))).contains(Instant.parse("2026-05-01T10:01:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "60 * * * *|cron minute field '60' has 60, out of range; allowed 0-59",
        "* 24 * * *|cron hour field '24' has 24, out of range; allowed 0-23",
        "* * 0 * *|cron day-of-month field '0' has 0, out of range; allowed 1-31",
        "* * * 13 *|cron month field '13' has 13, out of range; allowed 1-12 or JAN-DEC",
        "* * * * 8|cron day-of-week field '8' has 8, out of range; allowed 0-7 or SUN-SAT",
        "* * * * FUN|cron day-of-week field 'FUN' has value 'FUN' that is not a number; allowed 0-7 or SUN-SAT",
        "*/0 * * * *|cron minute field '*/0' has step 0; a step must be 1 or more",
        "5-1 * * * *|cron minute field '5-1' has range 5-1 that runs backwards; use a-b with a <= b",
        "1,,2 * * * *|cron minute field '1,,2' has an empty list item",
        "* * * *|cron expression '* * * *' has 4 fields; expected 5",
        "0 0 30 2 *|cron expression '0 0 30 2 *' never fires"})
    void malformedExpressionsSayWhatIsWrongAndWhatIsAllowed(String caseText) {
      String[] parts = caseText.split("\\|");
      assertThatThrownBy(() -> Schedule.cron(parts[0], UTC))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(parts[1]);
    }
  }

  @Nested
  class Once {
    @Test
    void firesOnceThenNever() {
      Instant when = Instant.parse("2026-12-24T18:00:00Z");
      Schedule s = Schedule.once(when);
      assertThat(s.next(when.minusSeconds(1))).contains(when);
      assertThat(s.next(when)).isEmpty();
      assertThat(s.next(when.plusSeconds(1))).isEmpty();
    }
  }

  @Nested
  class Text {
    @ParameterizedTest
    @ValueSource(strings = {
        "daily 07:00,19:30 Europe/Paris",
        "daily 06:15:30 UTC",
        "weekly MON,WED,FRI 07:00 Asia/Ho_Chi_Minh",
        "cron 0 7 * * 1-5 America/New_York",
        "cron */15 9-17 * JAN-MAR mon,fri UTC",
        "once 2026-12-24T18:00:00Z",
        "daily 07:00 Asia/Tokyo | weekly SAT,SUN 10:00 Europe/London | once 2027-01-01T00:00:00Z"})
    void canonicalTextRoundTrips(String text) {
      Schedule parsed = Schedule.parse(text);
      assertThat(parsed.toString()).isEqualTo(text);
      assertThat(Schedule.parse(parsed.toString())).isEqualTo(parsed);
    }

    @Test
    void factoriesWriteTheStableForm() {
      assertThat(Schedule.weekly(SAIGON, EnumSet.of(DayOfWeek.FRIDAY, DayOfWeek.MONDAY), LocalTime.of(19, 0),
          LocalTime.of(7, 0)).toString()).isEqualTo("weekly MON,FRI 07:00,19:00 Asia/Ho_Chi_Minh");
      assertThat(Schedule.daily(PARIS, LocalTime.of(7, 0)).toString()).isEqualTo("daily 07:00 Europe/Paris");
      assertThat(Schedule.weekly(PARIS, EnumSet.allOf(DayOfWeek.class), LocalTime.of(7, 0)).toString())
          .isEqualTo("daily 07:00 Europe/Paris");
      assertThat(Schedule.cron("0   7 * *  1-5", PARIS).toString()).isEqualTo("cron 0 7 * * 1-5 Europe/Paris");
    }

    @Test
    void lenientInputBecomesCanonical() {
      assertThat(Schedule.parse("  Weekly  fri,Monday 7:00  Asia/Ho_Chi_Minh ").toString())
          .isEqualTo("weekly MON,FRI 07:00 Asia/Ho_Chi_Minh");
      assertThat(Schedule.parse("once 2026-12-24T18:00 Europe/Paris").toString())
          .isEqualTo("once 2026-12-24T17:00:00Z");
      assertThat(Schedule.parse("cron @daily UTC").next(Instant.parse("2026-01-01T10:00:00Z")))
          .contains(Instant.parse("2026-01-02T00:00:00Z"));
    }

    static Stream<Arguments> malformedTexts() {
      return Stream.of(
          Arguments.of("", "schedule is empty; e.g."),
          Arguments.of("hourly 07:00 UTC",
              "schedule 'hourly 07:00 UTC' starts with 'hourly'; expected daily, weekly, cron or once, or rrule"),
          Arguments.of("daily 07:00", "schedule 'daily 07:00' has 2 words; expected daily TIMES ZONE"),
          Arguments.of("daily 25:00 UTC", "time '25:00' is not a time of day; use HH:mm from 00:00 to 23:59"),
          Arguments.of("daily 07:00 Mars/Olympus",
              "unknown time zone 'Mars/Olympus'; use a region id such as Europe/Paris"),
          Arguments.of("weekly MON,XYZ 07:00 UTC",
              "day 'XYZ' is not a day of the week; use MON, TUE, WED, THU, FRI, SAT or SUN"),
          Arguments.of("weekly 07:00 UTC", "schedule 'weekly 07:00 UTC' has 3 words; expected weekly DAYS TIMES ZONE"),
          Arguments.of("cron 0 7 * * UTC", "schedule 'cron 0 7 * * UTC' has 6 words; expected cron MINUTE HOUR"),
          Arguments.of("cron 0 7 * * 9 UTC", "cron day-of-week field '9' has 9, out of range; allowed 0-7 or SUN-SAT"),
          Arguments.of("once tomorrow", "'tomorrow' is not an instant; use UTC like 2026-12-24T18:00:00Z"),
          Arguments.of("daily 07:00 UTC | ",
              "schedule 'daily 07:00 UTC | ' has an empty part between '|' separators"));
    }

    @ParameterizedTest
    @MethodSource("malformedTexts")
    void parseErrorsSayWhatIsWrongAndWhatIsAllowed(String input, String message) {
      assertThatThrownBy(() -> Schedule.parse(input))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(message);
    }
  }
}
