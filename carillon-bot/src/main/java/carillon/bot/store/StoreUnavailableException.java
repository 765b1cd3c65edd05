package carillon.bot.store;
import java.io.IOException;


/**
 * The store cannot take work now: its disk is full, its file cannot be written, or its PostgreSQL server
 * cannot be reached. A state, not a bug: {@link StoreHealth} says since when, and the store tells when it
 * is back. Callers answer "try again later" (HTTP 503) or keep the write for later
 * ({@link Database#writeOrDefer}).
 */
public final class StoreUnavailableException extends RuntimeException {
  StoreUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false); // a state: its stack is of no use to anyone
  }

  /**
   * Whether {@code failure} or one of its causes says the store cannot take work now: this exception, or
   * a file write the operating system refused for want of space (ENOSPC "No space left on device",
   * EDQUOT "Disk quota exceeded"), as when an upload is written under a full data directory.
   */
  public static boolean among(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StoreUnavailableException) {
        return true;
      }
      if (t instanceof IOException io && io.getMessage() != null
          && (io.getMessage().contains("No space left on device") || io.getMessage().contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
