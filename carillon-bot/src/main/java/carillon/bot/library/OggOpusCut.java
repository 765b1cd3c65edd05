package carillon.bot.library;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * An Ogg/Opus file from part-way through: a complete Ogg/Opus stream of its own (RFC 7845; pages as RFC 3533
 * frames them) that starts at {@code offset} into the file, for a player that cannot seek in Ogg/Opus
 * (LavaPlayer 2.2.6 takes a seek before its Ogg/Opus handler exists and fails).
 *
 * <p>The stream is the file's identification header with a new pre-skip, the file's comment header, then the
 * file's audio packets, byte for byte, from the last packet that starts at least 80 ms before the offset: the
 * pre-roll RFC 7845 s4.6 asks for, so that the decoder has converged by the offset. The pre-skip covers that
 * pre-roll exactly, so a decoder that honours it starts its output at the offset to the sample. A player that
 * passes packets on without decoding them (LavaPlayer to Discord) sends the pre-roll as well: what is heard
 * starts at {@link #startsAt()}, 80 ms to 80 ms plus one packet (20 ms in the library's copies) before the
 * offset. Pages are laid out anew: sequence numbers from 0, granule positions counted from the cut (the last
 * page keeps the file's end trimming), CRCs computed.
 *
 * <p>The file is read as the stream is read, a page at a time: nothing is written to disk and memory stays at
 * about one page. Only the file's first logical stream is read (a chained file ends with its first link).
 * Reading the part before the offset costs a sequential read of it, not a decode.
 *
 * <pre>{@code
 * try (OggOpusCut cut = OggOpusCut.open(copy, Duration.ofSeconds(95))) {
 *   play(cut); // an InputStream of Ogg pages
 * }
 * }</pre>
 */
public final class OggOpusCut extends InputStream {
  /** Samples at 48 kHz a decoder needs before the offset to converge: 80 ms (RFC 7845 s4.6). */
  static final int PRE_ROLL = 3_840;
  /** Packets per page written: 50 packets of 20 ms, as {@link OggOpusWriter} writes them. */
  private static final int PACKETS_PER_PAGE = 50;
  private static final int MAX_SEGMENTS = 255;

  private final Packets source;
  private final Duration startsAt;
  /** Samples (48 kHz) of the file's packets left out before the cut. */
  private final long shift;
  private final Pages out;
  /** The next packet of the file to write, read one ahead so that the last page is known as the last. */
  private byte[] next;
  /** Samples of the packets written so far: the granule position at the end of the last one. */
  private long written;
  private byte[] page = new byte[0];
  private int pageAt;
  private boolean ended;
  private final byte[] one = new byte[1];

  private OggOpusCut(Packets source, Duration startsAt, long shift, Pages out, byte[] first) {
    this.source = source;
    this.startsAt = startsAt;
    this.shift = shift;
    this.out = out;
    this.next = first;
  }

  /**
   * Opens {@code file} cut at {@code offset} (zero or more; beyond the end gives a stream with no audio).
   *
   * @throws IOException if the file cannot be read, or is not an Ogg/Opus stream (the message says what
   *     was found where), or is damaged (a page whose CRC does not match, a packet without a TOC byte)
   */
  public static OggOpusCut open(Path file, Duration offset) throws IOException {
    if (offset.isNegative()) {
      throw new IllegalArgumentException("offset " + offset + " is negative");
    }
    Packets source = new Packets(new BufferedInputStream(Files.newInputStream(file), 64 * 1024), file);
    try {
      byte[] head = source.next();
      if (head == null || head.length < 19 || !startsWith(head, "OpusHead") || (head[8] & 0xf0) != 0) {
        throw new IOException(file.getFileName() + " is not an Ogg/Opus stream: its first packet is not an Opus"
            + " identification header (RFC 7845 s5.1)");
      }
      byte[] tags = source.next();
      if (tags == null || !startsWith(tags, "OpusTags")) {
        throw new IOException(file.getFileName() + " is not an Ogg/Opus stream: its second packet is not an Opus"
            + " comment header (RFC 7845 s5.2)");
      }
      int preSkip = ByteBuffer.wrap(head, 10, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
      long offsetSamples = offset.toNanos() / 1_000 * 48 / 1_000;
      // The cut is at the last packet that starts no later than the pre-roll before the offset; a packet
      // starts where the decoded samples of those before it end (the pre-skip counted in, RFC 7845 s4.2).
      long target = offsetSamples + preSkip - PRE_ROLL;
      long before = 0;
      byte[] first = source.next();
      while (first != null) {
        long samples = samples(first, file);
        if (before + samples > target) {
          break;
        }
        before += samples;
        first = source.next();
      }
      int newPreSkip = first == null ? preSkip : (int) Math.min(0xffff, offsetSamples + preSkip - before);
      byte[] newHead = head.clone();
      ByteBuffer.wrap(newHead, 10, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) newPreSkip);
      Pages out = new Pages(source.serial());
      out.packet(newHead, 0);
      out.flush(0x02);
      out.packet(tags, 0);
      out.flush(0);
      Duration startsAt = Duration.ofNanos(Math.max(0, before - preSkip) * 1_000_000 / 48);
      return new OggOpusCut(source, startsAt, before, out, first);
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }

  /**
   * Where in the file the stream's first packet starts (its pre-roll included): what a player that passes
   * packets on plays first. Zero when the cut is within the pre-roll of the start.
   */
  public Duration startsAt() {
    return startsAt;
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pageAt == page.length) {
      if (!refill()) {
        return -1;
      }
    }
    int n = Math.min(len, page.length - pageAt);
    System.arraycopy(page, pageAt, b, off, n);
    pageAt += n;
    return n;
  }

  /** Lays out the next page(s) from the file's packets; false at the end of the stream. */
  private boolean refill() throws IOException {
    while (!out.hasPages()) {
      if (ended) {
        return false;
      }
      byte[] packet = next;
      if (packet == null) {
        out.flush(0x04); // no audio left after the cut: an empty last page
        ended = true;
        break;
      }
      written += samples(packet, source.file);
      next = source.next();
      if (next == null) {
        // The file's last page trims the encoder's padding (RFC 7845 s4.4): the same end, counted from the cut.
        long trimmed = source.granule() < 0 ? written : Math.min(written, source.granule() - shift);
        out.packet(packet, Math.max(out.lastGranule(), trimmed));
        out.flush(0x04);
        ended = true;
      } else {
        out.packet(packet, written);
        if (out.packets() == PACKETS_PER_PAGE) {
          out.flush(0);
        }
      }
    }
    page = out.take();
    pageAt = 0;
    return true;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  /**
   * Samples at 48 kHz that an Opus packet decodes to, from its TOC byte (RFC 6716 s3.1): the frame size of
   * its configuration times its frame count. An empty packet decodes to nothing.
   */
  static long samples(byte[] packet, Path file) throws IOException {
    if (packet.length == 0) {
      return 0;
    }
    int config = (packet[0] & 0xff) >> 3;
    int frame;
    if (config < 12) {
      frame = new int[] {480, 960, 1920, 2880}[config & 3]; // SILK-only: 10, 20, 40, 60 ms
    } else if (config < 16) {
      frame = (config & 1) == 0 ? 480 : 960; // hybrid: 10, 20 ms
    } else {
      frame = new int[] {120, 240, 480, 960}[config & 3]; // CELT-only: 2.5, 5, 10, 20 ms
    }
    int frames = switch (packet[0] & 3) {
      case 0 -> 1;
      case 1, 2 -> 2;
      default -> {
        if (packet.length < 2) {
          throw new IOException(file.getFileName() + " has an Opus packet of code 3 without its frame count");
        }
        yield packet[1] & 0x3f;
      }
    };
    return (long) frame * frames;
  }

  private static boolean startsWith(byte[] packet, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    return packet.length >= m.length && Arrays.equals(packet, 0, m.length, m, 0, m.length);
  }

  /** The packets of an Ogg file's first logical stream, in order, checked against each page's CRC. */
  private static final class Packets implements AutoCloseable {
    private final InputStream in;
    final Path file;
    private long at;
    private int serial = -1;
    private boolean streamEnded;
    private final byte[] header = new byte[27];
    private final int[] lacing = new int[MAX_SEGMENTS];
    private int segments;
    private int segment;
    private byte[] body = new byte[0];
    private int bodyAt;
    private long pageGranule = -1;
    /** The granule position of the last page read that ended a packet. */
    private long granule = -1;

    Packets(InputStream in, Path file) {
      this.in = in;
      this.file = file;
    }

    int serial() {
      return serial;
    }

    /** The granule position of the page the last packet returned ended on (-1 before any). */
    long granule() {
      return granule;
    }

    /** The next packet, or null at the end of the stream. */
    byte[] next() throws IOException {
      ByteArrayOutputStream packet = new ByteArrayOutputStream();
      while (true) {
        if (segment == segments && !nextPage()) {
          return null; // a packet cut off by the end of the file is not a packet
        }
        int size = lacing[segment++];
        packet.write(body, bodyAt, size);
        bodyAt += size;
        if (size < 255) {
          if (segment == segments || lastPacketEndsBefore()) {
            granule = pageGranule;
          }
          return packet.toByteArray();
        }
      }
    }

    /** Whether no packet ends on the page after the current segment. */
    private boolean lastPacketEndsBefore() {
      for (int i = segment; i < segments; i++) {
        if (lacing[i] < 255) {
          return false;
        }
      }
      return true;
    }

    /** Reads the next page of the stream; false at its end (end of file, or its last page read). */
    private boolean nextPage() throws IOException {
      while (!streamEnded) {
        int got = in.readNBytes(header, 0, 27);
        if (got == 0) {
          return false;
        }
        if (got < 27 || !startsWith(header, "OggS") || header[4] != 0) {
          throw new IOException(file.getFileName() + " has no Ogg page at byte " + at
              + (got < 27 ? " (the file ends inside a page header)" : ""));
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int flags = header[5];
        long pageGranuleHere = h.getLong(6);
        int pageSerial = h.getInt(14);
        int expectedCrc = h.getInt(22);
        int count = header[26] & 0xff;
        byte[] table = readFully(count);
        int length = 0;
        for (int i = 0; i < count; i++) {
          length += table[i] & 0xff;
        }
        byte[] content = readFully(length);
        int crc = OggCrc.update(OggCrc.update(OggCrc.update(0, header, 0, 22), new byte[4], 0, 4), header, 26, 1);
        crc = OggCrc.update(OggCrc.update(crc, table, 0, count), content, 0, length);
        if (crc != expectedCrc) {
          throw new IOException(file.getFileName() + " is damaged: the Ogg page at byte " + at + " fails its CRC");
        }
        at += 27 + count + length;
        if (serial == -1) {
          serial = pageSerial;
        }
        if (pageSerial != serial) {
          continue; // another logical stream multiplexed in: not ours
        }
        streamEnded = (flags & 0x04) != 0;
        for (int i = 0; i < count; i++) {
          lacing[i] = table[i] & 0xff;
        }
        segments = count;
        segment = 0;
        body = content;
        bodyAt = 0;
        pageGranule = pageGranuleHere;
        return true;
      }
      return false;
    }

    private byte[] readFully(int length) throws IOException {
      byte[] bytes = in.readNBytes(length);
      if (bytes.length < length) {
        throw new EOFException(file.getFileName() + " ends inside the Ogg page at byte " + at);
      }
      return bytes;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Packets laid out in Ogg pages (RFC 3533): a packet longer than a page goes on over the next ones. */
  private static final class Pages {
    private final int serial;
    private int sequence;
    private final int[] lacing = new int[MAX_SEGMENTS];
    private int segments;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final ByteArrayOutputStream ready = new ByteArrayOutputStream();
    private int packets;
    /** The granule position of the last packet ended on the current page; -1 if none. */
    private long granule = -1;
    private long lastGranule;
    private boolean continued;

    Pages(int serial) {
      this.serial = serial;
    }

    void packet(byte[] data, long granuleAtEnd) {
      int at = 0;
      while (true) {
        if (segments == MAX_SEGMENTS) {
          flush(0);
          continued = at > 0; // the page goes on with a packet begun on the one before
        }
        int size = Math.min(255, data.length - at);
        lacing[segments++] = size;
        body.write(data, at, size);
        at += size;
        if (size < 255) {
          break;
        }
      }
      granule = granuleAtEnd;
      lastGranule = granuleAtEnd;
      packets++;
    }

    int packets() {
      return packets;
    }

    long lastGranule() {
      return lastGranule;
    }

    /** Ends the current page (even an empty one) with these header flags. */
    void flush(int flags) {
      byte[] content = body.toByteArray();
      ByteBuffer p = ByteBuffer.allocate(27 + segments + content.length).order(ByteOrder.LITTLE_ENDIAN);
      p.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) (flags | (continued ? 0x01 : 0)))
          .putLong(granule).putInt(serial).putInt(sequence++).putInt(0).put((byte) segments);
      for (int i = 0; i < segments; i++) {
        p.put((byte) lacing[i]);
      }
      p.put(content);
      byte[] bytes = p.array();
      p.putInt(22, OggCrc.update(0, bytes, 0, bytes.length));
      ready.writeBytes(bytes);
      segments = 0;
      body.reset();
      packets = 0;
      granule = -1;
      continued = false;
    }

    boolean hasPages() {
      return ready.size() > 0;
    }

    byte[] take() {
      byte[] pages = ready.toByteArray();
      ready.reset();
      return pages;
    }
  }
}
