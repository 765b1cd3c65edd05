package carillon.tasks;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with "equal jitter": attempt k waits a random time between half and all of
 * {@code min(max, initial * 2^(k-1))}, so retries of many loops spread out but never wait zero.
 */
public record Backoff(Duration initial, Duration max) {
  static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public Backoff {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("backoff initial delay must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff maximum " + max + " is shorter than its initial delay " + initial);
    }
  }

  /** The ceiling of attempt {@code attempt} (1 for the first retry), before jitter. */
  Duration ceiling(int attempt) {
    int doublings = Math.min(attempt - 1, 62);
    long nanos = initial.toNanos();
    long capped = max.toNanos();
    long value = doublings >= Long.numberOfLeadingZeros(nanos) - 1 ? capped : Math.min(capped, nanos << doublings);
    return Duration.ofNanos(value);
  }

  /** How long retry {@code attempt} (1 for the first) waits: between half and all of its ceiling. */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toNanos();
    long half = ceiling / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }
}
