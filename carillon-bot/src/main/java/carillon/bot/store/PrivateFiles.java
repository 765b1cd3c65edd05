package carillon.bot.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Carillon's data directory and database file are readable by its own user only (0700 and 0600), whatever
 * the umask: they hold password hashes (Argon2), API token hashes and CSRF tokens. A directory or file made
 * by an earlier version with wider modes is narrowed. On a file system without POSIX permissions nothing
 * is changed.
 */
public final class PrivateFiles {
  private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Creates {@code dir} (and missing parents, with the umask's modes) or narrows it to 0700. */
  public static Path directory(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, OWNER_DIRECTORY);
    }
    return dir;
  }

  /** Creates {@code file} empty with mode 0600 if it is missing, or narrows an existing one to 0600. */
  public static Path file(Path file) throws IOException {
    if (!posix(file.toAbsolutePath().getParent())) {
      return file;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
    } catch (FileAlreadyExistsException e) {
      // An existing file keeps its content; only its mode changes.
    }
    Files.setPosixFilePermissions(file, OWNER_FILE);
    return file;
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
