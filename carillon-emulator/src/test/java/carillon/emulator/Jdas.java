package carillon.emulator;

import java.time.Duration;
import net.dv8tion.jda.api.JDA;

/** How the emulator's tests stop a JDA. */
final class Jdas {
  private Jdas() {}

  /**
   * Stops {@code jda} so that it logs nothing: {@code shutdown} lets requests in flight finish, where
   * {@code shutdownNow} interrupts them and JDA's rate limiter logs each as an ERROR (which the log guard then
   * blames on whichever test runs); {@code shutdownNow} only if it has not stopped within 10 s.
   */
  static void stop(JDA jda) {
    jda.shutdown();
    try {
      if (!jda.awaitShutdown(Duration.ofSeconds(10))) {
        jda.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      jda.shutdownNow();
    }
  }
}
