package carillon.tasks;

/**
 * Work a loop does once before its first iteration ({@link Loop.Builder#beforeLoop}) or once after its
 * last ({@link Loop.Builder#afterLoop}).
 *
 * <pre>{@code
 * Loop.every(Duration.ofSeconds(5))
 *     .beforeLoop(jda::awaitReady)
 *     .afterLoop(() -> log.info("printer stopped"))
 *     .build(this::print);
 * }</pre>
 */
@FunctionalInterface
public interface Hook {
  void run() throws Exception;
}
