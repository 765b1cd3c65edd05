package carillon.bot.store;

import carillon.bot.config.Config;
import carillon.bot.config.Setting;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Carillon's database: one SQLite file by default (WAL, foreign keys, busy timeout), its schema kept by
 * Flyway migrations under {@code db/migration}, reached through JDBI. The SQL is kept to what SQLite and
 * PostgreSQL both understand, so that a PostgreSQL data source can follow without touching the domain.
 *
 * <p>Every statement runs on one platform thread, "carillon-sql". The SQLite driver works in native code,
 * which pins a virtual thread to its carrier for the whole call, and with 2 cores two pinned carriers
 * stall every other virtual thread (measured in docs/performance.md). Callers, usually virtual threads,
 * hand their work to that thread and park. SQLite allows one writer at a time anyway.
 *
 * <p>A store that cannot take work (disk full, I/O error, PostgreSQL unreachable) is a state, kept in
 * {@link #health()}: from the first such failure on, every statement is refused at once with
 * {@link StoreUnavailableException} (no wait on a dead server, no stack trace per request), a probe write
 * is tried every {@link #PROBE_EVERY}, and the writes kept by {@link #writeOrDefer} are made, in order,
 * before the store counts as back. Any other failure (a constraint, a bug) is passed on unchanged.
 *
 * <pre>{@code
 * try (Database db = Database.openSqlite(dataDir.resolve("carillon.db"))) {
 *   int sessions = db.withHandle(h -> h.createQuery("SELECT count(*) FROM session").mapTo(Integer.class).one());
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  /** How often an unavailable store is probed with a write. */
  public static final Duration PROBE_EVERY = Duration.ofSeconds(1);
  /**
   * How many writes {@link #writeOrDefer} keeps while the store is unavailable. A key keeps only its
   * latest write, so this bounds the distinct things written during one outage (runs, commands).
   */
  static final int MAX_KEPT = 10_000;
  /** SQLite's primary result codes that mean the file cannot be written now, not that the SQL is wrong. */
  private static final Set<Integer> SQLITE_UNAVAILABLE = Set.of(SQLiteErrorCode.SQLITE_FULL.code,
      SQLiteErrorCode.SQLITE_IOERR.code, SQLiteErrorCode.SQLITE_CANTOPEN.code, SQLiteErrorCode.SQLITE_READONLY.code,
      SQLiteErrorCode.SQLITE_BUSY.code, SQLiteErrorCode.SQLITE_PROTOCOL.code, SQLiteErrorCode.SQLITE_NOLFS.code);

  private static final String POSTGRES_PREFIX = "jdbc:postgresql://";

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final ScheduledExecutorService sqlThread;
  private volatile Thread sqlThreadRef;
  private final StoreHealth health;
  private final InstantSource clock = InstantSource.system();
  /** Writes kept while the store is unavailable, by key, oldest first. Guarded by itself. */
  private final Map<String, HandleConsumer<RuntimeException>> kept = new LinkedHashMap<>();
  /** Writes refused because {@link #kept} was full, in this outage. Guarded by {@link #kept}. */
  private int dropped;
  /** The probe while the store is unavailable; touched on the SQL thread only. */
  private ScheduledFuture<?> probe;

  private Database(HikariDataSource dataSource, String migrations) {
    this.dataSource = dataSource;
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + migrations).load().migrate();
    this.jdbi = Jdbi.create(dataSource);
    this.health = new StoreHealth(clock);
    this.sqlThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = Thread.ofPlatform().name("carillon-sql").daemon().unstarted(runnable);
      sqlThreadRef = thread;
      return thread;
    });
  }

  /**
   * Opens the store the configuration names: PostgreSQL for a jdbc:postgresql: URL, else its SQLite file.
   *
   * @throws Unreachable when the PostgreSQL server refuses the login or cannot be reached
   */
  public static Database open(Config config) {
    return config.postgres()
        .map(pg -> openPostgres(config.databaseUrl(), pg.user(), pg.password().value()))
        .orElseGet(() -> openSqlite(config.sqliteFile()));
  }

  /**
   * Opens (creating if needed) the SQLite database at {@code file} and brings its schema up to date. A new
   * database file is made 0600 (SQLite gives its WAL and shared-memory files the same mode).
   */
  public static Database openSqlite(Path file) {
    return openSqlite(file, UnaryOperator.identity());
  }

  /**
   * As {@link #openSqlite(Path)}, with every connection taken through {@code around} (SQLite's data
   * source in, the one used out): for tests that inject faults below the store, a full disk for one.
   */
  public static Database openSqlite(Path file, UnaryOperator<DataSource> around) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      PrivateFiles.file(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of database " + file, e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // durable with WAL, without an fsync per commit
    config.enforceForeignKeys(true);
    config.setBusyTimeout(5_000);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

    HikariConfig pool = new HikariConfig();
    pool.setDataSource(around.apply(sqlite));
    pool.setPoolName("carillon-sqlite");
    pool.setMaximumPoolSize(1); // the one SQL thread needs one connection
    pool.setConnectionTimeout(10_000);
    return new Database(new HikariDataSource(pool), "sqlite");
  }

  /**
   * Connects to a PostgreSQL database (for when one machine is outgrown) and brings its schema up to date.
   * The schema is the same as SQLite's, in PostgreSQL's types (db/migration/postgresql).
   *
   * @param url a {@code jdbc:postgresql://host:port/database} URL
   * @throws Unreachable when the server refuses the login or cannot be reached
   */
  public static Database openPostgres(String url, String user, String password) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setPoolName("carillon-postgresql");
    pool.setMaximumPoolSize(2); // the one SQL thread, and Flyway's lock at start
    pool.setConnectionTimeout(10_000);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(pool); // connects once at once (Hikari's fail-fast)
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new Unreachable("cannot connect to the PostgreSQL store at " + hostAndPort(url) + " ("
          + Setting.DATABASE_URL.key() + ", " + Setting.DATABASE_URL.variable() + ") as user '" + user + "': "
          + cause.getMessage() + ". Check " + Setting.DATABASE_URL.key() + ", " + Setting.DATABASE_USER.key()
          + " and " + Setting.DATABASE_PASSWORD.key() + " (or " + Setting.DATABASE_PASSWORD_FILE.key()
          + "), and that the server is running and reachable from here", e);
    }
    return new Database(dataSource, "postgresql");
  }

  /**
   * A PostgreSQL store that cannot be connected to when Carillon opens it: the server refused the login
   * (a wrong user or password) or cannot be reached. The message names the server (host and port, never the
   * password), the settings to check and PostgreSQL's own message, in one line.
   */
  public static final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The host(s) and port of a {@code jdbc:postgresql://HOST:PORT/DATABASE?...} URL, without user or password. */
  static String hostAndPort(String url) {
    String rest = url.startsWith(POSTGRES_PREFIX) ? url.substring(POSTGRES_PREFIX.length()) : url;
    int end = rest.length();
    for (char c : new char[] {'/', '?'}) {
      int at = rest.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String authority = rest.substring(0, end);
    return authority.substring(authority.lastIndexOf('@') + 1);
  }

  /** Whether the store takes writes now, and since when not. */
  public StoreHealth health() {
    return health;
  }

  /**
   * Makes a write now or, while the store is unavailable, keeps it and makes it when the store is back
   * (before any new statement is let through). A later write with the same {@code key} replaces a kept
   * one, so a key names what the write sets (for instance "run 42 progress"). At most {@value #MAX_KEPT}
   * writes are kept; one more is dropped, logged once per outage. Kept writes live in memory: a process
   * that ends during an outage loses them (the next start treats what they would have written as a crash's).
   *
   * @throws RuntimeException whatever the write throws for any reason other than the store being unavailable
   */
  public void writeOrDefer(String key, HandleConsumer<RuntimeException> write) {
    synchronized (kept) {
      if (!kept.isEmpty() || !health.isAvailable()) {
        keep(key, write);
        return;
      }
    }
    try {
      useHandle(write);
    } catch (StoreUnavailableException e) {
      synchronized (kept) {
        keep(key, write);
      }
    }
  }

  /**
   * Makes a write now, only if the store is available and no kept write waits ({@link #writeOrDefer}): for a
   * write that must not land after what happened since (a kept write made later could undo what was decided
   * meanwhile), nor before writes kept ahead of it.
   *
   * @return whether it was made; false if the store is unavailable or writes are kept
   * @throws RuntimeException whatever the write throws for any reason other than the store being unavailable
   */
  public boolean writeNowOrSkip(HandleConsumer<RuntimeException> write) {
    synchronized (kept) {
      if (!kept.isEmpty() || !health.isAvailable()) {
        return false;
      }
    }
    try {
      useHandle(write);
      return true;
    } catch (StoreUnavailableException e) {
      return false;
    }
  }

  private void keep(String key, HandleConsumer<RuntimeException> write) {
    if (kept.size() >= MAX_KEPT && !kept.containsKey(key)) {
      if (dropped++ == 0) {
        log.error("The store has been unavailable for so long that {} writes are kept; further writes are lost "
            + "until it is back", MAX_KEPT);
      }
      return;
    }
    kept.remove(key); // re-inserted last: replaced writes keep their order with the others
    kept.put(key, write);
  }

  /** Runs {@code callback} with a handle on the SQL thread and returns its result. */
  public <R, X extends Exception> R withHandle(HandleCallback<R, X> callback) throws X {
    return onSqlThread(() -> jdbi.withHandle(callback));
  }

  public <X extends Exception> void useHandle(HandleConsumer<X> consumer) throws X {
    onSqlThread(() -> {
      jdbi.useHandle(consumer);
      return null;
    });
  }

  /** Runs {@code callback} in a transaction on the SQL thread. */
  public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
    return onSqlThread(() -> jdbi.inTransaction(callback));
  }

  public <X extends Exception> void useTransaction(HandleConsumer<X> consumer) throws X {
    onSqlThread(() -> {
      jdbi.useTransaction(consumer);
      return null;
    });
  }

  private interface SqlWork<R, X extends Exception> {
    R run() throws X;
  }

  @SuppressWarnings("unchecked")
  private <R, X extends Exception> R onSqlThread(SqlWork<R, X> work) throws X {
    if (Thread.currentThread() == sqlThreadRef) {
      return work.run(); // nested call from within a callback
    }
    refuseIfUnavailable();
    Future<R> result = sqlThread.submit(() -> {
      try {
        refuseIfUnavailable(); // it may have turned unavailable while this waited for the thread
        return work.run();
      } catch (StoreUnavailableException e) {
        throw new WorkFailed(e);
      } catch (Exception e) {
        Optional<String> unavailable = unavailability(e);
        if (unavailable.isPresent()) {
          failed(unavailable.get());
          throw new WorkFailed(new StoreUnavailableException("the store is unavailable: " + unavailable.get(), e));
        }
        throw new WorkFailed(e);
      }
    });
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          // A statement is short (bounded by the busy timeout); let it finish, then pass the interrupt on.
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WorkFailed failed) {
        Exception original = failed.original;
        if (original instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw (X) original;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("SQL work failed", cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void refuseIfUnavailable() {
    if (health.state() instanceof StoreHealth.Unavailable(Instant since, String lastError)) {
      throw new StoreUnavailableException("the store is unavailable since " + since + ": " + lastError, null);
    }
  }

  /** On the SQL thread: the store turned (or stays) unavailable; probe it until it is back. */
  private void failed(String error) {
    health.failed(error);
    if (probe == null && !sqlThread.isShutdown()) {
      probe = sqlThread.scheduleWithFixedDelay(this::probe, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * On the SQL thread, while the store is unavailable: a small write (to the one-row store_probe table),
   * then the kept writes in order; the store is back when all went through.
   */
  private void probe() {
    try {
      jdbi.useHandle(h -> h.execute("UPDATE store_probe SET checked_at = ? WHERE id = 1", clock.millis()));
      while (true) {
        Map.Entry<String, HandleConsumer<RuntimeException>> next;
        synchronized (kept) {
          if (kept.isEmpty()) {
            if (dropped > 0) {
              log.error("{} writes were lost while the store was unavailable", dropped);
              dropped = 0;
            }
            health.back();
            probe.cancel(false);
            probe = null;
            return;
          }
          next = kept.entrySet().iterator().next();
        }
        try {
          jdbi.useHandle(next.getValue());
        } catch (RuntimeException e) {
          if (unavailability(e).isPresent()) {
            throw e;
          }
          // Not the store's state but the write itself (a constraint, a bug): loud, and not kept forever.
          log.error("A write kept while the store was unavailable failed and is dropped: {}", next.getKey(), e);
        }
        synchronized (kept) {
          kept.remove(next.getKey(), next.getValue());
        }
      }
    } catch (RuntimeException e) {
      Optional<String> unavailable = unavailability(e);
      if (unavailable.isEmpty()) {
        log.error("The store's probe failed", e);
        health.failed(e.toString());
      } else {
        health.failed(unavailable.get());
      }
    }
  }

  /**
   * The driver's message if {@code failure} means the store cannot take work now: SQLite's disk full, I/O
   * error, cannot open, read-only or busy; a JDBC connection failure (the pool's timeout included); a
   * PostgreSQL SQLSTATE of class 08 (connection), 53 (insufficient resources: disk full), 57P (server
   * shutting down) or 58 (system error). Empty for anything else.
   */
  static Optional<String> unavailability(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException sqlite && SQLITE_UNAVAILABLE.contains(sqlite.getResultCode().code & 0xff)) {
        return Optional.of(sqlite.getMessage());
      }
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return Optional.of(t.getMessage());
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.startsWith("58")) {
          return Optional.of(sql.getMessage());
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  /** Carries a callback's exception, checked or not, out of the executor unchanged. */
  private static final class WorkFailed extends RuntimeException {
    final Exception original;

    WorkFailed(Exception original) {
      super(original);
      this.original = original;
    }
  }

  @Override
  public void close() {
    synchronized (kept) {
      if (!kept.isEmpty()) {
        log.error("Closing the store with {} writes it could not take yet; they are lost (runs they would have "
            + "ended are taken up as a crash's at the next start)", kept.size());
      }
    }
    sqlThread.shutdown();
    dataSource.close();
  }
}
