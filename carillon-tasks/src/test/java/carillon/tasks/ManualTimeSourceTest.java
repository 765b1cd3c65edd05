package carillon.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTest {
  static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  final ManualTimeSource time = new ManualTimeSource(T0);

  @Test
  void scheduledTasksRunInOrderAtTheirInstants() {
    List<String> ran = new CopyOnWriteArrayList<>();
    time.schedule("b", T0.plusSeconds(20), () -> ran.add("b@" + time.now()));
    time.schedule("a", T0.plusSeconds(10), () -> ran.add("a@" + time.now()));
    TimeSource.Timer cancelled = time.schedule("c", T0.plusSeconds(15), () -> ran.add("c"));
    assertThat(cancelled.cancel()).isTrue();
    assertThat(cancelled.cancel()).isFalse();
    assertThat(time.pending()).containsExactly(T0.plusSeconds(10), T0.plusSeconds(20));
    time.advance(Duration.ofSeconds(30));
    assertThat(ran).containsExactly("a@" + T0.plusSeconds(10), "b@" + T0.plusSeconds(20));
    assertThat(time.now()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void sleepersWakeAtTheirDeadlineAndAdvanceWaitsForThem() {
    List<Instant> woke = new CopyOnWriteArrayList<>();
    time.schedule("sleeper", T0, () -> {
      try {
        time.sleepUntil(T0.plusSeconds(5));
        woke.add(time.now());
        time.sleepUntil(T0.plusSeconds(7));
        woke.add(time.now());
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    time.advance(Duration.ofSeconds(6));
    assertThat(woke).containsExactly(T0.plusSeconds(5));
    time.advance(Duration.ofSeconds(6));
    assertThat(woke).containsExactly(T0.plusSeconds(5), T0.plusSeconds(7));
  }

  @Test
  void advanceFailsLoudlyWhenWokenWorkDoesNotSettle() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    time.settleTimeout(Duration.ofMillis(200));
    time.schedule("stuck-task", T0.plusSeconds(1), () -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThatThrownBy(() -> time.advance(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("these threads are still running instead of waiting for time to pass: 'stuck-task' at ");
    never.countDown();
    time.settle();
  }

  @Test
  void awaitReturnsWhenTheFutureCompletesOrAtTheDeadlineAndCountsAsWaiting() {
    CompletableFuture<String> completedByTimer = new CompletableFuture<>();
    CompletableFuture<String> never = new CompletableFuture<>();
    List<String> results = new CopyOnWriteArrayList<>();
    time.schedule("waits-for-timer", T0, () -> results.add(awaitAndDescribe(completedByTimer, T0.plusSeconds(60))));
    time.schedule("waits-for-deadline", T0, () -> results.add(awaitAndDescribe(never, T0.plusSeconds(30))));
    time.schedule("completer", T0.plusSeconds(10), () -> completedByTimer.complete("done"));
    time.advance(Duration.ofSeconds(5));
    assertThat(results).isEmpty();
    time.advance(Duration.ofSeconds(60));
    assertThat(results).containsExactly("true at " + T0.plusSeconds(10), "false at " + T0.plusSeconds(30));
  }

  private String awaitAndDescribe(CompletableFuture<?> future, Instant deadline) {
    try {
      return time.await(future, deadline) + " at " + time.now();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void timeOnlyMovesForward() {
    assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1)))
        .hasMessage("time only moves forward; cannot advance by PT-1S");
    assertThatThrownBy(() -> time.advanceTo(T0.minusSeconds(1)))
        .hasMessageContaining("time only moves forward");
  }

  @Test
  void advancingFromATaskItRunsIsRefused() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    time.schedule("self-advancer", T0, () -> {
      try {
        time.advance(Duration.ofSeconds(1));
      } catch (IllegalStateException e) {
        errors.add(e);
      }
    });
    time.settle();
    assertThat(errors).singleElement().extracting(Throwable::getMessage)
        .isEqualTo("cannot advance a ManualTimeSource from a task it runs: it would wait for itself");
  }
}
