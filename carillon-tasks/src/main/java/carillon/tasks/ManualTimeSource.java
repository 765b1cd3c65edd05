package carillon.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * A time source for tests: time stands still until the test moves it, and moving it waits for the
 * work it set off.
 *
 * <p>{@link #advance(Duration)} walks through every wake-up and sleeper due up to the new time, in
 * order; at each it sets the clock to that instant, lets the woken work run, and waits until every
 * thread this time source started is either waiting on it again ({@link #sleepUntil}, or finished
 * with its next wake-up scheduled) or has ended. So when {@code advance} returns, the loops have done
 * everything they would have done by then, and a test can assert on it without sleeping. If woken work
 * does not settle within the settle timeout (5 s unless {@link #settleTimeout(Duration) changed}),
 * {@code advance} throws, naming the threads still running and where they are.
 *
 * <pre>{@code
 * ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
 * AtomicInteger runs = new AtomicInteger();
 * Loop loop = Loop.every(Duration.ofMinutes(1)).timeSource(time).build(runs::incrementAndGet);
 * loop.start();
 * time.settle();                          // the first iteration runs at start
 * time.advance(Duration.ofMinutes(10));   // ten more, one per simulated minute
 * assertEquals(11, runs.get());
 * }</pre>
 *
 * <p>Work started by anything other than this time source (a thread of your own) is not waited for.
 */
public final class ManualTimeSource implements TimeSource {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition settled = lock.newCondition();
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  /** Threads started by this time source that have not ended. */
  private final Set<Thread> startedHere = ConcurrentHashMap.newKeySet();
  /** Those of them that are running, not waiting on this time source. */
  private final Set<Thread> busy = ConcurrentHashMap.newKeySet();
  private Instant now;
  private long sequence;
  private Duration settleTimeout = Duration.ofSeconds(5);

  /** A time source whose clock reads {@code start} until it is advanced. */
  public ManualTimeSource(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** How long {@link #advance} and {@link #settle} wait for woken work before failing. */
  public ManualTimeSource settleTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("settle timeout must be positive, was " + timeout);
    }
    lock.lock();
    try {
      this.settleTimeout = timeout;
    } finally {
      lock.unlock();
    }
    return this;
  }

  @Override
  public Instant now() {
    lock.lock();
    try {
      return now;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves the clock forward by {@code duration}, running everything that falls due on the way; work
   * already set off (a loop just started) first settles at the current time.
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; cannot advance by " + duration);
    }
    advanceTo(now().plus(duration));
  }

  /** Moves the clock forward to {@code target}, running everything that falls due on the way. */
  public void advanceTo(Instant target) {
    checkNotOwnThread("advance");
    settle(); // work set off before this call (a loop's start) happens at the current time
    while (true) {
      lock.lock();
      try {
        if (target.isBefore(now)) {
          throw new IllegalArgumentException("time only moves forward; " + target + " is before " + now);
        }
        Event next = events.peek();
        if (next == null || next.at.isAfter(target)) {
          now = target;
          break;
        }
        events.poll();
        now = next.at;
        next.fire();
      } finally {
        lock.unlock();
      }
      settle();
    }
    settle();
  }

  /**
   * Waits until every thread started by this time source is waiting on it or has ended, without
   * moving the clock: use it after {@link Loop#start()} to let the first iteration run.
   *
   * @throws IllegalStateException if work is still running after the settle timeout
   */
  public void settle() {
    checkNotOwnThread("settle");
    lock.lock();
    try {
      long nanos = settleTimeout.toNanos();
      while (!busy.isEmpty()) {
        if (nanos <= 0) {
          throw new IllegalStateException("ManualTimeSource: after " + settleTimeout
              + " these threads are still running instead of waiting for time to pass: " + describeBusy());
        }
        nanos = settled.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for woken work to settle", e);
    } finally {
      lock.unlock();
    }
  }

  /** The instants of every pending wake-up and sleeper, earliest first (for assertions and debugging). */
  public List<Instant> pending() {
    lock.lock();
    try {
      return events.stream().sorted().map(e -> e.at).toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void sleepUntil(Instant deadline) throws InterruptedException {
    await(new CompletableFuture<Void>(), deadline); // a future that never completes: only the deadline wakes it
  }

  @Override
  public boolean await(CompletableFuture<?> future, Instant deadline) throws InterruptedException {
    Sleeper sleeper;
    lock.lock();
    try {
      if (future.isDone()) {
        return true;
      }
      if (!deadline.isAfter(now)) {
        return false;
      }
      sleeper = new Sleeper(deadline, sequence++, Thread.currentThread());
      events.add(sleeper);
    } finally {
      lock.unlock();
    }
    // Completion, on whatever thread, wakes the sleeper early; the deadline wakes it through advance().
    future.whenComplete((value, error) -> {
      lock.lock();
      try {
        if (!sleeper.woken) {
          events.remove(sleeper);
          sleeper.fire();
        }
      } finally {
        lock.unlock();
      }
    });
    lock.lock();
    try {
      if (!sleeper.woken) {
        markWaiting();
      }
      try {
        while (!sleeper.woken) {
          sleeper.wake.await();
        }
      } catch (InterruptedException e) {
        if (!sleeper.woken) {
          events.remove(sleeper);
          sleeper.woken = true;
          markRunning(Thread.currentThread());
        }
        throw e;
      }
      return future.isDone();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Timer timer(String name, Runnable task) {
    return new ManualTimer(name, task);
  }

  private void checkNotOwnThread(String what) {
    if (startedHere.contains(Thread.currentThread())) {
      throw new IllegalStateException("cannot " + what + " a ManualTimeSource from a task it runs: it would wait for itself");
    }
  }

  /** Called with the lock held, by a thread of ours that starts waiting. */
  private void markWaiting() {
    if (busy.remove(Thread.currentThread()) && busy.isEmpty()) {
      settled.signalAll();
    }
  }

  /** Called with the lock held, when a thread of ours stops waiting. */
  private void markRunning(Thread thread) {
    if (startedHere.contains(thread)) {
      busy.add(thread);
    }
  }

  private String describeBusy() {
    return busy.stream()
        .map(t -> "'" + t.getName() + "' at " + Arrays.stream(t.getStackTrace()).limit(8)
            .map(StackTraceElement::toString).collect(Collectors.joining(" <- ")))
        .collect(Collectors.joining("; "));
  }

  private abstract static sealed class Event implements Comparable<Event> permits ManualTimer, Sleeper {
    Instant at;
    long order;

    /** Called with the lock held. */
    abstract void fire();

    @Override
    public int compareTo(Event other) {
      int byTime = at.compareTo(other.at);
      return byTime != 0 ? byTime : Long.compare(order, other.order);
    }
  }

  private final class ManualTimer extends Event implements Timer {
    private final String name;
    private final Runnable task;
    /** Guarded by lock: armed and waiting in {@code events}. */
    private boolean queued;

    ManualTimer(String name, Runnable task) {
      this.name = name;
      this.task = task;
    }

    @Override
    public void arm(Instant at) {
      lock.lock();
      try {
        if (queued) {
          events.remove(this);
          queued = false;
        }
        this.at = at;
        this.order = sequence++;
        if (at.isAfter(now)) {
          events.add(this);
          queued = true;
        } else {
          fire();
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean cancel() {
      lock.lock();
      try {
        if (!queued) {
          return false;
        }
        events.remove(this);
        queued = false;
        return true;
      } finally {
        lock.unlock();
      }
    }

    @Override
    void fire() {
      queued = false;
      Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
        try {
          task.run();
        } finally {
          lock.lock();
          try {
            startedHere.remove(Thread.currentThread());
            markWaiting();
          } finally {
            lock.unlock();
          }
        }
      });
      startedHere.add(thread);
      busy.add(thread);
      thread.start();
    }
  }

  private final class Sleeper extends Event {
    final Thread thread;
    final Condition wake = lock.newCondition();
    boolean woken;

    Sleeper(Instant at, long order, Thread thread) {
      this.at = at;
      this.order = order;
      this.thread = thread;
    }

    @Override
    void fire() {
      woken = true;
      markRunning(thread);
      wake.signalAll();
    }
  }
}
