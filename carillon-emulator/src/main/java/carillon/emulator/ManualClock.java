package carillon.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tests move forward by hand, so that deadlines pass without sleeping: give it to
 * {@link DiscordEmulator.Builder#clock} and {@link #advance} it past the interaction deadline. Starts at the
 * system time it was made; UTC only.
 */
public final class ManualClock extends Clock {
  private volatile Instant now = Instant.now();

  /** Moves the clock forward by {@code by}. */
  public void advance(Duration by) {
    now = now.plus(by);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a ManualClock is in UTC only");
  }
}
