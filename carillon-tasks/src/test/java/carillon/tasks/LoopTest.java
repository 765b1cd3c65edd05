package carillon.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.testing.ExpectedLog;
import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LoopTest {
  static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension final LogCapture logs = new LogCapture();

  final ManualTimeSource time = new ManualTimeSource(T0);
  final List<Instant> ranAt = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();

  Loop.Builder every(Duration interval) {
    return Loop.every(interval).name("test-loop").timeSource(time);
  }

  Body recordTime() {
    return () -> ranAt.add(time.now());
  }

  static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("latch released within " + WAIT).isTrue();
  }

  @Nested
  class Grid {
    @Test
    void firstIterationRunsAtStartThenOnTheGridWithoutDriftOverTenThousandIterations() {
      Loop loop = every(Duration.ofSeconds(1)).build(recordTime());
      loop.start();
      time.settle();
      assertThat(ranAt).containsExactly(T0);

      time.advance(Duration.ofSeconds(10_000));

      assertThat(ranAt).hasSize(10_001);
      for (int i = 0; i < ranAt.size(); i++) {
        assertThat(ranAt.get(i)).isEqualTo(t(i));
      }
      assertThat(loop.currentLoop()).isEqualTo(10_001);
      assertThat(loop.nextIteration()).contains(t(10_001));
    }

    @Test
    void gridIsAnchoredWhenTheBeforeHookEnds() {
      Loop loop = every(Duration.ofSeconds(10))
          .beforeLoop(() -> time.sleepUntil(t(3)))
          .build(recordTime());
      loop.start();
      time.settle();
      assertThat(ranAt).isEmpty();
      assertThat(loop.nextIteration()).as("unknown while the before-hook runs").isEmpty();
      time.advance(Duration.ofSeconds(23));
      assertThat(ranAt).containsExactly(t(3), t(13), t(23));
    }

    @Test
    void skipPolicySkipsMissedSlotsAndStaysOnTheGrid() {
      AtomicInteger n = new AtomicInteger();
      Loop loop = every(Duration.ofSeconds(10)).build(() -> {
        ranAt.add(time.now());
        if (n.getAndIncrement() == 1) {
          time.sleepUntil(time.now().plusSeconds(25)); // the iteration at 10 s runs until 35 s
        }
      });
      loop.start();
      time.advance(Duration.ofSeconds(60));
      assertThat(ranAt).containsExactly(t(0), t(10), t(40), t(50), t(60));
    }

    @Test
    void skipPolicyRunsASlotThatFallsExactlyWhenTheOverrunEnds() {
      AtomicInteger n = new AtomicInteger();
      Loop loop = every(Duration.ofSeconds(10)).build(() -> {
        ranAt.add(time.now());
        if (n.getAndIncrement() == 0) {
          time.sleepUntil(time.now().plusSeconds(20));
        }
      });
      loop.start();
      time.advance(Duration.ofSeconds(30));
      assertThat(ranAt).containsExactly(t(0), t(20), t(30));
    }

    @Test
    void catchUpPolicyRunsMissedSlotsBackToBack() {
      AtomicInteger n = new AtomicInteger();
      Loop loop = every(Duration.ofSeconds(10)).overrun(Overrun.CATCH_UP).build(() -> {
        ranAt.add(time.now());
        if (n.getAndIncrement() == 1) {
          time.sleepUntil(time.now().plusSeconds(25));
        }
      });
      loop.start();
      time.advance(Duration.ofSeconds(50));
      // The 10 s iteration ends at 35 s; the 20 s and 30 s slots run at once, then the grid resumes.
      assertThat(ranAt).containsExactly(t(0), t(10), t(35), t(35), t(40), t(50));
      assertThat(loop.currentLoop()).isEqualTo(6);
    }

    @Test
    void delayPolicyWaitsTheIntervalAfterEachIteration() {
      Loop loop = every(Duration.ofSeconds(10)).overrun(Overrun.DELAY).build(() -> {
        ranAt.add(time.now());
        time.sleepUntil(time.now().plusSeconds(3));
      });
      loop.start();
      time.advance(Duration.ofSeconds(40));
      assertThat(ranAt).containsExactly(t(0), t(13), t(26), t(39));
    }
  }

  @Nested
  class Schedules {
    @Test
    void dailyLoopWaitsForItsFirstTimeThenRunsEachDay() {
      ZoneId paris = ZoneId.of("Europe/Paris");
      Loop loop = Loop.daily(paris, LocalTime.of(7, 0)).name("morning").timeSource(time).build(recordTime());
      loop.start();
      time.settle();
      assertThat(ranAt).isEmpty();
      Instant first = Instant.parse("2026-01-05T06:00:00Z");
      assertThat(loop.nextIteration()).contains(first);
      time.advance(Duration.ofDays(3));
      assertThat(ranAt).containsExactly(first, first.plus(Duration.ofDays(1)), first.plus(Duration.ofDays(2)));
    }

    @Test
    void oneOffScheduleRunsOnceAndTheLoopEnds() throws Exception {
      Loop loop = Loop.on(Schedule.once(t(90))).timeSource(time)
          .afterLoop(() -> events.add("after"))
          .build(recordTime());
      loop.start();
      time.advance(Duration.ofMinutes(5));
      assertThat(ranAt).containsExactly(t(90));
      assertThat(events).containsExactly("after");
      assertThat(loop.isRunning()).isFalse();
      assertThat(loop.failed()).isFalse();
    }

    @Test
    void scheduleLoopSkipsSlotsMissedDuringALongIteration() {
      AtomicInteger n = new AtomicInteger();
      Loop loop = Loop.on(Schedule.cron("*/10 * * * *", ZoneId.of("UTC"))).timeSource(time).build(() -> {
        ranAt.add(time.now());
        if (n.getAndIncrement() == 0) {
          time.sleepUntil(time.now().plus(Duration.ofMinutes(25)));
        }
      });
      loop.start();
      time.advance(Duration.ofMinutes(60));
      assertThat(ranAt).containsExactly(
          T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(40)), T0.plus(Duration.ofMinutes(50)),
          T0.plus(Duration.ofMinutes(60)));
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void stopWhileWaitingEndsAtOnceWithoutAnotherIteration() throws Exception {
      Loop loop = every(Duration.ofSeconds(10)).afterLoop(() -> events.add("after")).build(recordTime());
      loop.start();
      time.advance(Duration.ofSeconds(5));
      loop.stop();
      time.settle();
      assertThat(loop.isRunning()).isFalse();
      assertThat(events).containsExactly("after");
      time.advance(Duration.ofSeconds(60));
      assertThat(ranAt).containsExactly(t(0));
      assertThat(time.pending()).isEmpty();
      assertThat(loop.nextIteration()).isEmpty();
      assertThat(loop.currentLoop()).as("kept after the end").isEqualTo(1);
    }

    @Test
    void stopDuringAnIterationLetsItFinish() throws Exception {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean finished = new AtomicBoolean();
      AtomicBoolean cancelledInAfter = new AtomicBoolean(true);
      AtomicReference<Loop> self = new AtomicReference<>();
      Loop loop = every(Duration.ofSeconds(10))
          .afterLoop(() -> cancelledInAfter.set(self.get().isBeingCancelled()))
          .build(() -> {
            entered.countDown();
            release.await();
            finished.set(true);
          });
      self.set(loop);
      loop.start();
      await(entered);
      loop.stop();
      assertThat(loop.isRunning()).isTrue();
      release.countDown();
      assertThat(loop.awaitTermination(WAIT)).isTrue();
      assertThat(finished).isTrue();
      assertThat(cancelledInAfter).isFalse();
      assertThat(loop.currentLoop()).isEqualTo(1);
      assertThat(loop.failed()).isFalse();
    }

    @Test
    void cancelInterruptsTheBodyAndTheAfterHookSeesIsBeingCancelled() throws Exception {
      CountDownLatch entered = new CountDownLatch(1);
      AtomicBoolean interrupted = new AtomicBoolean();
      AtomicBoolean cancelledInAfter = new AtomicBoolean();
      AtomicReference<Loop> self = new AtomicReference<>();
      Loop loop = every(Duration.ofSeconds(10))
          .afterLoop(() -> {
            cancelledInAfter.set(self.get().isBeingCancelled());
            // The after-hook can still block: the cancel's interrupt was for the body.
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
          })
          .build(() -> {
            entered.countDown();
            try {
              new CountDownLatch(1).await();
            } catch (InterruptedException e) {
              interrupted.set(true);
              throw e;
            }
          });
      self.set(loop);
      loop.start();
      await(entered);
      loop.cancel();
      assertThat(loop.awaitTermination(WAIT)).isTrue();
      assertThat(interrupted).isTrue();
      assertThat(cancelledInAfter).isTrue();
      assertThat(loop.isBeingCancelled()).isFalse();
      assertThat(loop.failed()).as("a cancel is not a failure").isFalse();
      assertThat(logs.messages(Level.ERROR)).isEmpty();
    }

    @Test
    void cancelWhileWaitingRunsTheAfterHookAsCancelled() throws Exception {
      AtomicReference<Loop> self = new AtomicReference<>();
      Loop loop = every(Duration.ofSeconds(10))
          .afterLoop(() -> events.add("after cancelled=" + self.get().isBeingCancelled()))
          .build(recordTime());
      self.set(loop);
      loop.start();
      time.advance(Duration.ofSeconds(1));
      loop.cancel();
      time.settle();
      assertThat(events).containsExactly("after cancelled=true");
      assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void startWhileRunningFailsWithAClearMessage() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch inAfter = new CountDownLatch(1);
      Loop loop = every(Duration.ofSeconds(10)).afterLoop(() -> {
        inAfter.countDown();
        release.await();
      }).build(recordTime());
      loop.start();
      time.settle();
      assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class)
          .hasMessage("loop 'test-loop' is already running; stop() or cancel() it first, or use restart()");
      loop.cancel();
      await(inAfter);
      assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("still finishing; call awaitTermination() before starting it again");
      release.countDown();
      assertThat(loop.awaitTermination(WAIT)).isTrue();
      loop.start();
      time.settle();
      assertThat(ranAt).containsExactly(t(0), t(0));
    }

    @Test
    void restartCancelsThenStartsAgainWithBothHooks() throws Exception {
      Loop loop = every(Duration.ofSeconds(10))
          .beforeLoop(() -> events.add("before"))
          .afterLoop(() -> events.add("after"))
          .build(() -> events.add("body@" + time.now()));
      loop.start();
      time.advance(Duration.ofSeconds(15));
      loop.restart();
      time.settle();
      assertThat(loop.isRunning()).isTrue();
      time.advance(Duration.ofSeconds(10));
      assertThat(events).containsExactly("before", "body@" + t(0), "body@" + t(10),
          "after", "before", "body@" + t(15), "body@" + t(25));
      assertThat(loop.currentLoop()).isEqualTo(2);
    }

    @Test
    void restartOfAStoppedLoopDoesNothing() {
      Loop loop = every(Duration.ofSeconds(10)).build(recordTime());
      loop.restart();
      time.settle();
      assertThat(loop.isRunning()).isFalse();
      assertThat(ranAt).isEmpty();
    }

    @Test
    void neverTwoBodiesAtOnceEvenWhenCatchingUp() {
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger maxInside = new AtomicInteger();
      Loop loop = every(Duration.ofMillis(10)).overrun(Overrun.CATCH_UP).build(() -> {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        time.sleepUntil(time.now().plusMillis(35));
        inside.decrementAndGet();
      });
      loop.start();
      time.advance(Duration.ofSeconds(2));
      assertThat(loop.currentLoop()).isGreaterThan(50);
      assertThat(maxInside).hasValue(1);
    }

    @Test
    void callRunsTheBodyOnceDirectlyAndPropagatesItsException() throws Exception {
      AtomicInteger calls = new AtomicInteger();
      Loop loop = every(Duration.ofSeconds(1)).build(() -> {
        if (calls.incrementAndGet() == 2) {
          throw new IOException("boom");
        }
      });
      loop.call();
      assertThat(calls).hasValue(1);
      assertThatThrownBy(loop::call).isInstanceOf(IOException.class).hasMessage("boom");
      assertThat(loop.isRunning()).isFalse();
      assertThat(loop.currentLoop()).isZero();
    }

    @Test
    void awaitTerminationFromTheBodyIsRefused() {
      AtomicReference<Throwable> refused = new AtomicReference<>();
      AtomicReference<Loop> self = new AtomicReference<>();
      Loop loop = every(Duration.ofSeconds(1)).count(1).build(() -> {
        try {
          self.get().awaitTermination(Duration.ofSeconds(1));
        } catch (IllegalStateException e) {
          refused.set(e);
        }
      });
      self.set(loop);
      loop.start();
      time.settle();
      assertThat(refused.get()).hasMessageContaining("cannot await its own termination");
    }
  }

  @Nested
  class CountAndProgress {
    @Test
    void countCountsSuccessfulIterationsOnly() {
      AtomicInteger attempts = new AtomicInteger();
      Loop loop = every(Duration.ofSeconds(10)).count(3)
          .afterLoop(() -> events.add("done"))
          .build(() -> {
            ranAt.add(time.now());
            if (attempts.incrementAndGet() == 2) {
              throw new IOException("flaky network");
            }
          });
      loop.start();
      time.advance(Duration.ofMinutes(5));
      assertThat(loop.currentLoop()).isEqualTo(3);
      assertThat(ranAt).hasSize(4);
      assertThat(events).containsExactly("done");
      assertThat(loop.isRunning()).isFalse();
      assertThat(loop.failed()).isFalse();
    }

    @Test
    void currentLoopAndNextIterationAreRightAtEveryPoint() throws Exception {
      List<String> seen = Collections.synchronizedList(new ArrayList<>());
      AtomicReference<Loop> self = new AtomicReference<>();
      Loop loop = every(Duration.ofSeconds(10)).count(2)
          .beforeLoop(() -> seen.add("before " + self.get().currentLoop() + " " + self.get().nextIteration()))
          .afterLoop(() -> seen.add("after " + self.get().currentLoop() + " " + self.get().nextIteration()))
          .build(() -> seen.add("body " + self.get().currentLoop() + " " + self.get().nextIteration()));
      self.set(loop);
      assertThat(loop.currentLoop()).isZero();
      assertThat(loop.nextIteration()).isEmpty();
      loop.start();
      time.settle();
      assertThat(loop.currentLoop()).isEqualTo(1);
      assertThat(loop.nextIteration()).contains(t(10));
      time.advance(Duration.ofSeconds(10));
      assertThat(seen).containsExactly(
          "before 0 Optional.empty",
          "body 0 " + Optional.of(t(10)),
          "body 1 " + Optional.of(t(20)),
          "after 2 Optional.empty");
      assertThat(loop.currentLoop()).isEqualTo(2);
      assertThat(loop.nextIteration()).isEmpty();
      loop.start();
      time.settle();
      assertThat(loop.currentLoop()).as("a new run counts from zero").isEqualTo(1);
    }
  }

  // Errors, retries and hooks: what they log is what these tests check.
  @ExpectedLog(logger = "carillon.tasks.Loop")
  @Nested
  class Errors {
    @Test
    void handledExceptionsRetryWithCappedJitteredBackoffThatResetsAfterASuccess() {
      AtomicInteger attempts = new AtomicInteger();
      List<Duration> waits = new CopyOnWriteArrayList<>();
      AtomicReference<Instant> lastAttempt = new AtomicReference<>();
      Loop loop = every(Duration.ofHours(1)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build(() -> {
        Instant now = time.now();
        if (lastAttempt.get() != null) {
          waits.add(Duration.between(lastAttempt.get(), now));
        }
        lastAttempt.set(now);
        int attempt = attempts.incrementAndGet();
        if (attempt <= 6 || (attempt >= 8 && attempt <= 9)) {
          throw attempt % 2 == 0 ? new UncheckedIOException(new IOException("reset")) : new TimeoutException("slow");
        }
      });
      loop.start();
      time.advance(Duration.ofHours(1).plusSeconds(30));
      // Attempts 1-6 fail: waits before attempts 2..7 have ceilings 1, 2, 4, 8, 8, 8 s; each is in [ceiling/2, ceiling].
      long[] ceilings = {1, 2, 4, 8, 8, 8};
      for (int i = 0; i < ceilings.length; i++) {
        assertThat(waits.get(i)).isBetween(Duration.ofMillis(ceilings[i] * 500), Duration.ofSeconds(ceilings[i]));
      }
      // Attempt 7 succeeds; attempt 8 runs at the next slot on the 1 h grid, fails, and the backoff starts
      // again at 1 s.
      assertThat(lastAttempt.get()).isBetween(t(3600), t(3603));
      assertThat(waits.get(7)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(waits.get(8)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
      assertThat(loop.currentLoop()).isEqualTo(2);
      assertThat(loop.isRunning()).isTrue();
      List<String> warnings = logs.messages(Level.WARN);
      assertThat(warnings).hasSize(8);
      assertThat(warnings.getFirst()).startsWith("Loop 'test-loop' iteration failed (java.util.concurrent.TimeoutException: slow); retry 1 in ");
      assertThat(warnings.get(1)).contains("UncheckedIOException").contains("retry 2 in ");
    }

    @Test
    void aRetryKeepsItsSlotSoTheGridIsUnchanged() {
      AtomicInteger attempts = new AtomicInteger();
      Loop loop = every(Duration.ofMinutes(1)).build(() -> {
        ranAt.add(time.now());
        if (attempts.incrementAndGet() == 2) {
          throw new IOException("once");
        }
      });
      loop.start();
      time.advance(Duration.ofMinutes(3));
      assertThat(ranAt).hasSize(5);
      assertThat(ranAt.subList(0, 2)).containsExactly(t(0), t(60));
      assertThat(ranAt.get(2)).isBetween(t(60), t(61));
      assertThat(ranAt.subList(3, 5)).containsExactly(t(120), t(180));
    }

    @Test
    void reconnectFalseMakesHandledExceptionsFatal() {
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      Loop loop = every(Duration.ofSeconds(1)).reconnect(false).onError(errors::add)
          .afterLoop(() -> events.add("after"))
          .build(() -> {
            throw new IOException("down");
          });
      loop.start();
      time.settle();
      assertThat(errors).singleElement().isInstanceOf(IOException.class);
      assertThat(loop.failed()).isTrue();
      assertThat(loop.lastError()).containsSame(errors.getFirst());
      assertThat(events).containsExactly("after");
      assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void unhandledExceptionGoesToTheErrorHookAndEndsTheLoop() {
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      Loop loop = every(Duration.ofSeconds(1)).onError(errors::add).afterLoop(() -> events.add("after"))
          .build(() -> {
            ranAt.add(time.now());
            throw new IllegalStateException("bug");
          });
      loop.start();
      time.advance(Duration.ofSeconds(5));
      assertThat(ranAt).containsExactly(t(0));
      assertThat(errors).singleElement(InstanceOfAssertFactories.THROWABLE).hasMessage("bug");
      assertThat(events).containsExactly("after");
      assertThat(loop.failed()).isTrue();
      assertThat(logs.messages(Level.WARN)).containsExactly(
          "Loop 'test-loop' stopped by an unhandled error: java.lang.IllegalStateException: bug");
    }

    @Test
    void withoutAnErrorHookTheErrorIsLoggedAtError() {
      Loop loop = every(Duration.ofSeconds(1)).build(() -> {
        throw new AssertionError("invariant broken");
      });
      loop.start();
      time.settle();
      assertThat(loop.failed()).isTrue();
      assertThat(loop.lastError()).get().isInstanceOf(AssertionError.class);
      assertThat(logs.messages(Level.ERROR)).containsExactly("Loop 'test-loop' stopped by an unhandled error");
    }

    @Test
    void exceptionInTheBeforeHookIsReportedRunsTheAfterHookAndSetsFailed() {
      // discord.py loses this one: no error handler, no after_loop, failed() false.
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      Loop loop = every(Duration.ofSeconds(1)).onError(errors::add)
          .beforeLoop(() -> {
            throw new IOException("not ready");
          })
          .afterLoop(() -> events.add("after"))
          .build(recordTime());
      loop.start();
      time.advance(Duration.ofSeconds(5));
      assertThat(errors).singleElement(InstanceOfAssertFactories.THROWABLE).hasMessage("not ready");
      assertThat(events).containsExactly("after");
      assertThat(loop.failed()).isTrue();
      assertThat(ranAt).isEmpty();
      assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void exceptionInTheAfterHookIsReportedAndSetsFailed() {
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      Loop loop = every(Duration.ofSeconds(1)).count(1).onError(errors::add)
          .afterLoop(() -> {
            throw new IllegalStateException("cleanup failed");
          })
          .build(recordTime());
      loop.start();
      time.settle();
      assertThat(errors).singleElement(InstanceOfAssertFactories.THROWABLE).hasMessage("cleanup failed");
      assertThat(loop.failed()).isTrue();
    }

    @Test
    void anErrorHookThatThrowsIsLoggedNotLost() {
      Loop loop = every(Duration.ofSeconds(1))
          .onError(e -> {
            throw new IllegalStateException("hook broke");
          })
          .build(() -> {
            throw new IllegalArgumentException("body broke");
          });
      loop.start();
      time.settle();
      assertThat(loop.failed()).isTrue();
      assertThat(logs.messages(Level.ERROR)).containsExactly(
          "Loop 'test-loop': its error hook threw while handling an error (suppressed below)");
    }

    @Test
    void exceptionTypesCanBeAddedRemovedAndCleared() {
      Loop loop = every(Duration.ofSeconds(1)).handle(IllegalStateException.class).build(recordTime());
      assertThat(loop.exceptionTypes()).containsExactly(
          IOException.class, UncheckedIOException.class, TimeoutException.class, IllegalStateException.class);
      assertThat(loop.removeExceptionType(IOException.class, IllegalStateException.class)).isTrue();
      assertThat(loop.removeExceptionType(IOException.class, TimeoutException.class)).isFalse();
      assertThat(loop.exceptionTypes()).containsExactly(UncheckedIOException.class);
      loop.addExceptionType(ArithmeticException.class);
      assertThat(loop.exceptionTypes()).containsExactly(UncheckedIOException.class, ArithmeticException.class);
      loop.clearExceptionTypes();
      assertThat(loop.exceptionTypes()).isEmpty();
    }

    @Test
    void anAddedExceptionTypeIsRetriedAndAClearedOneIsFatal() {
      AtomicInteger attempts = new AtomicInteger();
      Loop loop = every(Duration.ofMinutes(1)).build(() -> {
        if (attempts.incrementAndGet() <= 2) {
          throw new ArithmeticException("transient");
        }
      });
      loop.addExceptionType(ArithmeticException.class);
      loop.start();
      time.advance(Duration.ofSeconds(30));
      assertThat(loop.currentLoop()).isEqualTo(1);
      assertThat(loop.isRunning()).isTrue();

      loop.clearExceptionTypes();
      AtomicInteger ioAttempts = new AtomicInteger();
      Loop strict = every(Duration.ofMinutes(1)).build(() -> {
        ioAttempts.incrementAndGet();
        throw new IOException("now fatal");
      });
      strict.clearExceptionTypes();
      strict.start();
      time.advance(Duration.ofMinutes(5));
      assertThat(ioAttempts).hasValue(1);
      assertThat(strict.failed()).isTrue();
    }

    @Test
    void stopDuringBackoffEndsWithoutRetrying() {
      AtomicInteger attempts = new AtomicInteger();
      Loop loop = every(Duration.ofMinutes(1)).build(() -> {
        attempts.incrementAndGet();
        throw new IOException("down");
      });
      loop.start();
      time.settle();
      assertThat(loop.nextIteration()).get().isNotEqualTo(t(60));
      loop.stop();
      time.advance(Duration.ofMinutes(10));
      assertThat(attempts).hasValue(1);
      assertThat(loop.isRunning()).isFalse();
      assertThat(loop.failed()).isFalse();
    }
  }

  @Nested
  class ChangingTheCadence {
    @Test
    void changeIntervalDuringASleepReArmsThatSleep() {
      Loop loop = every(Duration.ofSeconds(60)).build(recordTime());
      loop.start();
      time.advance(Duration.ofSeconds(5));
      assertThat(loop.nextIteration()).contains(t(60));
      loop.changeInterval(Duration.ofSeconds(10));
      assertThat(loop.nextIteration()).contains(t(10));
      time.advance(Duration.ofSeconds(25));
      assertThat(ranAt).containsExactly(t(0), t(10), t(20), t(30));
    }

    @Test
    void changeIntervalToOneThatHasAlreadyPassedRunsAtOnce() {
      Loop loop = every(Duration.ofSeconds(60)).build(recordTime());
      loop.start();
      time.advance(Duration.ofSeconds(30));
      loop.changeInterval(Duration.ofSeconds(20));
      time.settle();
      assertThat(ranAt).containsExactly(t(0), t(30));
      time.advance(Duration.ofSeconds(10));
      assertThat(ranAt).containsExactly(t(0), t(30), t(40));
    }

    @Test
    void changeIntervalBeforeStartIsAllowed() {
      Loop loop = every(Duration.ofSeconds(60)).build(recordTime());
      loop.changeInterval(Duration.ofSeconds(5));
      loop.start();
      time.advance(Duration.ofSeconds(10));
      assertThat(ranAt).containsExactly(t(0), t(5), t(10));
    }

    @Test
    void changeScheduleReArmsAWaitingLoop() {
      Loop loop = every(Duration.ofHours(1)).build(recordTime());
      loop.start();
      time.advance(Duration.ofMinutes(1));
      loop.changeSchedule(Schedule.cron("*/15 * * * *", ZoneId.of("UTC")));
      assertThat(loop.nextIteration()).contains(T0.plus(Duration.ofMinutes(15)));
      time.advance(Duration.ofMinutes(30));
      assertThat(ranAt).containsExactly(T0, T0.plus(Duration.ofMinutes(15)), T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void invalidSettingsAreRefusedWithTheirName() {
      assertThatThrownBy(() -> Loop.every(Duration.ZERO)).hasMessage("loop interval must be positive, was PT0S");
      assertThatThrownBy(() -> Loop.every(Duration.ofSeconds(1)).count(0))
          .hasMessage("loop count must be at least 1, was 0");
      assertThatThrownBy(() -> Loop.every(Duration.ofSeconds(1)).name(" ")).hasMessage("loop name must not be blank");
      assertThatThrownBy(() -> Loop.every(Duration.ofSeconds(1)).backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
          .hasMessage("backoff maximum PT1S is shorter than its initial delay PT5S");
      Loop loop = every(Duration.ofSeconds(1)).build(recordTime());
      assertThatThrownBy(() -> loop.changeInterval(Duration.ofSeconds(-1)))
          .hasMessage("loop interval must be positive, was PT-1S");
    }
  }
}
