package carillon.bot.library;

import carillon.bot.store.Database;
import carillon.bot.testing.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every WaveformTest again, the import's waveform stored in PostgreSQL (BYTEA) instead of SQLite (BLOB). */
class WaveformOnPostgresTest extends WaveformTest {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();

  @Override
  Database database() {
    return postgres.database().get();
  }
}
