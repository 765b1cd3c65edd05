package carillon.tasks;

/**
 * Told about an error that ends a loop: an unhandled exception from an iteration or from the
 * before-hook, or a handled one when reconnecting is off. The default logs it at ERROR with the
 * loop's name.
 *
 * <pre>{@code
 * Loop.every(Duration.ofMinutes(1))
 *     .onError(error -> alerts.send("sync loop died: " + error))
 *     .build(this::sync);
 * }</pre>
 */
@FunctionalInterface
public interface ErrorHook {
  void onError(Throwable error);
}
