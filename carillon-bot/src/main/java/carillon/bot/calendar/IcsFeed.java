package carillon.bot.calendar;

import carillon.bot.session.Session;
import carillon.tasks.Occurrence;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.CalScale;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * A guild's sessions as an iCalendar (RFC 5545) feed, for Google Calendar, Thunderbird and the like.
 *
 * <p>Every schedule form is written the same way: each occurrence in the next {@link #HORIZON} (at most
 * {@link #MAX_PER_SESSION} per session) is one VEVENT, with the guild's skipped dates and the rule's
 * {@code except} dates already left out. Why not RRULE/EXDATE for {@code rrule} schedules: cron forms
 * have no RRULE, guild skips would become EXDATE lists that only match when DTSTART matches exactly,
 * and calendar clients differ on RRULE edge cases (BYSETPOS, DST gaps); expanded instants are exactly
 * what Carillon plays, and the feed is fetched again regularly, so a bounded horizon is enough.
 *
 * <p>Times are written in the guild's zone ({@code DTSTART;TZID=...} with its VTIMEZONE; UTC as
 * {@code ...Z}). An event lasts the session's maximum duration, or {@link #DEFAULT_LENGTH} without one.
 * Disabled sessions are not in the feed.
 */
public final class IcsFeed {
  /** How far ahead the feed lists occurrences. */
  public static final Duration HORIZON = Duration.ofDays(180);
  /** At most this many occurrences of one session (an hourly cron would otherwise fill the feed). */
  public static final int MAX_PER_SESSION = 500;
  /** How long an event lasts in a calendar when its session has no maximum duration. */
  public static final Duration DEFAULT_LENGTH = Duration.ofMinutes(30);

  private IcsFeed() {}

  /**
   * The feed of a guild's sessions from {@code now}.
   *
   * @param guildName shown as the calendar's name ({@code X-WR-CALNAME})
   */
  public static Calendar of(String guildName, GuildSettings settings, List<Session> sessions, Instant now) {
    ZoneId zone = settings.zone();
    Calendar calendar = new Calendar()
        .add(new ProdId("-//Carillon//Carillon sessions//EN"))
        .add(ImmutableVersion.VERSION_2_0)
        .add(new CalScale(CalScale.VALUE_GREGORIAN))
        .add(new XProperty("X-WR-CALNAME", "Carillon: " + guildName))
        .add(new XProperty("X-WR-TIMEZONE", zone.getId()));
    Optional<TimeZone> timeZone = vtimezone(zone);
    timeZone.ifPresent(tz -> calendar.add(tz.getVTimeZone()));
    Instant until = now.plus(HORIZON);
    for (Session session : sessions) {
      if (!session.enabled()) {
        continue;
      }
      Duration length = session.maxDuration().orElse(DEFAULT_LENGTH);
      List<Occurrence> occurrences = session.schedule().skipping(settings.skips()).occurrences(now, MAX_PER_SESSION);
      for (Occurrence o : occurrences) {
        if (o.instant().isAfter(until)) {
          break;
        }
        if (o.skipped()) {
          continue;
        }
        VEvent event = timeZone.isPresent()
            ? new VEvent(ZonedDateTime.ofInstant(o.instant(), zone), length, session.name())
            : new VEvent(o.instant(), length, session.name());
        event.add(new Uid("session-" + session.id() + "-" + o.instant().getEpochSecond() + "@carillon"))
            .replace(new DtStamp(now))
            .add(new Description("Carillon session '" + session.name() + "' (" + session.schedule() + ")"));
        calendar.add(event);
      }
    }
    return calendar;
  }

  /** The zone's VTIMEZONE from ical4j's bundled tz data; empty for UTC (written as {@code ...Z}). */
  private static Optional<TimeZone> vtimezone(ZoneId zone) {
    if (zone.normalized().equals(ZoneOffset.UTC)) {
      return Optional.empty();
    }
    TimeZoneRegistry registry = TimeZoneRegistryFactory.getInstance().createRegistry();
    return Optional.ofNullable(registry.getTimeZone(zone.getId()));
  }
}
