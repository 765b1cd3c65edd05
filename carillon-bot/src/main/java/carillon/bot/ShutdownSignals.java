package carillon.bot;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT: the first starts the graceful shutdown, the second ends the process at once. A
 * shutdown hook cannot do this: once the JVM is shutting down it ignores further signals, so an
 * operator could not stop a shutdown that hangs. sun.misc.Signal is the JDK's only signal API.
 */
final class ShutdownSignals {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

  private final Runnable graceful;
  private final IntConsumer halt;
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  ShutdownSignals(Runnable graceful, IntConsumer halt) {
    this.graceful = graceful;
    this.halt = halt;
  }

  /**
   * Handles SIGTERM and SIGINT with {@code graceful}.
   *
   * @return completes when the graceful shutdown has ended
   */
  static CompletableFuture<Void> install(Runnable graceful) {
    ShutdownSignals signals = new ShutdownSignals(graceful, status -> Runtime.getRuntime().halt(status));
    signals.handle(List.of("TERM", "INT"));
    return signals.done;
  }

  /** Handles the named signals; returns when the graceful shutdown has ended. */
  CompletableFuture<Void> handle(List<String> names) {
    names.forEach(name -> Signal.handle(new Signal(name), this::received));
    return done;
  }

  void received(Signal signal) {
    if (signalled.compareAndSet(false, true)) {
      log.info("SIG{} received: shutting down (send it again to stop at once)", signal.getName());
      // The signal's own thread must return; the shutdown runs on a thread of its own, which the main
      // thread waits for through done.
      Thread.ofPlatform().name("carillon-shutdown").start(() -> {
        try {
          graceful.run();
          done.complete(null);
        } catch (RuntimeException | Error e) {
          done.completeExceptionally(e);
          throw e;
        }
      });
    } else {
      log.warn("SIG{} received again: stopping now, without waiting for the shutdown to finish", signal.getName());
      halt.accept(128 + signal.getNumber());
    }
  }
}
