package carillon.bot.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Carillon's database: one SQLite file by default (WAL, foreign keys, busy timeout), its schema kept by
 * Flyway migrations under {@code db/migration}, reached through JDBI. The SQL is kept to what SQLite and
 * PostgreSQL both understand, so that a PostgreSQL data source can follow without touching the domain.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    this.jdbi = Jdbi.create(dataSource);
  }

  /** Opens (creating if needed) the SQLite database at {@code file} and brings its schema up to date. */
  public static Database openSqlite(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
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
    // SQLite takes one writer at a time; a few connections let reads proceed beside it under WAL.
    pool.setMaximumPoolSize(4);
    pool.setConnectionTimeout(10_000);
    return new Database(new HikariDataSource(pool));
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
