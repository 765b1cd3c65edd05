package carillon.emulator;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A RIFF WAVE file of the emulator's decoded voice: PCM, 48 kHz, 16-bit little-endian, two channels. */
final class Wav {
  static final int SAMPLE_RATE = 48_000;
  static final int CHANNELS = 2;

  private Wav() {}

  /** The interleaved samples {@code pcm[from, to)} as a WAV file (44-byte header, then the samples). */
  static byte[] of(short[] pcm, int from, int to) {
    int dataBytes = (to - from) * 2;
    ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(US_ASCII)).putInt(36 + dataBytes)
        .put("WAVE".getBytes(US_ASCII));
    wav.put("fmt ".getBytes(US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) CHANNELS).putInt(SAMPLE_RATE).putInt(SAMPLE_RATE * CHANNELS * 2)
        .putShort((short) (CHANNELS * 2)).putShort((short) 16);
    wav.put("data".getBytes(US_ASCII)).putInt(dataBytes);
    for (int i = from; i < to; i++) {
      wav.putShort(pcm[i]);
    }
    return wav.array();
  }
}
