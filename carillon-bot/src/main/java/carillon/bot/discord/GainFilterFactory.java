package carillon.bot.discord;

import com.sedmelluq.discord.lavaplayer.filter.AudioFilter;
import com.sedmelluq.discord.lavaplayer.filter.FloatPcmAudioFilter;
import com.sedmelluq.discord.lavaplayer.filter.PcmFilterFactory;
import com.sedmelluq.discord.lavaplayer.filter.UniversalPcmAudioFilter;
import com.sedmelluq.discord.lavaplayer.format.AudioDataFormat;
import com.sedmelluq.discord.lavaplayer.track.AudioTrack;
import java.util.List;

/**
 * A LavaPlayer filter that multiplies every sample by a fixed gain: how a file that is not an Ogg/Opus copy
 * (an original not encoded yet, which LavaPlayer decodes anyway) is brought to the target
 * loudness before it is encoded to Opus. The gain already keeps the true peak below -1 dBTP
 * (LoudnessTarget), so nothing here limits; the volume is applied after it, by the Fader.
 */
final class GainFilterFactory implements PcmFilterFactory {
  private final float factor;

  GainFilterFactory(double gainDb) {
    this.factor = (float) Math.pow(10, gainDb / 20);
  }

  float factor() {
    return factor;
  }

  @Override
  public List<AudioFilter> buildChain(AudioTrack track, AudioDataFormat format, UniversalPcmAudioFilter output) {
    return List.of(new FloatPcmAudioFilter() {
      @Override
      public void process(float[][] input, int offset, int length) throws InterruptedException {
        for (float[] channel : input) {
          for (int i = offset; i < offset + length; i++) {
            channel[i] *= factor;
          }
        }
        output.process(input, offset, length);
      }

      @Override
      public void seekPerformed(long requestedTime, long providedTime) {
        // stateless
      }

      @Override
      public void flush() {
        // stateless
      }

      @Override
      public void close() {
        // nothing held
      }
    });
  }
}
