package carillon.bot.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.session.Session;
import carillon.tasks.DateRange;
import carillon.tasks.Schedule;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DtStart;
import org.junit.jupiter.api.Test;

/** The feed of a guild in UTC (no VTIMEZONE, times as ...Z), its horizon, its skips and disabled sessions. */
class IcsFeedTest {
  static final Instant NOW = Instant.parse("2026-12-20T00:00:00Z");

  static Session session(long id, String name, String schedule, boolean enabled) {
    return new Session(id, 1000, name, 2001, Optional.empty(), Optional.empty(), Schedule.parse(schedule),
        List.of("a".repeat(64)), Duration.ZERO, Optional.of(Duration.ofMinutes(45)), false, Duration.ZERO,
        Optional.empty(), Optional.empty(), enabled, Duration.ofMinutes(15), NOW);
  }

  @Test
  void aUtcGuildsFeedHasInstantsSkipsLeftOutAndEndsAtTheHorizon() throws Exception {
    GuildSettings utc = new GuildSettings(1000, Optional.empty(), Optional.empty(), ZoneOffset.UTC, Locale.ENGLISH,
        List.of(new DateRange(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-26"), "Christmas")), false);
    Calendar calendar = IcsFeed.of("Sangha", utc, List.of(session(1, "Daily", "daily 07:00 UTC", true),
        session(2, "Off", "daily 08:00 UTC", false)), NOW);
    StringWriter text = new StringWriter();
    new CalendarOutputter(true).output(calendar, text); // validates
    Calendar parsed = new CalendarBuilder().build(new StringReader(text.toString()));
    assertThat(parsed.getComponents(Component.VTIMEZONE)).isEmpty();
    List<VEvent> events = parsed.getComponents(Component.VEVENT);
    List<Instant> starts = events.stream().map(e -> Instant.from(
        e.<DtStart<Temporal>>getProperty(Property.DTSTART).orElseThrow().getDate())).toList();
    assertThat(events).allSatisfy(e -> assertThat(e.getProperty(Property.SUMMARY).orElseThrow().getValue())
        .isEqualTo("Daily"));
    assertThat(starts).startsWith(Instant.parse("2026-12-20T07:00:00Z"), Instant.parse("2026-12-21T07:00:00Z"))
        .doesNotContain(Instant.parse("2026-12-25T07:00:00Z"), Instant.parse("2026-12-26T07:00:00Z"))
        .contains(Instant.parse("2026-12-27T07:00:00Z"));
    assertThat(starts.getLast()).isBefore(NOW.plus(IcsFeed.HORIZON));
    assertThat(starts).hasSize(180 - 2);
    assertThat(text.toString()).contains("DTSTART:20261220T070000Z", "DURATION:PT45M");
  }
}
