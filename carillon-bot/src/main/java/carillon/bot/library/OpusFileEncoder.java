package carillon.bot.library;

import com.sedmelluq.discord.lavaplayer.natives.opus.OpusEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * 48 kHz stereo 16-bit PCM, a gain applied, to an Ogg/Opus file: 20 ms packets from LavaPlayer's bundled
 * libopus (the encoder it uses for every decoded track, so no second native library and the same output
 * Discord would get), written by {@link OggOpusWriter}.
 *
 * <p>libopus was chosen over a pure-Java encoder (Concentus) because it is already loaded for playback and
 * several times faster; the encoder quality is LavaPlayer's default (10, the highest).
 */
final class OpusFileEncoder implements AutoCloseable {
  /** Samples per channel in a 20 ms packet at 48 kHz. */
  static final int FRAME = 960;
  /** libopus's look-ahead at 48 kHz for the audio application: what a decoder skips at the start (RFC 7845 s4.2). */
  static final int PRE_SKIP = 312;
  private static final int QUALITY = 10;
  private static final int MAX_PACKET = 4000;

  private final OpusEncoder encoder = new OpusEncoder(48_000, 2, QUALITY);
  private final ShortBuffer pcm = ByteBuffer.allocateDirect(FRAME * 2 * 2).order(ByteOrder.nativeOrder()).asShortBuffer();
  private final ByteBuffer packet = ByteBuffer.allocateDirect(MAX_PACKET);
  private final byte[] packetBytes = new byte[MAX_PACKET];
  private final OggOpusWriter ogg;
  private final float factor;

  OpusFileEncoder(Path target, double gainDb) throws IOException {
    this.factor = (float) Math.pow(10, gainDb / 20);
    this.ogg = new OggOpusWriter(new BufferedOutputStream(Files.newOutputStream(target), 64 * 1024),
        target.getFileName().hashCode(), PRE_SKIP);
  }

  /** Adds {@code length} bytes of 16-bit little-endian stereo PCM. */
  void add(byte[] data, int length) throws IOException {
    for (int i = 0; i + 1 < length; i += 2) {
      int sample = (short) ((data[i] & 0xff) | (data[i + 1] << 8));
      pcm.put(clip(sample * factor));
      if (!pcm.hasRemaining()) {
        encode();
      }
    }
  }

  /**
   * Encodes what is left, followed by the encoder's look-ahead in silence (else the last {@link #PRE_SKIP}
   * samples stay inside the encoder) and padded to a whole packet, and ends the stream at {@code samples}
   * per channel.
   */
  void finish(long samples) throws IOException {
    for (int i = 0; i < PRE_SKIP * 2; i++) {
      pcm.put((short) 0);
      if (!pcm.hasRemaining()) {
        encode();
      }
    }
    if (pcm.position() > 0) {
      while (pcm.hasRemaining()) {
        pcm.put((short) 0);
      }
      encode();
    }
    ogg.finish(samples);
  }

  private void encode() throws IOException {
    pcm.flip();
    packet.clear();
    int length = encoder.encode(pcm, FRAME, packet);
    packet.get(0, packetBytes, 0, length);
    ogg.packet(packetBytes, length, FRAME);
    pcm.clear();
  }

  private static short clip(float value) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
  }

  @Override
  public void close() throws IOException {
    try {
      ogg.close();
    } finally {
      encoder.close();
    }
  }
}
