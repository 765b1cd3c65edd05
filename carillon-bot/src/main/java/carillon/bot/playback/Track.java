package carillon.bot.playback;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An audio file ready to play: its library id, name, file and duration, and the gain in dB that brings it
 * to the target loudness (0: play it as it is, which keeps Ogg/Opus passthrough).
 *
 * @param partWay the file and gain to play when starting part-way (a run resumed after a crash): the
 *     library's original, because LavaPlayer 2.2.6 cannot start an Ogg/Opus file part-way (its Ogg/Opus
 *     handler takes the seek before it has a packet router: a NullPointerException, and the track fails)
 */
public record Track(String id, String name, Path file, Duration duration, double gainDb, PartWay partWay) {
  /** What plays when a track starts part-way. */
  public record PartWay(Path file, double gainDb) {}

  /** A track that starts part-way from the same file. */
  public Track(String id, String name, Path file, Duration duration, double gainDb) {
    this(id, name, file, duration, gainDb, new PartWay(file, gainDb));
  }

  /** A track played as it is, at 0 dB. */
  public Track(String id, String name, Path file, Duration duration) {
    this(id, name, file, duration, 0);
  }
}
