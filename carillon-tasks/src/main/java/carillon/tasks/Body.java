package carillon.tasks;

/**
 * The work of a loop iteration or of a background task. It may throw: what happens then is up to
 * the loop's exception handling ({@link Loop.Builder#handle}) or the task group.
 *
 * <pre>{@code
 * Body body = () -> channel.sendMessage("tick").complete();
 * Loop.every(Duration.ofMinutes(5)).build(body).start();
 * }</pre>
 */
@FunctionalInterface
public interface Body {
  void run() throws Exception;
}
