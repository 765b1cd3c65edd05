package carillon.bot.queue;

import java.time.Instant;
import java.util.Optional;

/** A command as stored: what was asked, by whom, when, and how it ended. */
public record CommandRecord(
    long id,
    CommandKind kind,
    long sessionId,
    Optional<Integer> volume,
    CommandSource source,
    String requestedBy,
    Instant requestedAt,
    CommandStatus status,
    Optional<String> result,
    Optional<Instant> finishedAt) {}
