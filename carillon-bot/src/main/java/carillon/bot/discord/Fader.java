package carillon.bot.discord;

import com.sedmelluq.discord.lavaplayer.natives.opus.OpusDecoder;
import com.sedmelluq.discord.lavaplayer.natives.opus.OpusEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The level of the Opus frames a connection sends: fades, the volume, and a track's gain, decoding only
 * while the level is not 1: a frame at level 1 is sent as it is (Ogg/Opus passthrough), a frame at level
 * 0 is not sent at all (Discord then hears silence), and any other frame is decoded, scaled sample by
 * sample (along a ramp inside a fade; clipped at full scale above 100 %) and encoded again (libopus,
 * LavaPlayer's bundled one). A fade of a few seconds thus costs a few seconds of decoding and encoding,
 * once per run; a volume other than 100 % costs that for as long as it lasts.
 *
 * <p>Volume and gain are applied here rather than by LavaPlayer because LavaPlayer 2.2.6 never closes the
 * decoder and encoder it opens to change the level of an Ogg/Opus track (its Ogg track does not close its
 * handler): each such track left a native decoder and encoder to the finalizer.
 *
 * <p>Opus decoders and encoders carry state from frame to frame (CELT predicts each band's energy from
 * the frame before): started cold in the middle of a stream, the first frames come out far too quiet, an
 * audible dip. So a fade that starts from a level above 0 first primes both on {@link #WARM_UP} frames
 * (sent unchanged), and its ramp is that much shorter so that it still ends on time. A fade from 0 needs
 * no priming: what it starts with is silent.
 *
 * <p>The level follows frames sent (20 ms each), not the wall clock: a pause holds a fade where it is.
 * {@link #fade} may be called from any thread; {@link #apply} is called by JDA's audio thread only.
 */
final class Fader implements AutoCloseable {
  static final int FRAME_SAMPLES = 960;
  private static final Duration FRAME = Duration.ofMillis(20);
  private static final int QUALITY = 10;
  /** Frames that prime the decoder and encoder before a fade from a level above 0: 100 ms. */
  static final int WARM_UP = 5;

  /**
   * A linear ramp of the level from {@code from} to {@code to} over {@code frames} frames from {@code start},
   * the {@code warm} frames before {@code start} priming the codecs.
   */
  private record Ramp(double from, double to, long start, long frames, int warm) {
    double level(double frame) {
      if (frame <= start) {
        return from;
      }
      if (frame >= start + frames) {
        return to;
      }
      return from + (to - from) * (frame - start) / frames;
    }
  }

  private volatile Ramp ramp;
  /** The volume (1 = 100 %) times the current track's gain, on top of the fade. */
  private volatile double volume = 1;
  private volatile double gain = 1;
  /** Frames handed to {@link #apply} so far: written by the audio thread only. */
  private volatile long frames;
  private final LongAdder recoded;
  private OpusDecoder decoder;
  private OpusEncoder encoder;
  private ByteBuffer in;
  private ShortBuffer pcm;
  private ByteBuffer out;
  private boolean closed;

  /** @param recoded counts the frames decoded and encoded again (the cost of fading) */
  Fader(LongAdder recoded) {
    this.recoded = recoded;
  }

  /** Ramps from {@code from} to {@code to} over the next {@code over} of frames sent; then holds {@code to}. */
  void fade(double from, double to, Duration over) {
    long count = Math.max(1, over.toMillis() / FRAME.toMillis());
    int warm = from > 0 && count > WARM_UP ? WARM_UP : 0;
    ramp = new Ramp(clamp(from), clamp(to), frames + warm, count - warm, warm);
  }

  /** Sets the volume, 1 being 100 %; it applies from the next frame. */
  void volume(double factor) {
    volume = Math.max(0, factor);
  }

  /** Sets the gain of the track that starts now, as a factor (1: none). */
  void gain(double factor) {
    gain = Math.max(0, factor);
  }

  /** The level the next frame starts at: 1 before any fade, at 100 % and no gain. */
  double level() {
    Ramp r = ramp;
    return (r == null ? 1 : r.level(frames)) * volume * gain;
  }

  /** The frame to send for {@code opus}: itself at level 1, null at level 0 (send nothing), else faded. */
  synchronized byte[] apply(byte[] opus) {
    long index = frames;
    frames = index + 1;
    Ramp r = ramp;
    double scale = volume * gain;
    if ((r == null && scale == 1) || closed) {
      return opus;
    }
    if (r != null && index < r.start() && index >= r.start() - r.warm()) {
      double level = r.from() * scale;
      byte[] primed = scaled(opus, level, level);
      return level == 1 ? opus : primed;
    }
    double first = (r == null ? 1 : r.level(index)) * scale;
    double last = (r == null ? 1 : r.level(index + 1)) * scale;
    if (first == 1 && last == 1) {
      return opus;
    }
    if (first == 0 && last == 0) {
      return null;
    }
    return scaled(opus, first, last);
  }

  private byte[] scaled(byte[] opus, double first, double last) {
    if (decoder == null) {
      decoder = new OpusDecoder(48_000, 2);
      encoder = new OpusEncoder(48_000, 2, QUALITY);
      in = ByteBuffer.allocateDirect(4096);
      pcm = ByteBuffer.allocateDirect(FRAME_SAMPLES * 2 * 2 * 6).order(ByteOrder.nativeOrder()).asShortBuffer();
      out = ByteBuffer.allocateDirect(4096);
    }
    in.clear();
    in.put(opus).flip();
    pcm.clear();
    int samples = decoder.decode(in, pcm);
    for (int i = 0; i < samples; i++) {
      double level = first + (last - first) * i / samples;
      for (int c = 0; c < 2; c++) {
        int at = 2 * i + c;
        pcm.put(at, (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(pcm.get(at) * level))));
      }
    }
    pcm.position(0).limit(samples * 2);
    int length = encoder.encode(pcm, samples, out);
    byte[] faded = new byte[length];
    out.get(0, faded, 0, length);
    recoded.increment();
    return faded;
  }

  private static double clamp(double level) {
    return Math.max(0, Math.min(1, level));
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (decoder != null) {
      decoder.close();
      encoder.close();
    }
  }
}
