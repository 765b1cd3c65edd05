package carillon.bot.web.sessions;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.playback.ActiveRun;
import carillon.bot.playback.Playback;
import carillon.bot.playback.Slots;
import carillon.bot.run.Runs;
import carillon.bot.schedule.Scheduler;
import carillon.bot.session.FieldError;
import carillon.bot.session.InvalidSessionException;
import carillon.bot.session.Presence;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sessions;
import carillon.bot.web.http.Problem;
import carillon.bot.web.live.LiveHub;
import carillon.bot.web.sessions.GuildViews.GuildView;
import carillon.bot.web.sessions.GuildViews.Named;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sessions as the API and the pages both change and show them, over plain values (no HTTP here): a
 * spec in, the session or every problem by field out, with the API's field names
 * ({@code gapSeconds}, {@code maxDurationMinutes}, {@code lateGraceMinutes}). Live pages hear of each change.
 */
final class SessionEditor {
  /** Core field names → the API's, where the API names the unit. */
  private static final Map<String, String> FIELDS = Map.of("gap", "gapSeconds", "maxDuration", "maxDurationMinutes",
      "lateGrace", "lateGraceMinutes", "waitForMember", "waitForMemberMinutes", "aloneAfter", "aloneAfterMinutes",
      "fadeIn", "fadeInSeconds", "fadeOut", "fadeOutSeconds");
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private final Sessions sessions;
  private final Scheduler scheduler;
  private final Playback playback;
  private final Slots slots;
  private final GuildDirectory guilds;
  private final LiveHub live;
  private final GuildCalendars calendars;
  private final Runs runs;
  private final TimeSource time;

  /** @param runs what the store knows of playing runs: the state of a guild another process holds */
  SessionEditor(Sessions sessions, Scheduler scheduler, Playback playback, Slots slots, GuildDirectory guilds,
      LiveHub live, GuildCalendars calendars, Runs runs, TimeSource time) {
    this.runs = runs;
    this.time = time;
    this.sessions = sessions;
    this.scheduler = scheduler;
    this.playback = playback;
    this.slots = slots;
    this.guilds = guilds;
    this.live = live;
    this.calendars = calendars;
  }

  /** The guild's time zone, in which its occurrences are shown (its own, or the process default). */
  ZoneId zone(long guild) {
    return calendars.zone(guild);
  }

  /**
   * A guild's channels and roles from the cache, and the bot accounts in it. Sessions play in voice and
   * Stage channels: both are offered as voice channels.
   */
  GuildView guild(long guild) {
    List<Channel> channels = guilds.channels(guild);
    return new GuildView(String.valueOf(guild), zone(guild).getId(), named(channels, true), named(channels, false),
        guilds.roles(guild).stream().map(r -> new Named(String.valueOf(r.id()), r.name())).toList(),
        slots.accounts(guild));
  }

  private static List<Named> named(List<Channel> channels, boolean audio) {
    return channels.stream().filter(c -> c.kind().isAudio() == audio)
        .map(c -> new Named(String.valueOf(c.id()), c.kind() == Channel.Kind.STAGE ? c.name() + " (Stage)" : c.name()))
        .toList();
  }

  /**
   * Creates a session, or refuses with every problem at once: those of the fields that could not be read
   * ({@code unreadable}, in the caller's field names) and the core's for the others.
   */
  Session create(SessionSpec spec, List<FieldError> unreadable) {
    checked(spec, unreadable);
    try {
      return sessions.create(spec);
    } catch (InvalidSessionException e) {
      throw refused(e);
    }
  }

  /** Replaces a session's fields, or refuses as {@link #create} does (404 if the session is gone). */
  Session update(long id, SessionSpec spec, List<FieldError> unreadable) {
    checked(spec, unreadable);
    try {
      return sessions.update(id, spec);
    } catch (InvalidSessionException e) {
      if (e.errors().stream().anyMatch(f -> f.field().equals("id"))) {
        throw Problem.notFound("there is no session with id " + id);
      }
      throw refused(e);
    }
  }

