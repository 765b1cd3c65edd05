package carillon.bot.run;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a playing run was when last saved: the playlist entry, the position in that track, how many
 * tracks had been played, and when this was saved.
 */
public record Progress(int trackIndex, Duration position, int tracksPlayed, Instant savedAt) {}
