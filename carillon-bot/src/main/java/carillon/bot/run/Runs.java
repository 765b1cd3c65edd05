package carillon.bot.run;

import carillon.bot.session.SessionLimits;
import carillon.bot.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.function.LongPredicate;

/**
 * The run history, and the claim that makes an occurrence play at most once: a run row is unique on
 * (session, scheduled instant), so whoever inserts it first plays it, across restarts and processes.
 */
public final class Runs {
  /** The owner of runs claimed by a {@link #Runs(Database)}: one process per store (SQLite, and most tests). */
  public static final String LOCAL = "local";
  private final Database db;
  private final String owner;

  public Runs(Database db) {
    this(db, LOCAL);
  }

  /**
   * Runs claimed, saved and ended as {@code owner} (this process's cluster id): progress and ends are
   * written only to runs this owner holds, so a process fenced out of a guild changes nothing of the runs
   * that another process took over.
   */
  public Runs(Database db, String owner) {
    this.db = db;
    this.owner = owner;
  }

  /** Who this process is as the owner of runs. */
  public String owner() {
    return owner;
  }

  /**
   * Claims an occurrence for playing now.
   *
   * @return the run's id, or empty if the occurrence was already claimed or recorded
   */
  public Optional<Long> claim(long sessionId, Instant scheduledAt, Instant startedAt, String account) {
    // RETURNING, not the driver's generated keys: SQLite's driver reports the connection's last inserted
    // row id when DO NOTHING inserted none, which made a lost claim look won (issue 13).
    return db.withHandle(h -> h.createQuery("""
            INSERT INTO run (session_id, scheduled_at, started_at, outcome, bot_account, owner)
            VALUES (?, ?, ?, 'RUNNING', ?, ?) ON CONFLICT (session_id, scheduled_at) DO NOTHING RETURNING id""")
        .bind(0, sessionId).bind(1, scheduledAt.toEpochMilli()).bind(2, startedAt.toEpochMilli()).bind(3, account)
        .bind(4, owner)
        .mapTo(Long.class).findOne());
  }

  /** Records when a run claimed ahead of its start began playing (kept and written later while the store is down). */
  public void started(long runId, Instant startedAt) {
    db.writeOrDefer("run " + runId + " start", h -> h.execute(
        "UPDATE run SET started_at = ? WHERE id = ? AND owner = ?", startedAt.toEpochMilli(), runId, owner));
  }

  /**
   * Gives back a claim that never played (its session changed or was disabled between the claim ahead of
   * its start and the start): the occurrence can be claimed again.
   */
  public void unclaim(long runId) {
    db.withHandle(h -> h.execute("DELETE FROM run WHERE id = ? AND owner = ? AND outcome = 'RUNNING'", runId, owner));
  }

  /** Records an occurrence that did not play (missed, skipped because busy); false if it was already recorded. */
  public boolean recordNotPlayed(long sessionId, Instant scheduledAt, RunOutcome outcome, String reason) {
    return db.withHandle(h -> h.execute("""
        INSERT INTO run (session_id, scheduled_at, outcome, error) VALUES (?, ?, ?, ?)
        ON CONFLICT (session_id, scheduled_at) DO NOTHING""",
        sessionId, scheduledAt.toEpochMilli(), outcome.name(), reason)) > 0;
  }

  /**
   * Records how a run ended. While the store is unavailable the write is kept and made when it is back
   * ({@link Database#writeOrDefer}), so playback never fails on it.
   */
  public void finish(long runId, RunOutcome outcome, Instant endedAt, int tracksPlayed, String error) {
    db.writeOrDefer("run " + runId + " end", h -> h.execute(
        "UPDATE run SET outcome = ?, ended_at = ?, tracks_played = ?, error = ? WHERE id = ? AND owner = ?",
        outcome.name(), endedAt.toEpochMilli(), tracksPlayed, error, runId, owner));
  }

