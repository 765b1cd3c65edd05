package carillon.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The real clock: checks order and "never early", never how fast (the machines are shared). */
class SystemTimeSourceTest {
  final TimeSource time = TimeSource.system();

  @Test
  void wakeupsRunOnVirtualThreadsNamedAfterTheirTaskAndNeverEarly() throws Exception {
    Instant at = time.now().plusMillis(50);
    CountDownLatch ran = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    time.schedule("my-task", at, () -> {
      seen.add(Thread.currentThread().getName() + " virtual=" + Thread.currentThread().isVirtual()
          + " early=" + time.now().isBefore(at));
      ran.countDown();
    });
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).containsExactly("my-task virtual=true early=false");
  }

  @Test
  void aCancelledWakeupNeverRuns() throws Exception {
    CountDownLatch later = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    TimeSource.Timer cancelled = time.schedule("cancelled", time.now().plusMillis(20), () -> ran.add("cancelled"));
    assertThat(cancelled.cancel()).isTrue();
    // A later wake-up on the same timer: once it has run, the cancelled one's time has long passed.
    time.schedule("later", time.now().plusMillis(60), later::countDown);
    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).isEmpty();
  }

  @Test
  void manyTimersArmedReArmedAndCancelledInRandomOrderFireExactlyOnceAndNeverEarly() throws Exception {
    int count = 2_000;
    Random random = new Random(42);
    // Far enough ahead that arming, re-arming and cancelling all happen before any timer is due.
    Instant base = time.now().plusSeconds(1);
    Instant[] armedFor = new Instant[count];
    AtomicIntegerArray firings = new AtomicIntegerArray(count);
    List<String> early = new CopyOnWriteArrayList<>();
    TimeSource.Timer[] timers = new TimeSource.Timer[count];
    int cancelled = 0;
    for (int i = 0; i < count; i++) {
      int id = i;
      timers[i] = time.timer("t" + i, () -> {
        firings.incrementAndGet(id);
        if (time.now().isBefore(armedFor[id])) {
          early.add("t" + id);
        }
      });
      armedFor[i] = base.plusMillis(random.nextInt(300));
      timers[i].arm(armedFor[i]);
    }
    // Re-arm a third to another time (only the new arming may fire), cancel another third.
    for (int i = 0; i < count; i++) {
      if (i % 3 == 1) {
        armedFor[i] = base.plusMillis(random.nextInt(300));
        timers[i].arm(armedFor[i]);
      } else if (i % 3 == 2) {
        assertThat(timers[i].cancel()).isTrue();
        cancelled++;
      }
    }
    assumeTrue(time.now().isBefore(base), "setting up 2,000 timers took over a second on this machine");
    CountDownLatch last = new CountDownLatch(1);
    time.schedule("after-all", base.plusMillis(400), last::countDown);
    assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
    int expectedFirings = count - cancelled;
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> total(firings) == expectedFirings);
    for (int i = 0; i < count; i++) {
      assertThat(firings.get(i)).as("firings of t" + i).isEqualTo(i % 3 == 2 ? 0 : 1);
      assertThat(timers[i].cancel()).as("fired or cancelled timers are not armed").isFalse();
    }
    assertThat(early).isEmpty();
  }

  private static int total(AtomicIntegerArray counts) {
    int sum = 0;
    for (int i = 0; i < counts.length(); i++) {
      sum += counts.get(i);
    }
    return sum;
  }

  @Test
  void aRealLoopRunsAndStops() throws Exception {
    CountDownLatch threeRuns = new CountDownLatch(3);
    Loop loop = Loop.every(Duration.ofMillis(10)).name("real").build(threeRuns::countDown);
    loop.start();
    assertThat(threeRuns.await(10, TimeUnit.SECONDS)).isTrue();
    loop.stop();
    assertThat(loop.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(loop.currentLoop()).isGreaterThanOrEqualTo(3);
    assertThat(loop.failed()).isFalse();
  }

  @Test
  void awaitTellsCompletionFromDeadline() throws Exception {
    assertThat(time.await(CompletableFuture.completedFuture("x"), time.now().plusSeconds(5))).isTrue();
    assertThat(time.await(CompletableFuture.failedFuture(new IOException("x")), time.now().plusSeconds(5))).isTrue();
    Instant deadline = time.now().plusMillis(20);
    assertThat(time.await(new CompletableFuture<>(), deadline)).isFalse();
    assertThat(time.now()).isAfterOrEqualTo(deadline);
  }

  @Test
  void farDeadlinesDoNotOverflow() throws Exception {
    assertThat(time.await(CompletableFuture.completedFuture("x"), Instant.MAX)).isTrue();
    TimeSource.Timer never = time.timer("never", () -> { throw new AssertionError("fired"); });
    never.arm(Instant.MAX);
    CountDownLatch soon = new CountDownLatch(1);
    time.schedule("soon", time.now().plusMillis(10), soon::countDown);
    assertThat(soon.await(10, TimeUnit.SECONDS)).as("a far timer at the head of the heap does not block others").isTrue();
    assertThat(never.cancel()).isTrue();
  }

  @Test
  void sleepUntilReturnsNoEarlierThanTheDeadline() throws Exception {
    Instant deadline = time.now().plusMillis(30);
    time.sleepUntil(deadline);
    assertThat(time.now()).isAfterOrEqualTo(deadline);
  }
}
