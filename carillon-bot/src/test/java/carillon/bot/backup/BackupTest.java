package carillon.bot.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.app.DemoAudio;
import carillon.bot.library.AudioItem;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.library.AudioProbe;
import carillon.bot.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of a real SQLite store with real imported audio, made while the store is open and written to. */
class BackupTest {
  private static final Instant NOW = Instant.parse("2026-12-01T07:00:00Z");
  @TempDir Path dir;
  private final AudioProbe probe = new AudioProbe();

  @AfterEach
  void closeProbe() {
    probe.close();
  }

  @Test
  void aBackupMadeWhileRunningRestoresIntoAnEmptyDirectoryWithItsRowsAndAudio() throws Exception {
    Path dataDir = dir.resolve("data");
    Path archive = dir.resolve("carillon-backup.zip");
    AudioItem bell;
    Map<String, List<Map<String, Object>>> atBackup;
    try (Database db = Database.openSqlite(dataDir.resolve("carillon.db"))) {
      AudioLibrary library = new AudioLibrary(dataDir, db, Clock.systemUTC(), probe, 10_000_000, new LoudnessTarget(-18));
      bell = library.importFile(Files.write(dir.resolve("bell.wav"), DemoAudio.chime(528, 1)), "Temple bell");
      db.useHandle(h -> h.execute(
          "INSERT INTO guild_channel (guild_id, channel_id, name, kind) VALUES (1, 2, 'Hall', 'VOICE')"));

      atBackup = everyRow(db);
      int audioFiles = Backup.write(dataDir.resolve("carillon.db"), dataDir, archive, NOW, "test");
      assertThat(audioFiles).as("the file and its Ogg/Opus copy").isEqualTo(2);
      // Written after the backup: not in it.
      db.useHandle(h -> h.execute(
          "INSERT INTO guild_channel (guild_id, channel_id, name, kind) VALUES (1, 3, 'Later', 'VOICE')"));
    }

    Path restoredDir = dir.resolve("restored");
    Backup.Restored restored = Backup.restore(archive, restoredDir, restoredDir.resolve("carillon.db"), false);
    assertThat(restored.audioFiles()).isEqualTo(2);
    assertThat(restored.createdAt()).isEqualTo(NOW.toString());
    try (Database db = Database.openSqlite(restoredDir.resolve("carillon.db"))) {
      assertThat(everyRow(db)).as("every table, row for row, as at the backup").isEqualTo(atBackup);
      List<String> channels = db.withHandle(h -> h.createQuery("SELECT name FROM guild_channel ORDER BY channel_id")
          .mapTo(String.class).list());
      assertThat(channels).containsExactly("Hall");
      AudioLibrary library = new AudioLibrary(restoredDir, db, Clock.systemUTC(), probe, 10_000_000, new LoudnessTarget(-18));
      assertThat(library.find(bell.id())).hasValueSatisfying(item -> assertThat(item.name()).isEqualTo("Temple bell"));
      assertThat(library.track(bell.id()).orElseThrow().file()).isRegularFile()
          .hasSameBinaryContentAs(dir.resolve("bell.wav"));
    }
  }

  /** Every row of every table (Flyway's history included), by table name, in a stable order. */
  private static Map<String, List<Map<String, Object>>> everyRow(Database db) {
    List<String> tables = db.withHandle(h -> h.createQuery(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .mapTo(String.class).list());
    Map<String, List<Map<String, Object>>> rows = new TreeMap<>();
    for (String table : tables) {
      List<Map<String, Object>> read = db.withHandle(h -> h.createQuery("SELECT * FROM \"" + table + "\" ORDER BY 1")
          .mapToMap().list());
      // A BLOB (the waveform) reads as byte[], which equals nothing but itself: compared by its bytes as hex.
      rows.put(table, read.stream().map(row -> {
        Map<String, Object> comparable = new TreeMap<>();
        row.forEach((column, value) -> comparable.put(column, value instanceof byte[] bytes
            ? HexFormat.of().formatHex(bytes) : value));
        return comparable;
      }).toList());
    }
    return rows;
  }

  @Test
  void aDataDirectoryThatHoldsSomethingIsReplacedOnlyWithForce() throws Exception {
    Path dataDir = dir.resolve("data");
    Path archive = dir.resolve("b.zip");
    try (Database db = Database.openSqlite(dataDir.resolve("carillon.db"))) {
      db.useHandle(h -> h.execute(
          "INSERT INTO guild_channel (guild_id, channel_id, name, kind) VALUES (1, 2, 'Hall', 'VOICE')"));
    }
    Backup.write(dataDir.resolve("carillon.db"), dataDir, archive, NOW, "test");
    try (Database db = Database.openSqlite(dataDir.resolve("carillon.db"))) {
      db.useHandle(h -> h.execute("DELETE FROM guild_channel"));
    }

    assertThatThrownBy(() -> Backup.restore(archive, dataDir, dataDir.resolve("carillon.db"), false))
        .isInstanceOf(Backup.BackupException.class).hasMessageContaining("is not empty").hasMessageContaining("--force");
    try (Database db = Database.openSqlite(dataDir.resolve("carillon.db"))) {
      int channels = db.withHandle(h -> h.createQuery("SELECT count(*) FROM guild_channel").mapTo(Integer.class).one());
      assertThat(channels).as("the refused restore changed nothing").isZero();
    }

    Backup.restore(archive, dataDir, dataDir.resolve("carillon.db"), true);
    try (Database db = Database.openSqlite(dataDir.resolve("carillon.db"))) {
      List<String> channels = db.withHandle(h -> h.createQuery("SELECT name FROM guild_channel").mapTo(String.class)
          .list());
      assertThat(channels).containsExactly("Hall");
    }
  }

  @Test
  void aFileThatIsNotABackupIsRefusedAndNothingIsWritten() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.zip"), "not a zip");
    Path target = dir.resolve("target");
    assertThatThrownBy(() -> Backup.restore(text, target, target.resolve("carillon.db"), false))
        .isInstanceOf(Backup.BackupException.class).hasMessageContaining("is not a Carillon backup");
    assertThat(target.resolve("carillon.db")).doesNotExist();

    Path escaping = dir.resolve("escaping.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(escaping))) {
      zip.putNextEntry(new ZipEntry("../../evil.sh"));
      zip.write("x".getBytes());
      zip.closeEntry();
    }
    assertThatThrownBy(() -> Backup.restore(escaping, target, target.resolve("carillon.db"), false))
        .isInstanceOf(Backup.BackupException.class).hasMessageContaining("points outside");
    assertThat(dir.resolve("evil.sh")).doesNotExist();
    assertThat(dir.getParent().resolve("evil.sh")).doesNotExist();
  }

  @Test
  void thereIsNothingToBackUpWithoutADatabase() {
    assertThatThrownBy(() -> Backup.write(dir.resolve("missing.db"), dir, dir.resolve("b.zip"), NOW, "test"))
        .isInstanceOf(Backup.BackupException.class).hasMessageContaining("there is no database");
    assertThat(dir.resolve("b.zip")).doesNotExist();
  }
}
