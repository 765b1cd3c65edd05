package carillon.tasks;

/**
 * What a loop does when an iteration runs past the time of the next one.
 *
 * <pre>{@code
 * Loop.every(Duration.ofSeconds(10)).overrun(Overrun.DELAY).build(this::poll);
 * }</pre>
 */
public enum Overrun {
  /**
   * Missed slots are skipped and the loop stays on its grid: after an iteration that took 25 s of a
   * 10 s loop started at 0 s, the next runs at 30 s. The default.
   */
  SKIP,
  /**
   * Every missed slot still runs, back to back, until the loop has caught up: 10 s, 20 s at once after
   * the 25 s iteration, then 30 s. This is what discord.py's {@code tasks.loop} does.
   */
  CATCH_UP,
  /** A fixed delay after each iteration instead of a grid: the next runs 10 s after the previous ended. */
  DELAY
}