  /**
   * Saves where a playing run is and how (every few seconds, at each track, on pause, resume and volume),
   * for resuming after a crash. While the store is unavailable only the latest is kept, and written when
   * it is back. The saved position never goes backwards within a track: a save with the same track and
   * tracks played but an earlier position than the stored one changes only paused, volume and the time.
   */
  public void saveProgress(long runId, Progress progress) {
    db.writeOrDefer("run " + runId + " progress", h -> h.execute("""
        UPDATE run SET
          track_position_ms = CASE WHEN track_index = ? AND tracks_played = ? AND track_position_ms > ?
                                   THEN track_position_ms ELSE ? END,
          track_index = ?, tracks_played = ?, paused = ?, volume = ?, progress_at = ?
        WHERE id = ? AND outcome = 'RUNNING' AND owner = ?""",
        progress.trackIndex(), progress.tracksPlayed(), progress.position().toMillis(),
        progress.position().toMillis(), progress.trackIndex(), progress.tracksPlayed(), progress.paused(),
        progress.volume(), progress.savedAt().toEpochMilli(), runId, owner));
  }

  /** At start-up: the runs a crash left RUNNING, with their last saved progress if any. */
  public Map<Run, Optional<Progress>> leftRunning() {
    Map<Run, Optional<Progress>> all = new LinkedHashMap<>();
    leftRunning(guildId -> true).forEach(left -> all.put(left.run(), left.progress()));
    return all;
  }

  /**
   * The owner a process writes on a run it stops playing because it releases the run's shard ({@link #handOver}):
   * this prefix and its own owner id. Nobody plays a run so marked; the process that takes the shard adopts it.
   */
  static final String HANDED_OVER_BY = "handed-over-by:";

  /**
   * Marks a RUNNING run this process owns as handed over: it stopped playing it on purpose (its guild's shard
   * is released) and the process that takes the shard resumes it. From then on this process writes nothing
   * more to it (progress and ends are written only where the owner is this process). Made now or never
   * ({@link Database#writeNowOrSkip}): a mark kept through a store outage could land after this process took
   * the run up again, and fence it out of its own run. Unmarked, the taker treats the run as a crash's.
   *
   * @return whether the run is marked
   */
  public boolean handOver(long runId) {
    return db.writeNowOrSkip(h -> h.execute(
        "UPDATE run SET owner = ? WHERE id = ? AND owner = ? AND outcome = 'RUNNING'", HANDED_OVER_BY + owner, runId,
        owner));
  }

  /** A RUNNING run, its last saved progress if any, and the process that owned it when read (none before V10). */
  public record Left(Run run, Optional<Progress> progress, Optional<String> owner) {
    /**
     * The process that handed this run over ({@link Runs#handOver}) when it released the run's shard; empty when
     * its owner stopped without doing so (it crashed, was killed, or lost PostgreSQL) or it had none.
     */
    public Optional<String> handedOverBy() {
      return owner.filter(o -> o.startsWith(HANDED_OVER_BY)).map(o -> o.substring(HANDED_OVER_BY.length()));
    }
  }

  /**
   * The RUNNING runs of sessions in guilds that {@code inGuild} accepts (this process's shards), oldest
   * first. Each is {@link #adopt adopted} before it is resumed or ended.
   */
  public List<Left> leftRunning(LongPredicate inGuild) {
    return running("", 0, inGuild);
  }

  /**
   * What the store knows of a guild's RUNNING runs, oldest first, with their last saved progress and owner
   * (the process playing them): how a process that does not hold the guild's shard shows them.
   */
  public List<Left> runningInGuild(long guildId) {
    return running(" AND s.guild_id = ?", guildId, guild -> true);
  }

  /** The session's RUNNING run (claimed, maybe ahead of its start), with its last saved progress and owner. */
  public Optional<Left> running(long sessionId) {
    return running(" AND r.session_id = ?", sessionId, guild -> true).stream().reduce((first, later) -> later);
  }

