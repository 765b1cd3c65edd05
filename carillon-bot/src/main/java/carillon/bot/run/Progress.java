package carillon.bot.run;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a playing run was when last saved, and how: the playlist entry, the position in that track, how
 * many tracks had been played, whether it was paused, its volume in percent, and when this was saved.
 * A run that a crash cut short resumes from it as it was.
 */
public record Progress(int trackIndex, Duration position, int tracksPlayed, boolean paused, int volume,
    Instant savedAt) {}
