package carillon.bot.library;

import java.util.Optional;

/**
 * The gain that brings a file to the loudness sessions play at: target minus the file's integrated
 * loudness (EBU R 128 normalisation), lowered so that the true peak stays at or below {@link #CEILING_DBTP}
 * (a quiet file with loud peaks is raised only as far as its peaks allow), and at most {@link #MAX_BOOST_DB}
 * (so near-silence is not raised into audible noise). A gain within {@link #DEAD_BAND_DB} of 0 is 0: the
 * file then plays untouched, so Ogg/Opus still passes through without decoding. A file without a measured
 * loudness (silence, or imported before Carillon measured it) plays at 0 dB.
 *
 * @param targetLufs the integrated loudness to play at, in LUFS
 */
public record LoudnessTarget(double targetLufs) {
  /** The highest true peak a gain may raise a file to (EBU R 128 s1 allows -1 dBTP). */
  public static final double CEILING_DBTP = -1;
  public static final double MAX_BOOST_DB = 20;
  /** Below about 0.5 dB a change of level is hard to hear; not worth losing Opus passthrough for. */
  public static final double DEAD_BAND_DB = 0.5;

  /** The gain in dB for a file with this loudness. */
  public double gainDb(Optional<Loudness> loudness) {
    if (loudness.isEmpty()) {
      return 0;
    }
    double gain = targetLufs - loudness.get().integratedLufs();
    gain = Math.min(gain, CEILING_DBTP - loudness.get().truePeakDbtp());
    gain = Math.min(gain, MAX_BOOST_DB);
    return Math.abs(gain) < DEAD_BAND_DB ? 0 : gain;
  }
}
