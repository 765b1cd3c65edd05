package carillon.bot.library;

import java.util.Arrays;

/**
 * A file's peak envelope, for a thumbnail: {@link #BUCKETS} equal slices of its decoded audio in time
 * order, each the largest sample magnitude of either channel in it, scaled to 0..255 (255: full scale).
 * Measured once at import from the same 48 kHz stereo PCM as its loudness ({@link AudioProbe}); a file
 * shorter than {@code BUCKETS} blocks of {@value #FIRST_BLOCK} samples repeats a block across slices.
 *
 * <p>Memory while measuring is bounded whatever the length: at most {@value #MAX_BLOCKS} block maxima,
 * merged in pairs (the block doubling) when full. Not thread-safe: one per decode.
 */
public final class Waveform {
  /** How many slices a waveform has. */
  public static final int BUCKETS = 160;
  static final int FIRST_BLOCK = 480; // 10 ms at 48 kHz
  static final int MAX_BLOCKS = 4096;

  private final byte[] peaks;

  private Waveform(byte[] peaks) {
    this.peaks = peaks;
  }

  /**
   * A waveform as stored: {@link #BUCKETS} bytes, each an unsigned peak.
   *
   * @throws IllegalArgumentException if it is not {@code BUCKETS} bytes long
   */
  public static Waveform of(byte[] stored) {
    if (stored.length != BUCKETS) {
      throw new IllegalArgumentException("a waveform is " + BUCKETS + " bytes, was " + stored.length);
    }
    return new Waveform(stored.clone());
  }

  /** The stored form: {@link #BUCKETS} unsigned bytes. */
  public byte[] bytes() {
    return peaks.clone();
  }

  /** Slice {@code i}'s peak, 0 (silence) to 255 (full scale). */
  public int peak(int i) {
    return peaks[i] & 0xFF;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Waveform w && Arrays.equals(peaks, w.peaks);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(peaks);
  }

  @Override
  public String toString() {
    return "Waveform" + Arrays.toString(peaks);
  }

  /** Measures a waveform from decoded audio, fed in any chunks. */
  static final class Builder {
    private int[] blocks = new int[MAX_BLOCKS]; // max |sample| of each block, 0..32768
    private int used;
    private long blockSize = FIRST_BLOCK;
    private long inBlock;
    private int current;

    /** Adds 16-bit little-endian interleaved stereo PCM, {@code length} bytes of {@code data}. */
    void addPcm16(byte[] data, int length) {
      for (int i = 0; i + 3 < length; i += 4) {
        int left = Math.abs((short) (data[i] & 0xFF | data[i + 1] << 8));
        int right = Math.abs((short) (data[i + 2] & 0xFF | data[i + 3] << 8));
        current = Math.max(current, Math.max(left, right));
        if (++inBlock == blockSize) {
          endBlock();
        }
      }
    }

    private void endBlock() {
      if (used == MAX_BLOCKS) {
        for (int b = 0; b < MAX_BLOCKS / 2; b++) {
          blocks[b] = Math.max(blocks[2 * b], blocks[2 * b + 1]);
        }
        used = MAX_BLOCKS / 2;
        blockSize *= 2;
      }
      blocks[used++] = current;
      current = 0;
      inBlock = 0;
    }

    /** The waveform of everything added; all zero if nothing was. */
    Waveform build() {
      int[] all = Arrays.copyOf(blocks, used + (inBlock > 0 ? 1 : 0));
      if (inBlock > 0) {
        all[used] = current; // the last, partial block
      }
      byte[] peaks = new byte[BUCKETS];
      int n = all.length;
      for (int i = 0; i < BUCKETS && n > 0; i++) {
        int from = (int) ((long) i * n / BUCKETS);
        int to = Math.max(from + 1, (int) (((long) i + 1) * n + BUCKETS - 1) / BUCKETS);
        int max = 0;
        for (int b = from; b < Math.min(to, n); b++) {
          max = Math.max(max, all[b]);
        }
        peaks[i] = (byte) Math.min(255, Math.round(max * 255.0 / 32767));
      }
      return new Waveform(peaks);
    }
  }
}
