package carillon.bot.app;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntToDoubleFunction;

/**
 * Audio made in Java, for the demo and the tests: no downloads. 48 kHz 16-bit stereo WAV.
 *
 * <pre>{@code
 * Files.write(dir.resolve("bell.wav"), DemoAudio.chime(528, 3));
 * }</pre>
 */
public final class DemoAudio {
  static final int RATE = 48_000;

  private DemoAudio() {}

  /** A bell: inharmonic partials of {@code hz}, each decaying; {@code seconds} long. */
  public static byte[] chime(double hz, double seconds) {
    double[] partials = {1.0, 2.76, 5.40, 8.93};
    double[] levels = {0.5, 0.25, 0.12, 0.06};
    return wav((int) (seconds * RATE), i -> {
      double t = (double) i / RATE;
      double sum = 0;
      for (int p = 0; p < partials.length; p++) {
        sum += levels[p] * Math.exp(-t * (1.2 + p)) * Math.sin(2 * Math.PI * hz * partials[p] * t);
      }
      return sum * Math.min(1, t / 0.005); // a 5 ms attack, no click
    });
  }

  /** A steady tone with 50 ms fades. */
  public static byte[] tone(double hz, double seconds) {
    int frames = (int) (seconds * RATE);
    int fade = RATE / 20;
    return wav(frames, i -> 0.3 * Math.sin(2 * Math.PI * hz * i / RATE)
        * Math.min(1, Math.min((double) i / fade, (double) (frames - i) / fade)));
  }

  private static byte[] wav(int frames, IntToDoubleFunction sample) {
    ByteBuffer pcm = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      short s = (short) Math.round(Math.max(-1, Math.min(1, sample.applyAsDouble(i))) * Short.MAX_VALUE);
      pcm.putShort(s).putShort(s);
    }
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + pcm.capacity()).put("WAVE".getBytes()).put("fmt ".getBytes())
        .putInt(16).putShort((short) 1).putShort((short) 2).putInt(RATE).putInt(RATE * 4).putShort((short) 4)
        .putShort((short) 16).put("data".getBytes()).putInt(pcm.capacity());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(pcm.array());
    return out.toByteArray();
  }
}
