package carillon.bot.web.auth;

import carillon.bot.store.Database;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Logged-in browsers. The cookie holds a random secret; the store keeps only its hash, with the
 * account, the CSRF token and the expiry. A login lasts a fixed time from when it began.
 */
final class Logins {
  static final String COOKIE_PREFIX = "cls_";

  /** A login found by its cookie. */
  record Login(String cookieHash, long accountId, String csrfToken, Instant expiresAt) {}

  /** A new login: the cookie value is only ever in this record and in the browser. */
  record Started(String cookie, String csrfToken, Instant expiresAt) {}

  private final Database db;
  private final TimeSource time;
  private final Secrets secrets;
  private final Duration lifetime;

  Logins(Database db, TimeSource time, Secrets secrets, Duration lifetime) {
    this.db = db;
    this.time = time;
    this.secrets = secrets;
    this.lifetime = lifetime;
  }

  Duration lifetime() {
    return lifetime;
  }

  Started start(long accountId) {
    String cookie = secrets.newSecret(COOKIE_PREFIX);
    String csrf = secrets.newSecret("");
    Instant now = time.now();
    Instant expires = Instant.ofEpochMilli(now.plus(lifetime).toEpochMilli());
    db.useTransaction(h -> {
      h.execute("DELETE FROM web_login WHERE expires_at <= ?", now.toEpochMilli()); // housekeeping
      h.execute("INSERT INTO web_login (cookie_hash, account_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
          Secrets.sha256(cookie), accountId, csrf, now.toEpochMilli(), expires.toEpochMilli());
    });
    return new Started(cookie, csrf, expires);
  }

  /** The login of this cookie, if it exists and has not expired. */
  Optional<Login> find(String cookie) {
    String hash = Secrets.sha256(cookie);
    long now = time.now().toEpochMilli();
    return db.withHandle(h -> h.createQuery(
            "SELECT account_id, csrf_token, expires_at FROM web_login WHERE cookie_hash = ? AND expires_at > ?")
        .bind(0, hash).bind(1, now)
        .map((rs, ctx) -> new Login(hash, rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))))
        .findOne());
  }

  /** Whether the account's login with this CSRF token exists and has not expired. */
  boolean active(long accountId, String csrfToken) {
    long now = time.now().toEpochMilli();
    return db.withHandle(h -> h.createQuery(
            "SELECT count(*) FROM web_login WHERE account_id = ? AND csrf_token = ? AND expires_at > ?")
        .bind(0, accountId).bind(1, csrfToken).bind(2, now).mapTo(Integer.class).one() > 0);
  }

  void end(String cookieHash) {
    db.useHandle(h -> h.execute("DELETE FROM web_login WHERE cookie_hash = ?", cookieHash));
  }

  /** Ends every login of an account (its password changed). */
  void endAll(long accountId) {
    db.useHandle(h -> h.execute("DELETE FROM web_login WHERE account_id = ?", accountId));
  }
}
