package carillon.bot.web.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The slots of a guild at one moment: each bot account in it, what it plays, how far it is.
 *
 * @param guild the guild's id, as a string (JSON numbers lose precision above 2^53)
 */
record Snapshot(String guild, Instant at, List<Slot> slots) {

  /** One bot account's voice slot in the guild: idle, or playing a run. */
  sealed interface Slot permits Idle, Playing {}

  /** @param state always IDLE */
  record Idle(String account, String state) implements Slot {}

  /**
   * @param state PLAYING or PAUSED
   * @param startedAt when the run began to play; null while it joins
   * @param elapsedMs since {@code startedAt}; the page counts on from it
   * @param volume in percent
   * @param track what plays now; null between tracks
   * @param plannedMs how long the run is planned to last (the session's longest run), or null if it ends with its
   *     playlist: the session's progress bar
   * @param listeners people (not bots) in the voice channel, or null while unknown
   * @param framesSent 20 ms voice packets sent on the connection so far, or null while unknown: the page's
   *     packets-per-second indicator compares two snapshots
   * @param playedBy in a cluster, answered by a process that does not hold the guild: the process id that plays
   *     the run (its owner in the store); then {@code track}, {@code listeners} and {@code framesSent} are null
   *     (only the holder knows them). Left out when this process plays it.
   */
  record Playing(String account, String state, SessionName session, long runId, Instant startedAt, long elapsedMs,
      int volume, TrackNow track, Long plannedMs, Integer listeners, Long framesSent,
      @JsonInclude(JsonInclude.Include.NON_NULL) String playedBy) implements Slot {}

  record SessionName(long id, String name) {}

  /** @param elapsedMs how far into the track; {@code remainingMs} how much is left */
  record TrackNow(String id, String name, long durationMs, long elapsedMs, long remainingMs) {}

  /** A session was created, changed or deleted: pages reload their list. */
  record SessionChange(long id, String guild, boolean deleted) {}
}
