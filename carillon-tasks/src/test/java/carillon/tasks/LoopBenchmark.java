package carillon.tasks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Many loops firing every second: how late each firing is against its scheduled instant, the CPU it
 * costs, and the heap an idle loop keeps, for carillon-tasks and, side by side in the same JVM, for a
 * {@link ScheduledThreadPoolExecutor} with 2 threads running the same bodies.
 *
 * <p>Run with {@code scripts/benchmark-tasks [loops] [seconds]} (default 100000 loops, 60 s); see
 * docs/performance.md. Not a test: it prints figures.
 */
public final class LoopBenchmark {
  private static final Duration PERIOD = Duration.ofSeconds(1);
  /** Firings before the measured window: the JIT compiles and the new loops settle into the old generation. */
  private static final Duration WARM_UP = Duration.ofSeconds(10);

  public static void main(String[] args) throws Exception {
    int loops = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    System.out.printf(Locale.ROOT,
        "carillon-tasks benchmark: %,d loops every %s, measured for %d s after %d s of warm-up; %d cores; %s %s%n",
        loops, PERIOD, seconds, WARM_UP.toSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"));

    System.out.println();
    System.out.println("Retained heap per idle loop (loops started, waiting an hour for their next run):");
    double loopBytes = idleHeap(loops, LoopBenchmark::idleLoops);
    double executorBytes = idleHeap(loops, LoopBenchmark::idleExecutorTasks);
    System.out.printf(Locale.ROOT, "  carillon Loop:                 %,8.0f bytes%n", loopBytes);
    System.out.printf(Locale.ROOT, "  ScheduledThreadPoolExecutor:   %,8.0f bytes%n", executorBytes);

    System.out.println();
    System.out.println("Lateness of each firing against its scheduled instant, and CPU (bodies only record the lateness):");
    Result loop = runLoops(loops, seconds, false);
    Result executor = runExecutor(loops, seconds, false);
    System.out.println("  " + Result.HEADER);
    System.out.println("  " + loop.row("carillon Loop"));
    System.out.println("  " + executor.row("ScheduledThreadPoolExecutor(2)"));
    System.out.printf(Locale.ROOT, "%nRatios (carillon / executor): p99 lateness %.2f, max lateness %.2f, CPU %.2f,"
            + " heap per idle loop %.2f%n",
        ratio(loop.histogram.percentile(0.99), executor.histogram.percentile(0.99)),
        ratio(loop.histogram.max(), executor.histogram.max()),
        loop.cpuPercent / executor.cpuPercent, loopBytes / executorBytes);

    System.out.println();
    System.out.printf(Locale.ROOT, "The same, when one firing in %,d blocks for %d ms (a slow network call):%n",
        BLOCK_EVERY, BLOCK.toMillis());
    Result blockingLoop = runLoops(loops, seconds, true);
    Result blockingExecutor = runExecutor(loops, seconds, true);
    System.out.println("  " + Result.HEADER);
    System.out.println("  " + blockingLoop.row("carillon Loop"));
    System.out.println("  " + blockingExecutor.row("ScheduledThreadPoolExecutor(2)"));
    System.out.printf(Locale.ROOT, "  (%,d firings were due in the window in each run)%n", (long) loops * seconds);
  }

  private static final int BLOCK_EVERY = 1_000;
  private static final Duration BLOCK = Duration.ofMillis(50);

  /** The benchmark's body work beyond recording lateness: every BLOCK_EVERY-th firing blocks. */
  private static void work(boolean blocking, long firing) {
    if (blocking && firing % BLOCK_EVERY == 0) {
      try {
        Thread.sleep(BLOCK);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static double ratio(long a, long b) {
    return (double) Math.max(a, 1) / Math.max(b, 1);
  }

  // ---- heap

  interface IdleSetup {
    AutoCloseable create(int count) throws Exception;
  }

  private static double idleHeap(int count, IdleSetup setup) throws Exception {
    long before = usedHeapAfterGc();
    AutoCloseable idle = setup.create(count);
    long after = usedHeapAfterGc();
    idle.close();
    return (double) (after - before) / count;
  }

  private static AutoCloseable idleLoops(int count) throws Exception {
    List<Loop> loops = new ArrayList<>(count);
    TaskGroup group = TaskGroup.create("idle");
    for (int i = 0; i < count; i++) {
      Loop loop = Loop.every(Duration.ofHours(1)).name("idle-" + i).build(() -> {});
      group.add(loop).start();
      loops.add(loop);
    }
    // Wait until every loop has run its first iteration and is idle, waiting for the next.
    for (Loop loop : loops) {
      while (loop.currentLoop() == 0 || loop.nextIteration().isEmpty()) {
        Thread.onSpinWait();
      }
    }
    return () -> group.shutdown(Duration.ofSeconds(30));
  }

  private static AutoCloseable idleExecutorTasks(int count) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2);
    executor.setRemoveOnCancelPolicy(true);
    List<ScheduledFuture<?>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      futures.add(executor.scheduleAtFixedRate(() -> {}, 1, 3600, TimeUnit.SECONDS));
    }
    return () -> {
      futures.forEach(f -> f.cancel(false));
      executor.shutdownNow();
    };
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100); // benchmark only: let the collector finish between readings
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  // ---- lateness

  private static Result runLoops(int count, int seconds, boolean blocking) throws Exception {
    Histogram histogram = new Histogram();
    TimeSource time = TimeSource.system();
    TaskGroup group = TaskGroup.create("bench");
    Instant[] window = new Instant[2]; // measured slots: [window[0], window[1])
    Loop[] loops = new Loop[count];
    for (int i = 0; i < count; i++) {
      Loop[] self = {null};
      long index = i;
      loops[i] = self[0] = group.add(Loop.every(PERIOD).name("bench-" + i).build(() -> {
        Instant now = time.now();
        Instant slot = self[0].currentSlot().orElseThrow();
        if (!slot.isBefore(window[0]) && slot.isBefore(window[1])) {
          histogram.record(Duration.between(slot, now).toNanos());
        }
        work(blocking, index + self[0].currentLoop());
      }));
    }
    Instant start = time.now().plusSeconds(2);
    window[0] = start.plus(PERIOD).plus(WARM_UP);
    window[1] = window[0].plusSeconds(seconds);
    long spreadNanos = PERIOD.toNanos() / count;
    for (int i = 0; i < count; i++) {
      // Spread the loops over one period, as loops started at different times would be.
      time.schedule("start-" + i, start.plusNanos(spreadNanos * i), loops[i]::start);
    }
    Result result = measure(histogram, window[0], window[1], time);
    long failed = group.snapshot().stream().filter(t -> t.state() == TaskInfo.State.FAILED).count();
    if (failed > 0) {
      throw new IllegalStateException(failed + " benchmark loops failed");
    }
    group.shutdown(Duration.ofSeconds(30));
    return result;
  }

  private static Result runExecutor(int count, int seconds, boolean blocking) throws Exception {
    Histogram histogram = new Histogram();
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2);
    long period = PERIOD.toNanos();
    long startNanos = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    long spreadNanos = period / count;
    long measureFrom = startNanos + period + WARM_UP.toNanos();
    long measureUntil = measureFrom + Duration.ofSeconds(seconds).toNanos();
    for (int i = 0; i < count; i++) {
      long first = startNanos + spreadNanos * i;
      long index = i;
      long[] runs = {0};
      executor.scheduleAtFixedRate(() -> {
        long now = System.nanoTime();
        long scheduled = first + runs[0] * period;
        if (scheduled >= measureFrom && scheduled < measureUntil) {
          histogram.record(now - scheduled);
        }
        work(blocking, index + runs[0]++);
      }, first - System.nanoTime(), period, TimeUnit.NANOSECONDS);
    }
    TimeSource time = TimeSource.system();
    Instant from = time.now().plusNanos(measureFrom - System.nanoTime());
    Result result = measure(histogram, from, from.plusSeconds(seconds), time);
    executor.shutdownNow();
    return result;
  }

