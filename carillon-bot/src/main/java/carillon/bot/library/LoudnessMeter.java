package carillon.bot.library;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Integrated loudness (LUFS) and true peak (dBTP) of 48 kHz stereo audio, as ITU-R BS.1770-4 defines them
 * and EBU R 128 uses them: K-weighting (a high shelf, then a high pass; the standard's 48 kHz
 * coefficients), mean square over 400 ms blocks overlapping by 75 %, an absolute gate at -70 LUFS and a
 * relative gate 10 LU below the loudness of the blocks above it. True peak: 4x oversampling through a
 * 48-tap Kaiser-windowed sinc interpolator (BS.1770-4 Annex 2 describes a 48-tap, 4-phase one; this one is
 * designed here, not copied), the largest magnitude of the samples and the interpolated values. Checked against EBU Tech 3341's reference signals.
 *
 * <p>No Java library on Maven Central measures this (the one artifact found wraps the C libebur128 through
 * JNA), hence this one. Memory: one double per 100 ms of audio. Not thread-safe: one meter per file.
 *
 * <pre>{@code
 * LoudnessMeter meter = new LoudnessMeter();
 * meter.add(left, right, count);   // as often as needed, samples in [-1, 1]
 * OptionalDouble lufs = meter.integratedLufs();
 * }</pre>
 */
final class LoudnessMeter {
  static final int RATE = 48_000;
  private static final int STEP = RATE / 10; // 100 ms: a block is 4 steps
  private static final double ABSOLUTE_GATE_LUFS = -70;
  private static final double RELATIVE_GATE_LU = -10;
  private static final int PHASES = 4;
  private static final int TAPS_PER_PHASE = 12;
  /** Interpolation filter, by phase: a Kaiser-windowed sinc cut off at the input's Nyquist frequency. */
  private static final double[][] INTERPOLATOR = interpolator();

  private final Biquad[] shelf = {shelf(), shelf()};
  private final Biquad[] highPass = {highPass(), highPass()};
  private final double[][] history = new double[2][TAPS_PER_PHASE];
  private int historyAt;
  private double stepSum;
  private int stepCount;
  private double[] steps = new double[1024]; // mean square of each 100 ms step, both channels summed
  private int stepsUsed;
  private double peak;

  /** Adds {@code count} sample frames, in [-1, 1]. */
  void add(double[] left, double[] right, int count) {
    for (int i = 0; i < count; i++) {
      double l = highPass[0].apply(shelf[0].apply(left[i]));
      double r = highPass[1].apply(shelf[1].apply(right[i]));
      stepSum += l * l + r * r;
      if (++stepCount == STEP) {
        if (stepsUsed == steps.length) {
          steps = Arrays.copyOf(steps, steps.length * 2);
        }
        steps[stepsUsed++] = stepSum / STEP;
        stepSum = 0;
        stepCount = 0;
      }
      truePeak(left[i], right[i]);
    }
  }

  /** Adds 16-bit little-endian interleaved stereo PCM, as LavaPlayer gives it. */
  void addPcm16(byte[] data, int length, double[] left, double[] right) {
    int frames = length / 4;
    for (int i = 0; i < frames; i++) {
      left[i] = (short) (data[4 * i] & 0xFF | data[4 * i + 1] << 8) / 32768.0;
      right[i] = (short) (data[4 * i + 2] & 0xFF | data[4 * i + 3] << 8) / 32768.0;
    }
    add(left, right, frames);
  }

  /** The gated integrated loudness in LUFS; empty when no 400 ms block is above the absolute gate. */
  OptionalDouble integratedLufs() {
    int blocks = stepsUsed - 3;
    if (blocks <= 0) {
      return OptionalDouble.empty();
    }
    double[] power = new double[blocks];
    for (int b = 0; b < blocks; b++) {
      power[b] = (steps[b] + steps[b + 1] + steps[b + 2] + steps[b + 3]) / 4;
    }
    double absolute = powerOf(ABSOLUTE_GATE_LUFS);
    OptionalDouble ungated = meanAbove(power, absolute);
    if (ungated.isEmpty()) {
      return OptionalDouble.empty();
    }
    double relative = powerOf(lufs(ungated.getAsDouble()) + RELATIVE_GATE_LU);
    return OptionalDouble.of(lufs(meanAbove(power, Math.max(absolute, relative)).orElseThrow()));
  }

  /** The true peak in dBTP (dB relative to full scale); negative infinity for silence. */
  double truePeakDbtp() {
    return 20 * Math.log10(peak);
  }

  private static OptionalDouble meanAbove(double[] power, double threshold) {
    double sum = 0;
    int n = 0;
    for (double p : power) {
      if (p > threshold) {
        sum += p;
        n++;
      }
    }
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
  }

  private static double lufs(double power) {
    return -0.691 + 10 * Math.log10(power);
  }

  private static double powerOf(double lufs) {
    return Math.pow(10, (lufs + 0.691) / 10);
  }

  private void truePeak(double l, double r) {
    history[0][historyAt] = l;
    history[1][historyAt] = r;
    historyAt = (historyAt + 1) % TAPS_PER_PHASE;
    for (double[] channel : history) {
      for (double[] phase : INTERPOLATOR) {
        double sum = 0;
        for (int k = 0; k < TAPS_PER_PHASE; k++) {
          // newest sample first
          sum += phase[k] * channel[(historyAt - 1 - k + 2 * TAPS_PER_PHASE) % TAPS_PER_PHASE];
        }
        peak = Math.max(peak, Math.abs(sum));
      }
    }
    peak = Math.max(peak, Math.max(Math.abs(l), Math.abs(r)));
  }

  private static double[][] interpolator() {
    int taps = PHASES * TAPS_PER_PHASE;
    double center = taps / 2.0; // phase 0 passes the samples; phases 1-3 fall a quarter, half, three quarters between
    double beta = 6; // Kaiser window: about 60 dB stop band
    double[][] phases = new double[PHASES][TAPS_PER_PHASE];
    for (int n = 0; n < taps; n++) {
      double x = (n - center) / PHASES;
      double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      double ratio = (n - center) / center;
      double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / besselI0(beta);
      phases[n % PHASES][n / PHASES] = sinc * window;
    }
    return phases;
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; k < 30; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
    }
    return sum;
  }

  private static Biquad shelf() {
    return new Biquad(new Coefficients(1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241,
        0.73248077421585));
  }

  private static Biquad highPass() {
    return new Biquad(new Coefficients(1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621));
  }

  /** A biquad's coefficients, a0 normalised to 1. */
  private record Coefficients(double b0, double b1, double b2, double a1, double a2) {}

  /** A second-order IIR filter, direct form I. */
  private static final class Biquad {
    private final Coefficients c;
    private double x1, x2, y1, y2;

    Biquad(Coefficients c) {
      this.c = c;
    }

    double apply(double x) {
      double y = c.b0() * x + c.b1() * x1 + c.b2() * x2 - c.a1() * y1 - c.a2() * y2;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      return y;
    }
  }
}
