package carillon.bot.web.sessions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A session as the API shows it: its fields in the API's units, its state and its next occurrence.
 * Ids are strings (JSON numbers lose precision above 2^53), except the session's own.
 *
 * @param whenAlone the presence policy's STAY, END or PAUSE; {@code aloneAfterMinutes} is null with STAY
 * @param publishEvent whether Carillon keeps a Discord scheduled event for the next occurrence
 * @param shuffle whether each run plays the playlist in a new order (recorded in the run's history)
 * @param state PLAYING, PAUSED, DISABLED, SCHEDULED or IDLE
 * @param nextStart the next occurrence; null when disabled or none is left
 * @param nextStartLocal the same in the guilds' time zone, ISO-8601 with offset
 * @param playedBy in a cluster, answered by a process that does not hold the guild: the process id that plays
 *     the session's run (the run's owner in the store); left out otherwise
 */
record SessionView(long id, String guild, String name, String voiceChannel, String textChannel, String mentionRole,
    String schedule, List<String> playlist, long gapSeconds, Long maxDurationMinutes, boolean repeat,
    long reminderMinutes, String startText, String endText, boolean enabled, long lateGraceMinutes,
    Long waitForMemberMinutes, String whenAlone, Long aloneAfterMinutes, boolean publishEvent, long fadeInSeconds,
    long fadeOutSeconds, boolean shuffle, Instant updatedAt,
    String state, Instant nextStart, String nextStartLocal,
    @JsonInclude(JsonInclude.Include.NON_NULL) String playedBy) {}
