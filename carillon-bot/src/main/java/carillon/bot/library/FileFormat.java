package carillon.bot.library;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a file looks like from its first bytes, in words for a refusal ("a WAV file with 32-bit float
 * samples", "a PNG image"). Only names what it finds: whether the audio decodes is the decoder's business.
 */
final class FileFormat {
  /** The formats an import accepts, as a refusal lists them. */
  static final String SUPPORTED = "MP3, WAV (PCM, float, µ-law or A-law), FLAC, Ogg Vorbis or Opus, M4A/AAC,"
      + " WebM/Matroska (Opus or Vorbis)";

  private static final int HEAD = 4096;

  private FileFormat() {}

  /** A phrase naming what {@code file} holds, e.g. "an MP3 file" or "data of no known format". */
  static String describe(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEAD);
    }
    return describe(head);
  }

  /** Whether {@code file} is a RIFF/WAVE file. */
  static boolean isWav(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] h = in.readNBytes(12);
      return starts(h, 0, "RIFF") && starts(h, 8, "WAVE");
    }
  }

  static String describe(byte[] h) {
    if (starts(h, 0, "RIFF") && starts(h, 8, "WAVE")) {
      return wav(h);
    }
    if (starts(h, 0, "ID3") || h.length > 1 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0 && (h[1] & 0x06) == 0x02) {
      return "an MP3 file";
    }
    if (starts(h, 0, "fLaC")) {
      return "a FLAC file";
    }
    if (starts(h, 0, "OggS")) {
      return "an Ogg file";
    }
    if (starts(h, 4, "ftyp")) {
      return "an MP4/M4A file";
    }
    if (h.length >= 4 && (h[0] & 0xFF) == 0x1A && (h[1] & 0xFF) == 0x45 && (h[2] & 0xFF) == 0xDF && (h[3] & 0xFF) == 0xA3) {
      return "a WebM/Matroska file";
    }
    if (h.length > 1 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xF6) == 0xF0) {
      return "an AAC (ADTS) file";
    }
    if (starts(h, 0, "FORM") && (starts(h, 8, "AIFF") || starts(h, 8, "AIFC"))) {
      return "an AIFF file";
    }
    if (starts(h, 0, "\u0089PNG")) {
      return "a PNG image";
    }
    if (h.length > 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8 && (h[2] & 0xFF) == 0xFF) {
      return "a JPEG image";
    }
    if (starts(h, 0, "%PDF")) {
      return "a PDF document";
    }
    if (starts(h, 0, "PK\u0003\u0004")) {
      return "a ZIP archive";
    }
    if (h.length > 0 && isText(h)) {
      return "text";
    }
    return "data of no known format";
  }

  /** A RIFF/WAVE file: its sample format from the fmt chunk. */
  private static String wav(byte[] h) {
    ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
    int at = 12;
    while (at + 8 <= h.length) {
      String id = new String(h, at, 4, StandardCharsets.ISO_8859_1);
      long size = Integer.toUnsignedLong(b.getInt(at + 4));
      if (id.equals("fmt ") && size >= 16 && at + 24 <= h.length) {
        int tag = b.getShort(at + 8) & 0xFFFF;
        int bits = b.getShort(at + 22) & 0xFFFF;
        if (tag == 0xFFFE && size >= 40 && at + 34 <= h.length) {
          tag = b.getShort(at + 32) & 0xFFFF; // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the tag
        }
        return switch (tag) {
          case 1 -> "a WAV file with " + bits + "-bit PCM samples";
          case 3 -> "a WAV file with " + bits + "-bit float samples";
          case 6 -> "a WAV file with A-law samples";
          case 7 -> "a WAV file with µ-law samples";
          case 2, 0x11 -> "a WAV file with ADPCM samples";
          case 0x55 -> "a WAV file holding MP3";
          default -> "a WAV file with sample format 0x" + Integer.toHexString(tag);
        };
      }
      at += 8 + (int) Math.min(size + (size & 1), Integer.MAX_VALUE - at - 8);
    }
    return "a WAV file without a readable format chunk";
  }

  private static boolean starts(byte[] h, int at, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
    return h.length >= at + m.length && Arrays.equals(h, at, at + m.length, m, 0, m.length);
  }

  private static boolean isText(byte[] h) {
    for (byte c : h) {
      int u = c & 0xFF;
      if (u < 0x09 || u > 0x0D && u < 0x20 || u == 0x7F) {
        return false;
      }
    }
    return true;
  }
}
