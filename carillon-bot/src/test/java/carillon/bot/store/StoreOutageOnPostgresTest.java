package carillon.bot.store;

import carillon.bot.testing.Harness;
import carillon.bot.testing.PostgresServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store outage tests on a real PostgreSQL server that is stopped mid-run and started again. */
class StoreOutageOnPostgresTest extends StoreOutageTest {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();

  @Override
  Harness newWorld(Path dir) {
    return new Harness(dir, START, postgres.database());
  }

  @Override
  void storeFails() throws Exception {
    postgres.stop();
  }

  @Override
  void storeBack() throws Exception {
    postgres.start();
  }
}
