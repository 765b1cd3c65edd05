package carillon.tasks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns an application's background work, loops and one-off tasks, so none of it is lost: every task is
 * strongly held until it ends, every failure is logged and kept, {@link #snapshot()} shows what is
 * running, and {@link #shutdown(Duration)} ends it all within a deadline.
 *
 * <pre>{@code
 * TaskGroup tasks = TaskGroup.create("carillon");
 * tasks.add(Loop.every(Duration.ofMinutes(1)).name("heartbeat").build(this::beat)).start();
 * tasks.spawn("send reminder", () -> notifier.remind(session));
 *
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> {
 *   ShutdownReport report = tasks.shutdown(Duration.ofSeconds(8));
 *   report.notEnded().forEach(e -> System.err.println("did not end: " + e.name()));
 * }));
 * }</pre>
 */
public final class TaskGroup {
  private static final Logger log = LoggerFactory.getLogger(TaskGroup.class);
  /** Ended tasks kept for {@link #snapshot()}, newest last; failures stay visible for a while. */
  private static final int RECENT_TASKS = 64;

  private final String name;
  private final TimeSource time;
  /** Owned loops in the order added; guarded by itself. */
  private final Set<Loop> loops = new LinkedHashSet<>();
  /** Running tasks in spawn order; guarded by itself. */
  private final Set<Task> running = new LinkedHashSet<>();
  private final Deque<Task> recent = new ArrayDeque<>();
  private final AtomicReference<CompletableFuture<ShutdownReport>> shutdown = new AtomicReference<>();

  private TaskGroup(String name, TimeSource time) {
    this.name = Objects.requireNonNull(name, "name");
    this.time = Objects.requireNonNull(time, "time");
  }

  /** A group whose tasks run on the system time source. */
  public static TaskGroup create(String name) {
    return new TaskGroup(name, TimeSource.system());
  }

  /** A group whose tasks run on {@code time} (a {@link ManualTimeSource} in tests). */
  public static TaskGroup create(String name, TimeSource time) {
    return new TaskGroup(name, time);
  }

  /** The group's name. */
  public String name() {
    return name;
  }

  /**
   * Takes ownership of a loop: it appears in {@link #snapshot()} and is stopped by {@link #shutdown}.
   * Does not start it.
   *
   * @return the loop, for chaining {@code .start()}
   * @throws IllegalStateException after shutdown began
   */
  public Loop add(Loop loop) {
    Objects.requireNonNull(loop, "loop");
    checkOpen("add loop '" + loop.name() + "'");
    synchronized (loops) {
      loops.add(loop);
    }
    return loop;
  }

  /**
   * Runs {@code body} once on a virtual thread of its own, holding the task until it ends. An exception
   * it throws is logged at ERROR with {@code name} and kept in {@link Task#failure()}.
   *
   * @throws IllegalStateException after shutdown began
   */
  public Task spawn(String name, Body body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    checkOpen("spawn task '" + name + "'");
    Task task = new Task(name, body);
    synchronized (running) {
      running.add(task);
    }
    task.scheduleOn(time, () -> ended(task));
    return task;
  }

  /** Every owned loop, then every running and recently ended task, with state, next run and last error. */
  public List<TaskInfo> snapshot() {
    List<TaskInfo> infos = new ArrayList<>();
    ownedLoops().forEach(loop -> infos.add(loop.info()));
    runningTasks().forEach(task -> infos.add(task.info()));
    synchronized (recent) {
      recent.forEach(task -> infos.add(task.info()));
    }
    return infos;
  }

  /** True once {@link #shutdown} has been called. */
  public boolean isShutdown() {
    return shutdown.get() != null;
  }

