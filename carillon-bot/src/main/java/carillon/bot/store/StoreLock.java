package carillon.bot.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Carillon process per SQLite store. Two processes on one SQLite file would each plan and play the same
 * sessions (SQLite's own locking keeps the file whole, not the schedule), so the second one is refused at
 * start. The lock is an OS file lock ({@code fcntl}) on {@code carillon.lock} in the data directory, held
 * while the process runs and released by the OS when it dies, however it dies: a lock file left behind by
 * kill -9 does not block the next start. PostgreSQL is the store for several processes.
 *
 * <p>Commands that only read or add to the store while Carillon runs ({@code admin add}, {@code backup})
 * do not take it.
 */
public final class StoreLock implements AutoCloseable {
  /** The lock file's name, in the directory of the SQLite database. */
  public static final String FILE_NAME = "carillon.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Another process (or another Carillon in this one) holds the store. */
  public static final class HeldElsewhere extends Exception {
    HeldElsewhere(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock of the SQLite store in {@code dataDir}, writing this process's id into the lock file.
   *
   * @throws HeldElsewhere naming the process that holds it, when one does
   * @throws IOException if the lock file cannot be opened
   */
  public static StoreLock acquire(Path dataDir) throws HeldElsewhere, IOException {
    Path file = PrivateFiles.file(dataDir.resolve(FILE_NAME));
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very process, by another Carillon instance
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new HeldElsewhere("another Carillon process" + holder + " is using the SQLite store in " + dataDir
          + "; one process serves one SQLite store: stop the other, or give each its own dataDir, or use "
          + "PostgreSQL (database.url) to run several processes");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
    return new StoreLock(channel, lock);
  }

  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
      return pid.matches("[0-9]+") ? " (pid " + pid + ")" : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The OS releases the lock with the process anyway; nothing to do but go on closing.
    }
  }
}
