package carillon.bot.session;

import static carillon.bot.session.SessionLimits.MAX_GAP;
import static carillon.bot.session.SessionLimits.MAX_LATE_GRACE;
import static carillon.bot.session.SessionLimits.MAX_NAME;
import static carillon.bot.session.SessionLimits.MAX_PRESENCE_WAIT;
import static carillon.bot.session.SessionLimits.MAX_REMINDER_MINUTES;
import static carillon.bot.session.SessionLimits.MAX_TEXT;

import carillon.bot.guild.Channel;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.naming.HiddenCharacters;
import carillon.bot.naming.NameKey;
import carillon.bot.store.Database;
import carillon.tasks.Schedule;
import carillon.tasks.TimeSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions: validated, stored, and announced to whoever plans them ({@link #onChange}).
 *
 * <pre>{@code
 * Session s = sessions.create(SessionSpec.builder(guild, "Morning meditation").voiceChannel(hall)
 *     .textChannel(notices).schedule("weekly MON,WED,FRI 07:00 Asia/Ho_Chi_Minh").playlist(List.of(bellId, talkId))
 *     .gap(Duration.ofSeconds(5)).reminderMinutes(10).lateGrace(Duration.ofMinutes(15)).build());
 * }</pre>
 *
 * <p>Names are unique in a guild after Unicode NFKC normalisation and case folding ({@link NameKey}):
 * "Thiền sáng" and "THIỀN SÁNG" are one name. Sessions stored before that rule (migration V9) get their
 * key when this class is created; one whose name clashes with an earlier session's is renamed "Name (2)",
 * with a warning in the log.
 */
public final class Sessions {
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);

  private final Database db;
  private final GuildDirectory guilds;
  private final TimeSource time;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  public Sessions(Database db, GuildDirectory guilds, TimeSource time) {
    this.db = db;
    this.guilds = guilds;
    this.time = time;
    fillNameKeys();
  }

  /** Gives sessions stored before V9 their name key, renaming one that clashes with an earlier one. */
  private void fillNameKeys() {
    db.useTransaction(h -> {
      List<Unkeyed> missing = h.createQuery("SELECT id, guild_id, name FROM session WHERE name_key IS NULL ORDER BY id")
          .map((rs, ctx) -> new Unkeyed(rs.getLong("id"), rs.getLong("guild_id"), rs.getString("name"))).list();
      for (Unkeyed row : missing) {
        String shown = row.name();
        for (int n = 2; nameTaken(h, row.guildId(), NameKey.of(shown), row.id()); n++) {
          String suffix = " (" + n + ")";
          shown = row.name().substring(0, Math.min(row.name().length(), MAX_NAME - suffix.length())).strip() + suffix;
        }
        h.execute("UPDATE session SET name = ?, name_key = ? WHERE id = ?", shown, NameKey.of(shown), row.id());
        if (!shown.equals(row.name())) {
          log.warn("Session {} renamed from '{}' to '{}': session names are now unique in a guild regardless of case"
              + " and Unicode form", row.id(), row.name(), shown);
        }
      }
    });
  }

  private record Unkeyed(long id, long guildId, String name) {}

  private static boolean nameTaken(Handle h, long guildId, String key, long exceptId) {
    return h.createQuery("SELECT count(*) FROM session WHERE guild_id = ? AND name_key = ? AND id <> ?")
        .bind(0, guildId).bind(1, key).bind(2, exceptId).mapTo(Integer.class).one() > 0;
  }

  /** Called with a session's id after it was created, edited, enabled, disabled or deleted. */
  public void onChange(LongConsumer listener) {
    listeners.add(listener);
  }

  public Session create(SessionSpec spec) throws InvalidSessionException {
    Session valid = validate(0, spec);
    long id = db.inTransaction(h -> {
      checkNameFree(h, spec.guildId(), valid.name(), 0);
      long newId = h.createUpdate("""
              INSERT INTO session (guild_id, name, name_key, voice_channel_id, text_channel_id, mention_role_id, schedule,
                gap_ms, max_duration_ms, repeat_playlist, reminder_minutes, start_text, end_text, enabled,
                late_grace_ms, updated_at, wait_for_member_ms, when_alone, alone_after_ms, publish_event, fade_in_ms,
                fade_out_ms, shuffle)
              VALUES (:guild, :name, :nameKey, :voice, :text, :role, :schedule, :gap, :max, :repeat, :reminder,
                :startText, :endText, :enabled, :grace, :updated, :waitForMember, :whenAlone, :aloneAfter, :publishEvent,
                :fadeIn, :fadeOut, :shuffle)""")
          .bindMap(columns(valid))
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      writePlaylist(h, newId, valid.playlist());
      return newId;
    });
    changed(id);
    return find(id).orElseThrow();
  }

  /** Replaces a session; a spec without a presence policy (null) keeps the session's own. */
  public Session update(long id, SessionSpec edited) throws InvalidSessionException {
    Optional<Session> before = edited.presence() != null && edited.publishEvent() != null && edited.sound() != null
        ? Optional.empty() : find(id);
    SessionSpec spec = edited.toBuilder()
        .presence(edited.presence() != null ? edited.presence() : before.map(Session::presence).orElse(null))
        .publishEvent(edited.publishEvent() != null ? edited.publishEvent()
            : before.map(Session::publishEvent).orElse(null))
        .sound(edited.sound() != null ? edited.sound() : before.map(Session::sound).orElse(null))
        .build();
    Session valid = validate(id, spec);
    boolean found = db.inTransaction(h -> {
      checkNameFree(h, spec.guildId(), valid.name(), id);
      int rows = h.createUpdate("""
              UPDATE session SET guild_id = :guild, name = :name, name_key = :nameKey, voice_channel_id = :voice,
                text_channel_id = :text, mention_role_id = :role, schedule = :schedule, gap_ms = :gap,
                max_duration_ms = :max, repeat_playlist = :repeat, reminder_minutes = :reminder,
                start_text = :startText, end_text = :endText, enabled = :enabled, late_grace_ms = :grace,
                updated_at = :updated, wait_for_member_ms = :waitForMember, when_alone = :whenAlone,
                alone_after_ms = :aloneAfter, publish_event = :publishEvent, fade_in_ms = :fadeIn,
                fade_out_ms = :fadeOut, shuffle = :shuffle
              WHERE id = :id""")
          .bindMap(columns(valid)).bind("id", id).execute();
      if (rows == 0) {
        return false;
      }
      h.execute("DELETE FROM session_track WHERE session_id = ?", id);
      writePlaylist(h, id, valid.playlist());
      return true;
    });
    if (!found) {
      throw new InvalidSessionException(List.of(new FieldError("id", "no session with id " + id)));
    }
    changed(id);
    return find(id).orElseThrow();
  }

  /** Enables or disables a session; false if there is no such session. */
  public boolean setEnabled(long id, boolean enabled) {
    int rows = db.withHandle(h -> h.execute("UPDATE session SET enabled = ?, updated_at = ? WHERE id = ?",
        enabled, time.now().toEpochMilli(), id));
    if (rows > 0) {
      changed(id);
    }
    return rows > 0;
  }

  public boolean delete(long id) {
    int rows = db.withHandle(h -> h.execute("DELETE FROM session WHERE id = ?", id));
    if (rows > 0) {
      changed(id);
    }
    return rows > 0;
  }

  public Optional<Session> find(long id) {
    return db.withHandle(h -> load(h, "WHERE id = ?", id).stream().findFirst());
  }

  /** The guild of a session, without loading it. */
  public Optional<Long> guildOf(long id) {
    return db.withHandle(h -> h.createQuery("SELECT guild_id FROM session WHERE id = ?").bind(0, id)
        .mapTo(Long.class).findOne());
  }

  public List<Session> inGuild(long guildId) {
    return db.withHandle(h -> load(h, "WHERE guild_id = ? ORDER BY name", guildId));
  }

  /**
   * The session of {@code guildId} that {@code typed} names, as a person means it: the session with exactly
   * that name (surrounding white space aside); else the one with the same name ignoring case and Unicode
   * form ({@link NameKey}); else the one whose name contains it (ignoring case and form) if only one does.
   * Several partial matches are {@link NameMatch.Several}, so that the person chooses; nothing typed
   * matches nothing.
   */
  public NameMatch named(long guildId, String typed) {
    String given = typed.strip();
    if (given.isEmpty()) {
      return new NameMatch.None();
    }
    List<Session> all = inGuild(guildId);
    List<Session> exact = all.stream().filter(s -> s.name().equals(given)).toList();
    if (exact.size() == 1) {
      return new NameMatch.One(exact.getFirst());
    }
    String key = NameKey.of(given);
    for (Predicate<String> matches : List.<Predicate<String>>of(key::equals,
        k -> k.contains(key))) {
      List<Session> found = all.stream().filter(s -> matches.test(NameKey.of(s.name()))).toList();
      if (found.size() == 1) {
        return new NameMatch.One(found.getFirst());
      }
      if (found.size() > 1) {
        return new NameMatch.Several(found);
      }
    }
    return new NameMatch.None();
  }

  public List<Session> enabled() {
    return db.withHandle(h -> load(h, "WHERE enabled ORDER BY id"));
  }

  private void changed(long id) {
    listeners.forEach(l -> l.accept(id));
  }

  // ---- validation

  /**
   * Checks a spec as {@link #create} does, storing nothing: every problem found (the name's uniqueness,
   * which is checked when storing, aside). The web API uses it to name every problem at once when some
   * fields could not even be read.
   */
  public List<FieldError> problems(SessionSpec spec) {
    try {
      validate(0, spec);
      return List.of();
    } catch (InvalidSessionException e) {
      return e.errors();
    }
  }

  Session validate(long id, SessionSpec spec) throws InvalidSessionException {
    List<FieldError> errors = new ArrayList<>();
    String name = spec.name() == null ? "" : spec.name().strip();
    Optional<String> hidden = HiddenCharacters.first(name);
    if (name.isEmpty() || name.length() > MAX_NAME) {
      errors.add(new FieldError("name", "must be 1 to " + MAX_NAME + " characters, was " + name.length()));
    } else if (hidden.isPresent()) {
      errors.add(new FieldError("name", "must not contain invisible or text-direction control characters; found "
          + hidden.get()));
    }
    if (spec.voiceChannelId() == null) {
      errors.add(new FieldError("voiceChannel", "is required: the voice channel the session plays in"));
    } else {
      checkVoiceChannel(errors, spec.guildId(), spec.voiceChannelId());
    }
    if (spec.textChannelId() != null) {
      checkChannel(errors, "textChannel", spec.guildId(), spec.textChannelId(), Channel.Kind.TEXT);
    }
    if (spec.mentionRoleId() != null && guilds.role(spec.guildId(), spec.mentionRoleId()).isEmpty()) {
      errors.add(new FieldError("mentionRole", "no role " + spec.mentionRoleId() + " in this guild"));
    }
    Schedule schedule = null;
    try {
      // A new or changed schedule must still have an occurrence (no 'once' in the past); an unchanged one is
      // kept as it is, so that editing a session whose last occurrence has passed still works.
      boolean unchanged = id != 0 && find(id).map(s -> s.schedule().toString().equals(spec.schedule())).orElse(false);
      schedule = unchanged ? Schedule.parse(spec.schedule()) : Schedule.parse(spec.schedule(), time.now());
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("schedule", e.getMessage()));
    }
    List<String> playlist = spec.playlist() == null ? List.of() : spec.playlist();
    if (playlist.isEmpty()) {
      errors.add(new FieldError("playlist", "is empty: add at least one audio file from the library"));
    } else {
      Set<String> known = knownAudio(playlist);
      for (int i = 0; i < playlist.size(); i++) {
        if (!known.contains(playlist.get(i))) {
          errors.add(new FieldError("playlist[" + i + "]", "no audio file '" + playlist.get(i) + "' in the library"));
        }
      }
    }
    Duration gap = spec.gap() == null ? Duration.ZERO : spec.gap();
    if (gap.isNegative() || gap.compareTo(MAX_GAP) > 0) {
      errors.add(new FieldError("gap", "must be from 0 to " + MAX_GAP.toMinutes() + " minutes, was " + gap.toSeconds() + " s"));
    }
    if (spec.maxDuration() != null && (spec.maxDuration().isNegative() || spec.maxDuration().isZero())) {
      errors.add(new FieldError("maxDuration", "must be positive when set"));
    }
    if (spec.repeat() && spec.maxDuration() == null) {
      errors.add(new FieldError("repeat", "needs a maximum duration: the playlist repeats until it is reached"));
    }
    if (spec.reminderMinutes() < 0 || spec.reminderMinutes() > MAX_REMINDER_MINUTES) {
      errors.add(new FieldError("reminderMinutes", "must be from 0 (no reminder) to " + MAX_REMINDER_MINUTES));
    }
    checkText(errors, "startText", spec.startText());
    checkText(errors, "endText", spec.endText());
    Duration grace = spec.lateGrace() == null ? Duration.ZERO : spec.lateGrace();
    if (grace.isNegative() || grace.compareTo(MAX_LATE_GRACE) > 0) {
      errors.add(new FieldError("lateGrace", "must be from 0 to " + MAX_LATE_GRACE.toHours() + " hours"));
    }
    Presence presence = spec.presence() == null ? Presence.REGARDLESS : spec.presence();
    checkPresence(errors, presence);
    if (presence.whenAlone() == Presence.WhenAlone.STAY || presence.aloneAfter() == null) {
      presence = new Presence(presence.waitForMember(), presence.whenAlone(), Duration.ZERO);
    }
    Sound sound = spec.sound() == null ? Sound.PLAIN : spec.sound();
    checkFade(errors, "fadeIn", sound.fadeIn());
    checkFade(errors, "fadeOut", sound.fadeOut());
    if (!errors.isEmpty()) {
      throw new InvalidSessionException(errors);
    }
    return new Session(id, spec.guildId(), name, spec.voiceChannelId(), Optional.ofNullable(spec.textChannelId()),
        Optional.ofNullable(spec.mentionRoleId()), schedule, playlist, gap, Optional.ofNullable(spec.maxDuration()),
        spec.repeat(), Duration.ofMinutes(spec.reminderMinutes()), blankToEmpty(spec.startText()),
        blankToEmpty(spec.endText()), spec.enabled(), grace, time.now(), presence,
        spec.publishEvent() == null || spec.publishEvent(), sound);
  }

  private static void checkFade(List<FieldError> errors, String field, Duration fade) {
    if (fade == null || fade.isNegative() || fade.compareTo(SessionLimits.MAX_FADE) > 0) {
      errors.add(new FieldError(field, "must be from 0 (none) to " + SessionLimits.MAX_FADE.toSeconds() + " s"
          + (fade == null ? "" : ", was " + fade.toMillis() / 1000.0 + " s")));
    }
  }

  private static void checkPresence(List<FieldError> errors, Presence presence) {
    if (presence.waitForMember().isPresent() && (presence.waitForMember().get().isNegative()
        || presence.waitForMember().get().isZero() || presence.waitForMember().get().compareTo(MAX_PRESENCE_WAIT) > 0)) {
      errors.add(new FieldError("waitForMember", "must be from 1 to " + MAX_PRESENCE_WAIT.toMinutes()
          + " minutes when set, was " + presence.waitForMember().get().toMinutes()));
    }
    if (presence.whenAlone() == null) {
      errors.add(new FieldError("whenAlone", "must be STAY, END or PAUSE"));
    } else if (presence.whenAlone() != Presence.WhenAlone.STAY && (presence.aloneAfter() == null
        || presence.aloneAfter().isNegative() || presence.aloneAfter().isZero()
        || presence.aloneAfter().compareTo(MAX_PRESENCE_WAIT) > 0)) {
      errors.add(new FieldError("aloneAfter", "must be from 1 to " + MAX_PRESENCE_WAIT.toMinutes()
          + " minutes with whenAlone " + presence.whenAlone()));
    }
  }

  private void checkVoiceChannel(List<FieldError> errors, long guildId, long channelId) {
    Optional<Channel> channel = guilds.channel(guildId, channelId);
    if (channel.isEmpty()) {
      errors.add(new FieldError("voiceChannel", "no channel " + channelId + " in this guild"));
    } else if (!channel.get().kind().isAudio()) {
      errors.add(new FieldError("voiceChannel", "'" + channel.get().name() + "' is a text channel; a voice or Stage"
          + " channel is needed"));
    }
  }

  private void checkChannel(List<FieldError> errors, String field, long guildId, long channelId, Channel.Kind kind) {
    Optional<Channel> channel = guilds.channel(guildId, channelId);
    if (channel.isEmpty()) {
      errors.add(new FieldError(field, "no channel " + channelId + " in this guild"));
    } else if (channel.get().kind() != kind) {
      errors.add(new FieldError(field, "'" + channel.get().name() + "' is a " + channel.get().kind().name().toLowerCase()
          + " channel; a " + kind.name().toLowerCase() + " channel is needed"));
    }
  }

  private static void checkText(List<FieldError> errors, String field, String text) {
    if (text != null && text.length() > MAX_TEXT) {
      errors.add(new FieldError(field, "is " + text.length() + " characters; at most " + MAX_TEXT));
    }
  }

  private static Optional<String> blankToEmpty(String text) {
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
  }

  private Set<String> knownAudio(List<String> ids) {
    return db.withHandle(h -> new HashSet<>(h.createQuery("SELECT id FROM audio_item WHERE id IN (<ids>)")
        .bindList("ids", ids).mapTo(String.class).list()));
  }

  private static void checkNameFree(Handle h, long guildId, String name, long exceptId) throws InvalidSessionException {
    Optional<String> taken = h.createQuery("SELECT name FROM session WHERE guild_id = ? AND name_key = ? AND id <> ?")
        .bind(0, guildId).bind(1, NameKey.of(name)).bind(2, exceptId).mapTo(String.class).findFirst();
    if (taken.isPresent()) {
      throw new InvalidSessionException(List.of(new FieldError("name", "a session named '" + taken.get()
          + "' already exists in this guild" + (taken.get().equals(name) ? ""
          : " (names are compared ignoring case and Unicode form)"))));
    }
  }

  // ---- rows

  private static Map<String, Object> columns(Session s) {
    var map = new HashMap<String, Object>();
    map.put("guild", s.guildId());
    map.put("name", s.name());
    map.put("nameKey", NameKey.of(s.name()));
    map.put("voice", s.voiceChannelId());
    map.put("text", s.textChannelId().orElse(null));
    map.put("role", s.mentionRoleId().orElse(null));
    map.put("schedule", s.schedule().toString());
    map.put("gap", s.gap().toMillis());
    map.put("max", s.maxDuration().map(Duration::toMillis).orElse(null));
    map.put("repeat", s.repeat());
    map.put("reminder", (int) s.reminder().toMinutes());
    map.put("startText", s.startText().orElse(null));
    map.put("endText", s.endText().orElse(null));
    map.put("enabled", s.enabled());
    map.put("grace", s.lateGrace().toMillis());
    map.put("updated", s.updatedAt().toEpochMilli());
    map.put("waitForMember", s.presence().waitForMember().map(Duration::toMillis).orElse(null));
    map.put("whenAlone", s.presence().whenAlone().name());
    map.put("aloneAfter", s.presence().whenAlone() == Presence.WhenAlone.STAY ? null : s.presence().aloneAfter().toMillis());
    map.put("publishEvent", s.publishEvent());
    map.put("fadeIn", s.sound().fadeIn().toMillis());
    map.put("fadeOut", s.sound().fadeOut().toMillis());
    map.put("shuffle", s.sound().shuffle());
    return map;
  }

  private static void writePlaylist(Handle h, long sessionId, List<String> playlist) {
    var batch = h.prepareBatch("INSERT INTO session_track (session_id, position, audio_id) VALUES (:s, :p, :a)");
    for (int i = 0; i < playlist.size(); i++) {
      batch.bind("s", sessionId).bind("p", i).bind("a", playlist.get(i)).add();
    }
    batch.execute();
  }

  private static List<Session> load(Handle h, String where, Object... args) {
    var query = h.createQuery("SELECT * FROM session " + where);
    for (int i = 0; i < args.length; i++) {
      query.bind(i, args[i]);
    }
    List<Session> sessions = query.map((rs, ctx) -> row(rs)).list();
    if (sessions.isEmpty()) {
      return sessions;
    }
    // The same filter as a subquery: no list of ids to bind, however many sessions there are.
    var tracks = h.createQuery("SELECT session_id, audio_id FROM session_track WHERE session_id IN "
        + "(SELECT id FROM session " + where.replaceAll("(?i)ORDER BY.*$", "") + ") ORDER BY session_id, position");
    for (int i = 0; i < args.length; i++) {
      tracks.bind(i, args[i]);
    }
    Map<Long, List<String>> playlists = tracks.reduceRows(new HashMap<Long, List<String>>(), (acc, row) -> {
      acc.computeIfAbsent(row.getColumn("session_id", Long.class), k -> new ArrayList<>())
          .add(row.getColumn("audio_id", String.class));
      return acc;
    });
    return sessions.stream().map(s -> withPlaylist(s, playlists.getOrDefault(s.id(), List.of()))).collect(Collectors.toList());
  }

  private static Session withPlaylist(Session s, List<String> playlist) {
    return new Session(s.id(), s.guildId(), s.name(), s.voiceChannelId(), s.textChannelId(), s.mentionRoleId(),
        s.schedule(), playlist, s.gap(), s.maxDuration(), s.repeat(), s.reminder(), s.startText(), s.endText(),
        s.enabled(), s.lateGrace(), s.updatedAt(), s.presence(), s.publishEvent(), s.sound());
  }

  private static Session row(ResultSet rs) throws SQLException {
    long max = rs.getLong("max_duration_ms");
    Optional<Duration> maxDuration = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(max));
    long text = rs.getLong("text_channel_id");
    Optional<Long> textChannel = rs.wasNull() ? Optional.empty() : Optional.of(text);
    long role = rs.getLong("mention_role_id");
    Optional<Long> mentionRole = rs.wasNull() ? Optional.empty() : Optional.of(role);
    long wait = rs.getLong("wait_for_member_ms");
    Optional<Duration> waitForMember = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(wait));
    Presence presence = new Presence(waitForMember, Presence.WhenAlone.valueOf(rs.getString("when_alone")),
        Duration.ofMillis(rs.getLong("alone_after_ms")));
    return new Session(rs.getLong("id"), rs.getLong("guild_id"), rs.getString("name"), rs.getLong("voice_channel_id"),
        textChannel, mentionRole, Schedule.parse(rs.getString("schedule")), List.of(),
        Duration.ofMillis(rs.getLong("gap_ms")), maxDuration, rs.getBoolean("repeat_playlist"),
        Duration.ofMinutes(rs.getInt("reminder_minutes")), Optional.ofNullable(rs.getString("start_text")),
        Optional.ofNullable(rs.getString("end_text")), rs.getBoolean("enabled"),
        Duration.ofMillis(rs.getLong("late_grace_ms")), Instant.ofEpochMilli(rs.getLong("updated_at")), presence,
        rs.getBoolean("publish_event"),
        new Sound(Duration.ofMillis(rs.getLong("fade_in_ms")), Duration.ofMillis(rs.getLong("fade_out_ms")),
            rs.getBoolean("shuffle")));
  }
}
