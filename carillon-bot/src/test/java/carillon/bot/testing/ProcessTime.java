package carillon.bot.testing;

import carillon.tasks.ManualTimeSource;
import carillon.tasks.TimeSource;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated process's view of the test's {@link ManualTimeSource}: the same clock until the process is
 * killed; from then on none of its threads runs again, as none of a process killed with -9 does. A timer that
 * fires does nothing, and a thread that wakes from a wait parks for good.
 *
 * <p>Without it a crashed world's tasks (a play, a command lane) woke on the shared clock after the restart and
 * went on as if alive: they wrote to the store the crash had closed, and failed with a stack trace that no
 * real crash produces.
 */
final class ProcessTime implements TimeSource {
  private final ManualTimeSource clock;
  private volatile boolean killed;

  ProcessTime(ManualTimeSource clock) {
    this.clock = clock;
  }

  /** The process dies: its threads stop where they wait now. */
  void kill() {
    killed = true;
  }

  @Override
  public Instant now() {
    return clock.now();
  }

  @Override
  public void sleepUntil(Instant deadline) throws InterruptedException {
    clock.sleepUntil(deadline);
    parkIfKilled();
  }

  @Override
  public boolean await(CompletableFuture<?> future, Instant deadline) throws InterruptedException {
    boolean done = clock.await(future, deadline);
    parkIfKilled();
    return done;
  }

  @Override
  public Timer timer(String name, Runnable task) {
    return clock.timer(name, () -> {
      if (!killed) {
        task.run();
      }
    });
  }

  /** A dead process's thread waits on the clock for ever, counted as waiting, so the clock still settles. */
  private void parkIfKilled() {
    while (killed) {
      try {
        clock.sleepUntil(Instant.MAX);
      } catch (InterruptedException e) {
        // Nothing wakes the thread of a dead process.
      }
    }
  }
}
