package carillon.bot.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.testing.OggPages;
import carillon.bot.testing.OggPages.Page;
import com.sedmelluq.discord.lavaplayer.natives.opus.OpusDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cut of an Ogg/Opus copy: a valid stream by RFC 3533 and RFC 7845 whose packets are the copy's own from
 * the pre-roll before the offset, whose pre-skip makes its decoded audio start at the offset, and which
 * LavaPlayer's libopus decodes to the rest of the file.
 */
class OggOpusCutTest {
  private static final int RATE = 48_000;
  /** The source: 440 Hz for 3 s, then 880 Hz for 2 s. */
  private static final int SWITCH = 3 * RATE;
  private static final int LENGTH = 5 * RATE;
  @TempDir Path dir;
  Path copy;
  List<byte[]> copyPackets;

  @BeforeEach
  void encode() throws IOException {
    copy = dir.resolve("copy.opus");
    byte[] pcm = new byte[LENGTH * 4];
    ByteBuffer samples = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < LENGTH; i++) {
      double hz = i < SWITCH ? 440 : 880;
      short s = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / RATE));
      samples.putShort(s).putShort(s);
    }
    try (OpusFileEncoder encoder = new OpusFileEncoder(copy, 0)) {
      encoder.add(pcm, pcm.length);
      encoder.finish(LENGTH);
    }
    copyPackets = OggPages.packets(OggPages.pages(Files.readAllBytes(copy)));
  }

  private static byte[] cut(Path file, Duration offset) throws IOException {
    try (InputStream in = OggOpusCut.open(file, offset)) {
      return in.readAllBytes();
    }
  }

  private static int preSkip(byte[] head) {
    return ByteBuffer.wrap(head, 10, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
  }

  /**
   * Every page's framing, CRC, order and flags (a page is continued exactly when the one before ends inside a
   * packet), the headers alone on their pages, and granule positions that never fall.
   */
  private static List<Page> assertValid(byte[] stream) {
    List<Page> pages = OggPages.pages(stream);
    assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 0; i < pages.size(); i++) {
      Page page = pages.get(i);
      assertThat(page.version()).as("page %d version", i).isZero();
      assertThat(page.crcMatches()).as("page %d CRC", i).isTrue();
      assertThat(page.serial()).as("page %d serial", i).isEqualTo(pages.getFirst().serial());
      assertThat(page.sequence()).as("page %d sequence", i).isEqualTo(i);
      assertThat(page.bos()).as("page %d BOS", i).isEqualTo(i == 0);
      assertThat(page.eos()).as("page %d EOS", i).isEqualTo(i == pages.size() - 1);
      boolean previousEndsInside = i > 0 && pages.get(i - 1).lacing().length > 0
          && pages.get(i - 1).lacing()[pages.get(i - 1).lacing().length - 1] == 255;
      assertThat(page.continued()).as("page %d continued", i).isEqualTo(previousEndsInside);
    }
    // RFC 7845 s3: the identification header alone on the first page; the comment header ends its page.
    assertThat(pages.get(0).packetEnds()).isEqualTo(1);
    assertThat(pages.get(0).lacing()[pages.get(0).lacing().length - 1]).isLessThan(255);
    assertThat(new String(pages.get(0).body(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusHead");
    assertThat(pages.get(0).granule()).isZero();
    int tagsPage = 1;
    while (pages.get(tagsPage).packetEnds() == 0) {
      assertThat(pages.get(tagsPage).granule()).as("no packet ends on page %d", tagsPage).isEqualTo(-1);
      tagsPage++;
    }
    assertThat(new String(pages.get(1).body(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusTags");
    assertThat(pages.get(tagsPage).packetEnds()).isEqualTo(1);
    assertThat(pages.get(tagsPage).lacing()[pages.get(tagsPage).lacing().length - 1]).isLessThan(255);
    assertThat(pages.get(tagsPage).granule()).isZero();
    long last = 0;
    for (Page page : pages.subList(tagsPage + 1, pages.size())) {
      if (page.packetEnds() > 0) {
        assertThat(page.granule()).as("granule of page %d", page.sequence()).isGreaterThanOrEqualTo(last);
        last = page.granule();
      } else {
        assertThat(page.granule()).as("no packet ends on page %d", page.sequence()).isEqualTo(-1);
      }
    }
    return pages;
  }

  @Test
  void aCutIsTheCopysOwnPacketsFromThePreRollWithAPreSkipThatStartsItAtTheOffset() throws IOException {
    Duration offset = Duration.ofMillis(2_500);
    long offsetSamples = offset.toMillis() * RATE / 1000;
    byte[] stream = cut(copy, offset);
    List<Page> pages = assertValid(stream);
    List<byte[]> packets = OggPages.packets(pages);
    int preSkip = preSkip(packets.get(0));
    List<byte[]> audio = packets.subList(2, packets.size());

    // Byte for byte the copy's packets from some packet c to the end.
    List<byte[]> copyAudio = copyPackets.subList(2, copyPackets.size());
    int c = copyAudio.size() - audio.size();
    for (int i = 0; i < audio.size(); i++) {
      assertThat(audio.get(i)).as("packet %d of the cut is packet %d of the copy", i, c + i).isEqualTo(copyAudio.get(c + i));
    }
    // Packet c starts at least 80 ms, and less than 80 ms and one packet, before the offset (the pre-roll), and
    // the pre-skip drops exactly up to the offset: the copy's own pre-skip plus the samples of c before it.
    int copyPreSkip = preSkip(copyPackets.get(0));
    long cStart = (long) c * OpusFileEncoder.FRAME - copyPreSkip;
    assertThat(offsetSamples - cStart).isBetween((long) OggOpusCut.PRE_ROLL, (long) OggOpusCut.PRE_ROLL + OpusFileEncoder.FRAME - 1);
    assertThat(preSkip).isEqualTo((int) (offsetSamples - cStart));
    try (OggOpusCut open = OggOpusCut.open(copy, offset)) {
      assertThat(open.startsAt()).isEqualTo(Duration.ofNanos(cStart * 1_000_000 / 48));
      assertThat(open.startsAt()).isBetween(offset.minusMillis(100), offset.minusMillis(80));
    }
    // Granule positions count samples from the cut (the pre-skip's included); the last one ends the rest of
    // the file to the sample, as the copy's last one ends the file.
    long lastGranule = pages.getLast().granule();
    assertThat(lastGranule - preSkip).isEqualTo(LENGTH - offsetSamples);

    // LavaPlayer's libopus decodes it to the rest of the file, within one frame, and after the pre-skip the
    // tone rises to 880 Hz where the source did, half a second after the offset, within one frame.
    short[] decoded = decode(audio);
    long played = Math.min(decoded.length / 2, lastGranule) - preSkip;
    assertThat(played).isBetween(LENGTH - offsetSamples - OpusFileEncoder.FRAME, LENGTH - offsetSamples + OpusFileEncoder.FRAME);
    short[] heard = Arrays.copyOfRange(decoded, preSkip * 2, decoded.length);
    assertThat(switchAt(heard)).isBetween(SWITCH - offsetSamples - OpusFileEncoder.FRAME, SWITCH - offsetSamples + OpusFileEncoder.FRAME);
  }

  @Test
  void theCopysGranulePositionsCountTheSamplesDecodedAndItsLastOneEndsAtItsLength() throws IOException {
    // RFC 7845 s4: a page's granule position is what the packets completed so far decode to, the pre-skip
    // included; the last page's says where the source ended. (The copy once added the pre-skip to every
    // page, and left the source's last 6.5 ms inside the encoder.)
    List<Page> pages = OggPages.pages(Files.readAllBytes(copy));
    int preSkip = preSkip(copyPackets.get(0));
    long decodes = 0;
    for (Page page : pages.subList(2, pages.size() - 1)) {
      decodes += (long) page.packetEnds() * OpusFileEncoder.FRAME;
      assertThat(page.granule()).as("granule of page %d", page.sequence()).isEqualTo(decodes);
    }
    decodes += (long) pages.getLast().packetEnds() * OpusFileEncoder.FRAME;
    assertThat(pages.getLast().granule()).isEqualTo(preSkip + LENGTH).isLessThanOrEqualTo(decodes);
    assertThat(decode(copyPackets.subList(2, copyPackets.size())).length / 2 - preSkip).isGreaterThanOrEqualTo(LENGTH);
  }

  @Test
  void aCutWithinThePreRollOfTheStartKeepsEveryPacketAndSkipsToTheOffset() throws IOException {
    byte[] stream = cut(copy, Duration.ofMillis(50));
    List<byte[]> packets = OggPages.packets(assertValid(stream));
    assertThat(packets.subList(2, packets.size())).containsExactlyElementsOf(copyPackets.subList(2, copyPackets.size()));
    assertThat(preSkip(packets.get(0))).isEqualTo(preSkip(copyPackets.get(0)) + 50 * 48);
    try (OggOpusCut open = OggOpusCut.open(copy, Duration.ofMillis(50))) {
      assertThat(open.startsAt()).isZero();
    }
  }

  @Test
  void aCutAtZeroIsTheWholeFileAndACutBeyondItsEndHasNoAudio() throws IOException {
    List<byte[]> whole = OggPages.packets(assertValid(cut(copy, Duration.ZERO)));
    assertThat(whole).hasSameSizeAs(copyPackets);
    assertThat(whole.subList(1, whole.size())).containsExactlyElementsOf(copyPackets.subList(1, copyPackets.size()));
    assertThat(whole.get(0)).isEqualTo(copyPackets.get(0));

    List<Page> beyond = assertValid(cut(copy, Duration.ofSeconds(60)));
    assertThat(OggPages.packets(beyond)).hasSize(2);
  }

  @Test
  void aCommentHeaderOverSeveralPagesIsReadAndWrittenOverSeveralPages() throws IOException {
    // Another encoder's layout: a comment header of 70,000 bytes, over many pages of at most three segments.
    byte[] comment = "x=".repeat(35_000).getBytes(StandardCharsets.US_ASCII);
    ByteBuffer tags = ByteBuffer.allocate(8 + 4 + 4 + 4 + comment.length).order(ByteOrder.LITTLE_ENDIAN);
    tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(1).putInt(comment.length).put(comment);
    List<byte[]> audio = copyPackets.subList(2, copyPackets.size());
    List<byte[]> packets = new ArrayList<>(List.of(copyPackets.get(0), tags.array()));
    packets.addAll(audio);
    long[] granules = new long[packets.size()];
    for (int i = 2; i < granules.length; i++) {
      granules[i] = (i - 1) * (long) OpusFileEncoder.FRAME;
    }
    Path spanning = Files.write(dir.resolve("spanning.opus"), OggPages.write(7, packets, granules, 3, Set.of(0, 1)));
    assertThat(OggPages.pages(Files.readAllBytes(spanning))).filteredOn(Page::continued).hasSizeGreaterThan(90);

    Duration offset = Duration.ofMillis(3_210);
    long offsetSamples = offset.toMillis() * RATE / 1000;
    List<Page> pages = assertValid(cut(spanning, offset));
    assertThat(pages.get(2).continued()).as("the comment header goes on over a second page").isTrue();
    List<byte[]> cutPackets = OggPages.packets(pages);
    assertThat(cutPackets.get(1)).isEqualTo(tags.array());
    List<byte[]> cutAudio = cutPackets.subList(2, cutPackets.size());
    int c = audio.size() - cutAudio.size();
    assertThat(cutAudio).containsExactlyElementsOf(audio.subList(c, audio.size()));
    int preSkip = preSkip(cutPackets.get(0));
    assertThat(preSkip).isEqualTo((int) (offsetSamples - ((long) c * OpusFileEncoder.FRAME - preSkip(copyPackets.get(0)))))
        .isBetween(OggOpusCut.PRE_ROLL, OggOpusCut.PRE_ROLL + OpusFileEncoder.FRAME - 1);
    assertThat(pages.getLast().granule()).isEqualTo((long) cutAudio.size() * OpusFileEncoder.FRAME);
  }

  @Test
  void anInterruptedThreadStillReadsTheCut() throws IOException {
    // LavaPlayer stops a track by interrupting its thread and handles the interrupt where it waits; a read
    // that failed on it would end the track as failed rather than stopped.
    Thread.currentThread().interrupt();
    try {
      assertThat(OggPages.packets(assertValid(cut(copy, Duration.ofSeconds(2))))).hasSizeGreaterThan(100);
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Test
  void aDamagedOrForeignFileIsRefusedWithWhereAndWhat() throws IOException {
    byte[] bytes = Files.readAllBytes(copy);
    bytes[bytes.length / 2] ^= 0x20;
    Path damaged = Files.write(dir.resolve("damaged.opus"), bytes);
    assertThatThrownBy(() -> cut(damaged, Duration.ofSeconds(4))).isInstanceOf(IOException.class)
        .hasMessageMatching("damaged\\.opus is damaged: the Ogg page at byte \\d+ fails its CRC");

    Path wav = Files.write(dir.resolve("tone.wav"), "RIFF....WAVEfmt ".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> OggOpusCut.open(wav, Duration.ofSeconds(1))).isInstanceOf(IOException.class)
        .hasMessage("tone.wav has no Ogg page at byte 0 (the file ends inside a page header)");
  }

  /** Decodes the packets with LavaPlayer's libopus: interleaved stereo. */
  private static short[] decode(List<byte[]> packets) {
    OpusDecoder decoder = new OpusDecoder(RATE, 2);
    try {
      ByteBuffer in = ByteBuffer.allocateDirect(8192);
      ShortBuffer out = ByteBuffer.allocateDirect(5760 * 2 * 2).order(ByteOrder.nativeOrder()).asShortBuffer();
      List<short[]> frames = new ArrayList<>();
      int total = 0;
      for (byte[] packet : packets) {
        in.clear();
        in.put(packet).flip();
        out.clear();
        int samples = decoder.decode(in, out);
        short[] frame = new short[samples * 2];
        out.get(0, frame, 0, frame.length);
        frames.add(frame);
        total += frame.length;
      }
      short[] all = new short[total];
      int at = 0;
      for (short[] frame : frames) {
        System.arraycopy(frame, 0, all, at, frame.length);
        at += frame.length;
      }
      return all;
    } finally {
      decoder.close();
    }
  }

  /** The first sample (per channel) of the first 10 ms window of the left channel above 660 Hz, by zero crossings. */
  private static long switchAt(short[] stereo) {
    int window = RATE / 100;
    for (int start = 0; start + window < stereo.length / 2; start += window / 4) {
      int crossings = 0;
      for (int i = start + 1; i < start + window; i++) {
        if ((stereo[2 * (i - 1)] < 0) != (stereo[2 * i] < 0)) {
          crossings++;
        }
      }
      if (crossings / 2.0 * 100 > 660) {
        return start;
      }
    }
    return -1;
  }
}
