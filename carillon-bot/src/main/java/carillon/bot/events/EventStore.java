package carillon.bot.events;

import carillon.bot.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code session_event} rows (migration V12): which Discord scheduled event Carillon keeps per session. */
final class EventStore {
  private final Database db;

  EventStore(Database db) {
    this.db = db;
  }

  /**
   * What Carillon keeps for one session.
   *
   * @param eventId the Discord scheduled event, if one is kept now
   * @param occurrence the occurrence it announces (or the last one announced, once the event is gone)
   * @param active whether Carillon set it ACTIVE (the run plays)
   * @param leftAloneAt the session's {@code updatedAt} when a person deleted the event in Discord: no event
   *     until the session is edited
   * @param writtenFor the session's {@code updatedAt} when Carillon last wrote the event
   */
  record Kept(long sessionId, long guildId, Optional<Long> eventId, Optional<Instant> occurrence, boolean active,
      Optional<Instant> leftAloneAt, Optional<Instant> writtenFor) {

    static Kept none(long sessionId, long guildId) {
      return new Kept(sessionId, guildId, Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    Kept withoutEvent() {
      return new Kept(sessionId, guildId, Optional.empty(), occurrence, false, leftAloneAt, writtenFor);
    }
  }

  Optional<Kept> find(long sessionId) {
    return db.withHandle(h -> h.createQuery("SELECT * FROM session_event WHERE session_id = ?").bind(0, sessionId)
        .map((rs, ctx) -> row(rs)).findOne());
  }

  /** The session whose kept event this is, if any. */
  Optional<Kept> byEvent(long eventId) {
    return db.withHandle(h -> h.createQuery("SELECT * FROM session_event WHERE event_id = ?").bind(0, eventId)
        .map((rs, ctx) -> row(rs)).findOne());
  }

  List<Long> sessionIds() {
    return db.withHandle(h -> h.createQuery("SELECT session_id FROM session_event").mapTo(Long.class).list());
  }

  void save(Kept kept) {
    db.useTransaction(h -> {
      h.execute("DELETE FROM session_event WHERE session_id = ?", kept.sessionId());
      h.createUpdate("""
              INSERT INTO session_event (session_id, guild_id, event_id, occurrence_at, status, left_alone_at, written_for)
              VALUES (:session, :guild, :event, :occurrence, :status, :leftAlone, :written)""")
          .bind("session", kept.sessionId()).bind("guild", kept.guildId()).bind("event", kept.eventId().orElse(null))
          .bind("occurrence", kept.occurrence().map(Instant::toEpochMilli).orElse(null))
          .bind("status", kept.eventId().isEmpty() ? null : kept.active() ? "ACTIVE" : "SCHEDULED")
          .bind("leftAlone", kept.leftAloneAt().map(Instant::toEpochMilli).orElse(null))
          .bind("written", kept.writtenFor().map(Instant::toEpochMilli).orElse(null)).execute();
    });
  }

  void delete(long sessionId) {
    db.useHandle(h -> h.execute("DELETE FROM session_event WHERE session_id = ?", sessionId));
  }

  private static Kept row(ResultSet rs) throws SQLException {
    return new Kept(rs.getLong("session_id"), rs.getLong("guild_id"), optionalLong(rs, "event_id"),
        optionalLong(rs, "occurrence_at").map(Instant::ofEpochMilli), "ACTIVE".equals(rs.getString("status")),
        optionalLong(rs, "left_alone_at").map(Instant::ofEpochMilli),
        optionalLong(rs, "written_for").map(Instant::ofEpochMilli));
  }

  private static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(value);
  }
}
