package carillon.bot.web.auth;

import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits failed logins per key (an account name, a client address): after {@code maxFailures} within
 * {@code window}, further attempts are refused until the oldest failure leaves the window, whatever the
 * password. In memory: a restart forgets, which an attacker cannot trigger from outside.
 */
final class LoginLimiter {
  /** Keys kept at most; past it the least recently failed are forgotten (bounded memory under a spray). */
  private static final int MAX_KEYS = 10_000;

  private final TimeSource time;
  private final int maxFailures;
  private final Duration window;
  // Guarded by itself; access order, so the eldest entry is the least recently touched.
  private final LinkedHashMap<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
      return size() > MAX_KEYS;
    }
  };

  LoginLimiter(TimeSource time, int maxFailures, Duration window) {
    this.time = time;
    this.maxFailures = maxFailures;
    this.window = window;
  }

  /** How long until {@code key} may try again; zero if it may now. */
  Duration blockedFor(String key) {
    Instant now = time.now();
    synchronized (failures) {
      Deque<Instant> recent = failures.get(key);
      if (recent == null) {
        return Duration.ZERO;
      }
      prune(recent, now);
      if (recent.size() < maxFailures) {
        return Duration.ZERO;
      }
      return Duration.between(now, recent.peekFirst().plus(window));
    }
  }

  void failed(String key) {
    Instant now = time.now();
    synchronized (failures) {
      Deque<Instant> recent = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
      prune(recent, now);
      recent.addLast(now);
      while (recent.size() > maxFailures) {
        recent.removeFirst();
      }
    }
  }

  void succeeded(String key) {
    synchronized (failures) {
      failures.remove(key);
    }
  }

  private void prune(Deque<Instant> recent, Instant now) {
    Instant cutoff = now.minus(window);
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
      recent.removeFirst();
    }
  }
}
