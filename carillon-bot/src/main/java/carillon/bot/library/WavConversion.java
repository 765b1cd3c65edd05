package carillon.bot.library;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * WAV files LavaPlayer does not read (it reads 16-bit PCM only) but the JDK's javax.sound.sampled does:
 * 8-, 24- and 32-bit PCM, 32- and 64-bit float, µ-law and A-law. They are converted once, at import, to a
 * 16-bit PCM WAV at the same rate and channel count, streaming (memory does not grow with the file).
 */
final class WavConversion {
  private static final int HEADER = 44;

  private WavConversion() {}

  /** What was converted, in words ("32-bit float"), and the file written. */
  record Converted(String from, Path file) {}

  /**
   * Converts {@code source} into {@code target}, or says it cannot: empty when javax.sound.sampled does not
   * read the file or cannot convert its samples to 16-bit PCM.
   *
   * @throws AudioRejectedException when the samples end before the length the header declares
   */
  static Optional<Converted> toPcm16(Path source, Path target, String shownName) throws IOException, AudioRejectedException {
    AudioInputStream in;
    try {
      in = AudioSystem.getAudioInputStream(source.toFile());
    } catch (UnsupportedAudioFileException e) {
      return Optional.empty();
    }
    try (in) {
      AudioFormat from = in.getFormat();
      AudioFormat to = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, from.getSampleRate(), 16, from.getChannels(),
          2 * from.getChannels(), from.getSampleRate(), false);
      if (from.getChannels() < 1 || from.getSampleRate() <= 0 || !AudioSystem.isConversionSupported(to, from)) {
        return Optional.empty();
      }
      long bytes;
      try (AudioInputStream pcm = AudioSystem.getAudioInputStream(to, in);
           OutputStream out = Files.newOutputStream(target)) {
        out.write(new byte[HEADER]); // written once the length is known
        bytes = copy(pcm, out);
      }
      writeHeader(target, to, bytes);
      long frames = bytes / to.getFrameSize();
      long declared = in.getFrameLength();
      if (declared != AudioSystem.NOT_SPECIFIED && frames < declared) {
        throw new AudioRejectedException("file", "'" + shownName + "' ends at " + AudioProbe.length(millis(frames, to))
            + " but its header says " + AudioProbe.length(millis(declared, to)));
      }
      return Optional.of(new Converted(describe(from), target));
    }
  }

  private static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int read;
    while ((read = in.read(buffer)) != -1) {
      out.write(buffer, 0, read);
      total += read;
    }
    return total;
  }

  private static long millis(long frames, AudioFormat format) {
    return (long) (frames * 1000 / format.getSampleRate());
  }

  /** The canonical 44-byte header of a 16-bit PCM WAV holding {@code dataBytes}. */
  private static void writeHeader(Path file, AudioFormat format, long dataBytes) throws IOException {
    int rate = (int) format.getSampleRate();
    int channels = format.getChannels();
    ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.put("RIFF".getBytes()).putInt((int) Math.min(0xFFFF_FFFFL, dataBytes + 36)).put("WAVE".getBytes())
        .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
        .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
        .put("data".getBytes()).putInt((int) Math.min(0xFFFF_FFFFL, dataBytes)).flip();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(h, 0);
    }
  }

  private static String describe(AudioFormat format) {
    AudioFormat.Encoding encoding = format.getEncoding();
    if (encoding.equals(AudioFormat.Encoding.PCM_FLOAT)) {
      return format.getSampleSizeInBits() + "-bit float";
    }
    if (encoding.equals(AudioFormat.Encoding.ULAW)) {
      return "µ-law";
    }
    if (encoding.equals(AudioFormat.Encoding.ALAW)) {
      return "A-law";
    }
    return format.getSampleSizeInBits() + "-bit PCM";
  }
}
