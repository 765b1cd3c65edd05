package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sedmelluq.discord.lavaplayer.filter.AudioFilter;
import com.sedmelluq.discord.lavaplayer.filter.FloatPcmAudioFilter;
import com.sedmelluq.discord.lavaplayer.filter.UniversalPcmAudioFilter;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GainFilterFactoryTest {
  @Test
  void samplesAreMultipliedByTheGainBeforeTheyGoOn() throws Exception {
    List<float[][]> passed = new ArrayList<>();
    UniversalPcmAudioFilter output = new UniversalPcmAudioFilter() {
      @Override public void process(float[][] input, int offset, int length) {
        passed.add(new float[][] {input[0].clone(), input[1].clone()});
      }
      @Override public void process(short[] input, int offset, int length) {}
      @Override public void process(short[][] input, int offset, int length) {}
      @Override public void process(ShortBuffer buffer) {}
      @Override public void seekPerformed(long requestedTime, long providedTime) {}
      @Override public void flush() {}
      @Override public void close() {}
    };
    List<AudioFilter> chain = new GainFilterFactory(-6.0206).buildChain(null, null, output);
    assertThat(chain).hasSize(1);
    ((FloatPcmAudioFilter) chain.getFirst()).process(new float[][] {{0.8f, -0.4f, 1f}, {0.2f, 0.6f, 1f}}, 0, 2);
    assertThat(passed).singleElement().satisfies(out -> {
      assertThat(out[0][0]).isCloseTo(0.4f, within(1e-4f));
      assertThat(out[0][1]).isCloseTo(-0.2f, within(1e-4f));
      assertThat(out[0][2]).isEqualTo(1f); // outside offset + length: untouched
      assertThat(out[1][1]).isCloseTo(0.3f, within(1e-4f));
    });
  }
}
