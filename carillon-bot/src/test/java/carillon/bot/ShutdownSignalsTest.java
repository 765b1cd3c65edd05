package carillon.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Real signals, raised in this JVM: SIGHUP stands in for SIGTERM so that the test runner keeps its own. */
class ShutdownSignalsTest {

  @Test
  void theFirstSignalShutsDownGracefullyAndASecondOneHaltsAtOnce() throws Exception {
    CountDownLatch shutdownStarted = new CountDownLatch(1);
    CountDownLatch releaseShutdown = new CountDownLatch(1);
    CompletableFuture<Integer> halted = new CompletableFuture<>();
    ShutdownSignals signals = new ShutdownSignals(() -> {
      shutdownStarted.countDown();
      try {
        releaseShutdown.await(30, TimeUnit.SECONDS); // a shutdown that hangs
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, halted::complete);
    SignalHandler previous = Signal.handle(new Signal("HUP"), SignalHandler.SIG_DFL);
    try {
      CompletableFuture<Void> done = signals.handle(List.of("HUP"));
      Signal.raise(new Signal("HUP"));
      assertThat(shutdownStarted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(halted).isNotDone();

      Signal.raise(new Signal("HUP"));
      assertThat(halted.get(10, TimeUnit.SECONDS)).isEqualTo(128 + 1);
      assertThat(done).isNotDone();

      releaseShutdown.countDown();
      done.get(10, TimeUnit.SECONDS);
    } finally {
      releaseShutdown.countDown();
      Signal.handle(new Signal("HUP"), previous);
    }
  }
}
