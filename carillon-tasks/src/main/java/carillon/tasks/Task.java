package carillon.tasks;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-off background task started by {@link TaskGroup#spawn}: it runs once on a virtual thread, its
 * group holds it until it ends, and an exception it throws is logged with its name and kept, never
 * lost.
 *
 * <pre>{@code
 * Task upload = tasks.spawn("upload " + file, () -> storage.put(file));
 * if (!upload.awaitTermination(Duration.ofSeconds(30))) {
 *   upload.cancel();
 * }
 * upload.failure().ifPresent(e -> log.warn("upload failed", e));
 * }</pre>
 */
public final class Task {
  private static final Logger log = LoggerFactory.getLogger(Task.class);

  private final String name;
  private final Body body;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  // Guarded by this.
  private TimeSource.Timer wakeup;
  private Thread thread;
  private TaskInfo.State state = TaskInfo.State.RUNNING;
  private boolean cancelRequested;
  private Throwable failure;

  Task(String name, Body body) {
    this.name = name;
    this.body = body;
  }

  synchronized void scheduleOn(TimeSource time, Runnable onEnd) {
    wakeup = time.schedule(name, time.now(), () -> run(onEnd));
    done.whenComplete((ignored, error) -> onEnd.run());
  }

  /** The name given to {@link TaskGroup#spawn}. */
  public String name() {
    return name;
  }

  /** {@link TaskInfo.State#RUNNING} until it ends, then ENDED, FAILED or CANCELLED. */
  public synchronized TaskInfo.State state() {
    return state;
  }

  /** What the task threw, if it failed. */
  public synchronized Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Interrupts the task (or keeps it from starting). A task that ignores interruption runs on. */
  public synchronized void cancel() {
    if (done.isDone()) {
      return;
    }
    cancelRequested = true;
    if (thread != null) {
      thread.interrupt();
    } else if (wakeup != null && wakeup.cancel()) {
      state = TaskInfo.State.CANCELLED;
      done.complete(null);
    }
  }

  /**
   * Waits until the task has ended.
   *
   * @return true if it ended, false if the timeout passed first
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return Completion.await(done, timeout);
  }

  CompletableFuture<Void> termination() {
    return done;
  }

  synchronized TaskInfo info() {
    return new TaskInfo(name, TaskInfo.Kind.TASK, state, Optional.empty(), 0, Optional.ofNullable(failure));
  }

  private void run(Runnable onEnd) {
    synchronized (this) {
      if (cancelRequested) {
        state = TaskInfo.State.CANCELLED;
        done.complete(null);
        return;
      }
      thread = Thread.currentThread();
    }
    Throwable error = null;
    try {
      body.run();
    } catch (Throwable t) {
      error = t;
    }
    synchronized (this) {
      thread = null;
      if (cancelRequested && (error == null || error instanceof InterruptedException)) {
        state = TaskInfo.State.CANCELLED;
      } else if (error != null) {
        state = TaskInfo.State.FAILED;
        failure = error;
      } else {
        state = TaskInfo.State.ENDED;
      }
    }
    if (error != null && state == TaskInfo.State.FAILED) {
      log.error("Task '{}' failed", name, error);
    }
    done.complete(null);
    if (error instanceof VirtualMachineError fatal) {
      throw fatal;
    }
  }

  @Override
  public String toString() {
    return "Task[" + name + "]";
  }
}
