package carillon.bot.store;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store takes writes: {@link Available}, or {@link Unavailable} since an instant with the
 * last error. It turns unavailable on the first statement that fails for want of the store (disk full,
 * I/O error, PostgreSQL unreachable: see {@link Database}) and available again once a probe write and
 * every write kept meanwhile went through. Each change is logged once, as one line; the statements
 * refused in between are not logged.
 *
 * <pre>{@code
 * switch (db.health().state()) {
 *   case StoreHealth.Available() -> ok();
 *   case StoreHealth.Unavailable(Instant since, String lastError) -> notReady("store unavailable since " + since);
 * }
 * }</pre>
 */
public final class StoreHealth {
  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

  /** The store's state. */
  public sealed interface State permits Available, Unavailable {}

  /** The store takes writes. */
  public record Available() implements State {}

  /**
   * The store does not take writes, since {@code since}; {@code lastError} is the driver's message of the
   * latest failure (for instance "[SQLITE_FULL] ... (database or disk is full)").
   */
  public record Unavailable(Instant since, String lastError) implements State {}

  private final InstantSource clock;
  private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
  private volatile State state = new Available();

  StoreHealth(InstantSource clock) {
    this.clock = clock;
  }

  public State state() {
    return state;
  }

  public boolean isAvailable() {
    return state instanceof Available;
  }

  /** Called on every change of state, on the store's thread: must return at once. */
  public void onChange(Consumer<State> listener) {
    listeners.add(listener);
  }

  /** A statement failed for want of the store; true if this made it unavailable. */
  boolean failed(String error) {
    State before;
    State after;
    synchronized (this) {
      before = state;
      after = before instanceof Unavailable(Instant since, String previous)
          ? new Unavailable(since, error)
          : new Unavailable(clock.instant(), error);
      state = after;
    }
    if (before instanceof Available) {
      log.error("Store unavailable: {}. Requests are answered 503 and playback goes on; writes are kept and made "
          + "when it is back", error);
      tell(after);
      return true;
    }
    return false;
  }

  /** A probe write and every kept write went through. */
  void back() {
    State before;
    synchronized (this) {
      before = state;
      state = new Available();
    }
    if (before instanceof Unavailable(Instant since, String lastError)) {
      log.warn("Store back after being unavailable since {}", since);
      tell(state);
    }
  }

  private void tell(State now) {
    for (Consumer<State> listener : listeners) {
      try {
        listener.accept(now);
      } catch (RuntimeException e) {
        log.error("A store health listener failed", e);
      }
    }
  }
}
