package carillon.bot.library;

import carillon.bot.naming.NameKey;
import carillon.bot.playback.Track;
import carillon.bot.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio files sessions play. An import copies the file into the data directory under its content
 * hash (a name a user chose never becomes a path), decodes it completely ({@link AudioProbe}) and refuses
 * it with the reason if it does not decode to its end. A WAV LavaPlayer cannot read (float, 8-bit, µ-law)
 * is stored converted to 16-bit PCM, still under the hash of the uploaded content. Importing the same
 * content twice under the same name gives the same item; under another name it is refused, naming the item
 * that has it. Names are unique in the library after NFKC and case folding ({@link NameKey}): the library
 * is shared by every guild, so a name is unique for each of them.
 *
 * <p>Every accepted file is also encoded once, at import, to Ogg/Opus at 48 kHz stereo with the gain that
 * brings it to the target loudness applied before encoding ({@link LoudnessTarget}, true peak at most
 * -1 dBTP): {@code audio/<two hex digits>/<hash>.opus}, beside the original (kept for download and
 * re-import). Plays use the Opus copy, which LavaPlayer passes through without decoding. Files imported
 * before Carillon made Opus copies, or encoded for another target loudness, are encoded by
 * {@link #encodePending()} (run in the background at start); until then they play from the original with
 * the gain applied while playing.
 *
 * <pre>{@code
 * AudioLibrary library = new AudioLibrary(dataDir, db, Clock.systemUTC(), new AudioProbe(), 200 * 1024 * 1024,
 *     new LoudnessTarget(-18));
 * AudioItem bell = library.importFile(Path.of("/tmp/upload-1234"), "Temple bell");
 * }</pre>
 */
public final class AudioLibrary {
  private static final Logger log = LoggerFactory.getLogger(AudioLibrary.class);
  static final int MAX_NAME = 100;
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

  private final Path audioDir;
  private final Database db;
  private final Clock clock;
  private final AudioProbe probe;
  private final long maxBytes;
  private final LoudnessTarget target;

  /** @param target the loudness files are encoded for (the Opus copies carry its gain) */
  public AudioLibrary(Path dataDir, Database db, Clock clock, AudioProbe probe, long maxBytes, LoudnessTarget target) {
    this.audioDir = dataDir.resolve("audio");
    this.db = db;
    this.clock = clock;
    this.probe = probe;
    this.maxBytes = maxBytes;
    this.target = target;
    fillNameKeys();
  }

  /**
   * Gives items imported before names had keys (database version 5) theirs, in import order; a later item
   * whose name clashes with an earlier one's is renamed "Name (2)", "Name (3)"...
   */
  private void fillNameKeys() {
    List<AudioItem> unkeyed = db.withHandle(h -> h.createQuery(
        "SELECT * FROM audio_item WHERE name_key IS NULL ORDER BY imported_at, id").map((rs, ctx) -> row(rs)).list());
    for (AudioItem item : unkeyed) {
      String name = item.name();
      for (int n = 2; findByName(name).isPresent(); n++) {
        name = item.name() + " (" + n + ")";
      }
      String key = NameKey.of(name);
      String newName = name;
      db.useHandle(h -> h.execute("UPDATE audio_item SET name = ?, name_key = ? WHERE id = ?", newName, key, item.id()));
      if (!newName.equals(item.name())) {
        log.info("Audio file {} renamed from '{}' to '{}': library names are now unique regardless of case",
            item.id(), item.name(), newName);
      }
    }
  }

  /** The item whose name is {@code name} after NFKC and case folding. */
  public Optional<AudioItem> findByName(String name) {
    return db.withHandle(h -> h.createQuery("SELECT * FROM audio_item WHERE name_key = ?").bind(0, NameKey.of(name.strip()))
        .map((rs, ctx) -> row(rs)).findOne());
  }

  /**
   * Imports {@code source} as {@code name}.
   *
   * @return the new item, or the existing one if the same content was imported before under this name
   * @throws AudioRejectedException if the name is invalid or taken, the file empty, too large, not decodable
   *     to its end, or already in the library under another name ({@link AudioRejectedException#existing()})
   */
  public AudioItem importFile(Path source, String name) throws AudioRejectedException, IOException, InterruptedException {
    String shown = checkName(name);
    if (!Files.isRegularFile(source)) {
      throw new AudioRejectedException("file", "'" + shown + "' was not received: there is no file to import");
    }
    long size = Files.size(source);
    if (size == 0) {
      throw new AudioRejectedException("file", "'" + shown + "' is empty");
    }
    if (size > maxBytes) {
      throw new AudioRejectedException("file", "'" + shown + "' is " + megabytes(size) + "; files may be at most "
          + megabytes(maxBytes));
    }
    Path incoming = audioDir.resolve("incoming");
    Files.createDirectories(incoming);
    Path temp = Files.createTempFile(incoming, "import-", ".part");
    try {
      String id = copyHashing(source, temp, shown);
      Optional<AudioItem> existing = find(id);
      if (existing.isPresent()) {
        return sameName(existing.get(), shown);
      }
      checkNameFree(shown, id);
      AudioProbe.Found found = probe.probe(temp, shown);
      Path stored = fileOf(id);
      Files.createDirectories(stored.getParent());
      double gainDb = target.gainDb(found.loudness());
      Path opusPart = Files.createTempFile(incoming, "encode-", ".part");
      try {
        probe.transcode(found.playable(), gainDb, opusPart, shown);
        Files.move(found.playable(), stored, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(opusPart, opusOf(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(opusPart);
        if (!found.playable().equals(temp)) {
          Files.deleteIfExists(found.playable());
        }
      }
      AudioItem item = new AudioItem(id, shown, found.format(), found.duration(), size,
          Instant.ofEpochMilli(clock.millis()), found.loudness(), Optional.of(gainDb), Optional.of(found.waveform()));
      try {
        db.useHandle(h -> h.execute("""
            INSERT INTO audio_item (id, name, name_key, format, duration_ms, size_bytes, imported_at, loudness_lufs,
              true_peak_dbtp, opus_gain_db, waveform)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""", item.id(), item.name(),
            NameKey.of(item.name()), item.format(), item.duration().toMillis(), item.sizeBytes(),
            item.importedAt().toEpochMilli(), item.loudness().map(Loudness::integratedLufs).orElse(null),
            item.loudness().map(Loudness::truePeakDbtp).orElse(null), gainDb, found.waveform().bytes()));
      } catch (UnableToExecuteStatementException e) {
        // Another import took the name meanwhile (the unique index on name_key): refuse as if it had been first.
        Files.deleteIfExists(stored);
        Files.deleteIfExists(opusOf(id));
        checkNameFree(shown, id);
        throw e;
      }
      return sameName(find(id).orElseThrow(), shown);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public Optional<AudioItem> find(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    return db.withHandle(h -> h.createQuery("SELECT * FROM audio_item WHERE id = ?").bind(0, id)
        .map((rs, ctx) -> row(rs)).findOne());
  }

  /** Every item, by name. */
  public List<AudioItem> list() {
    return db.withHandle(h -> h.createQuery("SELECT * FROM audio_item ORDER BY name, id").map((rs, ctx) -> row(rs)).list());
  }

  /** One playlist that uses an audio file. */
  public record Use(String audioId, long sessionId, long guildId, String sessionName) {}

  /** Which sessions use which items: one entry per item and session, by session name. */
  public List<Use> uses() {
    return db.withHandle(h -> h.createQuery("""
            SELECT DISTINCT t.audio_id, s.id, s.guild_id, s.name FROM session_track t JOIN session s ON s.id = t.session_id
            ORDER BY s.name, s.id""")
        .map((rs, ctx) -> new Use(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4))).list());
  }

  /**
   * The item as a track to play, if it is in the library. Its file may have gone missing since: playing it
   * then fails and the session skips it with a notice naming the track.
   */
  public Optional<Track> track(String id) {
    return find(id).map(item -> new Track(item.id(), item.name(), fileOf(item.id()), item.duration()));
  }

  /**
   * The item as a track to play at {@code target}'s loudness: its Opus copy if it has one (then with no
   * gain left to apply, unless it was encoded for another target), else the original with the whole gain.
   */
  public Optional<Track> track(String id, LoudnessTarget target) {
    return find(id).map(item -> {
      double wanted = target.gainDb(item.loudness());
      Path opus = opusOf(item.id());
      if (item.opusGainDb().isPresent() && Files.isRegularFile(opus)) {
        double left = wanted - item.opusGainDb().get();
        return new Track(item.id(), item.name(), opus, item.duration(),
            Math.abs(left) < LoudnessTarget.DEAD_BAND_DB ? 0 : left);
      }
      return new Track(item.id(), item.name(), fileOf(item.id()), item.duration(), wanted);
    });
  }

  /**
   * Encodes the Opus copy of every item that has none (imported before Carillon made them), or whose copy
   * was made for another target loudness, one after the other; returns how many it encoded. An item whose
   * original is missing or no longer decodes is logged and left to play from the original.
   */
  public int encodePending() throws InterruptedException {
    int encoded = 0;
    for (AudioItem item : list()) {
      double wanted = target.gainDb(item.loudness());
      boolean current = item.opusGainDb().isPresent() && Math.abs(item.opusGainDb().get() - wanted) < LoudnessTarget.DEAD_BAND_DB
          && Files.isRegularFile(opusOf(item.id()));
      if (current || !Files.isRegularFile(fileOf(item.id()))) {
        continue;
      }
      try {
        Path incoming = audioDir.resolve("incoming");
        Files.createDirectories(incoming);
        Path part = Files.createTempFile(incoming, "encode-", ".part");
        try {
          Waveform waveform = probe.transcode(fileOf(item.id()), wanted, part, item.name());
          Files.move(part, opusOf(item.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          // Items imported before waveforms were measured get theirs here, from the same decode.
          db.useHandle(h -> h.execute("UPDATE audio_item SET opus_gain_db = ?, waveform = ? WHERE id = ?", wanted,
              waveform.bytes(), item.id()));
        } finally {
          Files.deleteIfExists(part);
        }
        encoded++;
      } catch (AudioRejectedException | IOException e) {
        log.warn("Audio file '{}' ({}) could not be encoded to Opus; it plays from its original: {}", item.name(),
            item.id(), e.getMessage());
      }
    }
    if (encoded > 0) {
      log.info("Encoded {} audio file(s) to Ogg/Opus for the target loudness {} LUFS", encoded, target.targetLufs());
    }
    return encoded;
  }

  /**
   * Renames an item.
   *
   * @throws AudioRejectedException if the id or name is invalid, there is no such item, or another item has
   *     the name after NFKC and case folding ({@link AudioRejectedException#existing()} is that item)
   */
  public void rename(String id, String name) throws AudioRejectedException {
    checkId(id);
    String shown = checkName(name);
    checkNameFree(shown, id);
    int rows = db.withHandle(h -> h.execute("UPDATE audio_item SET name = ?, name_key = ? WHERE id = ?", shown,
        NameKey.of(shown), id));
    if (rows == 0) {
      throw new AudioRejectedException("id", "there is no audio file with id " + id);
    }
  }

  /** Deletes an item and its file, unless a playlist still uses it. */
  public void delete(String id) throws AudioRejectedException, IOException {
    checkId(id);
    AudioItem item = find(id).orElseThrow(() -> new AudioRejectedException("id", "there is no audio file with id " + id));
    int playlists = db.withHandle(h -> h.createQuery("SELECT count(DISTINCT session_id) FROM session_track WHERE audio_id = ?")
        .bind(0, id).mapTo(Integer.class).one());
    if (playlists > 0) {
      throw new AudioRejectedException("id", "'" + item.name() + "' is in " + playlists + " session playlist"
          + (playlists == 1 ? "" : "s") + "; remove it from them first");
    }
    db.useHandle(h -> h.execute("DELETE FROM audio_item WHERE id = ?", id));
    Files.deleteIfExists(fileOf(id));
    Files.deleteIfExists(opusOf(id));
  }

  /** The item imported with this content before, if its name is this one (in any case); else a refusal naming it. */
  private static AudioItem sameName(AudioItem existing, String shown) throws AudioRejectedException {
    if (!NameKey.of(existing.name()).equals(NameKey.of(shown))) {
      throw new AudioRejectedException("file", "'" + shown + "' has the same content as '" + existing.name()
          + "' (id " + existing.id() + "), which is already in the library", existing);
    }
    return existing;
  }

  /** Refuses {@code shown} if an item other than {@code id} has that name after NFKC and case folding. */
  private void checkNameFree(String shown, String id) throws AudioRejectedException {
    Optional<AudioItem> holder = findByName(shown);
    if (holder.isPresent() && !holder.get().id().equals(id)) {
      throw new AudioRejectedException("name", "the library already has a file named '" + holder.get().name()
          + "' (id " + holder.get().id() + "); names must differ in more than case", holder.get());
    }
  }

  /** Where an item's content lives: {@code audio/<first two hex digits>/<hash>}. */
  Path fileOf(String id) {
    return audioDir.resolve(id.substring(0, 2)).resolve(id);
  }

  /**
   * The item's Ogg/Opus copy (48 kHz stereo, at the target loudness), for a browser to preview: empty if
   * there is no such item or it has no copy yet.
   */
  public Optional<Path> opusCopy(String id) {
    return find(id).map(item -> opusOf(item.id())).filter(Files::isRegularFile);
  }

  /** Where an item's Ogg/Opus copy lives: beside its content, {@code <hash>.opus}. */
  Path opusOf(String id) {
    return audioDir.resolve(id.substring(0, 2)).resolve(id + ".opus");
  }

  private static void checkId(String id) throws AudioRejectedException {
    if (id == null || !ID.matcher(id).matches()) {
      throw new AudioRejectedException("id", "'" + id + "' is not an audio file id (64 lowercase hex digits)");
    }
  }

  private static String checkName(String name) throws AudioRejectedException {
    String shown = name == null ? "" : name.strip();
    if (shown.isEmpty() || shown.length() > MAX_NAME || shown.chars().anyMatch(Character::isISOControl)) {
      throw new AudioRejectedException("name", "a name must be 1 to " + MAX_NAME + " characters, without control characters");
    }
    return shown;
  }

  /** Copies while hashing, stopping at the size limit even if the file grew since it was measured. */
  private String copyHashing(Path source, Path target, String shown) throws IOException, AudioRejectedException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
    long copied = 0;
    try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha256);
         OutputStream out = Files.newOutputStream(target)) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) != -1) {
        copied += read;
        if (copied > maxBytes) {
          throw new AudioRejectedException("file", "'" + shown + "' is larger than " + megabytes(maxBytes));
        }
        out.write(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static String megabytes(long bytes) {
    return String.format("%.1f MB", bytes / 1_000_000.0);
  }

  private static AudioItem row(ResultSet rs) throws SQLException {
    double lufs = rs.getDouble("loudness_lufs");
    Optional<Loudness> loudness = rs.wasNull() ? Optional.empty()
        : Optional.of(new Loudness(lufs, rs.getDouble("true_peak_dbtp")));
    double opusGain = rs.getDouble("opus_gain_db");
    Optional<Double> opusGainDb = rs.wasNull() ? Optional.empty() : Optional.of(opusGain);
    byte[] peaks = rs.getBytes("waveform");
    Optional<Waveform> waveform = peaks == null || peaks.length != Waveform.BUCKETS ? Optional.empty()
        : Optional.of(Waveform.of(peaks));
    return new AudioItem(rs.getString("id"), rs.getString("name"), rs.getString("format"),
        Duration.ofMillis(rs.getLong("duration_ms")), rs.getLong("size_bytes"),
        Instant.ofEpochMilli(rs.getLong("imported_at")), loudness, opusGainDb, waveform);
  }
}