  /**
   * Ends everything the group owns, within {@code timeout}: stops every loop (an iteration in progress
   * finishes, after-hooks run) and waits for loops and tasks for nine tenths of the timeout, then
   * cancels (interrupts) whatever still runs and waits out the rest. Returns how each loop and task that
   * was running ended; those still running at the deadline are reported {@link ShutdownReport.Ending#NOT_ENDED}.
   *
   * <p>Idempotent and safe to call from a shutdown hook while another thread also calls it: later calls
   * wait (up to their own timeout) for the first one's report. New loops and tasks are refused from the
   * first call on. The timeout is real time, whatever the group's time source.
   */
  public ShutdownReport shutdown(Duration timeout) {
    CompletableFuture<ShutdownReport> mine = new CompletableFuture<>();
    if (!shutdown.compareAndSet(null, mine)) {
      return awaitOtherShutdown(timeout);
    }
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long graceful = start + timeout.toNanos() / 10 * 9;

    List<Loop> activeLoops = ownedLoops().stream().filter(Loop::isRunning).toList();
    List<Task> activeTasks = runningTasks();
    activeLoops.forEach(Loop::stop);
    List<CompletableFuture<Void>> ends = new ArrayList<>();
    activeLoops.forEach(loop -> ends.add(loop.termination()));
    activeTasks.forEach(task -> ends.add(task.termination()));

    if (!awaitAll(ends, graceful)) {
      activeLoops.stream().filter(Loop::isRunning).forEach(Loop::cancel);
      activeTasks.forEach(Task::cancel);
      awaitAll(ends, deadline);
    }

    List<ShutdownReport.Entry> entries = new ArrayList<>();
    for (Loop loop : activeLoops) {
      entries.add(new ShutdownReport.Entry(loop.name(), TaskInfo.Kind.LOOP, ending(loop), loop.lastError()));
    }
    for (Task task : activeTasks) {
      entries.add(new ShutdownReport.Entry(task.name(), TaskInfo.Kind.TASK, ending(task), task.failure()));
    }
    ShutdownReport report = new ShutdownReport(Duration.ofNanos(System.nanoTime() - start), entries);
    for (ShutdownReport.Entry entry : report.notEnded()) {
      log.warn("Task group '{}': {} '{}' did not end within {}", name, entry.kind().name().toLowerCase(),
          entry.name(), timeout);
    }
    log.info("Task group '{}' shut down in {} ms: {} loops, {} tasks, {} not ended", name,
        report.took().toMillis(), activeLoops.size(), activeTasks.size(), report.notEnded().size());
    mine.complete(report);
    return report;
  }

  private ShutdownReport awaitOtherShutdown(Duration timeout) {
    try {
      return shutdown.get().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for task group '" + name + "' to shut down", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("task group '" + name + "' is still shutting down after " + timeout);
    } catch (ExecutionException e) {
      throw new IllegalStateException("task group '" + name + "' failed to shut down", e.getCause());
    }
  }

  private static boolean awaitAll(List<CompletableFuture<Void>> ends, long deadlineNanos) {
    try {
      CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
          .get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      // Shutting down anyway: note the interrupt for the caller and report what ended so far.
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new AssertionError("terminations never complete exceptionally", e);
    }
  }

  private static ShutdownReport.Ending ending(Loop loop) {
    if (loop.isRunning()) {
      return ShutdownReport.Ending.NOT_ENDED;
    }
    Loop.Outcome outcome = loop.lastOutcome();
    return outcome == null ? ShutdownReport.Ending.FINISHED : switch (outcome) {
      case FINISHED -> ShutdownReport.Ending.FINISHED;
      case FAILED -> ShutdownReport.Ending.FAILED;
      case CANCELLED -> ShutdownReport.Ending.CANCELLED;
    };
  }

  private static ShutdownReport.Ending ending(Task task) {
    return switch (task.state()) {
      case ENDED -> ShutdownReport.Ending.FINISHED;
      case FAILED -> ShutdownReport.Ending.FAILED;
      case CANCELLED -> ShutdownReport.Ending.CANCELLED;
      default -> ShutdownReport.Ending.NOT_ENDED;
    };
  }

  private List<Loop> ownedLoops() {
    synchronized (loops) {
      return List.copyOf(loops);
    }
  }

  private List<Task> runningTasks() {
    synchronized (running) {
      return List.copyOf(running);
    }
  }

  private void ended(Task task) {
    synchronized (running) {
      running.remove(task);
    }
    synchronized (recent) {
      recent.addLast(task);
      if (recent.size() > RECENT_TASKS) {
        recent.removeFirst();
      }
    }
  }

  private void checkOpen(String action) {
    if (isShutdown()) {
      throw new IllegalStateException("cannot " + action + ": task group '" + name + "' is shut down");
    }
  }

  @Override
  public String toString() {
    return "TaskGroup[" + name + ", " + ownedLoops().size() + " loops, " + runningTasks().size() + " tasks running]";
  }
}
