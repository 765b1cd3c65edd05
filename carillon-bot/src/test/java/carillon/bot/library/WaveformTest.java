package carillon.bot.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.store.Database;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peak envelope measured at import: where a file is quiet and where it is loud, in time order. */
class WaveformTest {
  @TempDir Path dir;

  /** The store the import test uses: a SQLite file here, PostgreSQL in {@link WaveformOnPostgresTest}. */
  Database database() {
    return Database.openSqlite(dir.resolve("data/carillon.db"));
  }

  /** 48 kHz stereo 16-bit PCM: {@code silent} seconds of silence, then {@code loud} seconds of a sine at {@code level}. */
  static byte[] silenceThenTone(double silent, double loud, double level) {
    int quiet = (int) (silent * 48_000);
    int frames = quiet + (int) (loud * 48_000);
    ByteBuffer pcm = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      short s = i < quiet ? 0 : (short) Math.round(level * 32767 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
      pcm.putShort(s).putShort(s);
    }
    return pcm.array();
  }

  static int[] peaks(Waveform waveform) {
    return IntStream.range(0, Waveform.BUCKETS).map(waveform::peak).toArray();
  }

  @Test
  void silenceThenAToneGivesLowThenHighSlicesAtTheTonesLevel() {
    byte[] pcm = silenceThenTone(2, 2, 0.5);
    Waveform.Builder fed = new Waveform.Builder();
    byte[] frame = new byte[3_840];
    for (int at = 0; at < pcm.length; at += frame.length) { // in LavaPlayer's 20 ms frames
      int length = Math.min(frame.length, pcm.length - at);
      System.arraycopy(pcm, at, frame, 0, length);
      fed.addPcm16(frame, length);
    }
    int[] peaks = peaks(fed.build());
    // The first half is silence, the second a sine at half of full scale: 0.5 x 255 = 128 (a 440 Hz sine
    // reaches its crest within every 10 ms slice). The slice at the boundary may hold either.
    assertThat(IntStream.range(0, 79).map(i -> peaks[i])).allMatch(p -> p == 0);
    assertThat(IntStream.range(81, 160).map(i -> peaks[i])).allMatch(p -> p >= 126 && p <= 128);
    assertThat(new Waveform.Builder().build()).as("nothing added: all silent").isEqualTo(Waveform.of(new byte[Waveform.BUCKETS]));
  }

  @Test
  void aLongFileMergesBlocksAndStaysInTimeOrder() {
    // 60 s: more blocks of 10 ms than the builder keeps, so they are merged (once); the loud part stays in place.
    byte[] pcm = silenceThenTone(45, 15, 1.0);
    Waveform.Builder builder = new Waveform.Builder();
    builder.addPcm16(pcm, pcm.length);
    int[] peaks = peaks(builder.build());
    assertThat(IntStream.range(0, 119).map(i -> peaks[i])).allMatch(p -> p == 0);
    assertThat(IntStream.range(121, 160).map(i -> peaks[i])).allMatch(p -> p >= 254);
  }

  @Test
  void aStoredWaveformMustHaveEverySlice() {
    assertThatThrownBy(() -> Waveform.of(new byte[10])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a waveform is 160 bytes, was 10");
    byte[] stored = new byte[Waveform.BUCKETS];
    stored[3] = (byte) 200;
    assertThat(Waveform.of(stored).peak(3)).isEqualTo(200);
    assertThat(Waveform.of(stored).bytes()).isEqualTo(stored);
  }

  @Test
  void anImportMeasuresItsWaveformFromTheDecodedAudioAndStoresIt() throws Exception {
    byte[] pcm = silenceThenTone(1, 1, 0.5);
    Path wav = Files.write(dir.resolve("upload.wav"), AudioLibraryTest.wav(1, 16, 2, 48_000, pcm));
    try (AudioProbe probe = new AudioProbe(); Database db = database()) {
      AudioLibrary library = new AudioLibrary(dir.resolve("data"), db, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
          probe, 2_000_000, new LoudnessTarget(-18));
      AudioItem item = library.importFile(wav, "Half silent");
      int[] peaks = peaks(item.waveform().orElseThrow());
      assertThat(IntStream.range(0, 78).map(i -> peaks[i])).allMatch(p -> p == 0);
      assertThat(IntStream.range(82, 160).map(i -> peaks[i])).allMatch(p -> p >= 120);
      assertThat(library.find(item.id()).orElseThrow().waveform()).isEqualTo(item.waveform());

      // As a database from before version 15 leaves it: no waveform, until the Opus copy is made again.
      db.useHandle(h -> h.execute("UPDATE audio_item SET waveform = NULL, opus_gain_db = NULL WHERE id = ?", item.id()));
      assertThat(library.find(item.id()).orElseThrow().waveform()).isEmpty();
      assertThat(library.encodePending()).isOne();
      assertThat(library.find(item.id()).orElseThrow().waveform()).isEqualTo(item.waveform());
    }
  }
}
