package carillon.bot.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Ogg pages and packets read from bytes for tests, written from RFC 3533 independently of the code under
 * test (its own CRC), so that a test checks the production reader and writer against the standard, not
 * against themselves.
 */
public final class OggPages {
  private OggPages() {}

  /**
   * One page. {@code crcMatches}: its CRC field equals the CRC of the page with that field zeroed.
   * {@code packetEnds}: how many packets end on it.
   */
  public record Page(int version, int flags, long granule, int serial, int sequence, boolean crcMatches,
      int[] lacing, byte[] body, int packetEnds) {
    public boolean continued() {
      return (flags & 0x01) != 0;
    }

    public boolean bos() {
      return (flags & 0x02) != 0;
    }

    public boolean eos() {
      return (flags & 0x04) != 0;
    }
  }

  /** The pages of {@code bytes}, which must be nothing but pages. */
  public static List<Page> pages(byte[] bytes) {
    List<Page> pages = new ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      if (!new String(bytes, at, 4, StandardCharsets.US_ASCII).equals("OggS")) {
        throw new AssertionError("no capture pattern at byte " + at);
      }
      ByteBuffer h = ByteBuffer.wrap(bytes, at, 27).order(ByteOrder.LITTLE_ENDIAN);
      int count = bytes[at + 26] & 0xff;
      int[] lacing = new int[count];
      int length = 0;
      int ends = 0;
      for (int i = 0; i < count; i++) {
        lacing[i] = bytes[at + 27 + i] & 0xff;
        length += lacing[i];
        ends += lacing[i] < 255 ? 1 : 0;
      }
      int size = 27 + count + length;
      byte[] page = Arrays.copyOfRange(bytes, at, at + size);
      int stored = h.getInt(at + 22);
      page[22] = page[23] = page[24] = page[25] = 0;
      byte[] body = Arrays.copyOfRange(bytes, at + 27 + count, at + size);
      pages.add(new Page(bytes[at + 4], bytes[at + 5], h.getLong(at + 6), h.getInt(at + 14), h.getInt(at + 18),
          crc(page) == stored, lacing, body, ends));
      at += size;
    }
    return pages;
  }

  /** The packets of the pages, in order, put together across pages. */
  public static List<byte[]> packets(List<Page> pages) {
    List<byte[]> packets = new ArrayList<>();
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    for (Page page : pages) {
      int at = 0;
      for (int size : page.lacing()) {
        packet.write(page.body(), at, size);
        at += size;
        if (size < 255) {
          packets.add(packet.toByteArray());
          packet.reset();
        }
      }
    }
    return packets;
  }

  /**
   * Writes packets as one logical stream of Ogg pages of at most {@code maxSegments} segments each: a
   * packet longer than the room left goes on over the next pages. A page also ends after each packet whose
   * index is in {@code endPageAfter}. {@code granules[i]} is the granule position at the end of packet i.
   */
  public static byte[] write(int serial, List<byte[]> packets, long[] granules, int maxSegments, Set<Integer> endPageAfter) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> lacing = new ArrayList<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    long granule = -1;
    boolean continued = false;
    int sequence = 0;
    for (int p = 0; p < packets.size(); p++) {
      byte[] packet = packets.get(p);
      int at = 0;
      while (true) {
        if (lacing.size() == maxSegments) {
          out.writeBytes(page(sequence == 0 ? 0x02 : 0, continued, granule, serial, sequence++, lacing, body));
          lacing.clear();
          body.reset();
          granule = -1;
          continued = at > 0;
        }
        int size = Math.min(255, packet.length - at);
        lacing.add(size);
        body.write(packet, at, size);
        at += size;
        if (size < 255) {
          break;
        }
      }
      granule = granules[p];
      boolean last = p == packets.size() - 1;
      if (last || endPageAfter.contains(p)) {
        out.writeBytes(page((sequence == 0 ? 0x02 : 0) | (last ? 0x04 : 0), continued, granule, serial, sequence++, lacing, body));
        lacing.clear();
        body.reset();
        granule = -1;
        continued = false;
      }
    }
    return out.toByteArray();
  }

  private static byte[] page(int flags, boolean continued, long granule, int serial, int sequence, List<Integer> lacing,
      ByteArrayOutputStream body) {
    ByteBuffer page = ByteBuffer.allocate(27 + lacing.size() + body.size()).order(ByteOrder.LITTLE_ENDIAN);
    page.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) (flags | (continued ? 1 : 0)))
        .putLong(granule).putInt(serial).putInt(sequence).putInt(0).put((byte) lacing.size());
    lacing.forEach(size -> page.put((byte) (int) size));
    page.put(body.toByteArray());
    byte[] bytes = page.array();
    page.putInt(22, crc(bytes));
    return bytes;
  }

  /** RFC 3533's CRC-32, bit by bit: polynomial 0x04c11db7, MSB first, initial value 0, no final XOR. */
  static int crc(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= (b & 0xff) << 24;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04c1_1db7 : crc << 1;
      }
    }
    return crc;
  }
}
