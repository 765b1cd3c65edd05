package carillon.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When a loop's iterations fall due: on a fixed-rate grid, or on a {@link Schedule}. */
sealed interface Cadence {

  /** The slot of the first iteration, for a loop whose before-hook finished at {@code now}. */
  Optional<Instant> first(Instant now);

  /** The slot after {@code slot}, if the iteration at {@code slot} finishes in time. */
  Optional<Instant> after(Instant slot);

  /** The slot after {@code slot}, whose iteration ended at {@code endedAt}, under {@code overrun}. */
  Optional<Instant> next(Instant slot, Instant endedAt, Overrun overrun);

  /** Where a loop waiting for its next slot should wake after its cadence changed to this one. */
  Optional<Instant> rearm(Instant previousSlot, Instant now);

  record Every(Duration interval) implements Cadence {
    public Every {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("loop interval must be positive, was " + interval);
      }
    }

    @Override
    public Optional<Instant> first(Instant now) {
      return Optional.of(now); // an interval loop runs at once when started, then on the grid
    }

    @Override
    public Optional<Instant> after(Instant slot) {
      return Optional.of(slot.plus(interval));
    }

    @Override
    public Optional<Instant> next(Instant slot, Instant endedAt, Overrun overrun) {
      Instant following = slot.plus(interval);
      return Optional.of(switch (overrun) {
        case CATCH_UP -> following;
        case DELAY -> endedAt.plus(interval);
        case SKIP -> {
          if (!following.isBefore(endedAt)) {
            yield following;
          }
          // Skip the slots that passed while the body ran; a slot exactly at endedAt is not missed.
          long step = interval.toNanos();
          long late = Duration.between(slot, endedAt).toNanos();
          long slots = (late + step - 1) / step;
          yield slot.plus(interval.multipliedBy(slots));
        }
      });
    }

    @Override
    public Optional<Instant> rearm(Instant previousSlot, Instant now) {
      return Optional.of(previousSlot == null ? now : previousSlot.plus(interval));
    }
  }

  record On(Schedule schedule) implements Cadence {
    @Override
    public Optional<Instant> first(Instant now) {
      return schedule.next(now);
    }

    @Override
    public Optional<Instant> after(Instant slot) {
      return schedule.next(slot);
    }

    @Override
    public Optional<Instant> next(Instant slot, Instant endedAt, Overrun overrun) {
      return switch (overrun) {
        case CATCH_UP -> schedule.next(slot);
        case DELAY -> schedule.next(endedAt);
        case SKIP -> {
          Optional<Instant> following = schedule.next(slot);
          if (following.isEmpty() || !following.get().isBefore(endedAt)) {
            yield following;
          }
          yield schedule.next(endedAt.minusNanos(1));
        }
      };
    }

    @Override
    public Optional<Instant> rearm(Instant previousSlot, Instant now) {
      return schedule.next(now);
    }
  }
}
