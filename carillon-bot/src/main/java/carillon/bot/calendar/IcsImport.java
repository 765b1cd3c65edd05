package carillon.bot.calendar;

import carillon.bot.session.FieldError;
import carillon.tasks.Schedule;
import java.io.IOException;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.property.DateListProperty;
import net.fortuna.ical4j.model.property.DtStart;

/**
 * Reads the events of an iCalendar (.ics) file as sessions it would make: each VEVENT's SUMMARY is the
 * name, its DTSTART (and RRULE, EXDATE) the schedule: {@code rrule RULE from START ZONE [except ...]} for
 * a recurring event, {@code once START ZONE} for a single one. The zone is DTSTART's TZID; a UTC or
 * floating DTSTART is read in the guild's zone. Nothing is stored here: the caller shows the proposals
 * and creates the sessions the user confirms, with a channel and playlist of their choice.
 *
 * <p>Refused, each with which event and why: an unreadable file (with ical4j's line number), an event
 * without SUMMARY or DTSTART, an all-day event (a session needs a start time), RDATE (not expressible),
 * an unknown TZID, a schedule with no occurrence after now (a past one-off). An event that changes one
 * occurrence of another (RECURRENCE-ID) is left out, said so.
 */
public final class IcsImport {
  /** The most events one file may propose. */
  public static final int MAX_EVENTS = 100;
  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private IcsImport() {}

  /**
   * One event of the file: the session it would make, or why it cannot.
   *
   * @param index the event's position among the file's VEVENTs, from 0
   * @param uid the event's UID, if it has one
   * @param name the session's name (SUMMARY), null if missing
   * @param schedule the schedule text, null when {@code problem} is set
   * @param problem what is wrong with this event, null when it can be imported
   */
  public record Proposal(int index, String uid, String name, String schedule, String problem) {
    public boolean importable() {
      return problem == null;
    }
  }

  /** The file could not be read as iCalendar at all. */
  public static final class UnreadableException extends Exception {
    private final FieldError error;

    UnreadableException(String message) {
      super(message);
      this.error = new FieldError("file", message);
    }

    public FieldError error() {
      return error;
    }
  }

