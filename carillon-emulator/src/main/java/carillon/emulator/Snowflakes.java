package carillon.emulator;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** Discord ids: milliseconds since 2015 in the high bits, a counter in the low 22. */
final class Snowflakes {
  static final long DISCORD_EPOCH = 1_420_070_400_000L;
  private final Clock clock;
  private final AtomicLong counter = new AtomicLong();

  Snowflakes(Clock clock) {
    this.clock = clock;
  }

  long next() {
    return ((clock.millis() - DISCORD_EPOCH) << 22) | (counter.incrementAndGet() & 0x3FFFFF);
  }
}
