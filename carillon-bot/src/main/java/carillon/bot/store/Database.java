package carillon.bot.store;

import carillon.bot.config.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

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
 * <pre>{@code
 * try (Database db = Database.openSqlite(dataDir.resolve("carillon.db"))) {
 *   int sessions = db.withHandle(h -> h.createQuery("SELECT count(*) FROM session").mapTo(Integer.class).one());
 * }
 * }</pre>
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final ExecutorService sqlThread;
  private volatile Thread sqlThreadRef;

  private Database(HikariDataSource dataSource, String migrations) {
    this.dataSource = dataSource;
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + migrations).load().migrate();
    this.jdbi = Jdbi.create(dataSource);
    this.sqlThread = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = Thread.ofPlatform().name("carillon-sql").daemon().unstarted(runnable);
      sqlThreadRef = thread;
      return thread;
    });
  }

  /** Opens the store the configuration names: PostgreSQL for a jdbc:postgresql: URL, else its SQLite file. */
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
    pool.setDataSource(sqlite);
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
   */
  public static Database openPostgres(String url, String user, String password) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setPoolName("carillon-postgresql");
    pool.setMaximumPoolSize(2); // the one SQL thread, and Flyway's lock at start
    pool.setConnectionTimeout(10_000);
    return new Database(new HikariDataSource(pool), "postgresql");
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
    Future<R> result = sqlThread.submit(() -> {
      try {
        return work.run();
      } catch (Exception e) {
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
    sqlThread.shutdown();
    dataSource.close();
  }
}
