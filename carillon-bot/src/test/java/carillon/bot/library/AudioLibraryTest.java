package carillon.bot.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.app.DemoAudio;
import carillon.bot.playback.Track;
import com.sedmelluq.discord.lavaplayer.player.AudioLoadResultHandler;
import com.sedmelluq.discord.lavaplayer.player.AudioPlayer;
import com.sedmelluq.discord.lavaplayer.player.DefaultAudioPlayerManager;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioSourceManager;
import com.sedmelluq.discord.lavaplayer.tools.FriendlyException;
import com.sedmelluq.discord.lavaplayer.track.AudioPlaylist;
import com.sedmelluq.discord.lavaplayer.track.AudioTrack;
import com.sedmelluq.discord.lavaplayer.track.playback.AudioFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import carillon.bot.store.Database;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioLibraryTest {
  @TempDir Path dir;
  Database db;
  AudioProbe probe;
  AudioLibrary library;
  final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void setUp() {
    db = Database.openSqlite(dir.resolve("data/carillon.db"));
    probe = new AudioProbe();
    library = new AudioLibrary(dir.resolve("data"), db, clock, probe, 2_000_000, new LoudnessTarget(-18));
  }

  @AfterEach
  void tearDown() {
    probe.close();
    db.close();
  }

  Path write(String name, byte[] content) throws Exception {
    Path file = dir.resolve("uploads").resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  @Test
  void aWavFileIsProbedStoredByContentHashAndListed() throws Exception {
    Path upload = write("upload-1.bin", DemoAudio.tone(440, 2.5));
    // A path-like name is only a name: the file is stored under its content hash.
    AudioItem bell = library.importFile(upload, "  ../../etc/passwd ");
    assertThat(bell.name()).isEqualTo("../../etc/passwd");
    assertThat(bell.format()).isEqualTo("wav");
    assertThat(bell.duration()).isBetween(Duration.ofMillis(2450), Duration.ofMillis(2550));
    assertThat(bell.sizeBytes()).isEqualTo(Files.size(upload));
    assertThat(bell.importedAt()).isEqualTo(clock.instant());
    // A 440 Hz sine at 0.3 of full scale in both channels: 10 log10(2 x 0.3^2 / 2) - 0.691 = -11.15 LUFS (the
    // K-weighting is within 0.1 dB of 0 at 440 Hz); its true peak 20 log10(0.3) = -10.5 dBTP.
    assertThat(bell.loudness()).get().satisfies(l -> {
      assertThat(l.integratedLufs()).isBetween(-11.35, -10.95);
      assertThat(l.truePeakDbtp()).isBetween(-10.7, -10.2);
    });
    assertThat(bell.id()).matches("[0-9a-f]{64}");
    Path stored = dir.resolve("data/audio").resolve(bell.id().substring(0, 2)).resolve(bell.id());
    assertThat(stored).exists().hasSameBinaryContentAs(upload);
    assertThat(library.list()).containsExactly(bell);
    assertThat(library.track(bell.id())).get().satisfies(t -> assertThat(t.file()).isEqualTo(stored));
    // Played at the library's -18 LUFS, the track is the Opus copy with nothing left to apply; at -23 LUFS
    // it carries the 5 dB the copy lacks.
    Path opus = dir.resolve("data/audio").resolve(bell.id().substring(0, 2)).resolve(bell.id() + ".opus");
    assertThat(library.track(bell.id(), new LoudnessTarget(-18))).get().satisfies(t -> {
      assertThat(t.file()).isEqualTo(opus);
      assertThat(t.gainDb()).isZero();
    });
    assertThat(library.track(bell.id(), new LoudnessTarget(-23))).get().satisfies(t -> assertThat(t.gainDb())
        .isCloseTo(-5, Assertions.within(1e-9)));
    assertThat(Files.list(dir.resolve("data/audio/incoming"))).isEmpty();
    assertThat(dir.resolve("etc/passwd")).doesNotExist();
  }

  @Test
  void everyImportIsEncodedOnceToOggOpusAtTheTargetLoudnessAndThatCopyPassesThrough() throws Exception {
    // A loud tone (-11.2 LUFS), a quiet one (about -31 LUFS: raised, as far as its peaks allow) and an MP3.
    AudioItem loud = library.importFile(write("loud.wav", DemoAudio.tone(440, 3)), "Loud");
    AudioItem quiet = library.importFile(write("quiet.wav", scaled(DemoAudio.tone(440, 3), 0.1)), "Quiet");
    for (AudioItem item : List.of(loud, quiet)) {
      Path opus = library.opusOf(item.id());
      assertThat(opus).exists();
      byte[] bytes = Files.readAllBytes(opus);
      assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("OggS");
      assertThat(new String(bytes, 28, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusHead");
      assertThat(item.opusGainDb()).get().isEqualTo(new LoudnessTarget(-18).gainDb(item.loudness()));
      // Decoded again, the copy is as long as the original and at the target loudness.
      AudioProbe.Found copy = probe.probe(opus, item.name());
      assertThat(copy.format()).isEqualTo("ogg");
      assertThat(copy.duration()).isBetween(item.duration().minusMillis(30), item.duration().plusMillis(30));
      assertThat(copy.loudness()).get().satisfies(l -> {
        assertThat(l.integratedLufs()).isCloseTo(-18, Assertions.within(0.3));
        assertThat(l.truePeakDbtp()).isLessThan(-1 + 0.3); // Opus may overshoot a little
      });
    }
    // Played from the copy, LavaPlayer hands on the file's own packets: the frames are found in the file.
    DefaultAudioPlayerManager manager = new DefaultAudioPlayerManager();
    manager.registerSourceManager(new LocalAudioSourceManager());
    try {
      Track track = library.track(loud.id(), new LoudnessTarget(-18)).orElseThrow();
      assertThat(track.file()).isEqualTo(library.opusOf(loud.id()));
      assertThat(track.gainDb()).isZero();
      AudioTrack loaded = loadTrack(manager, track.file());
      AudioPlayer player = manager.createPlayer();
      player.playTrack(loaded);
      byte[] file = Files.readAllBytes(track.file());
      int found = 0;
      for (int i = 0; i < 20; i++) {
        AudioFrame frame = player.provide(5, TimeUnit.SECONDS);
        assertThat(frame).isNotNull();
        assertThat(indexOf(file, frame.getData())).as("frame %d is in the file", i).isNotNegative();
        found++;
      }
      assertThat(found).isEqualTo(20);
      player.destroy();
    } finally {
      manager.shutdown();
    }
  }

  @Test
  void filesImportedBeforeOpusCopiesGetThemWhenPendingWorkIsDoneAndPlayTheOriginalUntilThen() throws Exception {
    AudioItem bell = library.importFile(write("a.wav", DemoAudio.tone(440, 1)), "Bell");
    // As a database from before version 11 leaves it: no copy.
    Files.delete(library.opusOf(bell.id()));
    db.useHandle(h -> h.execute("UPDATE audio_item SET opus_gain_db = NULL WHERE id = ?", bell.id()));
    Track before = library.track(bell.id(), new LoudnessTarget(-18)).orElseThrow();
    assertThat(before.file()).isEqualTo(library.fileOf(bell.id()));
    assertThat(before.gainDb()).isCloseTo(-18 - bell.loudness().orElseThrow().integratedLufs(), Assertions.within(1e-9));
    assertThat(library.encodePending()).isEqualTo(1);
    assertThat(library.opusOf(bell.id())).exists();
    assertThat(library.track(bell.id(), new LoudnessTarget(-18)).orElseThrow()).satisfies(t -> {
      assertThat(t.file()).isEqualTo(library.opusOf(bell.id()));
      assertThat(t.gainDb()).isZero();
    });
    assertThat(library.encodePending()).isZero(); // done once
    // Another target loudness: the copies are encoded again for it.
    AudioLibrary quieter = new AudioLibrary(dir.resolve("data"), db, clock, probe, 2_000_000, new LoudnessTarget(-30));
    assertThat(quieter.encodePending()).isEqualTo(1);
    assertThat(quieter.find(bell.id()).orElseThrow().opusGainDb()).get()
        .isEqualTo(new LoudnessTarget(-30).gainDb(bell.loudness()));
    library.delete(bell.id());
    assertThat(library.opusOf(bell.id())).doesNotExist();
  }

  static byte[] scaled(byte[] wav, double factor) {
    byte[] out = wav.clone();
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 44; i + 1 < out.length; i += 2) {
      b.putShort(i, (short) Math.round(b.getShort(i) * factor));
    }
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static AudioTrack loadTrack(DefaultAudioPlayerManager manager, Path file) throws Exception {
    CompletableFuture<AudioTrack> loaded = new CompletableFuture<>();
    manager.loadItem(file.toString(), new AudioLoadResultHandler() {
      @Override
      public void trackLoaded(AudioTrack track) {
        loaded.complete(track);
      }

      @Override
      public void playlistLoaded(AudioPlaylist playlist) {
        loaded.completeExceptionally(new AssertionError("a playlist"));
      }

      @Override
      public void noMatches() {
        loaded.completeExceptionally(new AssertionError("no match"));
      }

      @Override
      public void loadFailed(FriendlyException e) {
        loaded.completeExceptionally(e);
      }
    });
    return loaded.get(10, TimeUnit.SECONDS);
  }

  @Test
  void theSameContentUnderItsNameIsOneItemAndUnderAnotherNameIsRefusedNamingTheItem() throws Exception {
    byte[] tone = DemoAudio.tone(330, 1);
    AudioItem first = library.importFile(write("a.wav", tone), "First");
    assertThat(library.importFile(write("b.wav", tone), "FIRST")).isEqualTo(first);
    assertThatThrownBy(() -> library.importFile(write("c.wav", tone), "Second"))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("'Second' has the same content as 'First' (id " + first.id() + "), which is already in the library")
        .satisfies(e -> assertThat(((AudioRejectedException) e).existing()).contains(first));
    assertThat(library.list()).containsExactly(first);
  }

  @Test
  void namesAreUniqueAfterNfkcAndCaseFolding() throws Exception {
    AudioItem bell = library.importFile(write("a.wav", DemoAudio.tone(330, 0.3)), "Temple Bell");
    AudioItem street = library.importFile(write("b.wav", DemoAudio.tone(440, 0.3)), "Straße");
    // Full-width letters are NFKC-equal to ASCII ones; "SS" folds with "ß".
    for (String clash : List.of("ｔｅｍｐｌｅ ＢＥＬＬ", "temple bell", "STRASSE")) {
      assertThatThrownBy(() -> library.importFile(write("c.wav", DemoAudio.tone(550, 0.3)), clash))
          .as(clash)
          .isInstanceOf(AudioRejectedException.class)
          .hasMessageStartingWith("the library already has a file named '")
          .hasMessageEndingWith("; names must differ in more than case");
    }
    assertThatThrownBy(() -> library.rename(street.id(), "TEMPLE bell"))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("the library already has a file named 'Temple Bell' (id " + bell.id() + "); names must differ in more than case")
        .satisfies(e -> assertThat(((AudioRejectedException) e).existing()).contains(bell));
    library.rename(bell.id(), "TEMPLE BELL"); // its own name in another case is fine
    assertThat(library.findByName("temple bell")).get().extracting(AudioItem::name).isEqualTo("TEMPLE BELL");
    assertThat(library.list()).hasSize(2);
  }

  @Test
  void itemsFromBeforeNameKeysGetThemAndClashingNamesAreNumbered() throws Exception {
    db.useHandle(h -> {
      h.execute("INSERT INTO audio_item (id, name, format, duration_ms, size_bytes, imported_at) VALUES (?, 'Bell', 'wav', 1, 1, 1)",
          "a".repeat(64));
      h.execute("INSERT INTO audio_item (id, name, format, duration_ms, size_bytes, imported_at) VALUES (?, 'BELL', 'wav', 1, 1, 2)",
          "b".repeat(64));
    });
    AudioLibrary reopened = new AudioLibrary(dir.resolve("data"), db, clock, probe, 2_000_000, new LoudnessTarget(-18));
    assertThat(reopened.list()).extracting(AudioItem::name).containsExactly("BELL (2)", "Bell");
    assertThat(reopened.findByName("bell")).get().extracting(AudioItem::id).isEqualTo("a".repeat(64));
  }

  @Test
  void filesThatAreNotAudioAreRefusedWithTheReasonAndNothingIsKept() throws Exception {
    byte[] noise = new byte[50_000];
    new Random(7).nextBytes(noise);
    assertThatThrownBy(() -> library.importFile(write("noise.mp3", noise), "Noise"))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageStartingWith("'Noise' is not audio Carillon can play: ");
    assertThatThrownBy(() -> library.importFile(write("notes.txt", "hello, not audio".getBytes()), "Notes"))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageStartingWith("'Notes' is not audio Carillon can play: ");
    assertThat(library.list()).isEmpty();
    assertThat(Files.list(dir.resolve("data/audio/incoming"))).isEmpty();
  }

  @Test
  void emptyAndOversizedFilesAndBadNamesAreRefused() throws Exception {
    assertThatThrownBy(() -> library.importFile(write("empty.wav", new byte[0]), "Empty"))
        .isInstanceOf(AudioRejectedException.class).hasMessage("'Empty' is empty");
    assertThatThrownBy(() -> library.importFile(write("big.wav", DemoAudio.tone(440, 30)), "Big"))
        .isInstanceOf(AudioRejectedException.class).hasMessage("'Big' is 5.8 MB; files may be at most 2.0 MB");
    Path ok = write("ok.wav", DemoAudio.tone(440, 0.2));
    assertThatThrownBy(() -> library.importFile(ok, " "))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("a name must be 1 to 100 characters, without control characters")
        .extracting(e -> ((AudioRejectedException) e).field()).isEqualTo("name");
    assertThatThrownBy(() -> library.importFile(ok, "bad\nname")).isInstanceOf(AudioRejectedException.class);
    assertThatThrownBy(() -> library.importFile(dir.resolve("uploads/never-written.wav"), "Ghost"))
        .isInstanceOf(AudioRejectedException.class).hasMessage("'Ghost' was not received: there is no file to import");
    assertThat(library.list()).isEmpty();
  }

  /** A 48 kHz 16-bit stereo WAV of {@code seconds} whose header claims {@code claimedDataBytes} of samples. */
  static byte[] lyingWav(double seconds, long claimedDataBytes) {
    byte[] wav = DemoAudio.tone(440, seconds);
    ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(4, (int) Math.min(0xFFFF_FFFFL, claimedDataBytes + 36)).putInt(40, (int) claimedDataBytes);
    return wav;
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = AudioLibraryTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aWavThatEndsBeforeItsHeaderSaysIsRefusedWithWhereItEnds() throws Exception {
    assertRefusedAndNothingKept("Cut", lyingWav(3, 6 * 48_000 * 4), "'Cut' ends at 3.0 s but its header says 6.0 s");
  }

  /** Importing {@code content} as {@code name} is refused with a message starting so, and leaves nothing. */
  void assertRefusedAndNothingKept(String name, byte[] content, String messageStart) throws Exception {
    assertThatThrownBy(() -> library.importFile(write(name + ".wav", content), name))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageStartingWith(messageStart);
    assertThat(library.list()).isEmpty();
    assertThat(Files.list(dir.resolve("data/audio/incoming"))).isEmpty();
  }

  @Test
  void aSmallWavWhoseHeaderClaimsFourGigabytesIsRefusedAtOnce() throws Exception {
    byte[] small = Arrays.copyOf(lyingWav(0.2, 0xFFFF_FFF0L), 16 * 1024);
    assertThatThrownBy(() -> library.importFile(write("huge.wav", small), "Huge"))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageMatching("'Huge' ends at 0\\.[01] s but its header says 6\\.2 h.*");
    assertThat(library.list()).isEmpty();
  }

  @Test
  void aVbrMp3WithoutAXingHeaderGetsItsDecodedDuration() throws Exception {
    AudioItem vbr = library.importFile(write("vbr.mp3", resource("vbr-no-xing.mp3")), "VBR");
    assertThat(vbr.format()).isEqualTo("mp3");
    // 3.03 s of audio, plus at most the encoder's delay and padding (about 50 ms).
    assertThat(vbr.duration()).isBetween(Duration.ofMillis(3000), Duration.ofMillis(3120));
    assertThat(library.find(vbr.id()).orElseThrow().duration()).isEqualTo(vbr.duration());
  }

  @Test
  void anEightKilohertzMonoMp3GetsItsDecodedDuration() throws Exception {
    AudioItem mono = library.importFile(write("mono.mp3", resource("mono-8khz.mp3")), "Mono");
    assertThat(mono.duration()).isBetween(Duration.ofMillis(2980), Duration.ofMillis(3150));
  }

  @Test
  void decodingIsBoundedInLengthAndTime() throws Exception {
    Path tone = write("tone.wav", DemoAudio.tone(440, 2.5));
    try (AudioProbe short1 = new AudioProbe(Duration.ofSeconds(1), Duration.ofMinutes(1))) {
      assertThatThrownBy(() -> short1.probe(tone, "Long"))
          .isInstanceOf(AudioRejectedException.class)
          .hasMessage("'Long' is longer than 1.0 s, the longest audio Carillon imports");
    }
    try (AudioProbe hasty = new AudioProbe(Duration.ofHours(1), Duration.ZERO)) {
      assertThatThrownBy(() -> hasty.probe(tone, "Slow"))
          .isInstanceOf(AudioRejectedException.class)
          .hasMessageStartingWith("'Slow' could not be decoded within 0.0 s (it had reached ");
    }
  }

  @Test
  void aRefusalNamesTheFormatFoundAndWhatIsSupported() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    assertThatThrownBy(() -> library.importFile(write("image.png", png), "Image"))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageStartingWith("'Image' is not audio Carillon can play: it is a PNG image (")
        .hasMessageEndingWith("); supported: " + FileFormat.SUPPORTED);
  }

  /** A WAV with format tag {@code tag} and {@code bits} per sample, written by hand (not by javax.sound). */
  static byte[] wav(int tag, int bits, int channels, int rate, byte[] data) {
    int block = channels * bits / 8;
    ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
        .putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * block).putShort((short) block)
        .putShort((short) bits).put("data".getBytes()).putInt(data.length).put(data);
    return b.array();
  }

  /** One second of a 440 Hz sine at a quarter of full scale, mono 8 kHz, in [-1, 1]. */
  static double sine(int i) {
    return 0.25 * Math.sin(2 * Math.PI * 440 * i / 8000.0);
  }

  /** G.711 µ-law, as ITU-T G.711 encodes a 16-bit sample. */
  static byte ulaw(double x) {
    int sample = (int) Math.round(x * 32767);
    int sign = sample < 0 ? 0x80 : 0;
    int magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
    int exponent = 7;
    for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | exponent << 4 | mantissa);
  }

  @Test
  void floatEightBitAndMuLawWavsAreConvertedToSixteenBitPcm() throws Exception {
    ByteBuffer floats = ByteBuffer.allocate(8000 * 4).order(ByteOrder.LITTLE_ENDIAN);
    byte[] unsigned8 = new byte[8000];
    byte[] mulaw = new byte[8000];
    for (int i = 0; i < 8000; i++) {
      floats.putFloat((float) sine(i));
      unsigned8[i] = (byte) (128 + Math.round(sine(i) * 127));
      mulaw[i] = ulaw(sine(i));
    }
    record Case(String name, byte[] content, String format) {}
    for (Case c : List.of(new Case("Float", wav(3, 32, 1, 8000, floats.array()), "wav (converted from 32-bit float)"),
        new Case("Eight", wav(1, 8, 1, 8000, unsigned8), "wav (converted from 8-bit PCM)"),
        new Case("Mulaw", wav(7, 8, 1, 8000, mulaw), "wav (converted from µ-law)"))) {
      AudioItem item = library.importFile(write(c.name() + ".wav", c.content()), c.name());
      assertThat(item.format()).as(c.name()).isEqualTo(c.format());
      // LavaPlayer plays an 8 kHz file up to about 0.15 s short (its resampler's last block): that is measured.
      assertThat(item.duration()).as(c.name()).isBetween(Duration.ofMillis(850), Duration.ofMillis(1020));
      byte[] stored = Files.readAllBytes(library.fileOf(item.id()));
      ByteBuffer header = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(header.getShort(20)).as("format tag: PCM").isEqualTo((short) 1);
      assertThat(header.getShort(34)).as("bits per sample").isEqualTo((short) 16);
      assertThat(stored).hasSize(44 + 8000 * 2);
      // The samples survive the conversion: the peak of the sine, a quarter of full scale, within µ-law's step.
      int peak = 0;
      for (int i = 44; i < stored.length; i += 2) {
        peak = Math.max(peak, Math.abs(header.getShort(i)));
      }
      assertThat(peak).as(c.name()).isBetween(7800, 8600);
    }
    assertThat(library.list()).hasSize(3);
    assertThat(Files.list(dir.resolve("data/audio/incoming"))).isEmpty();
  }

  @Test
  void aWavJavaxCannotConvertIsRefusedNamingItsSampleFormat() throws Exception {
    byte[] adpcm = wav(2, 4, 1, 8000, new byte[4000]);
    assertThatThrownBy(() -> library.importFile(write("adpcm.wav", adpcm), "Adpcm"))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageStartingWith("'Adpcm' is not audio Carillon can play: it is a WAV file with ADPCM samples (")
        .hasMessageEndingWith("; supported: " + FileFormat.SUPPORTED);
    byte[] cutFloat = wav(3, 32, 1, 8000, new byte[8000 * 4]);
    ByteBuffer.wrap(cutFloat).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 16000 * 4);
    assertRefusedAndNothingKept("CutFloat", cutFloat, "'CutFloat' ends at 1.0 s but its header says 2.0 s");
  }

  @Test
  void pathLikeIdsAreRefusedNeverResolved() {
    assertThat(library.find("../../etc/passwd")).isEmpty();
    assertThat(library.track("../../etc/passwd")).isEmpty();
    assertThatThrownBy(() -> library.delete("../../etc/passwd"))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("'../../etc/passwd' is not an audio file id (64 lowercase hex digits)");
    assertThatThrownBy(() -> library.rename("/etc/passwd", "x")).isInstanceOf(AudioRejectedException.class);
  }

  @Test
  void deleteRefusesAnItemInAPlaylistAndOtherwiseRemovesTheFile() throws Exception {
    AudioItem used = library.importFile(write("used.wav", DemoAudio.tone(440, 0.3)), "Used");
    AudioItem unused = library.importFile(write("unused.wav", DemoAudio.tone(550, 0.3)), "Unused");
    db.useHandle(h -> {
      h.execute("""
          INSERT INTO session (id, guild_id, name, voice_channel_id, schedule, gap_ms, repeat_playlist,
            reminder_minutes, enabled, late_grace_ms, updated_at)
          VALUES (1, 10, 'Yoga', 20, 'daily 07:00 UTC', 0, 0, 0, 1, 0, 0)""");
      h.execute("INSERT INTO session_track (session_id, position, audio_id) VALUES (1, 0, ?)", used.id());
    });
    assertThatThrownBy(() -> library.delete(used.id()))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("'Used' is in 1 session playlist; remove it from them first");
    Path file = library.fileOf(unused.id());
    library.delete(unused.id());
    assertThat(file).doesNotExist();
    assertThat(library.list()).containsExactly(used);
    library.rename(used.id(), "Renamed");
    assertThat(library.find(used.id()).orElseThrow().name()).isEqualTo("Renamed");
  }
}
