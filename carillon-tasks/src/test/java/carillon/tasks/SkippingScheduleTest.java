package carillon.tasks;

import static carillon.tasks.ScheduleTest.at;
import static carillon.tasks.ScheduleTest.firings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Schedule#skipping}: dates and date ranges (holidays, breaks) that any schedule honours. */
class SkippingScheduleTest {
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  static final DateRange CHRISTMAS = new DateRange(LocalDate.parse("2026-12-24"), LocalDate.parse("2026-12-26"), "Christmas");
  static final DateRange SUMMER = DateRange.parse("2026-07-01..2026-08-31").withLabel("summer break");

  @Test
  void nextSkipsOccurrencesOnSkippedDatesInTheSchedulesZone() {
    Schedule s = Schedule.parse("daily 19:00 Europe/Paris").skipping(List.of(CHRISTMAS));
    assertThat(firings(s, at("2026-12-23T00:00", PARIS), 3)).containsExactly(
        at("2026-12-23T19:00", PARIS), at("2026-12-27T19:00", PARIS), at("2026-12-28T19:00", PARIS));
    Schedule weekly = Schedule.parse("weekly WED 18:00 Europe/Paris").skipping(List.of(SUMMER));
    assertThat(firings(weekly, at("2026-06-20T00:00", PARIS), 2)).containsExactly(
        at("2026-06-24T18:00", PARIS), at("2026-09-02T18:00", PARIS));
  }

  @Test
  void eachPartOfAnAnyOfUsesItsOwnZone() {
    // 23:30 on 25 December in New York is 26 December in UTC; 07:00 on 25 December in Tokyo is 24 December in UTC.
    Schedule s = Schedule.parse("daily 23:30 America/New_York | daily 07:00 Asia/Tokyo")
        .skipping(List.of(DateRange.parse("2026-12-25")));
    // Skipped: 07:00 on the 25th in Tokyo (22:00Z on the 24th) and 23:30 on the 25th in New York (04:30Z on the 26th).
    assertThat(firings(s, at("2026-12-24T00:00", TOKYO), 6)).containsExactly(
        at("2026-12-24T07:00", TOKYO), at("2026-12-23T23:30", NEW_YORK), at("2026-12-24T23:30", NEW_YORK),
        at("2026-12-26T07:00", TOKYO), at("2026-12-27T07:00", TOKYO), at("2026-12-26T23:30", NEW_YORK));
  }

  @Test
  void thePreviewListsSkippedOccurrencesWithTheirReason() {
    Schedule s = Schedule.parse("rrule FREQ=WEEKLY;BYDAY=TH from 2026-12-03T20:00 Europe/Paris except 2026-12-31")
        .skipping(List.of(CHRISTMAS));
    assertThat(s.occurrences(at("2026-12-15T00:00", PARIS), 4)).containsExactly(
        new Occurrence(at("2026-12-17T20:00", PARIS), Optional.empty()),
        new Occurrence(at("2026-12-24T20:00", PARIS), Optional.of("Christmas (2026-12-24..2026-12-26)")),
        new Occurrence(at("2026-12-31T20:00", PARIS), Optional.of("except 2026-12-31")),
        new Occurrence(at("2027-01-07T20:00", PARIS), Optional.empty()));
    assertThat(s.occurrences(at("2026-12-15T00:00", PARIS), 4).get(1).skipped()).isTrue();
    // What runs is what the preview does not mark.
    assertThat(firings(s, at("2026-12-15T00:00", PARIS), 2)).containsExactly(
        at("2026-12-17T20:00", PARIS), at("2027-01-07T20:00", PARIS));
  }

  @Test
  void aScheduleWithoutSkipsPreviewsItsInstants() {
    Schedule s = Schedule.parse("once 2026-12-24T18:00:00Z");
    assertThat(s.occurrences(Instant.parse("2026-12-01T00:00:00Z"), 3)).containsExactly(
        new Occurrence(Instant.parse("2026-12-24T18:00:00Z"), Optional.empty()));
    // A one-off's date is its UTC date.
    assertThat(s.skipping(List.of(DateRange.parse("2026-12-24"))).next(Instant.parse("2026-12-01T00:00:00Z"))).isEmpty();
  }

  @Test
  void skippingTwiceKeepsBothLists() {
    Schedule s = Schedule.parse("daily 07:00 UTC").skipping(List.of(DateRange.parse("2026-01-02")))
        .skipping(List.of(DateRange.parse("2026-01-03")));
    assertThat(s.next(Instant.parse("2026-01-01T08:00:00Z"))).contains(Instant.parse("2026-01-04T07:00:00Z"));
  }

  @Test
  void aLoopOnTheVirtualClockDoesNotRunOnSkippedDates() throws Exception {
    ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-12-22T00:00:00Z"));
    List<Instant> ranAt = new CopyOnWriteArrayList<>();
    Loop loop = Loop.on(Schedule.parse("daily 12:00 UTC").skipping(List.of(CHRISTMAS)))
        .timeSource(time).build(() -> ranAt.add(time.now()));
    loop.start();
    time.advance(Duration.ofDays(7));
    loop.cancel();
    assertThat(ranAt).containsExactly(Instant.parse("2026-12-22T12:00:00Z"), Instant.parse("2026-12-23T12:00:00Z"),
        Instant.parse("2026-12-27T12:00:00Z"), Instant.parse("2026-12-28T12:00:00Z"));
  }

  @Test
  void dateRangesHaveATextForm() {
    assertThat(DateRange.parse(" 2026-07-01 .. 2026-08-31 ")).isEqualTo(
        new DateRange(LocalDate.parse("2026-07-01"), LocalDate.parse("2026-08-31"), ""));
    assertThat(DateRange.parse("2026-12-25").toString()).isEqualTo("2026-12-25");
    assertThat(SUMMER.toString()).isEqualTo("2026-07-01..2026-08-31");
    assertThat(SUMMER.contains(LocalDate.parse("2026-08-31"))).isTrue();
    assertThat(SUMMER.contains(LocalDate.parse("2026-09-01"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-08-31..2026-07-01|date range '2026-08-31..2026-07-01' ends before it starts",
      "2026-02-30|'2026-02-30' in date range is not a date",
      "summer|'summer' in date range is not a date",
      "2026-07-01..|'' in date range is not a date",
      "10000-01-01|'10000-01-01' in date range is not a date"})
  void malformedRangesSayWhatIsAllowed(String caseText) {
    ScheduleTest.assertRefusedWithExample(caseText, DateRange::parse);
  }
}
