package carillon.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    TimeSource.Wakeup cancelled = time.schedule("cancelled", time.now().plusMillis(20), () -> ran.add("cancelled"));
    assertThat(cancelled.cancel()).isTrue();
    // A later wake-up on the same timer: once it has run, the cancelled one's time has long passed.
    time.schedule("later", time.now().plusMillis(60), later::countDown);
    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).isEmpty();
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
  void sleepUntilReturnsNoEarlierThanTheDeadline() throws Exception {
    Instant deadline = time.now().plusMillis(30);
    time.sleepUntil(deadline);
    assertThat(time.now()).isAfterOrEqualTo(deadline);
  }
}
