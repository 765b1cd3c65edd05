package carillon.bot.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoudnessTargetTest {
  final LoudnessTarget target = new LoudnessTarget(-18);

  @Test
  void theGainBringsAFileToTheTarget() {
    assertThat(target.gainDb(Optional.of(new Loudness(-23, -10)))).isCloseTo(5, within(1e-9));
    assertThat(target.gainDb(Optional.of(new Loudness(-9, -0.5)))).isCloseTo(-9, within(1e-9));
  }

  @Test
  void theTruePeakIsNotRaisedAboveMinusOneDbtp() {
    // 12 dB would reach the target, but the peak at -4 dBTP allows only 3.
    assertThat(target.gainDb(Optional.of(new Loudness(-30, -4)))).isCloseTo(3, within(1e-9));
  }

  @Test
  void nearSilenceIsRaisedAtMostTwentyDecibels() {
    assertThat(target.gainDb(Optional.of(new Loudness(-60, -45)))).isCloseTo(20, within(1e-9));
  }

  @Test
  void aFileAtTheTargetOrUnmeasuredPlaysAsItIs() {
    assertThat(target.gainDb(Optional.of(new Loudness(-18.3, -5)))).isZero();
    assertThat(target.gainDb(Optional.empty())).isZero();
  }
}
