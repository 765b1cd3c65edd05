package carillon.bot.run;

import java.time.Instant;
import java.util.Optional;

/** One occurrence of a session in the history. */
public record Run(
    long id,
    long sessionId,
    Instant scheduledAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    RunOutcome outcome,
    int tracksPlayed,
    Optional<String> account,
    Optional<String> error) {}
