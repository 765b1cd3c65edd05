package carillon.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The recipes of docs/tasks.md, run on a ManualTimeSource so that what the page promises is checked. */
class RecipesTest {
  final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-05T00:00:00Z"));
  final List<String> printed = new CopyOnWriteArrayList<>();

  @Test
  void simpleBackgroundTask() {
    final class Printer implements AutoCloseable {
      private int index;
      private final Loop printer = Loop.every(Duration.ofSeconds(5)).name("printer").timeSource(time)
          .build(() -> printed.add(String.valueOf(index++)));

      Printer() {
        printer.start();
      }

      @Override
      public void close() {
        printer.cancel();
      }
    }
    Printer p = new Printer();
    time.advance(Duration.ofSeconds(12));
    p.close();
    time.advance(Duration.ofSeconds(10));
    assertThat(printed).containsExactly("0", "1", "2");
  }

  @Test
  void extraExceptionTypeIsRetried() {
    AtomicInteger attempts = new AtomicInteger();
    Loop batchUpdate = Loop.every(Duration.ofMinutes(5)).name("batch-update").timeSource(time)
        .handle(SQLTransientConnectionException.class)
        .build(() -> {
          if (attempts.incrementAndGet() == 1) {
            throw new SQLTransientConnectionException("connection reset");
          }
          printed.add("updated");
        });
    batchUpdate.start();
    time.advance(Duration.ofMinutes(5));
    assertThat(printed).containsExactly("updated", "updated");
    assertThat(batchUpdate.failed()).isFalse();
  }

  @Test
  void countWithAfterHook() {
    Loop[] slowCount = new Loop[1];
    slowCount[0] = Loop.every(Duration.ofSeconds(5)).count(5).timeSource(time)
        .afterLoop(() -> printed.add("done!"))
        .build(() -> printed.add(String.valueOf(slowCount[0].currentLoop())));
    slowCount[0].start();
    time.advance(Duration.ofMinutes(1));
    assertThat(printed).containsExactly("0", "1", "2", "3", "4", "done!");
  }

  @Test
  void waitUntilReadyBeforeTheLoopStarts() throws Exception {
    CountDownLatch ready = new CountDownLatch(1); // stands in for JDA's awaitReady()
    AtomicInteger index = new AtomicInteger();
    Loop printer = Loop.every(Duration.ofSeconds(5)).name("printer").timeSource(time)
        .beforeLoop(() -> {
          printed.add("waiting...");
          assertThat(ready.await(5, TimeUnit.SECONDS)).isTrue();
        })
        .build(() -> printed.add(String.valueOf(index.getAndIncrement())));
    printer.start();
    ready.countDown();
    time.advance(Duration.ofSeconds(5));
    assertThat(printed).containsExactly("waiting...", "0", "1");
  }

  @Test
  void bulkInsertOnCancel() throws Exception {
    List<String> batch = new ArrayList<>();
    List<String> inserted = new CopyOnWriteArrayList<>();
    ReentrantLock lock = new ReentrantLock();
    Runnable doBulk = () -> {
      inserted.addAll(batch);
      batch.clear();
    };
    Loop[] self = new Loop[1];
    Loop bulker = self[0] = Loop.every(Duration.ofSeconds(10)).name("bulker").timeSource(time)
        .afterLoop(() -> {
          if (self[0].isBeingCancelled() && !batch.isEmpty()) {
            doBulk.run();
          }
        })
        .build(() -> {
          lock.lock();
          try {
            doBulk.run();
          } finally {
            lock.unlock();
          }
        });
    bulker.start();
    time.settle();
    batch.add("row added after the last bulk");
    bulker.cancel();
    assertThat(bulker.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(inserted).containsExactly("row added after the last bulk");
  }
}
