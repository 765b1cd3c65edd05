package carillon.bot.backup;

import carillon.bot.store.PrivateFiles;
import carillon.bot.store.StoreLock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * {@code carillon backup} and {@code carillon restore} for the SQLite store: one zip file with a consistent
 * copy of the database and the audio files it refers to, made while Carillon runs.
 *
 * <p>The database is copied with SQLite's {@code VACUUM INTO} (a transactionally consistent snapshot that
 * other connections may keep writing beside, https://sqlite.org/lang_vacuum.html#vacuuminto) before the
 * audio files are listed. Audio files are stored under their content hash and never change, so every file
 * the snapshot refers to is already there; one imported after the snapshot is copied too, harmlessly.
 *
 * <p>Layout: {@code backup.properties} (format, Carillon version, time), {@code carillon.db},
 * {@code audio/…} (the data directory's {@code audio} folder, without imports in progress).
 */
public final class Backup {
  /** The archive format this code writes and reads. */
  static final String FORMAT = "carillon-backup-1";
  static final String DATABASE_ENTRY = "carillon.db";
  static final String MANIFEST_ENTRY = "backup.properties";
  static final String AUDIO = "audio";

  private Backup() {}

  /** What a restore did: the database file written and how many audio files. */
  public record Restored(Path database, int audioFiles, String createdAt) {}

  /** A backup that cannot be made or restored; the message says why and what to do. */
  public static final class BackupException extends Exception {
    BackupException(String message) {
      super(message);
    }

    BackupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Writes a backup of the SQLite database {@code sqliteFile} and of {@code dataDir/audio} to
   * {@code archive} (replaced if it exists; written beside it first, so a failed backup leaves no half file).
   *
   * @return the number of audio files in the backup
   * @throws BackupException if the database does not exist or cannot be read
   */
  public static int write(Path sqliteFile, Path dataDir, Path archive, Instant now, String version)
      throws BackupException, IOException {
    if (!Files.isRegularFile(sqliteFile)) {
      throw new BackupException("there is no database at " + sqliteFile + " to back up (dataDir or database.url "
          + "point elsewhere?)");
    }
    Path absolute = archive.toAbsolutePath();
    Path snapshot = Files.createTempFile(absolute.getParent(), ".carillon-db-", ".tmp");
    Path partial = Files.createTempFile(absolute.getParent(), ".carillon-backup-", ".tmp");
    try {
      Files.delete(snapshot); // VACUUM INTO wants to create the file itself
      try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile.toAbsolutePath());
           Statement statement = connection.createStatement()) {
        statement.execute("VACUUM INTO '" + snapshot.toString().replace("'", "''") + "'");
      } catch (SQLException e) {
        throw new BackupException("the database " + sqliteFile + " could not be copied: " + e.getMessage(), e);
      }
      int audioFiles;
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
        Properties manifest = new Properties();
        manifest.setProperty("format", FORMAT);
        manifest.setProperty("carillonVersion", version);
        manifest.setProperty("createdAt", now.toString());
        zip.putNextEntry(new ZipEntry(MANIFEST_ENTRY));
        manifest.store(zip, "Carillon backup");
        zip.closeEntry();
        addFile(zip, DATABASE_ENTRY, snapshot);
        audioFiles = addAudio(zip, dataDir.resolve(AUDIO));
      }
      PrivateFiles.file(partial);
      Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return audioFiles;
    } finally {
      Files.deleteIfExists(snapshot);
      Files.deleteIfExists(partial);
    }
  }

  /**
   * Restores {@code archive} into {@code dataDir} (audio) and {@code sqliteFile} (the database). Carillon
   * must not be running on that data directory.
   *
   * @param force replace what is there; without it a data directory that holds anything is refused
   * @throws BackupException if the archive is not a Carillon backup, or the target is not empty without force
   */
  public static Restored restore(Path archive, Path dataDir, Path sqliteFile, boolean force)
      throws BackupException, IOException {
    if (!Files.isRegularFile(archive)) {
      throw new BackupException("there is no backup file " + archive);
    }
    if (!force && (hasContent(dataDir) || Files.exists(sqliteFile))) {
      throw new BackupException("the data directory " + dataDir + " is not empty; restore into an empty one, or add "
          + "--force to replace what is there (stop Carillon first)");
    }
    PrivateFiles.directory(dataDir);
    Path staging = Files.createTempDirectory(dataDir, ".restore-");
    try {
      Properties manifest = new Properties();
      int audioFiles = 0;
      try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
          if (entry.isDirectory()) {
            continue;
          }
          Path target = staging.resolve(entry.getName()).normalize();
          if (!target.startsWith(staging) || entry.getName().startsWith("/")) {
            throw new BackupException(archive + " is not a Carillon backup: the entry '" + entry.getName()
                + "' points outside the data directory");
          }
          if (entry.getName().equals(MANIFEST_ENTRY)) {
            manifest.load(zip);
            continue;
          }
          Files.createDirectories(target.getParent());
          copy(zip, target);
          if (entry.getName().startsWith(AUDIO + "/")) {
            audioFiles++;
          }
        }
      } catch (ZipException e) {
        throw new BackupException(archive + " is not a Carillon backup (not a readable zip file: " + e.getMessage() + ")",
            e);
      }
      if (!FORMAT.equals(manifest.getProperty("format")) || !Files.isRegularFile(staging.resolve(DATABASE_ENTRY))) {
        throw new BackupException(archive + " is not a Carillon backup (no " + MANIFEST_ENTRY + " of format " + FORMAT
            + " with a " + DATABASE_ENTRY + ")");
      }
      Path audio = dataDir.resolve(AUDIO);
      if (force) {
        PrivateFiles.deleteTree(audio);
      }
      if (Files.isDirectory(staging.resolve(AUDIO))) {
        Files.move(staging.resolve(AUDIO), audio, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.createDirectories(sqliteFile.toAbsolutePath().getParent());
      for (String suffix : List.of("-wal", "-shm")) {
        Files.deleteIfExists(Path.of(sqliteFile + suffix)); // a stale WAL would be replayed onto the restored file
      }
      Files.move(staging.resolve(DATABASE_ENTRY), sqliteFile, StandardCopyOption.REPLACE_EXISTING);
      PrivateFiles.file(sqliteFile);
      return new Restored(sqliteFile, audioFiles, manifest.getProperty("createdAt", "unknown"));
    } finally {
      PrivateFiles.deleteTree(staging);
    }
  }

  private static int addAudio(ZipOutputStream zip, Path audioDir) throws IOException {
    if (!Files.isDirectory(audioDir)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(audioDir)) {
      files = walk.filter(Files::isRegularFile)
          .filter(f -> !audioDir.relativize(f).startsWith("incoming")) // imports in progress
          .sorted().toList();
    }
    for (Path file : files) {
      addFile(zip, AUDIO + "/" + audioDir.relativize(file).toString().replace('\\', '/'), file);
    }
    return files.size();
  }

  private static void addFile(ZipOutputStream zip, String name, Path file) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    Files.copy(file, zip);
    zip.closeEntry();
  }

  private static void copy(InputStream in, Path target) throws IOException {
    try (OutputStream out = Files.newOutputStream(target)) {
      in.transferTo(out);
    }
  }

  private static boolean hasContent(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      // The store's lock file holds nothing: restore takes it itself, so that no Carillon runs meanwhile.
      return entries.anyMatch(entry -> !entry.getFileName().toString().equals(StoreLock.FILE_NAME));
    }
  }
}
