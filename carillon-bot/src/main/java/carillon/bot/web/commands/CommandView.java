package carillon.bot.web.commands;

import carillon.bot.queue.CommandRecord;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A command as the API, the event stream and the pages show it.
 *
 * @param session the session's id
 * @param volume the volume asked for, in percent; null unless a VOLUME command
 * @param isFinal whether the status will not change any more (JSON {@code final})
 * @param result what happened, once known
 */
public record CommandView(long id, String kind, long session, Integer volume, String source, String requestedBy,
    Instant requestedAt, String status, @JsonProperty("final") boolean isFinal, String result, Instant finishedAt) {

  public static CommandView of(CommandRecord c) {
    return new CommandView(c.id(), c.kind().name(), c.sessionId(), c.volume().orElse(null), c.source().name(),
        c.requestedBy(), c.requestedAt(), c.status().name(), c.status().isFinal(), c.result().orElse(null),
        c.finishedAt().orElse(null));
  }
}