  /**
   * The file's events as proposals, in file order.
   *
   * @param zone the guild's zone, for UTC and floating times
   * @param now the caller's clock: schedules with no occurrence after it are refused
   * @throws UnreadableException if the file is not iCalendar (with the line ical4j stopped at), or has
   *     no event or too many
   */
  public static List<Proposal> read(String text, ZoneId zone, Instant now) throws UnreadableException {
    Calendar calendar;
    try {
      calendar = new CalendarBuilder().build(new StringReader(text));
    } catch (ParserException e) {
      throw new UnreadableException("is not an iCalendar file: line " + e.getLineNo() + ": " + e.getMessage()
          + "; export the calendar as .ics (text/calendar, BEGIN:VCALENDAR ... END:VCALENDAR)");
    } catch (IOException | RuntimeException e) {
      throw new UnreadableException("is not an iCalendar file (" + e.getMessage()
          + "); export the calendar as .ics (text/calendar, BEGIN:VCALENDAR ... END:VCALENDAR)");
    }
    List<VEvent> events = calendar.getComponents(Component.VEVENT);
    if (events.isEmpty()) {
      throw new UnreadableException("has no event (VEVENT); nothing to import");
    }
    if (events.size() > MAX_EVENTS) {
      throw new UnreadableException("has " + events.size() + " events; at most " + MAX_EVENTS
          + " can be imported at once; split the file");
    }
    List<Proposal> proposals = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      proposals.add(proposal(i, events.get(i), zone, now));
    }
    return proposals;
  }

  private static Proposal proposal(int index, VEvent event, ZoneId guildZone, Instant now) {
    String uid = value(event, Property.UID).orElse(null);
    String name = value(event, Property.SUMMARY).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    if (name == null) {
      return new Proposal(index, uid, null, null, "has no SUMMARY; a session needs a name");
    }
    if (event.getProperty(Property.RECURRENCE_ID).isPresent()) {
      return new Proposal(index, uid, name, null, "changes one occurrence of another event (RECURRENCE-ID);"
          + " not imported: edit the session's schedule instead");
    }
    if (event.getProperty(Property.RDATE).isPresent()) {
      return new Proposal(index, uid, name, null, "has RDATE (extra dates), which a session schedule cannot say;"
          + " make a separate one-off session for each date");
    }
    Optional<DtStart<Temporal>> start = event.getProperty(Property.DTSTART);
    if (start.isEmpty()) {
      return new Proposal(index, uid, name, null, "has no DTSTART; a session needs a start time");
    }
    Temporal date;
    try {
      date = start.get().getDate();
    } catch (DateTimeException | IllegalArgumentException e) {
      return new Proposal(index, uid, name, null, "has a DTSTART that cannot be read (" + e.getMessage() + ")");
    }
    if (date instanceof LocalDate) {
      return new Proposal(index, uid, name, null, "is an all-day event (DTSTART is a date); a session needs"
          + " a start time, e.g. DTSTART;TZID=Europe/Paris:20260104T070000");
    }
    ZoneId zone;
    LocalDateTime local;
    switch (date) {
      case ZonedDateTime zoned -> {
        // ical4j names the zones it builds from a file's VTIMEZONE its own way: the TZID is the name to keep.
        Optional<String> tzid = start.get().<TzId>getParameter(Parameter.TZID).map(TzId::getValue);
        try {
          zone = Schedule.zone(tzid.orElse(zoned.getZone().getId()));
        } catch (IllegalArgumentException e) {
          return new Proposal(index, uid, name, null, "has DTSTART in time zone '" + tzid.orElse(zoned.getZone().getId())
              + "', which is not an IANA region; export with IANA zone names (Europe/Paris)");
        }
        local = zoned.toLocalDateTime();
      }
      case LocalDateTime floating -> {
        zone = guildZone;
        local = floating;
      }
      case OffsetDateTime offset -> {
        zone = guildZone;
        local = offset.atZoneSameInstant(guildZone).toLocalDateTime();
      }
      case Instant instant -> {
        zone = guildZone;
        local = instant.atZone(guildZone).toLocalDateTime();
      }
      default -> {
        return new Proposal(index, uid, name, null, "has a DTSTART of an unknown kind ("
            + date.getClass().getSimpleName() + ")");
      }
    }
    String zoneId = zone.getId();
    local = local.truncatedTo(ChronoUnit.SECONDS);
    Optional<Property> rrule = event.getProperty(Property.RRULE);
    String schedule;
    if (rrule.isPresent()) {
      StringBuilder text = new StringBuilder("rrule ").append(rrule.get().getValue()).append(" from ")
          .append(local(local)).append(' ').append(zoneId);
      List<String> except = new ArrayList<>();
      for (Property p : event.getProperties(Property.EXDATE)) {
        for (Object d : ((DateListProperty<?>) p).getDates()) {
          except.add(exceptText((Temporal) d, ZoneId.of(zoneId)));
        }
      }
      if (!except.isEmpty()) {
        text.append(" except ").append(String.join(",", except));
      }
      schedule = text.toString();
    } else {
      schedule = "once " + local(local) + " " + zoneId;
    }
    try {
      schedule = Schedule.parse(schedule, now).toString();
    } catch (IllegalArgumentException e) {
      return new Proposal(index, uid, name, null, "gives the schedule '" + schedule + "', refused: " + e.getMessage());
    }
    return new Proposal(index, uid, name, schedule, null);
  }

  /** An EXDATE value as an {@code except} item: a date, or the wall time in the schedule's zone. */
  private static String exceptText(Temporal exdate, ZoneId zone) {
    return switch (exdate) {
      case LocalDate d -> d.toString();
      case ZonedDateTime z -> local(z.toInstant().atZone(zone).toLocalDateTime());
      case OffsetDateTime o -> local(o.atZoneSameInstant(zone).toLocalDateTime());
      case Instant i -> local(i.atZone(zone).toLocalDateTime());
      case LocalDateTime l -> local(l);
      default -> exdate.toString();
    };
  }

  /** A wall time as schedules write it: seconds only when there are some. */
  private static String local(LocalDateTime time) {
    return time.getSecond() == 0 ? MINUTES.format(time) : SECONDS.format(time);
  }

  private static Optional<String> value(VEvent event, String property) {
    return event.<Property>getProperty(property).map(Property::getValue);
  }
}
