package carillon.tasks;

import java.time.Instant;

/**
 * Where loops get the time and their wake-ups: the system clock in production, a
 * {@link ManualTimeSource} in tests.
 *
 * <p>Loops do not sleep in a thread of their own: between iterations a loop is only an entry in its
 * time source's timer, and each wake-up runs on a new virtual thread. That is why a time source
 * schedules work ({@link #schedule}) rather than only telling the time.
 *
 * <pre>{@code
 * TimeSource time = TimeSource.system();
 * Instant now = time.now();
 * time.sleepUntil(now.plusSeconds(2));                  // blocks the calling thread
 * TimeSource.Wakeup w = time.schedule("ping", now.plusSeconds(5), () -> System.out.println("ping"));
 * w.cancel();                                            // true: it will not run
 * }</pre>
 */
public interface TimeSource {

  /** The current instant. */
  Instant now();

  /**
   * Blocks the calling thread until {@link #now()} is at or after {@code deadline}.
   *
   * @throws InterruptedException if the thread is interrupted while waiting (a cancelled loop, for one)
   */
  void sleepUntil(Instant deadline) throws InterruptedException;

  /**
   * Runs {@code task} on a new virtual thread named {@code name} once {@link #now()} reaches {@code at};
   * at once if {@code at} is not in the future. The task never runs before {@code at}.
   */
  Wakeup schedule(String name, Instant at, Runnable task);

  /** A scheduled task that has not necessarily run yet. */
  interface Wakeup {
    /**
     * Prevents the task from running.
     *
     * @return true if the task had not started and now never will; false if it has started or was
     *     already cancelled
     */
    boolean cancel();
  }

  /**
   * The system clock (UTC) with one shared timer thread, created on first use; wake-ups run on virtual
   * threads.
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
