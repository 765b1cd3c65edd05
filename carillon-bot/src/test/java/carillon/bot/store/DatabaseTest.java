package carillon.bot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void createsTheSchemaInWalModeWithForeignKeysAndKeepsDataAcrossReopening() {
    Path file = dir.resolve("data/carillon.db");
    try (Database db = Database.openSqlite(file)) {
      String journal = db.withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
      int foreignKeys = db.withHandle(h -> h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one());
      assertThat(journal).isEqualTo("wal");
      assertThat(foreignKeys).isEqualTo(1);
      db.useHandle(h -> h.execute(
          "INSERT INTO guild_channel (guild_id, channel_id, name, kind) VALUES (1, 2, 'Hall', 'VOICE')"));
      // A track pointing at an audio item that does not exist is refused.
      assertThatThrownBy(() -> db.useHandle(h -> h.execute(
          "INSERT INTO session_track (session_id, position, audio_id) VALUES (99, 0, 'nope')")))
          .isInstanceOf(UnableToExecuteStatementException.class)
          .hasMessageContaining("FOREIGN KEY");
    }
    try (Database db = Database.openSqlite(file)) {
      String name = db.withHandle(h -> h.createQuery("SELECT name FROM guild_channel").mapTo(String.class).one());
      assertThat(name).isEqualTo("Hall");
    }
  }

  /** The store holds password and token hashes: its file and WAL are the owner's only, whatever the umask. */
  @Test
  void theDatabaseAndItsWalAreReadableByTheOwnerOnly() throws Exception {
    Path file = dir.resolve("carillon.db");
    try (Database db = Database.openSqlite(file)) {
      db.useHandle(h -> h.execute(
          "INSERT INTO guild_channel (guild_id, channel_id, name, kind) VALUES (1, 2, 'Hall', 'VOICE')"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("carillon.db-wal"))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aFileWriteRefusedForWantOfSpaceCountsAsTheStoreUnavailableAndABrokenConnectionDoesNot() {
    Path full = Path.of("/dev/full"); // every write to it fails with ENOSPC, as on a full disk
    Assumptions.assumeTrue(Files.isWritable(full), "/dev/full is needed");
    assertThatThrownBy(() -> Files.write(full, new byte[] {1}))
        .satisfies(e -> assertThat(StoreUnavailableException.among(new RuntimeException("upload failed", e))).isTrue());
    assertThat(StoreUnavailableException.among(new IOException("Broken pipe"))).isFalse();
  }

  @Test
  void aConstraintViolationIsPassedOnAndLeavesTheStoreAvailable() {
    try (Database db = Database.openSqlite(dir.resolve("carillon.db"))) {
      assertThatThrownBy(() -> db.useHandle(h -> h.execute("INSERT INTO store_probe (id, checked_at) VALUES (1, 0)")))
          .isInstanceOf(UnableToExecuteStatementException.class);
      assertThat(db.health().isAvailable()).isTrue();
    }
  }
}
