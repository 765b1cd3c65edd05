package carillon.bot.web;

import carillon.bot.core.PostgresServer;
import carillon.bot.store.Database;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every SessionsApiTest again, on a real PostgreSQL server instead of a SQLite file. */
class SessionsApiOnPostgresTest extends SessionsApiTest {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();
  private Supplier<Database> store;

  @AfterEach
  void forgetDatabase() {
    store = null;
  }

  /** A fresh database for each test; the same one when a test restarts the server. */
  @Override
  WebHarness newHarness(Path dir) {
    if (store == null) {
      store = postgres.newDatabase(); // here, not in a @BeforeEach: the superclass's runs first and needs it
    }
    return new WebHarness(dir, T0, 1_000_000, store);
  }

  @org.junit.jupiter.api.Test
  void theseTestsRunOnPostgresql() {
    String version = w.core.db.withHandle(h -> h.createQuery("SELECT version()").mapTo(String.class).one());
    org.assertj.core.api.Assertions.assertThat(version).startsWith("PostgreSQL");
  }
}
