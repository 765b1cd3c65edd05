package carillon.bot.library;

import carillon.bot.app.DemoAudio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
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
    library = new AudioLibrary(dir.resolve("data"), db, clock, probe, 2_000_000);
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
    assertThat(bell.id()).matches("[0-9a-f]{64}");
    Path stored = dir.resolve("data/audio").resolve(bell.id().substring(0, 2)).resolve(bell.id());
    assertThat(stored).exists().hasSameBinaryContentAs(upload);
    assertThat(library.list()).containsExactly(bell);
    assertThat(library.track(bell.id())).get().satisfies(t -> assertThat(t.file()).isEqualTo(stored));
    assertThat(Files.list(dir.resolve("data/audio/incoming"))).isEmpty();
    assertThat(dir.resolve("etc/passwd")).doesNotExist();
  }

  @Test
  void theSameContentTwiceIsOneItemUnderItsFirstName() throws Exception {
    byte[] tone = DemoAudio.tone(330, 1);
    AudioItem first = library.importFile(write("a.wav", tone), "First");
    AudioItem second = library.importFile(write("b.wav", tone), "Second");
    assertThat(second).isEqualTo(first);
    assertThat(library.list()).hasSize(1);
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
