package carillon.bot.queue;

import carillon.bot.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The {@code command} table, in SQLite or PostgreSQL; instants as epoch milliseconds. */
final class SqlCommandStore implements CommandStore {
  private final Database db;

  SqlCommandStore(Database db) {
    this.db = db;
  }

  @Override
  public long insert(CommandRequest request, String requestedBy, Instant requestedAt) {
    return db.withHandle(h -> h.createUpdate("""
            INSERT INTO command (kind, session_id, volume, source, requested_by, requested_at, status)
            VALUES (?, ?, ?, ?, ?, ?, 'PENDING')""")
        .bind(0, request.kind().name()).bind(1, request.sessionId()).bind(2, request.volume())
        .bind(3, request.source().name()).bind(4, requestedBy).bind(5, requestedAt.toEpochMilli())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  @Override
  public Keyed insertOnce(CommandRequest request, String requestedBy, Instant requestedAt, String key,
      Instant forgetBefore) {
    try {
      return db.inTransaction(h -> {
        h.execute("UPDATE command SET idempotency_key = NULL WHERE idempotency_key IS NOT NULL AND requested_at < ?",
            forgetBefore.toEpochMilli());
        Optional<CommandRecord> earlier = h.createQuery("SELECT * FROM command WHERE idempotency_key = ?").bind(0, key)
            .map((rs, ctx) -> row(rs)).findOne();
        if (earlier.isPresent()) {
          return new Keyed(0, earlier);
        }
        long id = h.createUpdate("""
                INSERT INTO command (kind, session_id, volume, source, requested_by, requested_at, status, idempotency_key)
                VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?)""")
            .bind(0, request.kind().name()).bind(1, request.sessionId()).bind(2, request.volume())
            .bind(3, request.source().name()).bind(4, requestedBy).bind(5, requestedAt.toEpochMilli()).bind(6, key)
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Keyed(id, Optional.empty());
      });
    } catch (UnableToExecuteStatementException e) {
      // A concurrent request with the same key stored its command first (the unique index): that one is the answer.
      Optional<CommandRecord> earlier = db.withHandle(h -> h.createQuery("SELECT * FROM command WHERE idempotency_key = ?")
          .bind(0, key).map((rs, ctx) -> row(rs)).findOne());
      return new Keyed(0, Optional.of(earlier.orElseThrow(() -> e)));
    }
  }

  @Override
  public boolean claim(long id) {
    // One UPDATE with the expected status in its WHERE: the database serialises two claimers (a row lock in
    // PostgreSQL, the write lock in SQLite), and the second finds the row RUNNING and changes nothing.
    return db.withHandle(h -> h.execute("UPDATE command SET status = 'RUNNING' WHERE id = ? AND status = 'PENDING'",
        id)) == 1;
  }

  @Override
  public void setStatus(long id, CommandStatus status, String result, Instant finishedAt) {
    HandleConsumer<RuntimeException> write = h -> h.execute(
        "UPDATE command SET status = ?, result = ?, finished_at = ? WHERE id = ?",
        status.name(), result, finishedAt == null ? null : finishedAt.toEpochMilli(), id);
    if (status.isFinal()) {
      // How a command ended is never lost to a store outage: a command left PENDING would run again at the
      // next start (a stale PLAY or STOP).
      db.writeOrDefer("command " + id + " status", write);
    } else {
      db.useHandle(write);
    }
  }

  @Override
  public int failRunning(Instant at, String result, LongPredicate inGuild, Set<Long> applyingHere) {
    int failed = 0;
    for (long id : inGuilds("RUNNING", inGuild)) {
      if (applyingHere.contains(id)) {
        continue;
      }
      failed += db.withHandle(h -> h.execute(
          "UPDATE command SET status = 'FAILED', finished_at = ?, result = ? WHERE id = ? AND status = 'RUNNING'",
          at.toEpochMilli(), result, id));
    }
    return failed;
  }

  /** The ids of the commands with {@code status} of sessions in the guilds {@code inGuild} accepts (deleted: guild 0). */
  private List<Long> inGuilds(String status, LongPredicate inGuild) {
    return db.withHandle(h -> h.createQuery(
            "SELECT c.id, s.guild_id FROM command c LEFT JOIN session s ON s.id = c.session_id WHERE c.status = ?"
                + " ORDER BY c.id")
        .bind(0, status)
        .map((rs, ctx) -> inGuild.test(rs.getLong("guild_id")) ? rs.getLong("id") : -1L).list())
        .stream().filter(id -> id >= 0).toList();
  }

  @Override
  public List<CommandRecord> pending(LongPredicate inGuild) {
    // A command of a deleted session is in no guild (0 here): the process that holds shard 0 ends it.
    return db.withHandle(h -> h.createQuery(
            "SELECT c.*, s.guild_id AS guild FROM command c LEFT JOIN session s ON s.id = c.session_id"
                + " WHERE c.status = 'PENDING' ORDER BY c.id")
        .map((rs, ctx) -> inGuild.test(rs.getLong("guild")) ? Optional.of(row(rs)) : Optional.<CommandRecord>empty())
        .list()).stream().flatMap(Optional::stream).toList();
  }

  @Override
  public Optional<CommandRecord> find(long id) {
    return db.withHandle(h -> h.createQuery("SELECT * FROM command WHERE id = ?").bind(0, id)
        .map((rs, ctx) -> row(rs)).findOne());
  }

  @Override
  public List<CommandRecord> recent(int limit) {
    return db.withHandle(h -> h.createQuery("SELECT * FROM command ORDER BY id DESC LIMIT ?").bind(0, limit)
        .map((rs, ctx) -> row(rs)).list());
  }

  @Override
  public List<CommandRecord> inGuild(long guildId, int limit, long beforeId) {
    return db.withHandle(h -> h.createQuery("""
            SELECT c.* FROM command c JOIN session s ON s.id = c.session_id
            WHERE s.guild_id = ? AND c.id < ? ORDER BY c.id DESC LIMIT ?""")
        .bind(0, guildId).bind(1, beforeId).bind(2, limit).map((rs, ctx) -> row(rs)).list());
  }

  private static CommandRecord row(ResultSet rs) throws SQLException {
    int volume = rs.getInt("volume");
    Optional<Integer> vol = rs.wasNull() ? Optional.empty() : Optional.of(volume);
    long finished = rs.getLong("finished_at");
    Optional<Instant> finishedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
    return new CommandRecord(rs.getLong("id"), CommandKind.valueOf(rs.getString("kind")), rs.getLong("session_id"),
        vol, CommandSource.valueOf(rs.getString("source")), rs.getString("requested_by"),
        Instant.ofEpochMilli(rs.getLong("requested_at")), CommandStatus.valueOf(rs.getString("status")),
        Optional.ofNullable(rs.getString("result")), finishedAt);
  }
}
