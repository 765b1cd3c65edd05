package carillon.bot.web.calendar;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.calendar.GuildSettings;
import carillon.bot.calendar.IcsFeed;
import carillon.bot.calendar.IcsImport;
import carillon.bot.calendar.InvalidSettingsException;
import carillon.bot.config.Setting;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.naming.NameKey;
import carillon.bot.session.FieldError;
import carillon.bot.session.InvalidSessionException;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.bot.web.calendar.CalendarViews.Created;
import carillon.bot.web.calendar.CalendarViews.ImportEvent;
import carillon.bot.web.calendar.CalendarViews.ImportPreview;
import carillon.bot.web.calendar.CalendarViews.Settings;
import carillon.bot.web.calendar.CalendarViews.Skip;
import carillon.bot.web.http.Problem;
import carillon.tasks.TimeSource;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarOutputter;

/**
 * A guild's calendar as the API and the pages both change and show it, over plain values (no HTTP
 * here): settings in, the settings or every problem by field out; the feed; the import of an .ics file.
 */
final class GuildCalendarEditor {
  private final GuildCalendars calendars;
  private final Sessions sessions;
  private final GuildDirectory guilds;
  private final TimeSource time;
  private final ZoneId defaultZone;
  private final Locale defaultLanguage;

  GuildCalendarEditor(GuildCalendars calendars, Sessions sessions, GuildDirectory guilds, TimeSource time) {
    this.calendars = calendars;
    this.sessions = sessions;
    this.guilds = guilds;
    this.time = time;
    this.defaultZone = calendars.defaultZone();
    this.defaultLanguage = calendars.defaultLanguage();
  }

  GuildCalendars calendars() {
    return calendars;
  }

  Settings view(long guild) {
    GuildSettings s = calendars.settings(guild);
    return new Settings(String.valueOf(guild), s.zone().getId(), s.ownZone().map(ZoneId::getId).orElse(null),
        defaultZone.getId(), s.language().toLanguageTag(), s.ownLanguage().map(Locale::toLanguageTag).orElse(null),
        defaultLanguage.toLanguageTag(), Setting.LANGUAGES.stream().sorted().toList(),
        s.skips().stream().map(r -> new Skip(r.toString(), r.label())).toList(), s.feed());
  }

  /** Replaces the guild's settings, or refuses with every problem (422), {@code unreadable} included. */
  Settings update(long guild, GuildCalendars.Change change, List<FieldError> unreadable) {
    if (!unreadable.isEmpty()) {
      List<FieldError> all = new ArrayList<>(unreadable);
      calendars.problems(change).stream().filter(e -> unreadable.stream().noneMatch(u -> u.field().equals(e.field())))
          .forEach(all::add);
      throw Problem.invalid(all);
    }
    try {
      calendars.update(guild, change);
    } catch (InvalidSettingsException e) {
      throw Problem.invalid(e.errors());
    }
    return view(guild);
  }

  /** The guild's feed as iCalendar text. */
  String feed(long guild) {
    StringWriter out = new StringWriter();
    try {
      new CalendarOutputter(false).output(IcsFeed.of(guilds.names().getOrDefault(guild, "Guild " + guild),
          calendars.settings(guild), sessions.inGuild(guild), time.now()), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** The events of an .ics file as proposals; 422 naming the file's problem if it cannot be read. */
  ImportPreview preview(long guild, String ics) {
    ZoneId zone = calendars.zone(guild);
    List<IcsImport.Proposal> proposals;
    try {
      proposals = IcsImport.read(ics, zone, time.now());
    } catch (IcsImport.UnreadableException e) {
      throw Problem.invalid(List.of(e.error()));
    }
    List<ImportEvent> events = proposals.stream()
        .map(p -> new ImportEvent(p.index(), p.uid(), p.name(), p.schedule(), p.problem())).toList();
    if (proposals.stream().noneMatch(IcsImport.Proposal::importable)) {
      throw Problem.invalid(proposals.stream().map(p -> new FieldError("events[" + p.index() + "]",
          describe(p) + " " + p.problem())).toList());
    }
    return new ImportPreview(zone.getId(), events);
  }

  private static String describe(IcsImport.Proposal p) {
    return "event " + (p.index() + 1) + (p.name() == null ? "" : " '" + p.name() + "'")
        + (p.uid() == null ? "" : " (UID " + p.uid() + ")");
  }

  /** One session to create from an imported event. */
  record Chosen(String name, String schedule) {}

  /**
   * Creates a session for each chosen event, all with the same channels and playlist; all or none: every
   * problem of every one is reported ({@code sessions[i].field}) before anything is stored.
   */
  List<Created> confirm(long guild, Long voice, Long text, List<String> playlist, List<Chosen> chosen,
      List<FieldError> unreadable) {
    List<FieldError> errors = new ArrayList<>(unreadable);
    List<SessionSpec> specs = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      Chosen c = chosen.get(i);
      SessionSpec spec = SessionSpec.builder(guild, c.name()).voiceChannel(voice).textChannel(text)
          .schedule(c.schedule()).playlist(playlist).build();
      specs.add(spec);
      for (FieldError e : sessions.problems(spec)) {
        String field = switch (e.field()) {
          case "name", "schedule" -> "sessions[" + i + "]." + e.field();
          default -> e.field();
        };
        if (errors.stream().noneMatch(x -> x.field().equals(field))) {
          errors.add(new FieldError(field, e.message()));
        }
      }
    }
    if (chosen.isEmpty() && unreadable.stream().noneMatch(e -> e.field().startsWith("sessions"))) {
      errors.add(new FieldError("sessions", "is empty; choose at least one event to import"));
    }
    Set<String> taken = sessions.inGuild(guild).stream().map(s -> NameKey.of(s.name())).collect(Collectors.toSet());
    for (int i = 0; i < chosen.size(); i++) {
      String name = chosen.get(i).name();
      if (name != null && taken.contains(NameKey.of(name))) {
        errors.add(new FieldError("sessions[" + i + "].name", "a session named '" + name
            + "' already exists in this guild (names are unique regardless of case); rename it"));
      }
      for (int j = 0; j < i; j++) {
        if (name != null && chosen.get(j).name() != null && NameKey.of(name).equals(NameKey.of(chosen.get(j).name()))) {
          errors.add(new FieldError("sessions[" + i + "].name", "'" + chosen.get(i).name()
              + "' is also the name of sessions[" + j + "]; names are unique in a guild, rename one"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    List<Created> created = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      try {
        Session s = sessions.create(specs.get(i));
        created.add(new Created(s.id(), s.name(), s.schedule().toString()));
      } catch (InvalidSessionException e) {
        // Checked above; only a race (a session of that name made meanwhile) gets here. What was created stays.
        int at = i;
        throw Problem.invalid(e.errors().stream().map(f -> new FieldError("sessions[" + at + "]." + f.field(),
            f.message() + (created.isEmpty() ? "" : " (" + created.size() + " sessions before it were created)"))).toList());
      }
    }
    return created;
  }
}
