package carillon.bot.library;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes Opus packets into an Ogg/Opus stream: one logical stream, 48 kHz stereo, channel mapping family 0.
 * The identification header (RFC 7845 s5.1) and the comment header (s5.2) get a page each; audio pages
 * hold up to one second of packets, and their granule position is the number of 48 kHz samples the packets
 * completed so far decode to, the pre-skipped ones included (s4: the playback position is the granule
 * position minus the pre-skip). The last page ends the stream and trims the encoder's padding at the end (s4.4).
 * Page framing and CRC as RFC 3533 defines them.
 *
 * <p>Written here because no maintained Java library on Maven Central writes Ogg/Opus without bringing its
 * own encoder or a native library; the page format is small and fixed, and LavaPlayer (which plays the
 * result) and the tests read it back.
 */
final class OggOpusWriter implements AutoCloseable {
  /** Packets per page: 50 packets of 20 ms, one second; a seek lands within a second. */
  private static final int PACKETS_PER_PAGE = 50;
  private static final int MAX_SEGMENTS = 255;

  private final OutputStream out;
  private final int serial;
  private final int preSkip;
  private int sequence;
  private final byte[][] packets = new byte[PACKETS_PER_PAGE][];
  private int packetCount;
  private int segmentCount;
  private long granule;
  private boolean closed;

  /**
   * @param serial the stream's serial number (any value; one stream per file)
   * @param preSkip samples at 48 kHz the decoder drops at the start: the encoder's look-ahead
   */
  OggOpusWriter(OutputStream out, int serial, int preSkip) throws IOException {
    this.out = out;
    this.serial = serial;
    this.preSkip = preSkip;
    ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
    head.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 2).putShort((short) preSkip)
        .putInt(48_000).putShort((short) 0).put((byte) 0);
    writePage(new byte[][] {head.array()}, 1, 0, 0x02);
    byte[] vendor = "carillon".getBytes(StandardCharsets.UTF_8);
    ByteBuffer tags = ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(vendor.length).put(vendor).putInt(0);
    writePage(new byte[][] {tags.array()}, 1, 0, 0);
  }

  /** Adds one Opus packet that decodes to {@code samples} samples per channel at 48 kHz. */
  void packet(byte[] data, int length, int samples) throws IOException {
    int segments = length / 255 + 1;
    if (packetCount == PACKETS_PER_PAGE || segmentCount + segments > MAX_SEGMENTS) {
      flush(0);
    }
    byte[] copy = new byte[length];
    System.arraycopy(data, 0, copy, 0, length);
    packets[packetCount++] = copy;
    segmentCount += segments;
    granule += samples;
  }

  /**
   * Ends the stream. {@code playedSamples} is how many samples the source held: the last page's granule
   * position says to drop what the encoder padded beyond them.
   */
  void finish(long playedSamples) throws IOException {
    if (!closed) {
      closed = true;
      granule = Math.min(granule, preSkip + playedSamples);
      flush(0x04);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void flush(int flags) throws IOException {
    writePage(packets, packetCount, granule, flags);
    packetCount = 0;
    segmentCount = 0;
  }

  private void writePage(byte[][] content, int count, long granulePosition, int flags) throws IOException {
    int segments = 0;
    int bodyLength = 0;
    for (int i = 0; i < count; i++) {
      segments += content[i].length / 255 + 1;
      bodyLength += content[i].length;
    }
    ByteBuffer page = ByteBuffer.allocate(27 + segments + bodyLength).order(ByteOrder.LITTLE_ENDIAN);
    page.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) flags).putLong(granulePosition)
        .putInt(serial).putInt(sequence++).putInt(0).put((byte) segments);
    for (int i = 0; i < count; i++) {
      for (int left = content[i].length; ; left -= 255) {
        page.put((byte) Math.min(left, 255));
        if (left < 255) {
          break;
        }
      }
    }
    for (int i = 0; i < count; i++) {
      page.put(content[i]);
    }
    byte[] bytes = page.array();
    page.putInt(22, OggCrc.update(0, bytes, 0, bytes.length));
    out.write(bytes);
  }
}
