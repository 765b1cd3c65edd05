package carillon.bot.playback;

import java.util.Optional;

/** Finds the file of a playlist entry (the audio library, in the application). */
@FunctionalInterface
public interface TrackCatalog {
  Optional<Track> find(String audioId);
}
