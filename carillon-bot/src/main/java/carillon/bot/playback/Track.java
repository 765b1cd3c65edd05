package carillon.bot.playback;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An audio file ready to play: its library id, name, file and duration, and the gain in dB that brings it
 * to the target loudness (0: play it as it is, which keeps Ogg/Opus passthrough). The same file and gain
 * play from the start and part-way (a run resumed after a crash or handed over).
 */
public record Track(String id, String name, Path file, Duration duration, double gainDb) {
  /** A track played as it is, at 0 dB. */
  public Track(String id, String name, Path file, Duration duration) {
    this(id, name, file, duration, 0);
  }
}
