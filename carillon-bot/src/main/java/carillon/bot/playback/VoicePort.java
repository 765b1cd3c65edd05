package carillon.bot.playback;

import carillon.bot.session.SessionLimits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What playback needs from Discord's voice side. The Discord module implements it with JDA and
 * LavaPlayer; tests use an in-memory one.
 */
public interface VoicePort {

  /** Joins {@code channelId} with the slot's account (moving it if it is elsewhere in the guild). */
  Connection join(VoiceSlot slot, long channelId) throws VoiceException;

  /** A bot account in a voice channel. */
  interface Connection {
    /**
     * Starts playing {@code track} at {@code from} (zero: from its beginning; a resumed run starts where
     * it was); the returned handle says when it ends.
     */
    PlayingTrack play(Track track, Duration from) throws VoiceException;

    /** Volume in percent, {@link SessionLimits#MIN_VOLUME} to {@link SessionLimits#MAX_VOLUME}. */
    void volume(int percent);

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
