package carillon.bot.playback;

import carillon.bot.session.SessionLimits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * What playback needs from Discord's voice side. The Discord module implements it with JDA and
 * LavaPlayer; tests use an in-memory one.
 */
public interface VoicePort {

  /**
   * Joins {@code channelId}, a voice or Stage channel, with the slot's account (moving it if it is
   * elsewhere in the guild). In a Stage the account becomes a speaker (or asks to speak) and opens a Stage
   * instance with {@code topic} if it may; leaving closes the instance it opened.
   *
   * @throws VoiceException if it cannot: the reason names what is missing and the channel, e.g.
   *     "missing permission Speak in 'Meditation Hall'"
   */
  Connection join(VoiceSlot slot, long channelId, String topic) throws VoiceException;

  /** A bot account in a voice channel. */
  interface Connection {
    /**
     * Completes, with the reason a person reads, when someone else ends this connection for good: a member
     * or moderator disconnected the bot (or moved it away again after it returned once), the channel was
     * deleted, a permission it needs there was revoked. Never completes when Carillon leaves by itself.
     */
    default CompletableFuture<String> lost() {
      return new CompletableFuture<>();
    }

    /** How many members (bots not counted) are in the connection's channel now; -1 if it cannot tell. */
    default int members() {
      return -1;
    }

    /**
     * Calls {@code listener} with the new member count (bots not counted) whenever someone joins or leaves
     * the connection's channel, until the connection is left. It must return at once.
     */
    default void watchMembers(IntConsumer listener) {}

    /** Opus frames (20 ms voice packets) sent on this connection so far; -1 when not counted. */
    default long framesSent() {
      return -1;
    }

    /**
     * Starts playing {@code track} at {@code from} (zero: from its beginning; a resumed run starts where
     * it was); the returned handle says when it ends.
     */
    PlayingTrack play(Track track, Duration from) throws VoiceException;

    /** Volume in percent, {@link SessionLimits#MIN_VOLUME} to {@link SessionLimits#MAX_VOLUME}. */
    void volume(int percent);

    /**
     * Ramps the level of what is sent, from {@code from} to {@code to} (0 silent, 1 as the file is), over
     * the next {@code over} of audio sent (pauses do not count), then holds {@code to} until the next fade,
     * across tracks. It returns at once. A port that cannot change the level ignores it.
     */
    default void fade(double from, double to, Duration over) {}

    /** Leaves the voice channel. */
    void leave();
  }

  /** A track being played. */
  interface PlayingTrack {
    /** Completes when the track ends: played to its end, stopped, or failed. */
    CompletableFuture<TrackEnd> ended();

    /** How far into the track playback is. */
    Duration position();

    void pause();

    void resume();

    /** Ends the track now; {@link #ended()} completes with {@link TrackEnd#STOPPED}. */
    void stop();
  }

  /** How a track ended. */
  enum TrackEnd { FINISHED, STOPPED, FAILED }
}
