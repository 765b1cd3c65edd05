package carillon.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@link TaskGroup#shutdown(Duration)} found: how each loop and task that was running ended, and
 * how long shutting down took.
 *
 * <pre>{@code
 * ShutdownReport report = tasks.shutdown(Duration.ofSeconds(8));
 * report.notEnded().forEach(e -> log.warn("still running at exit: {}", e.name()));
 * }</pre>
 */
public record ShutdownReport(Duration took, List<Entry> entries) {

  public ShutdownReport {
    entries = List.copyOf(entries);
  }

  /** How one loop or task ended. */
  public enum Ending {
    /** Ended by itself or by a graceful stop. */
    FINISHED,
    /** Ended by an error (see {@link Entry#error()}). */
    FAILED,
    /** Ended after being cancelled (interrupted) when the graceful wait ran out. */
    CANCELLED,
    /** Still running when the timeout ran out: it ignored the stop and the interrupt. */
    NOT_ENDED
  }

  /** One loop or task. */
  public record Entry(String name, TaskInfo.Kind kind, Ending ending, Optional<Throwable> error) {}

  /** True if everything ended within the timeout. */
  public boolean allEnded() {
    return notEnded().isEmpty();
  }

  /** The entries still running when the timeout ran out. */
  public List<Entry> notEnded() {
    return entries.stream().filter(e -> e.ending() == Ending.NOT_ENDED).toList();
  }
}
