package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.sedmelluq.discord.lavaplayer.natives.opus.OpusDecoder;
import com.sedmelluq.discord.lavaplayer.natives.opus.OpusEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class FaderTest {
  /** 20 ms Opus packets of a 440 Hz sine at 0.3 of full scale in both channels. */
  static List<byte[]> tone(int frames) {
    List<byte[]> packets = new ArrayList<>();
    OpusEncoder encoder = new OpusEncoder(48_000, 2, 10);
    try {
      ShortBuffer pcm = ByteBuffer.allocateDirect(960 * 4).order(ByteOrder.nativeOrder()).asShortBuffer();
      ByteBuffer out = ByteBuffer.allocateDirect(4096);
      for (int f = 0; f < frames; f++) {
        pcm.clear();
        for (int i = 0; i < 960; i++) {
          short v = (short) Math.round(0.3 * 32767 * Math.sin(2 * Math.PI * 440 * (f * 960 + i) / 48_000.0));
          pcm.put(v).put(v);
        }
        pcm.flip();
        int length = encoder.encode(pcm, 960, out);
        byte[] packet = new byte[length];
        out.get(0, packet, 0, length);
        packets.add(packet);
      }
    } finally {
      encoder.close();
    }
    return packets;
  }

  static double rms(OpusDecoder decoder, byte[] packet) {
    ByteBuffer in = ByteBuffer.allocateDirect(packet.length).put(packet).flip();
    ShortBuffer pcm = ByteBuffer.allocateDirect(960 * 2 * 2 * 6).order(ByteOrder.nativeOrder()).asShortBuffer();
    int samples = decoder.decode(in, pcm);
    double sum = 0;
    for (int i = 0; i < samples * 2; i++) {
      sum += (double) pcm.get(i) * pcm.get(i);
    }
    return Math.sqrt(sum / (samples * 2));
  }

  @Test
  void theVolumeAndATracksGainScaleFramesAndAt100PercentTheyPassThroughAgain() {
    List<byte[]> packets = tone(40);
    LongAdder recoded = new LongAdder();
    OpusDecoder listener = new OpusDecoder(48_000, 2);
    try (Fader fader = new Fader(recoded)) {
      for (int i = 0; i < 10; i++) {
        assertThat(fader.apply(packets.get(i))).isSameAs(packets.get(i));
        rms(listener, packets.get(i));
      }
      fader.volume(0.25);
      List<Double> quarter = new ArrayList<>();
      for (int i = 10; i < 25; i++) {
        quarter.add(rms(listener, fader.apply(packets.get(i))));
      }
      // After the switch of encoder settles, a quarter of 6951.
      assertThat(quarter.subList(5, 15)).allSatisfy(l -> assertThat(l).isBetween(6951 * 0.2, 6951 * 0.3));
      fader.volume(2); // 200 % of 0.3 full scale is 0.6: louder, nothing clipped
      List<Double> louder = new ArrayList<>();
      for (int i = 25; i < 35; i++) {
        louder.add(rms(listener, fader.apply(packets.get(i))));
      }
      assertThat(louder.subList(5, 10)).allSatisfy(l -> assertThat(l).isBetween(6951 * 1.8, 6951 * 2.2));
      fader.volume(1);
      assertThat(fader.apply(packets.get(35))).isSameAs(packets.get(35));
      fader.gain(0.5); // a track's gain, on top of the volume
      assertThat(fader.level()).isEqualTo(0.5);
      assertThat(fader.apply(packets.get(36))).isNotSameAs(packets.get(36));
      assertThat(recoded.sum()).isEqualTo(26);
    } finally {
      listener.close();
    }
  }

  @Test
  void framesPassThroughUntouchedOutsideFadesAreRecodedAlongTheRampAndNotSentAtZero() {
    List<byte[]> packets = tone(45);
    LongAdder recoded = new LongAdder();
    // One decoder for everything sent, as a member's client has.
    OpusDecoder listener = new OpusDecoder(48_000, 2);
    try (Fader fader = new Fader(recoded)) {
      for (int i = 0; i < 10; i++) {
        byte[] sent = fader.apply(packets.get(i));
        assertThat(sent).as("frame %d before any fade", i).isSameAs(packets.get(i));
        rms(listener, sent);
      }
      fader.fade(1, 0, Duration.ofMillis(500)); // 25 frames: 5 priming the codecs (sent as they are), a 20-frame ramp
      List<Double> levels = new ArrayList<>();
      for (int i = 10; i < 35; i++) {
        byte[] sent = fader.apply(packets.get(i));
        assertThat(sent).as("frame %d in the fade", i).isNotNull();
        if (i < 15) {
          assertThat(sent).as("priming frame %d", i).isSameAs(packets.get(i));
        }
        levels.add(rms(listener, sent));
      }
      for (int i = 35; i < 45; i++) {
        assertThat(fader.apply(packets.get(i))).as("frame %d after the fade", i).isNull();
      }
      assertThat(recoded.sum()).isEqualTo(25);
      // Full level is 0.3 x 32767 / sqrt(2) = 6951: no dip where the fade begins, then the ramp falls frame by
      // frame from there to nearly nothing (a linear 20-frame ramp is at half its level after 10 frames).
      for (int i = 0; i < 6; i++) {
        assertThat(levels.get(i)).as("frame %d of the fade", i).isBetween(6951 * 0.9, 6951 * 1.05);
      }
      assertThat(levels.get(15)).isBetween(6951 * 0.4, 6951 * 0.6);
      assertThat(levels.get(24)).isLessThan(6951 * 0.08);
      for (int i = 6; i < levels.size(); i++) {
        assertThat(levels.get(i)).as("frame %d of the fade", i).isLessThan(levels.get(i - 1));
      }
      // A fade back in, from silence (no priming needed), and at level 1 the frames pass through once more.
      fader.fade(0, 1, Duration.ofMillis(100));
      for (int i = 0; i < 5; i++) {
        assertThat(fader.apply(packets.get(i))).isNotNull().isNotSameAs(packets.get(i));
      }
      assertThat(fader.apply(packets.get(5))).isSameAs(packets.get(5));
      assertThat(fader.level()).isEqualTo(1);
    } finally {
      listener.close();
    }
  }
}
