package carillon.bot.library;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/** Writes a 16-bit PCM WAV file of a sine tone, for tests: audio made in Java, no downloads. */
public final class Wav {
  private Wav() {}

  public static byte[] tone(double hz, Duration length, int sampleRate, int channels) {
    int frames = (int) (length.toMillis() * sampleRate / 1000);
    ByteBuffer pcm = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      short sample = (short) (Math.sin(2 * Math.PI * hz * i / sampleRate) * 0.5 * Short.MAX_VALUE);
      for (int c = 0; c < channels; c++) {
        pcm.putShort(sample);
      }
    }
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + pcm.capacity()).put("WAVE".getBytes());
    header.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(sampleRate)
        .putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    header.put("data".getBytes()).putInt(pcm.capacity());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(pcm.array());
    return out.toByteArray();
  }
}
