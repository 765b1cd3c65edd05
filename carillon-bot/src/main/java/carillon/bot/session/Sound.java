package carillon.bot.session;

import java.time.Duration;

/**
 * How a session's playlist is played, beyond what plays: a fade-in over the first seconds of a run, a
 * fade-out over its last seconds, and shuffle (a new order each run, recorded in the run's history).
 * A run cut at its maximum duration always fades out: over {@code fadeOut} if set, else over the
 * {@code playback.cutFade} setting (docs/sessions.md, "Fades").
 *
 * @param fadeIn zero for none, at most {@link SessionLimits#MAX_FADE}
 * @param fadeOut zero for none, at most {@link SessionLimits#MAX_FADE}
 */
public record Sound(Duration fadeIn, Duration fadeOut, boolean shuffle) {
  /** No fades, playlist order: Carillon's behaviour before fades and shuffle. */
  public static final Sound PLAIN = new Sound(Duration.ZERO, Duration.ZERO, false);
}
