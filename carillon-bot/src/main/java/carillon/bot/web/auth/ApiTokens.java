package carillon.bot.web.auth;

import carillon.bot.store.Database;
import carillon.tasks.TimeSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * API tokens for scripts: {@code Authorization: Bearer crt_...}. A token belongs to an account, is
 * limited to some of that account's guilds, and expires; it can be revoked. Only its SHA-256 is stored,
 * and the secret is shown once, when it is created.
 */
final class ApiTokens {
  static final String PREFIX = "crt_";
  /** Last use is written at most this often per token, not on every request. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  record Token(long id, long accountId, String name, Set<Long> guilds, Instant createdAt, Instant expiresAt,
      Optional<Instant> revokedAt, Optional<Instant> lastUsedAt) {
    Token {
      guilds = Set.copyOf(guilds);
    }
  }

  record Issued(Token token, String secret) {}

  private final Database db;
  private final TimeSource time;
  private final Secrets secrets;

  ApiTokens(Database db, TimeSource time, Secrets secrets) {
    this.db = db;
    this.time = time;
    this.secrets = secrets;
  }

  Issued create(long accountId, String name, Set<Long> guilds, Duration lifetime) {
    String secret = secrets.newSecret(PREFIX);
    Instant now = Instant.ofEpochMilli(time.now().toEpochMilli());
    long id = db.inTransaction(h -> {
      long newId = h.createUpdate(
              "INSERT INTO web_token (account_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
          .bind(0, accountId).bind(1, name).bind(2, Secrets.sha256(secret)).bind(3, now.toEpochMilli())
          .bind(4, now.plus(lifetime).toEpochMilli())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      for (long guild : guilds) {
        h.execute("INSERT INTO web_token_guild (token_id, guild_id) VALUES (?, ?)", newId, guild);
      }
      return newId;
    });
    return new Issued(find(id).orElseThrow(), secret);
  }

  /** The token with this secret, whatever its state (the caller tells expired and revoked apart). */
  Optional<Token> findBySecret(String secret) {
    return db.withHandle(h -> load(h, "WHERE token_hash = ?", Secrets.sha256(secret)).stream().findFirst());
  }

  Optional<Token> find(long id) {
    return db.withHandle(h -> load(h, "WHERE id = ?", id).stream().findFirst());
  }

  List<Token> ofAccount(long accountId) {
    return db.withHandle(h -> load(h, "WHERE account_id = ? ORDER BY id", accountId));
  }

  /** Whether the token exists, is not revoked and has not expired. */
  boolean active(long tokenId) {
    long now = time.now().toEpochMilli();
    return db.withHandle(h -> h.createQuery("SELECT count(*) FROM web_token WHERE id = ? AND revoked_at IS NULL AND expires_at > ?")
        .bind(0, tokenId).bind(1, now).mapTo(Integer.class).one() > 0);
  }

  /** Revokes a token of the account; false if it has no such token. Revoking twice keeps the first time. */
  boolean revoke(long accountId, long tokenId) {
    return db.withHandle(h -> h.execute(
        "UPDATE web_token SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND account_id = ?",
        time.now().toEpochMilli(), tokenId, accountId)) > 0;
  }

  /** Revokes every token of the account not yet revoked; how many. */
  int revokeAll(long accountId) {
    return db.withHandle(h -> h.execute("UPDATE web_token SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
        time.now().toEpochMilli(), accountId));
  }

  /** Records a use, unless one was recorded in the last minute. */
  void touch(Token token) {
    Instant now = time.now();
    if (token.lastUsedAt().map(last -> last.plus(TOUCH_EVERY).isAfter(now)).orElse(false)) {
      return;
    }
    db.useHandle(h -> h.execute("UPDATE web_token SET last_used_at = ? WHERE id = ?", now.toEpochMilli(), token.id()));
  }

  private static List<Token> load(Handle h, String where, Object... args) {
    var query = h.createQuery("SELECT * FROM web_token " + where);
    for (int i = 0; i < args.length; i++) {
      query.bind(i, args[i]);
    }
    List<Token> tokens = query.map((rs, ctx) -> row(rs)).list();
    return tokens.stream().map(t -> new Token(t.id(), t.accountId(), t.name(),
        new TreeSet<>(h.createQuery("SELECT guild_id FROM web_token_guild WHERE token_id = ?").bind(0, t.id())
            .mapTo(Long.class).list()),
        t.createdAt(), t.expiresAt(), t.revokedAt(), t.lastUsedAt())).toList();
  }

  private static Token row(ResultSet rs) throws SQLException {
    return new Token(rs.getLong("id"), rs.getLong("account_id"), rs.getString("name"), Set.of(),
        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at")),
        instant(rs, "revoked_at"), instant(rs, "last_used_at"));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
