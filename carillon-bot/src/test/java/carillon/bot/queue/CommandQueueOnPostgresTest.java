package carillon.bot.queue;

import carillon.bot.testing.Harness;
import carillon.bot.testing.PostgresServer;
import java.nio.file.Path;
import java.time.Instant;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every command queue test again, on a real PostgreSQL server instead of a SQLite file. */
class CommandQueueOnPostgresTest extends CommandQueueTest {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();

  @Override
  Harness newWorld(Path dir, Instant start) {
    return new Harness(dir, start, postgres.database());
  }

  @Test
  void theseTestsRunOnPostgresql() {
    String version = world.db.withHandle(h -> h.createQuery("SELECT version()").mapTo(String.class).one());
    Assertions.assertThat(version).startsWith("PostgreSQL");
  }
}
