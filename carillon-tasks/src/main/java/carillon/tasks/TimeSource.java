package carillon.tasks;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Where loops get the time and their wake-ups: the system clock in production, a
 * {@link ManualTimeSource} in tests.
 *
 * <p>Loops do not sleep in a thread of their own: between iterations a loop is only an armed
 * {@link Timer} of its time source, and each firing runs on a new virtual thread. That is why a time
 * source schedules work, not only tells the time.
 *
 * <pre>{@code
 * TimeSource time = TimeSource.system();
 * Instant now = time.now();
 * time.sleepUntil(now.plusSeconds(2));                       // blocks the calling thread
 * TimeSource.Timer ping = time.timer("ping", () -> System.out.println("ping"));
 * ping.arm(now.plusSeconds(5));                              // fires once, in 5 s
 * ping.cancel();                                             // true: it will not fire
 * time.schedule("once", now.plusSeconds(1), () -> System.out.println("once"));
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
   * Waits until {@code future} completes (normally or not) or {@link #now()} reaches {@code deadline},
   * whichever comes first. Use it instead of {@code future.get(timeout)} in code that runs on a time
   * source, so that a {@link ManualTimeSource} counts the thread as waiting rather than busy.
   *
   * @return true if the future completed, false if the deadline came first
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  boolean await(CompletableFuture<?> future, Instant deadline) throws InterruptedException;

  /**
   * A reusable timer that runs {@code task} on a new virtual thread named {@code name} each time it
   * fires. It fires once per {@link Timer#arm}. A loop keeps one timer for its whole run, so a waiting
   * loop costs no allocation per iteration.
   */
  Timer timer(String name, Runnable task);

  /** Runs {@code task} once, on a new virtual thread, when {@link #now()} reaches {@code at}. */
  default Timer schedule(String name, Instant at, Runnable task) {
    Timer timer = timer(name, task);
    timer.arm(at);
    return timer;
  }

  /** A wake-up that can be armed, cancelled and armed again. */
  interface Timer {
    /**
     * Makes the timer fire once at {@code at} (at once if that is not in the future), replacing an
     * arming that has not fired yet. The task never runs before {@code at}. Arming from inside the task
     * schedules the next firing.
     */
    void arm(Instant at);

    /**
     * Disarms the timer.
     *
     * @return true if it was armed and now will not fire; false if it was not armed, or its firing has
     *     already begun
     */
    boolean cancel();
  }

  /**
   * The system clock (UTC) with one shared timer thread, created on first use; firings run on virtual
   * threads.
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
