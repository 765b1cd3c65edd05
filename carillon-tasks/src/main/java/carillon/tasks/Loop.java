package carillon.tasks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop: runs a body on a cadence (every interval, at times of day, or on any
 * {@link Schedule}), with before and after hooks, retries with backoff for expected failures, and no
 * way to die silently.
 *
 * <p>Coming from discord.py's {@code discord.ext.tasks}: {@code @tasks.loop(seconds=5, count=3)} is
 * {@code Loop.every(Duration.ofSeconds(5)).count(3).build(body)}; {@code before_loop},
 * {@code after_loop} and {@code error} are builder hooks; {@code start}, {@code stop}, {@code cancel},
 * {@code restart}, {@code is_running}, {@code current_loop}, {@code next_iteration} and
 * {@code change_interval} are methods of the same names. docs/tasks.md lists where behaviour differs.
 *
 * <pre>{@code
 * Loop printer = Loop.every(Duration.ofSeconds(5))
 *     .name("printer")
 *     .count(5)
 *     .beforeLoop(jda::awaitReady)
 *     .afterLoop(() -> System.out.println("done!"))
 *     .build(() -> System.out.println(index++));
 * printer.start();
 * ...
 * printer.cancel();
 * }</pre>
 *
 * <h2>How a run goes</h2>
 * {@link #start()} begins a <em>run</em> on a virtual thread: the before-hook, then iterations, then the
 * after-hook, which always runs once the run began, whatever ended it. An interval loop's first
 * iteration runs as soon as the before-hook returns and later ones on a fixed-rate grid anchored there;
 * a schedule loop's iterations run at its schedule's instants. Between iterations the loop holds no
 * thread, only a wake-up in its {@link TimeSource}. Two bodies of one loop never run at once.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>A <em>handled</em> exception from the body ({@link IOException}, {@link UncheckedIOException}
 *       and {@link TimeoutException} unless changed) is logged with the loop's name and the iteration is
 *       retried after a capped exponential backoff with jitter; a success resets the backoff. Failed
 *       attempts do not count towards {@link Builder#count}. With {@link Builder#reconnect}{@code (false)}
 *       handled exceptions are treated as unhandled.</li>
 *   <li>Any other exception or error from the body, and any exception from the before-hook, goes to the
 *       error hook (by default: logged at ERROR), the after-hook runs, the loop ends and
 *       {@link #failed()} is true.</li>
 * </ul>
 */
public final class Loop {
  private static final Logger log = LoggerFactory.getLogger(Loop.class);
  private static final List<Class<? extends Throwable>> DEFAULT_HANDLED =
      List.of(IOException.class, UncheckedIOException.class, TimeoutException.class);

  /** How a run ended. */
  enum Outcome { FINISHED, FAILED, CANCELLED }

  private enum Phase { STARTING, BEFORE, WAITING, ITERATING, ENDING }

  private static final long NONE = Long.MIN_VALUE;

  private static long nanos(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  private static long nanosOrNone(Optional<Instant> instant) {
    return instant.isPresent() ? nanos(instant.get()) : NONE;
  }

  private final String name;
  private final Body body;
  private final Hook beforeLoop;
  private final Hook afterLoop;
  private final ErrorHook errorHook;
  private final TimeSource time;
  private final int count;
  private final boolean reconnect;
  private final Overrun overrun;
  private final Backoff backoff;

  // Guarded by this.
  private Cadence cadence;
  private List<Class<? extends Throwable>> handled;
  private Run run;
  private int completed;
  private Outcome lastOutcome;
  private Throwable lastError;
  private boolean restartPending;

  private Loop(Builder builder, Body body) {
    this.name = builder.name != null ? builder.name : "loop@" + Integer.toHexString(System.identityHashCode(this));
    this.body = Objects.requireNonNull(body, "body");
    this.beforeLoop = builder.beforeLoop;
    this.afterLoop = builder.afterLoop;
    this.errorHook = builder.errorHook;
    this.time = builder.time;
    this.count = builder.count;
    this.reconnect = builder.reconnect;
    this.overrun = builder.overrun;
    this.backoff = builder.backoff;
    this.cadence = builder.cadence;
    this.handled = List.copyOf(builder.handled);
  }

  /** A loop whose iterations run every {@code interval}, the first at once. */
  public static Builder every(Duration interval) {
    return new Builder(new Cadence.Every(Objects.requireNonNull(interval, "interval")));
  }

  /** A loop whose iterations run every day at {@code times} in {@code zone}. */
  public static Builder daily(ZoneId zone, LocalTime... times) {
    return on(Schedule.daily(zone, times));
  }

  /** A loop whose iterations run at the instants of {@code schedule}; it ends when the schedule does. */
  public static Builder on(Schedule schedule) {
    return new Builder(new Cadence.On(Objects.requireNonNull(schedule, "schedule")));
  }

  /** The loop's name, used in logs, thread names and task reports. */
  public String name() {
    return name;
  }

  /**
   * Starts a run: the before-hook, then iterations, on virtual threads.
   *
   * @throws IllegalStateException if a run is in progress or still finishing (its after-hook); stop or
   *     cancel it and {@link #awaitTermination} first, or use {@link #restart()}
   */
  public synchronized void start() {
    if (run != null) {
      throw new IllegalStateException("loop '" + name + "' is already running"
          + (run.phase == Phase.ENDING
              ? " and still finishing; call awaitTermination() before starting it again, or use restart()"
              : "; stop() or cancel() it first, or use restart()"));
    }
    Run started = new Run();
    run = started;
    completed = 0;
    lastOutcome = null;
    lastError = null;
    started.timer = time.timer(name, () -> wake(started));
    started.timer.arm(time.now());
  }

  /**
   * Asks the loop to end gracefully: if it is waiting for its next iteration it ends at once; an
   * iteration in progress finishes first. No further iteration starts. The after-hook runs, with
   * {@link #isBeingCancelled()} false. Does nothing if the loop is not running.
   */
  public synchronized void stop() {
    Run current = run;
    if (current == null || current.phase == Phase.ENDING) {
      return;
    }
    current.stopRequested = true;
    endIfWaiting(current, Outcome.FINISHED);
  }

  /**
   * Ends the loop now: interrupts an iteration or before-hook in progress, or ends the wait for the next
   * iteration. The after-hook runs with {@link #isBeingCancelled()} true. Does nothing if the loop is not
   * running.
   */
  public synchronized void cancel() {
    Run current = run;
    if (current == null || current.phase == Phase.ENDING) {
      return;
    }
    current.cancelRequested = true;
    if (!endIfWaiting(current, Outcome.CANCELLED) && current.interruptible != null) {
      current.interruptible.interrupt();
    }
  }

  /**
   * Cancels the running loop and starts it again once the run has ended (both hooks run again). Does
   * nothing if the loop is not running, as in discord.py.
   */
  public synchronized void restart() {
    if (run == null) {
      return;
    }
    restartPending = true;
    cancel();
  }

  /**
   * Runs the body once, now, on the calling thread, outside the loop's schedule and count; what it
   * throws is thrown here.
   */
  public void call() throws Exception {
    body.run();
  }

  /** True from {@link #start()} until the run has ended, after-hook included. */
  public synchronized boolean isRunning() {
    return run != null;
  }

  /** True from {@link #cancel()} until the cancelled run has ended: the after-hook can tell why it runs. */
  public synchronized boolean isBeingCancelled() {
    return run != null && run.cancelRequested;
  }

  /** True if the last run ended with an error (from the body, a hook, or a handled error without reconnect). */
  public synchronized boolean failed() {
    return lastOutcome == Outcome.FAILED;
  }

  /** The error that ended the last run, if it failed. */
  public synchronized Optional<Throwable> lastError() {
    return Optional.ofNullable(lastError);
  }

  /**
   * Successful iterations of the current run, or of the last one once it ended (discord.py resets it to
   * 0 instead). Inside the body it is the number of iterations finished before this one.
   */
  public synchronized int currentLoop() {
    return completed;
  }

  /**
   * When the next iteration will run: while waiting, the instant of its wake-up (a retry's, after a
   * handled error); while an iteration runs, the slot after it on the cadence. Empty when the loop is
   * not running, in its before-hook, ending, or at the end of its schedule.
   */
  public synchronized Optional<Instant> nextIteration() {
    return run == null || run.nextAt == NONE ? Optional.empty() : Optional.of(instant(run.nextAt));
  }

  /**
   * Makes this an interval loop with the new interval. A loop waiting for its next iteration is re-armed
   * at once: its next iteration runs one new interval after the previous one (now, if that has passed).
   */
  public synchronized void changeInterval(Duration interval) {
    changeCadence(new Cadence.Every(Objects.requireNonNull(interval, "interval")));
  }

  /** Makes this loop run on {@code schedule}. A loop waiting for its next iteration is re-armed at once. */
  public synchronized void changeSchedule(Schedule schedule) {
    changeCadence(new Cadence.On(Objects.requireNonNull(schedule, "schedule")));
  }

  /** Adds exception types that are retried with backoff rather than ending the loop. */
  @SafeVarargs
  public final synchronized void addExceptionType(Class<? extends Throwable>... types) {
    List<Class<? extends Throwable>> updated = new ArrayList<>(handled);
    for (Class<? extends Throwable> type : types) {
      Objects.requireNonNull(type, "exception type");
      if (!updated.contains(type)) {
        updated.add(type);
      }
    }
    handled = List.copyOf(updated);
  }

  /**
   * Removes exception types from the handled ones.
   *
   * @return true if every one of them was handled before (and now is not)
   */
  @SafeVarargs
  public final synchronized boolean removeExceptionType(Class<? extends Throwable>... types) {
    List<Class<? extends Throwable>> updated = new ArrayList<>(handled);
    boolean all = true;
    for (Class<? extends Throwable> type : types) {
      all &= updated.remove(type);
    }
    handled = List.copyOf(updated);
    return all;
  }

  /** Handles no exception type: every exception from the body ends the loop. */
  public synchronized void clearExceptionTypes() {
    handled = List.of();
  }

  /** The exception types currently retried with backoff. */
  public synchronized List<Class<? extends Throwable>> exceptionTypes() {
    return handled;
  }

  /**
   * Waits until the current run has ended, after-hook included.
   *
   * @return true if it ended (or none was running), false if the timeout passed first
   * @throws IllegalStateException if called from the loop's own body or hooks, which would wait forever
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    CompletableFuture<Void> done;
    synchronized (this) {
      if (run == null) {
        return true;
      }
      if (run.thread == Thread.currentThread()) {
        throw new IllegalStateException("loop '" + name + "' cannot await its own termination from its body or hooks");
      }
      done = run.done;
    }
    return Completion.await(done, timeout);
  }

  @Override
  public String toString() {
    return "Loop[" + name + "]";
  }

  // ---- package-private views for TaskGroup

  synchronized CompletableFuture<Void> termination() {
    return run == null ? CompletableFuture.completedFuture(null) : run.done;
  }

  synchronized TaskInfo info() {
    TaskInfo.State state;
    if (run != null) {
      state = switch (run.phase) {
        case STARTING, BEFORE, ITERATING -> TaskInfo.State.RUNNING;
        case WAITING -> TaskInfo.State.WAITING;
        case ENDING -> TaskInfo.State.STOPPING;
      };
    } else if (lastOutcome == null) {
      state = TaskInfo.State.IDLE;
    } else {
      state = switch (lastOutcome) {
        case FINISHED -> TaskInfo.State.ENDED;
        case FAILED -> TaskInfo.State.FAILED;
        case CANCELLED -> TaskInfo.State.CANCELLED;
      };
    }
    return new TaskInfo(name, TaskInfo.Kind.LOOP, state, nextIteration(), completed, Optional.ofNullable(lastError));
  }

  synchronized Outcome lastOutcome() {
    return lastOutcome;
  }

  /** The slot of the iteration running now (a retry keeps its slot); for measuring lateness. */
  synchronized Optional<Instant> currentSlot() {
    return run == null || run.phase != Phase.ITERATING ? Optional.empty() : Optional.of(instant(run.slot));
  }

  // ---- the run

  /** One run, from start() to the end of the after-hook. */
  private static final class Run {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    Phase phase = Phase.STARTING;
    /** The run's one timer: it wakes the run to begin, to iterate, and to finish after a stop or cancel. */
    TimeSource.Timer timer;
    /** How the run ends when its timer wakes it in {@link Phase#ENDING}. */
    Outcome pendingEnd;
    /** The thread running a phase of this run, if any. */
    Thread thread;
    /** The thread to interrupt on cancel: set only while the before-hook or the body runs. */
    Thread interruptible;
    // Instants as epoch nanoseconds (NONE when absent): a waiting loop then keeps no short-lived
    // objects reachable, which keeps young collections cheap with many loops.
    /** The slot of the iteration running or waited for; a retry keeps its slot. */
    long slot = NONE;
    /** The slot of the last iteration that ran, successfully or not. */
    long previousSlot = NONE;
    long nextAt = NONE;
    boolean retrying;
    int failuresInRow;
    boolean stopRequested;
    boolean cancelRequested;
  }

  /** Ends a run that is waiting for its timer; false if it is not waiting (or the timer already fired). */
  private boolean endIfWaiting(Run current, Outcome outcome) {
    if ((current.phase == Phase.STARTING || current.phase == Phase.WAITING) && current.timer.cancel()) {
      endSoon(current, outcome);
      return true;
    }
    return false;
  }

  /** Wakes the run at once to finish (the after-hook runs on a thread of its own). Lock held. */
  private void endSoon(Run current, Outcome outcome) {
    current.phase = Phase.ENDING;
    current.pendingEnd = outcome;
    current.nextAt = NONE;
    current.timer.arm(time.now());
  }

  /** The run's timer fired: do what the run is waiting for. */
  private void wake(Run current) {
    Phase phase;
    Outcome pendingEnd;
    synchronized (this) {
      phase = current.phase;
      pendingEnd = current.pendingEnd;
    }
    switch (phase) {
      case STARTING -> begin(current);
      case WAITING -> iterate(current);
      case ENDING -> finish(current, pendingEnd, null);
      case BEFORE, ITERATING -> throw new AssertionError("loop '" + name + "' woken while in " + phase);
    }
  }

  private void begin(Run current) {
    Outcome endedBeforeBeginning = null;
    synchronized (this) {
      if (current.cancelRequested || current.stopRequested) {
        current.phase = Phase.ENDING;
        endedBeforeBeginning = current.cancelRequested ? Outcome.CANCELLED : Outcome.FINISHED;
      } else {
        current.phase = Phase.BEFORE;
        current.thread = Thread.currentThread();
        current.interruptible = current.thread;
      }
    }
    if (endedBeforeBeginning != null) {
      finish(current, endedBeforeBeginning, null);
      return;
    }
    Throwable error = null;
    if (beforeLoop != null) {
      try {
        beforeLoop.run();
      } catch (Throwable t) {
        error = t;
      }
    }
    Outcome end = null;
    synchronized (this) {
      current.interruptible = null;
      if (current.cancelRequested) {
        end = Outcome.CANCELLED;
      } else if (error != null) {
        end = Outcome.FAILED;
      } else if (current.stopRequested) {
        end = Outcome.FINISHED;
      } else {
        Optional<Instant> first = cadence.first(time.now());
        if (first.isEmpty()) {
          end = Outcome.FINISHED;
        } else {
          arm(current, first.get(), false);
        }
      }
    }
    if (end != null) {
      finish(current, end, end == Outcome.FAILED ? error : null);
    }
    rethrowIfFatal(error);
  }

  /** Waits (without a thread) until {@code at}, then iterates. Called with the lock held. */
  private void arm(Run current, Instant at, boolean retry) {
    current.phase = Phase.WAITING;
    current.thread = null;
    current.retrying = retry;
    if (!retry) {
      current.slot = nanos(at);
    }
    current.nextAt = nanos(at);
    current.timer.arm(at);
  }

  private void iterate(Run current) {
    Outcome endedWhileWaking = null;
    synchronized (this) {
      if (current.phase != Phase.WAITING) {
        return; // ended while this wake-up was being handed over
      }
      if (current.cancelRequested || current.stopRequested) {
        current.phase = Phase.ENDING;
        endedWhileWaking = current.cancelRequested ? Outcome.CANCELLED : Outcome.FINISHED;
      } else {
        current.phase = Phase.ITERATING;
        current.thread = Thread.currentThread();
        current.interruptible = current.thread;
        current.previousSlot = current.slot;
        current.nextAt = nanosOrNone(cadence.after(instant(current.slot)));
      }
    }
    if (endedWhileWaking != null) {
      finish(current, endedWhileWaking, null);
      return;
    }
    Throwable error = null;
    try {
      body.run();
    } catch (Throwable t) {
      error = t;
    }
    Instant endedAt = time.now();
    Outcome end = null;
    Throwable fatal = null;
    synchronized (this) {
      current.interruptible = null;
      if (error == null) {
        completed++;
        current.failuresInRow = 0;
        if (current.cancelRequested) {
          end = Outcome.CANCELLED;
        } else if (count > 0 && completed >= count) {
          end = Outcome.FINISHED;
        } else if (current.stopRequested) {
          end = Outcome.FINISHED;
        } else {
          Optional<Instant> next = cadence.next(instant(current.slot), endedAt, overrun);
          if (next.isEmpty()) {
            end = Outcome.FINISHED;
          } else {
            arm(current, next.get(), false);
          }
        }
      } else if (current.cancelRequested) {
        end = Outcome.CANCELLED; // whatever the body threw on its way out of an interruption
      } else if (reconnect && isHandled(error)) {
        current.failuresInRow++;
        Duration delay = backoff.delay(current.failuresInRow);
        log.warn("Loop '{}' iteration failed ({}); retry {} in {} ms", name, error, current.failuresInRow,
            delay.toMillis());
        if (current.stopRequested) {
          end = Outcome.FINISHED;
        } else {
          arm(current, endedAt.plus(delay), true);
        }
      } else {
        end = Outcome.FAILED;
        fatal = error;
      }
    }
    if (end != null) {
      finish(current, end, fatal);
    }
    rethrowIfFatal(error);
  }

  private void finish(Run current, Outcome outcome, Throwable error) {
    synchronized (this) {
      current.phase = Phase.ENDING;
      current.nextAt = NONE;
      current.interruptible = null;
      current.thread = Thread.currentThread();
    }
    // A cancel's interrupt was meant for the body; the after-hook must be able to block (a final flush).
    Thread.interrupted();
    if (error != null) {
      reportError(error);
    }
    Throwable failure = error;
    if (afterLoop != null) {
      try {
        afterLoop.run();
      } catch (Throwable t) {
        reportError(t);
        outcome = Outcome.FAILED;
        failure = failure == null ? t : failure;
      }
    }
    synchronized (this) {
      lastOutcome = outcome;
      lastError = failure;
      run = null;
      current.thread = null;
      if (restartPending) {
        restartPending = false;
        start();
      }
    }
    current.done.complete(null);
  }

  private void reportError(Throwable error) {
    if (errorHook == null) {
      log.error("Loop '{}' stopped by an unhandled error", name, error);
      return;
    }
    log.warn("Loop '{}' stopped by an unhandled error: {}", name, error.toString());
    try {
      errorHook.onError(error);
    } catch (Throwable hookError) {
      hookError.addSuppressed(error);
      log.error("Loop '{}': its error hook threw while handling an error (suppressed below)", name, hookError);
    }
  }

  private boolean isHandled(Throwable error) {
    for (Class<? extends Throwable> type : handled) {
      if (type.isInstance(error)) {
        return true;
      }
    }
    return false;
  }

  private void changeCadence(Cadence updated) {
    cadence = updated;
    Run current = run;
    if (current == null) {
      return;
    }
    if (current.phase == Phase.ITERATING) {
      current.nextAt = nanosOrNone(cadence.after(instant(current.slot)));
    } else if (current.phase == Phase.WAITING && !current.retrying && current.timer.cancel()) {
      Instant previous = current.previousSlot == NONE ? null : instant(current.previousSlot);
      Optional<Instant> at = cadence.rearm(previous, time.now());
      if (at.isPresent()) {
        arm(current, at.get(), false);
      } else {
        endSoon(current, Outcome.FINISHED);
      }
    }
  }

  /** The JVM's own failures (out of memory, stack overflow) are recorded above, then left to propagate. */
  private static void rethrowIfFatal(Throwable error) {
    if (error instanceof VirtualMachineError fatal) {
      throw fatal;
    }
  }

  /**
   * Configures a {@link Loop}; every setting has a default, so {@code Loop.every(d).build(body)} is a
   * complete loop.
   *
   * <pre>{@code
   * Loop sync = Loop.every(Duration.ofMinutes(5))
   *     .name("batch-update")
   *     .handle(SQLTransientConnectionException.class)   // retried like I/O errors
   *     .backoff(Duration.ofSeconds(2), Duration.ofMinutes(2))
   *     .onError(e -> alert(e))
   *     .build(this::batchUpdate);
   * }</pre>
   */
  public static final class Builder {
    private final Cadence cadence;
    private String name;
    private int count;
    private boolean reconnect = true;
    private Overrun overrun = Overrun.SKIP;
    private TimeSource time = TimeSource.system();
    private final List<Class<? extends Throwable>> handled = new ArrayList<>(DEFAULT_HANDLED);
    private Backoff backoff = Backoff.DEFAULT;
    private Hook beforeLoop;
    private Hook afterLoop;
    private ErrorHook errorHook;

    private Builder(Cadence cadence) {
      this.cadence = cadence;
    }

    /** The loop's name for logs and reports. Default: {@code loop@} and a hash. */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("loop name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Ends the loop after this many successful iterations. Default: runs until stopped. */
    public Builder count(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("loop count must be at least 1, was " + count);
      }
      this.count = count;
      return this;
    }

    /** Whether handled exceptions are retried with backoff (default true) or end the loop. */
    public Builder reconnect(boolean reconnect) {
      this.reconnect = reconnect;
      return this;
    }

    /** What to do when an iteration runs past the next slot. Default {@link Overrun#SKIP}. */
    public Builder overrun(Overrun overrun) {
      this.overrun = Objects.requireNonNull(overrun, "overrun");
      return this;
    }

    /** The clock and timer. Default {@link TimeSource#system()}; a {@link ManualTimeSource} in tests. */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "timeSource");
      return this;
    }

    /**
     * Adds exception types to retry with backoff, besides the defaults ({@link IOException},
     * {@link UncheckedIOException}, {@link TimeoutException}).
     */
    @SafeVarargs
    public final Builder handle(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, "exception type");
        if (!handled.contains(type)) {
          handled.add(type);
        }
      }
      return this;
    }

    /** Retries exactly these exception types, without the defaults. */
    @SafeVarargs
    public final Builder handleOnly(Class<? extends Throwable>... types) {
      handled.clear();
      return handle(types);
    }

    /**
     * The backoff between retries of handled exceptions: the k-th retry in a row waits a random time
     * between half and all of {@code min(max, initial * 2^(k-1))}. Default 1 s, capped at 5 min.
     */
    public Builder backoff(Duration initial, Duration max) {
      this.backoff = new Backoff(initial, max);
      return this;
    }

    /** Runs once before the first iteration (for instance {@code jda::awaitReady}). */
    public Builder beforeLoop(Hook hook) {
      this.beforeLoop = Objects.requireNonNull(hook, "beforeLoop");
      return this;
    }

    /** Runs once when a run ends, however it ends. */
    public Builder afterLoop(Hook hook) {
      this.afterLoop = Objects.requireNonNull(hook, "afterLoop");
      return this;
    }

    /** Receives the error that ends the loop, instead of the default ERROR log line. */
    public Builder onError(ErrorHook hook) {
      this.errorHook = Objects.requireNonNull(hook, "onError");
      return this;
    }

    /** The loop, not yet started. */
    public Loop build(Body body) {
      return new Loop(this, body);
    }
  }
}
