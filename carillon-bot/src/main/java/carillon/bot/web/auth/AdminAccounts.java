package carillon.bot.web.auth;

import carillon.bot.session.FieldError;
import carillon.bot.store.Database;
import carillon.tasks.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The local admin accounts of the web page and API. An account either administers every guild (and
 * the accounts) or only the guilds it is given. Passwords are stored as Argon2id hashes.
 *
 * <p>The command line creates the first admin with {@link #create(String, String)}:
 * <pre>{@code
 * try (Database db = Database.openSqlite(config.sqliteFile())) {
 *   new AdminAccounts(db, TimeSource.system()).create("alice", password);
 * }
 * }</pre>
 */
public final class AdminAccounts {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

  /**
   * An account as stored, without its password hash.
   *
   * @param guilds the guilds it administers; empty when {@code allGuilds}
   */
  public record Account(long id, String name, boolean allGuilds, Set<Long> guilds, Instant createdAt) {
    public Account {
      guilds = Set.copyOf(guilds);
    }
  }

  private final Database db;
  private final TimeSource time;
  private final PasswordHasher hasher;
  /** Hashed when a login names no account, so that such a login takes as long as one with a wrong password. */
  private final String dummyHash;

  public AdminAccounts(Database db, TimeSource time) {
    this(db, time, new PasswordHasher(new Secrets(), PasswordHasher.DEFAULT));
  }

  AdminAccounts(Database db, TimeSource time, PasswordHasher hasher) {
    this.db = db;
    this.time = time;
    this.hasher = hasher;
    this.dummyHash = hasher.hash("no account has this password");
  }

  /**
   * Creates an account that administers every guild and the other accounts: the first admin.
   *
   * @param name 1 to 64 letters, digits, {@code . _ @ -}, starting with a letter or digit; case is ignored
   * @param password 12 to 1,024 characters
   * @throws InvalidInputException naming each field that is wrong; nothing was stored
   */
  public void create(String name, String password) throws InvalidInputException {
    create(name, password, true, Set.of());
  }

  /** True once any account exists. */
  public boolean any() {
    return db.withHandle(h -> h.createQuery("SELECT count(*) FROM web_account").mapTo(Integer.class).one() > 0);
  }

  /**
   * Creates an account.
   *
   * @param allGuilds whether it administers every guild and the other accounts
   * @param guilds the guilds it administers, when not all
   * @throws InvalidInputException naming each field that is wrong (the name is taken, the password too
   *     short); nothing was stored
   */
  public Account create(String name, String password, boolean allGuilds, Set<Long> guilds) throws InvalidInputException {
    List<FieldError> errors = new ArrayList<>();
    String normalized = checkName(name, errors);
    PasswordPolicy.check("password", password, normalized, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    String hash = hasher.hash(password);
    long now = time.now().toEpochMilli();
    Optional<Long> id = db.inTransaction(h -> {
      boolean taken = h.createQuery("SELECT count(*) FROM web_account WHERE name = ?").bind(0, normalized)
          .mapTo(Integer.class).one() > 0;
      if (taken) {
        return Optional.<Long>empty();
      }
      long newId = h.createUpdate("INSERT INTO web_account (name, password_hash, all_guilds, created_at) VALUES (?, ?, ?, ?)")
          .bind(0, normalized).bind(1, hash).bind(2, allGuilds).bind(3, now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      if (!allGuilds) {
        for (long guild : guilds) {
          h.execute("INSERT INTO web_account_guild (account_id, guild_id) VALUES (?, ?)", newId, guild);
        }
      }
      return Optional.of(newId);
    });
    if (id.isEmpty()) {
      throw new InvalidInputException(List.of(new FieldError("name", "an account named '" + normalized + "' already exists")));
    }
    return find(id.get()).orElseThrow();
  }

  /** The account if the password is its password; takes as long whether or not the account exists. */
  Optional<Account> verify(String name, String password) {
    String normalized = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    Optional<Map.Entry<Long, String>> stored = db.withHandle(h -> h.createQuery(
            "SELECT id, password_hash FROM web_account WHERE name = ?").bind(0, normalized)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).findOne());
    if (stored.isEmpty() || password == null) {
      hasher.verify(password == null ? "" : password, dummyHash);
      return Optional.empty();
    }
    return hasher.verify(password, stored.get().getValue()) ? find(stored.get().getKey()) : Optional.empty();
  }

  Optional<Account> find(long id) {
    return db.withHandle(h -> load(h, "WHERE id = ?", id).stream().findFirst());
  }

  /** Every account, by name. */
  public List<Account> list() {
    return db.withHandle(h -> load(h, "ORDER BY name"));
  }

  boolean delete(long id) {
    return db.withHandle(h -> h.execute("DELETE FROM web_account WHERE id = ?", id)) > 0;
  }

  /** Changes an account's password, if {@code current} is its password now. */
  void changePassword(long id, String current, String replacement) throws InvalidInputException {
    String stored = db.withHandle(h -> h.createQuery("SELECT password_hash FROM web_account WHERE id = ?").bind(0, id)
        .mapTo(String.class).findOne()).orElseThrow(() -> new InvalidInputException(
            List.of(new FieldError("account", "the account no longer exists"))));
    List<FieldError> errors = new ArrayList<>();
    if (current == null || !hasher.verify(current, stored)) {
      errors.add(new FieldError("currentPassword", "is not the account's password"));
    }
    String name = find(id).map(Account::name).orElse(null);
    PasswordPolicy.check("newPassword", replacement, name, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    String hash = hasher.hash(replacement);
    db.useHandle(h -> h.execute("UPDATE web_account SET password_hash = ? WHERE id = ?", hash, id));
  }

  static String checkName(String name, List<FieldError> errors) {
    String normalized = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    if (!NAME.matcher(normalized).matches()) {
      errors.add(new FieldError("name", "must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter"
          + " or digit"));
    }
    return normalized;
  }

  private static List<Account> load(Handle h, String where, Object... args) {
    var query = h.createQuery("SELECT id, name, all_guilds, created_at FROM web_account " + where);
    for (int i = 0; i < args.length; i++) {
      query.bind(i, args[i]);
    }
    List<Account> accounts = query.map((rs, ctx) -> new Account(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
        Set.of(), Instant.ofEpochMilli(rs.getLong(4)))).list();
    List<Account> withGuilds = new ArrayList<>();
    for (Account a : accounts) {
      Set<Long> guilds = a.allGuilds() ? Set.of() : new TreeSet<>(h.createQuery(
          "SELECT guild_id FROM web_account_guild WHERE account_id = ?").bind(0, a.id()).mapTo(Long.class).list());
      withGuilds.add(new Account(a.id(), a.name(), a.allGuilds(), guilds, a.createdAt()));
    }
    return withGuilds;
  }
}