  private static Result measure(Histogram histogram, Instant from, Instant until, TimeSource time)
      throws InterruptedException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    time.sleepUntil(from);
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    time.sleepUntil(until.plusMillis(500)); // the last slots' firings land after the window closes
    long cpu = os.getProcessCpuTime() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    double cpuPercent = 100.0 * cpu / wall / Runtime.getRuntime().availableProcessors();
    return new Result(histogram, cpuPercent);
  }

  record Result(Histogram histogram, double cpuPercent) {
    static final String HEADER = String.format(Locale.ROOT, "%-32s %12s %10s %10s %10s %14s",
        "", "firings", "p50 ms", "p99 ms", "max ms", "CPU % of all");

    String row(String label) {
      return String.format(Locale.ROOT, "%-32s %,12d %10s %10s %10.3f %14.1f", label, histogram.count(),
          millis(histogram.percentile(0.50)), millis(histogram.percentile(0.99)), histogram.max() / 1e6, cpuPercent);
    }

    private static String millis(long nanos) {
      return nanos > Histogram.RANGE_NANOS ? ">" + Histogram.RANGE_NANOS / 1_000_000 : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
  }

  /** Lateness in 10 µs buckets up to 2 s, plus the exact maximum; lock-free for concurrent bodies. */
  static final class Histogram {
    private static final long BUCKET_NANOS = 10_000;
    static final long RANGE_NANOS = 2_000_000_000L;
    private final AtomicLongArray buckets = new AtomicLongArray((int) (RANGE_NANOS / BUCKET_NANOS) + 1);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void record(long nanos) {
      long clamped = Math.max(0, nanos);
      buckets.incrementAndGet((int) Math.min(clamped / BUCKET_NANOS, buckets.length() - 1));
      max.accumulate(clamped);
    }

    long count() {
      long total = 0;
      for (int i = 0; i < buckets.length(); i++) {
        total += buckets.get(i);
      }
      return total;
    }

    /** The upper edge of the bucket holding the given quantile. */
    long percentile(double quantile) {
      long total = count();
      long rank = (long) Math.ceil(quantile * total);
      long seen = 0;
      for (int i = 0; i < buckets.length(); i++) {
        seen += buckets.get(i);
        if (seen >= rank && seen > 0) {
          return (i + 1) * BUCKET_NANOS;
        }
      }
      return 0;
    }

    long max() {
      return max.get();
    }
  }
}
