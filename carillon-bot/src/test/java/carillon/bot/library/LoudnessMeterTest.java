package carillon.bot.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** EBU Tech 3341 (v4) reference signals, generated here: the meter must read them within its tolerances. */
class LoudnessMeterTest {
  static final int RATE = LoudnessMeter.RATE;

  /** Feeds {@code seconds} of a stereo sine (the same in both channels) at {@code dbfs} peak level. */
  static void sine(LoudnessMeter meter, double hz, double dbfs, double seconds, double phase) {
    double amplitude = Math.pow(10, dbfs / 20);
    int frames = (int) Math.round(seconds * RATE);
    double[] samples = new double[frames];
    for (int i = 0; i < frames; i++) {
      samples[i] = amplitude * Math.sin(2 * Math.PI * hz * i / RATE + phase);
    }
    meter.add(samples, samples, frames);
  }

  @Test
  void case1And2SteadySines() {
    LoudnessMeter at23 = new LoudnessMeter();
    sine(at23, 1000, -23, 20, 0);
    assertThat(at23.integratedLufs().orElseThrow()).isCloseTo(-23.0, within(0.1));
    LoudnessMeter at33 = new LoudnessMeter();
    sine(at33, 1000, -33, 20, 0);
    assertThat(at33.integratedLufs().orElseThrow()).isCloseTo(-33.0, within(0.1));
  }

  /** The integrated loudness of 1 kHz stereo sines played one after another: {dBFS, seconds} each. */
  static double sequence(double[]... levelAndSeconds) {
    LoudnessMeter meter = new LoudnessMeter();
    for (double[] part : levelAndSeconds) {
      sine(meter, 1000, part[0], part[1], 0);
    }
    return meter.integratedLufs().orElseThrow();
  }

  @Test
  void case3TheRelativeGateLeavesOutTheQuietParts() {
    assertThat(sequence(new double[] {-36, 10}, new double[] {-23, 60}, new double[] {-36, 10}))
        .isCloseTo(-23.0, within(0.1));
  }

  @Test
  void case4TheAbsoluteGateLeavesOutNearSilence() {
    assertThat(sequence(new double[] {-72, 10}, new double[] {-36, 10}, new double[] {-23, 60}, new double[] {-36, 10},
        new double[] {-72, 10})).isCloseTo(-23.0, within(0.1));
  }

  @Test
  void silenceHasNoIntegratedLoudness() {
    LoudnessMeter meter = new LoudnessMeter();
    meter.add(new double[RATE], new double[RATE], RATE);
    assertThat(meter.integratedLufs()).isEmpty();
    sine(meter, 1000, -80, 5, 0);
    assertThat(meter.integratedLufs()).isEmpty();
  }

  @Test
  void truePeakFindsThePeakBetweenSamples() {
    // A quarter of the sample rate, sampled 45 degrees off its peaks: samples are 3 dB below the true
    // peak. Tech 3341's true-peak tolerance is +0.2/-0.4 dB.
    LoudnessMeter meter = new LoudnessMeter();
    sine(meter, RATE / 4.0, -6, 1, Math.PI / 4);
    assertThat(meter.truePeakDbtp()).isBetween(-6.4, -5.8);
    LoudnessMeter plain = new LoudnessMeter();
    sine(plain, 1000, -6, 1, 0);
    assertThat(plain.truePeakDbtp()).isBetween(-6.4, -5.8);
  }
}
