package carillon.tasks;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of a {@link TaskGroup#snapshot()}: a loop or a background task, what it is doing, when it
 * runs next and how it last failed.
 *
 * <pre>{@code
 * for (TaskInfo task : tasks.snapshot()) {
 *   System.out.printf("%-20s %-8s next %s%n", task.name(), task.state(), task.nextRun().orElse(null));
 * }
 * }</pre>
 *
 * @param iterations successful iterations of a loop's current or last run; 0 for a task
 */
public record TaskInfo(
    String name, Kind kind, State state, Optional<Instant> nextRun, int iterations, Optional<Throwable> lastError) {

  /** A {@link Loop} or a task from {@link TaskGroup#spawn}. */
  public enum Kind { LOOP, TASK }

  /** What it is doing now. */
  public enum State {
    /** A loop that has not been started (or was added stopped). */
    IDLE,
    /** A loop between iterations. */
    WAITING,
    /** Running: a loop's hook or body, or a task. */
    RUNNING,
    /** A loop whose run is ending (its after-hook). */
    STOPPING,
    /** Ended normally (a loop stopped or at its count; a task returned). */
    ENDED,
    /** Ended by an error. */
    FAILED,
    /** Ended by cancellation. */
    CANCELLED
  }
}
