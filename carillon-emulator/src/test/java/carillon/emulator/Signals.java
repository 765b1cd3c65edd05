package carillon.emulator;

/** What a test reads from heard audio (48 kHz, 16-bit, interleaved stereo). */
final class Signals {
  private static final int FRAME = 960; // 20 ms at 48 kHz
  /** Frames quieter than this RMS (16-bit scale) are silence, as the voice server counts them. */
  private static final double SILENCE_RMS = 100;

  private Signals() {}

  /**
   * The frequency in Hz of the sounding part of the left channel: rising zero crossings per second over the
   * 20 ms frames that are not silence.
   */
  static double frequencyOfSound(short[] stereo) {
    int frames = stereo.length / 2 / FRAME;
    long crossings = 0;
    int sounding = 0;
    for (int f = 0; f < frames; f++) {
      double sum = 0;
      int start = f * FRAME;
      for (int i = start; i < start + FRAME; i++) {
        double v = stereo[2 * i];
        sum += v * v;
      }
      if (Math.sqrt(sum / FRAME) < SILENCE_RMS) {
        continue;
      }
      sounding++;
      for (int i = Math.max(1, start); i < start + FRAME; i++) {
        if (stereo[2 * (i - 1)] < 0 && stereo[2 * i] >= 0) {
          crossings++;
        }
      }
    }
    if (sounding == 0) {
      throw new AssertionError("no sound in " + frames + " frames");
    }
    return crossings / (sounding * FRAME / 48_000.0);
  }
}
