package carillon.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link TimeSource#system()}: one daemon platform thread owns a binary heap of armed timers and hands
 * each due one to a fresh virtual thread. A timer is a node that lives as long as its loop and moves in
 * the heap when re-armed: firing allocates nothing that outlives the firing, which keeps garbage
 * collection pauses short with 100,000 loops (see docs/performance.md).
 */
final class SystemTimeSource implements TimeSource {
  static final SystemTimeSource INSTANCE = new SystemTimeSource(Clock.systemUTC());

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition headChanged = lock.newCondition();
  // Guarded by lock: a min-heap on Node.due; each node knows its index (-1 when not armed).
  private Node[] heap = new Node[256];
  private int size;
  private Thread timerThread;

  SystemTimeSource(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  /** Nanoseconds from now until {@code instant}, saturated: a deadline centuries away is Long.MAX_VALUE. */
  private long nanosUntil(Instant instant) {
    Duration left = Duration.between(now(), instant);
    return left.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : left.toNanos();
  }

  @Override
  public void sleepUntil(Instant deadline) throws InterruptedException {
    while (true) {
      long nanos = nanosUntil(deadline);
      if (nanos <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  @Override
  public boolean await(CompletableFuture<?> future, Instant deadline) throws InterruptedException {
    while (true) {
      long nanos = nanosUntil(deadline);
      try {
        future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        return true;
      } catch (ExecutionException | CancellationException e) {
        return true; // completed, exceptionally: the caller looks at the future for how
      } catch (TimeoutException e) {
        if (nanos <= 0) {
          return false;
        }
        // The wait ran on the monotonic clock; loop until the wall clock has reached the deadline too.
      }
    }
  }

  @Override
  public Timer timer(String name, Runnable task) {
    return new Node(name, task);
  }

  private final class Node implements Timer {
    final String name;
    final Runnable task;
    // Guarded by lock.
    int index = -1;
    /** System.nanoTime() at which to fire. */
    long due;
    /** The armed instant, as seconds and nanos, so arming stores no object. */
    long atSecond;
    int atNano;

    Node(String name, Runnable task) {
      this.name = name;
      this.task = task;
    }

    @Override
    public void arm(Instant at) {
      long delay = nanosUntil(at);
      lock.lock();
      try {
        atSecond = at.getEpochSecond();
        atNano = at.getNano();
        if (index >= 0) {
          removeAt(index);
        }
        long start = System.nanoTime();
        // Saturate: an arming centuries away must not wrap around into the past.
        due = delay > Long.MAX_VALUE / 2 ? start + Long.MAX_VALUE / 2 : start + Math.max(0, delay);
        insert(this);
        if (index == 0) {
          ensureTimerThread();
          headChanged.signal();
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean cancel() {
      lock.lock();
      try {
        if (index < 0) {
          return false;
        }
        removeAt(index);
        return true;
      } finally {
        lock.unlock();
      }
    }

    /** True if the wall clock has not reached the armed instant (it was set back since arming). */
    boolean earlyByWallClock() {
      Instant now = now();
      return now.getEpochSecond() < atSecond || (now.getEpochSecond() == atSecond && now.getNano() < atNano);
    }
  }

  private void ensureTimerThread() {
    if (timerThread == null) {
      timerThread = Thread.ofPlatform().name("carillon-timer").daemon().start(this::runTimer);
    }
  }

  /** The timer thread: waits for the earliest node, takes every due node, starts their tasks. */
  private void runTimer() {
    Node[] due = new Node[64];
    while (true) {
      int count = 0;
      lock.lock();
      try {
        while (count == 0) {
          if (size == 0) {
            headChanged.awaitUninterruptibly();
            continue;
          }
          long wait = heap[0].due - System.nanoTime();
          if (wait > 0) {
            headChanged.awaitNanos(wait);
            continue;
          }
          long now = System.nanoTime();
          while (size > 0 && heap[0].due - now <= 0 && count < due.length) {
            due[count++] = heap[0];
            removeAt(0);
          }
        }
      } catch (InterruptedException e) {
        // Nobody interrupts this daemon thread; if something does, keep serving the timers.
        continue;
      } finally {
        lock.unlock();
      }
      for (int i = 0; i < count; i++) {
        Node node = due[i];
        due[i] = null;
        if (node.earlyByWallClock()) {
          // The timer runs on the monotonic clock; if the wall clock was set back meanwhile, wait again
          // rather than run before the armed instant.
          node.arm(Instant.ofEpochSecond(node.atSecond, node.atNano));
        } else {
          Thread.ofVirtual().name(node.name).start(node.task);
        }
      }
    }
  }

  // ---- the heap (lock held)

  private void insert(Node node) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    node.index = size++;
    heap[node.index] = node;
    siftUp(node.index);
  }

  private void removeAt(int i) {
    Node removed = heap[i];
    removed.index = -1;
    size--;
    if (i == size) {
      heap[size] = null;
      return;
    }
    Node last = heap[size];
    heap[size] = null;
    heap[i] = last;
    last.index = i;
    siftDown(i);
    if (heap[i] == last) {
      siftUp(i);
    }
  }

  private void siftUp(int i) {
    Node node = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent].due - node.due <= 0) {
        break;
      }
      heap[i] = heap[parent];
      heap[i].index = i;
      i = parent;
    }
    heap[i] = node;
    node.index = i;
  }

  private void siftDown(int i) {
    Node node = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right].due - heap[child].due < 0) {
        child = right;
      }
      if (node.due - heap[child].due <= 0) {
        break;
      }
      heap[i] = heap[child];
      heap[i].index = i;
      i = child;
    }
    heap[i] = node;
    node.index = i;
  }
}
