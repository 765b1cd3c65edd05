package carillon.bot.library;

/** The CRC-32 of Ogg pages (RFC 3533 s6): polynomial 0x04c11db7, not reflected, initial value and final XOR 0. */
final class OggCrc {
  private static final int[] TABLE = table();

  private OggCrc() {}

  /** {@code crc} continued over {@code length} bytes of {@code bytes} from {@code offset}; start from 0. */
  static int update(int crc, byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ bytes[i]) & 0xff];
    }
    return crc;
  }

  private static int[] table() {
    int[] table = new int[256];
    for (int i = 0; i < 256; i++) {
      int r = i << 24;
      for (int bit = 0; bit < 8; bit++) {
        r = (r & 0x8000_0000) != 0 ? (r << 1) ^ 0x04c1_1db7 : r << 1;
      }
      table[i] = r;
    }
    return table;
  }
}