  /** Deletes a session and tells the live pages; false if it was already gone. */
  boolean delete(Session session) {
    if (!sessions.delete(session.id())) {
      return false;
    }
    live.sessionDeleted(session.guildId(), session.id());
    return true;
  }

  /** Enables or disables a session; false if it is gone. */
  boolean setEnabled(long id, boolean enabled) {
    return sessions.setEnabled(id, enabled);
  }

  /** Refuses with every problem at once if some fields could not be read. */
  private void checked(SessionSpec spec, List<FieldError> unreadable) {
    if (unreadable.isEmpty()) {
      return;
    }
    List<FieldError> all = new ArrayList<>(unreadable);
    Set<String> named = unreadable.stream().map(f -> base(f.field())).collect(Collectors.toSet());
    for (FieldError core : sessions.problems(spec)) {
      String field = FIELDS.getOrDefault(core.field(), core.field());
      if (!named.contains(base(field))) {
        all.add(new FieldError(field, core.message()));
      }
    }
    throw Problem.invalid(all);
  }

  /** "playlist[2]" is about "playlist". */
  private static String base(String field) {
    int bracket = field.indexOf('[');
    return bracket < 0 ? field : field.substring(0, bracket);
  }

  private static Problem refused(InvalidSessionException e) {
    return Problem.invalid(e.errors().stream()
        .map(f -> new FieldError(FIELDS.getOrDefault(f.field(), f.field()), f.message())).toList());
  }

  /**
   * A session with its state and next occurrence: from this process's playback and scheduler if it holds
   * the session's guild, else from the store (its RUNNING run as last saved, and the next occurrence computed
   * as the holder plans it), so that every process of a cluster answers the same.
   */
  SessionView view(Session s) {
    return view(s, zone(s.guildId()));
  }

  /** As {@link #view(Session)}, with its guild's zone already known (a list of one guild's sessions). */
  SessionView view(Session s, ZoneId zone) {
    Optional<Instant> next = s.enabled() ? scheduler.nextStart(s) : Optional.empty();
    String state;
    String playedBy = null;
    Optional<Boolean> paused;
    if (scheduler.holds(s.guildId())) {
      paused = playback.active(s.id()).map(ActiveRun::isPaused);
    } else {
      // A run claimed ahead of its start is not playing yet: the holder shows it SCHEDULED too.
      Optional<Runs.Left> running = runs.running(s.id())
          .filter(left -> !left.run().scheduledAt().isAfter(time.now()));
      paused = running.map(left -> left.progress().map(p -> p.paused()).orElse(false));
      playedBy = running.flatMap(Runs.Left::owner).orElse(null);
    }
    if (paused.isPresent()) {
      state = paused.get() ? "PAUSED" : "PLAYING";
    } else if (!s.enabled()) {
      state = "DISABLED";
    } else {
      state = next.isPresent() ? "SCHEDULED" : "IDLE";
    }
    return new SessionView(s.id(), String.valueOf(s.guildId()), s.name(), String.valueOf(s.voiceChannelId()),
        s.textChannelId().map(String::valueOf).orElse(null), s.mentionRoleId().map(String::valueOf).orElse(null),
        s.schedule().toString(), s.playlist(), s.gap().toSeconds(), s.maxDuration().map(Duration::toMinutes).orElse(null),
        s.repeat(), s.reminder().toMinutes(), s.startText().orElse(null), s.endText().orElse(null), s.enabled(),
        s.lateGrace().toMinutes(), s.presence().waitForMember().map(Duration::toMinutes).orElse(null),
        s.presence().whenAlone().name(), s.presence().whenAlone() == Presence.WhenAlone.STAY ? null
            : s.presence().aloneAfter().toMinutes(), s.publishEvent(), s.sound().fadeIn().toSeconds(),
        s.sound().fadeOut().toSeconds(), s.sound().shuffle(), s.updatedAt(), state, next.orElse(null),
        next.map(n -> LOCAL.format(n.atZone(zone))).orElse(null), playedBy);
  }
}
