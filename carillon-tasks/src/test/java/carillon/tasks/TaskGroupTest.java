package carillon.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.testing.ExpectedLog;
import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TaskGroupTest {
  static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

  @RegisterExtension final LogCapture logs = new LogCapture();

  final ManualTimeSource time = new ManualTimeSource(T0);
  final TaskGroup group = TaskGroup.create("test-group", time);

  static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(5, TimeUnit.SECONDS)).as("latch released in time").isTrue();
  }

  @Test
  void spawnedTaskIsHeldUntilItEndsAndThenListedAsEnded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Task task = group.spawn("upload", release::await);
    assertThat(group.snapshot()).singleElement().satisfies(info -> {
      assertThat(info.name()).isEqualTo("upload");
      assertThat(info.kind()).isEqualTo(TaskInfo.Kind.TASK);
      assertThat(info.state()).isEqualTo(TaskInfo.State.RUNNING);
    });
    release.countDown();
    assertThat(task.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(task.state()).isEqualTo(TaskInfo.State.ENDED);
    assertThat(group.snapshot()).singleElement().extracting(TaskInfo::state).isEqualTo(TaskInfo.State.ENDED);
  }

  @ExpectedLog(logger = "carillon.tasks.Task", message = "no channel") // the log line is the behaviour
  @Test
  void aFailingTaskIsLoggedWithItsNameAndKept() throws Exception {
    Task task = group.spawn("send reminder", () -> {
      throw new IllegalStateException("no channel");
    });
    assertThat(task.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(task.state()).isEqualTo(TaskInfo.State.FAILED);
    assertThat(task.failure()).get().extracting(Throwable::getMessage).isEqualTo("no channel");
    assertThat(logs.messages(Level.ERROR)).containsExactly("Task 'send reminder' failed");
    assertThat(group.snapshot()).singleElement().satisfies(info -> {
      assertThat(info.state()).isEqualTo(TaskInfo.State.FAILED);
      assertThat(info.lastError()).get().extracting(Throwable::getMessage).isEqualTo("no channel");
    });
  }

  @Test
  void snapshotShowsLoopsWithStateNextRunAndIterations() {
    Loop loop = group.add(Loop.every(Duration.ofMinutes(1)).name("heartbeat").timeSource(time).build(() -> {}));
    Loop idle = group.add(Loop.every(Duration.ofMinutes(1)).name("idle").timeSource(time).build(() -> {}));
    loop.start();
    time.advance(Duration.ofMinutes(2));
    assertThat(group.snapshot()).containsExactly(
        new TaskInfo("heartbeat", TaskInfo.Kind.LOOP, TaskInfo.State.WAITING,
            Optional.of(T0.plus(Duration.ofMinutes(3))), 3, Optional.empty()),
        new TaskInfo("idle", TaskInfo.Kind.LOOP, TaskInfo.State.IDLE, Optional.empty(), 0,
            Optional.empty()));
    assertThat(idle.isRunning()).isFalse();
  }

  @Test
  void shutdownStopsLoopsGracefullyAndWaitsForTasks() throws Exception {
    // The task can only finish once the loop's after-hook has run, that is, during the shutdown.
    CountDownLatch finishTask = new CountDownLatch(1);
    AtomicBoolean afterRan = new AtomicBoolean();
    Loop loop = group.add(Loop.every(Duration.ofMinutes(1)).name("sync").timeSource(time)
        .afterLoop(() -> {
          afterRan.set(true);
          finishTask.countDown();
        }).build(() -> {}));
    loop.start();
    time.settle();
    CountDownLatch taskStarted = new CountDownLatch(1);
    Task flush = group.spawn("flush", () -> {
      taskStarted.countDown();
      finishTask.await();
    });
    await(taskStarted);

    ShutdownReport report = group.shutdown(Duration.ofSeconds(10));

    assertThat(flush.state()).isEqualTo(TaskInfo.State.ENDED);
    assertThat(report.allEnded()).isTrue();
    assertThat(report.entries()).extracting(ShutdownReport.Entry::name, ShutdownReport.Entry::ending)
        .containsExactly(
            Tuple.tuple("sync", ShutdownReport.Ending.FINISHED),
            Tuple.tuple("flush", ShutdownReport.Ending.FINISHED));
    assertThat(afterRan).isTrue();
    assertThat(loop.isRunning()).isFalse();
  }

  @Test
  void shutdownCancelsWhatDoesNotStopInTimeAndReportsWhatIgnoresInterruption() throws Exception {
    CountDownLatch stubbornStarted = new CountDownLatch(1);
    AtomicBoolean letGo = new AtomicBoolean();
    group.spawn("stubborn", () -> {
      stubbornStarted.countDown();
      while (!letGo.get()) {
        Thread.onSpinWait(); // ignores interruption on purpose
      }
    });
    CountDownLatch politeStarted = new CountDownLatch(1);
    group.spawn("polite", () -> {
      politeStarted.countDown();
      new CountDownLatch(1).await(); // ends when interrupted
    });
    CountDownLatch loopBodyStarted = new CountDownLatch(1);
    Loop loop = group.add(Loop.every(Duration.ofMinutes(1)).name("long-iteration").timeSource(time).build(() -> {
      loopBodyStarted.countDown();
      new CountDownLatch(1).await();
    }));
    loop.start();
    await(stubbornStarted);
    await(politeStarted);
    await(loopBodyStarted);

    ShutdownReport report = group.shutdown(Duration.ofMillis(500));

    assertThat(report.entries()).extracting(ShutdownReport.Entry::name, ShutdownReport.Entry::ending)
        .containsExactly(
            Tuple.tuple("long-iteration", ShutdownReport.Ending.CANCELLED),
            Tuple.tuple("stubborn", ShutdownReport.Ending.NOT_ENDED),
            Tuple.tuple("polite", ShutdownReport.Ending.CANCELLED));
    assertThat(report.took()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(report.notEnded()).extracting(ShutdownReport.Entry::name).containsExactly("stubborn");
    assertThat(logs.messages(Level.WARN)).contains("Task group 'test-group': task 'stubborn' did not end within PT0.5S");
    letGo.set(true);
  }

  @Test
  void shutdownIsIdempotentAndRefusesNewWork() {
    ShutdownReport first = group.shutdown(Duration.ofSeconds(1));
    ShutdownReport second = group.shutdown(Duration.ofSeconds(1));
    assertThat(second).isSameAs(first);
    assertThat(group.isShutdown()).isTrue();
    assertThatThrownBy(() -> group.spawn("late", () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot spawn task 'late': task group 'test-group' is shut down");
    assertThatThrownBy(() -> group.add(Loop.every(Duration.ofSeconds(1)).name("late-loop").build(() -> {})))
        .hasMessage("cannot add loop 'late-loop': task group 'test-group' is shut down");
  }

  @Test
  void concurrentShutdownsShareOneReport() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    group.spawn("slow", () -> {
      started.countDown();
      release.await();
    });
    await(started);
    AtomicReference<ShutdownReport> fromHook = new AtomicReference<>();
    Thread hook = Thread.ofVirtual().start(() -> fromHook.set(group.shutdown(Duration.ofSeconds(10))));
    // Whichever call comes first does the work; the other waits for the same report.
    Thread other = Thread.ofVirtual().start(release::countDown);
    ShutdownReport mine = group.shutdown(Duration.ofSeconds(10));
    hook.join();
    other.join();
    assertThat(fromHook.get()).isSameAs(mine);
    assertThat(mine.allEnded()).isTrue();
  }

  @Test
  void cancellingATaskInterruptsIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Task task = group.spawn("waiter", () -> {
      started.countDown();
      new CountDownLatch(1).await();
    });
    await(started);
    task.cancel();
    assertThat(task.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(task.state()).isEqualTo(TaskInfo.State.CANCELLED);
    assertThat(task.failure()).isEmpty();
  }
}