  private List<Left> running(String andWhere, long id, LongPredicate inGuild) {
    return db.withHandle(h -> {
      var query = h.createQuery("SELECT r.*, s.guild_id AS guild FROM run r JOIN session s ON s.id = r.session_id"
          + " WHERE r.outcome = 'RUNNING'" + andWhere + " ORDER BY r.id");
      if (!andWhere.isEmpty()) {
        query.bind(0, id);
      }
      return query.reduceResultSet(new ArrayList<Left>(), (acc, rs, ctx) -> {
        if (!inGuild.test(rs.getLong("guild"))) {
          return acc;
        }
        long index = rs.getLong("track_index");
        Optional<Progress> progress = rs.wasNull() ? Optional.empty()
            : Optional.of(new Progress((int) index, Duration.ofMillis(rs.getLong("track_position_ms")),
                rs.getInt("tracks_played"), rs.getBoolean("paused"), volume(rs),
                Instant.ofEpochMilli(rs.getLong("progress_at"))));
        acc.add(new Left(row(rs), progress, Optional.ofNullable(rs.getString("owner"))));
        return acc;
      });
    });
  }

  /**
   * Makes this process the owner of a RUNNING run, if its owner is still the one it had when it was read:
   * of two processes adopting the same run, one wins.
   *
   * @return whether this process owns the run now
   */
  public boolean adopt(Left left) {
    long runId = left.run().id();
    return db.withHandle(h -> left.owner().isPresent()
        ? h.execute("UPDATE run SET owner = ? WHERE id = ? AND outcome = 'RUNNING' AND owner = ?", owner, runId,
            left.owner().get())
        : h.execute("UPDATE run SET owner = ? WHERE id = ? AND outcome = 'RUNNING' AND owner IS NULL", owner, runId)) > 0;
  }

  /** The latest scheduled instant of every session that has runs (one query, for start-up). */
  public Map<Long, Instant> lastScheduledAtBySession() {
    return db.withHandle(h -> h.createQuery("SELECT session_id, max(scheduled_at) AS last FROM run GROUP BY session_id")
        .reduceRows(new HashMap<Long, Instant>(), (acc, row) -> {
          acc.put(row.getColumn("session_id", Long.class), Instant.ofEpochMilli(row.getColumn("last", Long.class)));
          return acc;
        }));
  }

  public Optional<Run> find(long runId) {
    return db.withHandle(h -> h.createQuery("SELECT * FROM run WHERE id = ?").bind(0, runId)
        .map((rs, ctx) -> row(rs)).findOne());
  }

  public List<Run> forSession(long sessionId) {
    return db.withHandle(h -> h.createQuery("SELECT * FROM run WHERE session_id = ? ORDER BY scheduled_at")
        .bind(0, sessionId).map((rs, ctx) -> row(rs)).list());
  }

  /** The runs of a guild's sessions, newest first: at most {@code limit}, with ids below {@code beforeId}. */
  public List<Run> inGuild(long guildId, int limit, long beforeId) {
    return db.withHandle(h -> h.createQuery("""
            SELECT r.* FROM run r JOIN session s ON s.id = r.session_id
            WHERE s.guild_id = ? AND r.id < ? ORDER BY r.id DESC LIMIT ?""")
        .bind(0, guildId).bind(1, beforeId).bind(2, limit).map((rs, ctx) -> row(rs)).list());
  }

  private static Run row(ResultSet rs) throws SQLException {
    return new Run(rs.getLong("id"), rs.getLong("session_id"), Instant.ofEpochMilli(rs.getLong("scheduled_at")),
        instant(rs, "started_at"), instant(rs, "ended_at"), RunOutcome.valueOf(rs.getString("outcome")),
        rs.getInt("tracks_played"), Optional.ofNullable(rs.getString("bot_account")),
        Optional.ofNullable(rs.getString("error")), order(rs.getString("track_order")));
  }

  private static List<Integer> order(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).toList();
  }

  /**
   * Records the order a run plays its playlist in (playlist positions from 0), when it starts: shown in
   * the history, and kept by a run resumed after a crash.
   */
  public void saveOrder(long runId, List<Integer> order) {
    String text = order.stream().map(String::valueOf).collect(Collectors.joining(","));
    db.writeOrDefer("run " + runId + " order", h -> h.execute("UPDATE run SET track_order = ? WHERE id = ?", text, runId));
  }

  /** The saved volume; a run saved before V7 played at the default. */
  private static int volume(ResultSet rs) throws SQLException {
    int volume = rs.getInt("volume");
    return rs.wasNull() ? SessionLimits.DEFAULT_VOLUME : volume;
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
