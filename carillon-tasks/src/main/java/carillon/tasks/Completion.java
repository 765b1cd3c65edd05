package carillon.tasks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a loop's run or a task to end. */
final class Completion {
  private Completion() {}

  /** True if {@code done} completed within {@code timeout}; these futures never complete exceptionally. */
  static boolean await(CompletableFuture<Void> done, Duration timeout) throws InterruptedException {
    try {
      done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new AssertionError("a completion never carries an exception", e);
    }
  }
}
