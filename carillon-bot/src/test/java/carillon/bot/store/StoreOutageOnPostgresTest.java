package carillon.bot.store;

import carillon.testing.ExpectedLog;
import carillon.bot.testing.Harness;
import carillon.bot.testing.PostgresServer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store outage tests on a real PostgreSQL server that is stopped mid-run and started again. */
@ExpectedLog(logger = "carillon.bot.store.StoreHealth") // "Store unavailable" (ERROR) and "Store back" (WARN)
@ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "com.zaxxer.hikari") // connections the stopped server broke
@ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "carillon.bot.schedule.Scheduler", message = "store is unavailable")
@ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "carillon.bot.playback.CrashRecovery", message = "cut short by a crash")
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
