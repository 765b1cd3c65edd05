package carillon.bot.run;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One occurrence of a session in the history.
 *
 * @param trackOrder the order it played its playlist in, as playlist positions from 0 (a shuffled
 *     session's order, recorded when it starts); empty: playlist order
 */
public record Run(
    long id,
    long sessionId,
    Instant scheduledAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    RunOutcome outcome,
    int tracksPlayed,
    Optional<String> account,
    Optional<String> error,
    List<Integer> trackOrder) {

  public Run {
    trackOrder = List.copyOf(trackOrder);
  }

  /** A run played in playlist order. */
  public Run(long id, long sessionId, Instant scheduledAt, Optional<Instant> startedAt, Optional<Instant> endedAt,
      RunOutcome outcome, int tracksPlayed, Optional<String> account, Optional<String> error) {
    this(id, sessionId, scheduledAt, startedAt, endedAt, outcome, tracksPlayed, account, error, List.of());
  }
}
