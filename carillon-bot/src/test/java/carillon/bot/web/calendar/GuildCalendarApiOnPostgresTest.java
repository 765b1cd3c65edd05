package carillon.bot.web.calendar;

import carillon.bot.testing.PostgresServer;
import carillon.bot.web.WebHarness;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every GuildCalendarApiTest again, on a real PostgreSQL server (migration V13's PostgreSQL variant). */
class GuildCalendarApiOnPostgresTest extends GuildCalendarApiTest {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();

  @Override
  WebHarness newHarness(Path dir) {
    return new WebHarness(dir, T0, 1_000_000, postgres.database());
  }

  @Test
  void theseTestsRunOnPostgresql() {
    String version = w.core.db.withHandle(h -> h.createQuery("SELECT version()").mapTo(String.class).one());
    Assertions.assertThat(version).startsWith("PostgreSQL");
  }
}
