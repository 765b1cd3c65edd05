package carillon.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link TimeSource#system()}: one daemon platform thread owns a timer queue of every pending wake-up
 * and only hands due tasks to fresh virtual threads, so a waiting loop costs a queue entry, not a
 * thread.
 */
final class SystemTimeSource implements TimeSource {
  static final SystemTimeSource INSTANCE = new SystemTimeSource(Clock.systemUTC());

  private final Clock clock;
  private final ScheduledThreadPoolExecutor timer;

  SystemTimeSource(Clock clock) {
    this.clock = clock;
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "carillon-timer");
      thread.setDaemon(true);
      return thread;
    });
    // Cancelled wake-ups (stopped loops, re-armed sleeps) leave the queue at once instead of at their time.
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public void sleepUntil(Instant deadline) throws InterruptedException {
    while (true) {
      long nanos = Duration.between(now(), deadline).toNanos();
      if (nanos <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  @Override
  public Wakeup schedule(String name, Instant at, Runnable task) {
    SystemWakeup wakeup = new SystemWakeup(name, at, task);
    wakeup.arm();
    return wakeup;
  }

  private final class SystemWakeup implements Wakeup, Runnable {
    private final String name;
    private final Instant at;
    private final Runnable task;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile ScheduledFuture<?> pending;

    SystemWakeup(String name, Instant at, Runnable task) {
      this.name = name;
      this.at = at;
      this.task = task;
    }

    void arm() {
      long nanos = Duration.between(now(), at).toNanos();
      if (nanos <= 0) {
        run();
      } else {
        pending = timer.schedule(this, nanos, TimeUnit.NANOSECONDS);
      }
    }

    /** On the timer thread: hands the task to a virtual thread, unless the wall clock is still early. */
    @Override
    public void run() {
      if (now().isBefore(at)) {
        // The timer runs on the monotonic clock; if the wall clock was set back meanwhile, wait again
        // rather than run a slot early (and, later, twice).
        arm();
        return;
      }
      if (claimed.compareAndSet(false, true)) {
        Thread.ofVirtual().name(name).start(task);
      }
    }

    @Override
    public boolean cancel() {
      if (!claimed.compareAndSet(false, true)) {
        return false;
      }
      ScheduledFuture<?> future = pending;
      if (future != null) {
        future.cancel(false);
      }
      return true;
    }
  }
}
