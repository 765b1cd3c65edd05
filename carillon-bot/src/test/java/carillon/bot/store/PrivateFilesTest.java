package carillon.bot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir Path dir;

  @Test
  void aNewDataDirectoryIsTheOwnersOnlyAndAnOldWideOneIsNarrowed() throws Exception {
    Path fresh = PrivateFiles.directory(dir.resolve("a/data"));
    assertThat(mode(fresh)).isEqualTo("rwx------");

    Path old = Files.createDirectory(dir.resolve("old"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    PrivateFiles.directory(old);
    assertThat(mode(old)).isEqualTo("rwx------");
  }

  @Test
  void aFileIsCreatedPrivateAndAnExistingOneKeepsItsContentButLosesOtherReaders() throws Exception {
    Path fresh = PrivateFiles.file(dir.resolve("new.db"));
    assertThat(mode(fresh)).isEqualTo("rw-------");
    assertThat(Files.size(fresh)).isZero();

    Path old = Files.writeString(dir.resolve("old.db"), "kept");
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
    PrivateFiles.file(old);
    assertThat(mode(old)).isEqualTo("rw-------");
    assertThat(Files.readString(old)).isEqualTo("kept");
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
