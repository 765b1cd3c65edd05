package carillon.bot.web.library;

import carillon.bot.library.AudioItem;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.AudioRejectedException;
import carillon.bot.library.Waveform;
import carillon.bot.session.FieldError;
import carillon.bot.web.http.Names;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio library, shared by every guild, as the API and the pages both show and change it, over
 * plain values (no HTTP here): the items with the playlists that use each, uploads, renaming and
 * deleting. An upload of several files is all or nothing: if one is refused (not audio, too large, a bad
 * name), none is kept, and the answer names each refused file: 409 when every refusal is a clash with a
 * file already there (the same content under another name, or a name taken), else 422. An item used by
 * a playlist of a guild the principal cannot see is not theirs to change.
 */
public final class LibraryItems {
  private static final Logger log = LoggerFactory.getLogger(LibraryItems.class);
  static final int MAX_FILES = 20;

  /**
   * An audio file as the library shows it.
   *
   * @param loudnessLufs integrated loudness (EBU R 128), rounded to 0.1 LU as a meter shows it; null for
   *     silence and for files imported before loudness was measured
   * @param truePeakDbtp true peak in dBTP, rounded to 0.1 dB; null as for loudness
   * @param opusGainDb the gain in dB, rounded to 0.1 dB, its Ogg/Opus copy (what plays, passed through) was
   *     encoded with to reach the target loudness; null while it has no copy (imported before copies were
   *     made: encoded at the next start)
   * @param usedBy the sessions of guilds the principal sees whose playlists use it
   * @param usedElsewhere how many playlists of other guilds use it
   */
  public record ItemView(String id, String name, String format, long durationMs, Double loudnessLufs,
      Double truePeakDbtp, Double opusGainDb, long sizeBytes, Instant importedAt, List<UseView> usedBy, long usedElsewhere) {}

  /** @param session the session's id; {@code guild} its guild's, as a string */
  public record UseView(long session, String name, String guild) {}

  private final AudioLibrary library;
  private final Path uploadDir;
  private final long maxBytes;

  /**
   * @param uploadDir where uploads wait while they are checked and imported
   * @param maxBytes the largest audio file accepted
   */
  public LibraryItems(AudioLibrary library, Path uploadDir, long maxBytes) {
    this.library = library;
    this.uploadDir = uploadDir;
    this.maxBytes = maxBytes;
  }

  /** The largest audio file accepted, in bytes. */
  long maxBytes() {
    return maxBytes;
  }

  /** Every item as the list shows it: with the playlists that use it. */
  public List<ItemView> items(Principal principal) {
    Map<String, List<AudioLibrary.Use>> uses = new LinkedHashMap<>();
    for (AudioLibrary.Use use : library.uses()) {
      uses.computeIfAbsent(use.audioId(), k -> new ArrayList<>()).add(use);
    }
    return library.list().stream().map(item -> view(item, uses.getOrDefault(item.id(), List.of()), principal)).toList();
  }

  /** An item as the list shows it. */
  ItemView view(AudioItem item, Principal principal) {
    return view(item, usesOf(item.id()), principal);
  }

  private static ItemView view(AudioItem item, List<AudioLibrary.Use> uses, Principal principal) {
    return new ItemView(item.id(), item.name(), item.format(), item.duration().toMillis(),
        item.loudness().map(l -> Math.round(l.integratedLufs() * 10) / 10.0).orElse(null),
        item.loudness().map(l -> Math.round(l.truePeakDbtp() * 10) / 10.0).orElse(null),
        item.opusGainDb().map(g -> Math.round(g * 10) / 10.0).orElse(null), item.sizeBytes(),
        item.importedAt(), uses.stream().filter(u -> principal.sees(u.guildId()))
            .map(u -> new UseView(u.sessionId(), u.sessionName(), String.valueOf(u.guildId()))).toList(),
        uses.stream().filter(u -> !principal.sees(u.guildId())).count());
  }

  /** Imports uploaded files, all or nothing, or refuses naming each file that is wrong. */
  List<AudioItem> importFiles(Principal principal, List<UploadedFile> files) throws IOException, InterruptedException {
    if (files.isEmpty()) {
      throw Problem.invalid("files", "no file was uploaded; send one or more parts named 'files'");
    }
    if (files.size() > MAX_FILES) {
      throw Problem.invalid("files", "at most " + MAX_FILES + " files per upload, were " + files.size());
    }
    List<FieldError> errors = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      UploadedFile file = files.get(i);
      String problem = checkFileName(file.filename());
      if (problem != null) {
        errors.add(new FieldError("files[" + i + "]", problem));
      } else if (file.size() > maxBytes) {
        errors.add(new FieldError("files[" + i + "]", "'" + file.filename() + "' is " + file.size()
            + " bytes; files may be at most " + maxBytes + " bytes"));
      }
      names.add(problem == null ? baseName(file.filename()) : null);
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    Files.createDirectories(uploadDir);
    List<AudioItem> imported = new ArrayList<>();
    List<String> created = new ArrayList<>();
    List<FieldError> conflicts = new ArrayList<>(); // the same content or name as an item already there: 409
    for (int i = 0; i < files.size(); i++) {
      Path temp = Files.createTempFile(uploadDir, "upload-", ".part");
      try {
        String id = save(files.get(i), temp);
        boolean existed = library.find(id).isPresent();
        AudioItem item = library.importFile(temp, names.get(i));
        if (!existed) {
          created.add(item.id());
        }
        imported.add(item);
      } catch (AudioRejectedException e) {
        (e.existing().isPresent() ? conflicts : errors).add(new FieldError("files[" + i + "]", e.getMessage()));
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    if (errors.isEmpty() && !conflicts.isEmpty()) {
      undo(created);
      log.info("{}'s upload of {} file(s) was refused: {}", principal.name(), files.size(), conflicts);
      throw Problem.conflict(conflicts);
    }
    errors.addAll(conflicts);
    errors.sort(Comparator.comparing(LibraryItems::fileIndex)); // in the order the files were sent
    if (!errors.isEmpty()) {
      undo(created);
      // One line, no stack trace: a refused file is the uploader's mistake, not Carillon's.
      log.info("{}'s upload of {} file(s) was refused: {}", principal.name(), files.size(),
          String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()));
      throw Problem.invalid(errors);
    }
    log.info("{} uploaded {} audio file(s)", principal.name(), imported.size());
    return imported;
  }

  /** The index {@code i} of a field named {@code files[i]}. */
  private static int fileIndex(FieldError error) {
    String field = error.field();
    return Integer.parseInt(field.substring(field.indexOf('[') + 1, field.indexOf(']')));
  }

  /** Copies the upload to {@code target} and returns its SHA-256: the library id it will have. */
  private String save(UploadedFile file, Path target) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
    try (InputStream in = file.content(); OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha256)) {
      in.transferTo(out);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private void undo(List<String> created) {
    for (String id : created) {
      try {
        library.delete(id);
      } catch (AudioRejectedException | IOException e) {
        log.warn("Could not remove audio file {} after its upload was refused: {}", id, e.getMessage());
      }
    }
  }

  /** The longest file name accepted, in characters (what most file systems allow). */
  static final int MAX_FILE_NAME = 255;

  /** Why a file name cannot name an audio file, or null. The name is only shown, never used as a path. */
  static String checkFileName(String fileName) {
    if (fileName == null || fileName.isBlank()) {
      return "has no file name";
    }
    if (fileName.length() > MAX_FILE_NAME) {
      return "the file name is " + fileName.length() + " characters; it may be at most " + MAX_FILE_NAME;
    }
    if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
      return "'" + Requests.shorten(fileName) + "' looks like a path; send a plain file name such as 'bell.ogg'";
    }
    if (fileName.chars().anyMatch(Character::isISOControl)) {
      return "the file name contains control characters";
    }
    if (Names.hasMarkup(fileName)) {
      return "the file name " + Names.MARKUP_MESSAGE;
    }
    if (baseName(fileName).isBlank()) {
      return "'" + Requests.shorten(fileName) + "' has no name before its extension";
    }
    return null;
  }

  /** The file name without its extension: "Temple bell.ogg" is shown as "Temple bell". */
  static String baseName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return (dot > 0 ? fileName.substring(0, dot) : fileName).strip();
  }

  /** The peak envelope of each item that has one, by id. */
  Map<String, Waveform> waveforms() {
    Map<String, Waveform> waveforms = new LinkedHashMap<>();
    library.list().forEach(item -> item.waveform().ifPresent(w -> waveforms.put(item.id(), w)));
    return waveforms;
  }

  /**
   * The item's Ogg/Opus copy, for the principal to listen to: any admin or token that sees at least one
   * guild may (the library is shared; the list shows every file to them), one that sees none is refused.
   *
   * @throws Problem 403 for a principal of no guild; 404 if there is no such item, or it has no copy yet
   */
  Path preview(Principal principal, String id) {
    if (!principal.allGuilds() && principal.guilds().isEmpty()) {
      throw Problem.forbidden("you manage no guild here, so no audio file is yours to listen to");
    }
    if (library.find(id).isEmpty()) {
      throw Problem.notFound("there is no audio file with id " + id);
    }
    return library.opusCopy(id).orElseThrow(() -> Problem.notFound("audio file " + id
        + " has no Ogg/Opus copy yet; it is made in the background after a start, try again later"));
  }

  /** Renames an item the principal may change, or refuses. */
  AudioItem rename(Principal principal, String id, String name) {
    mayChange(principal, id);
    if (name != null && Names.hasMarkup(name)) {
      throw Problem.invalid("name", Names.MARKUP_MESSAGE);
    }
    try {
      library.rename(id, name);
    } catch (AudioRejectedException e) {
      throw e.existing().isPresent() ? Problem.conflict(e.field(), e.getMessage()) : Problem.invalid(e.field(), e.getMessage());
    }
    return library.find(id).orElseThrow(() -> Problem.notFound("there is no audio file with id " + id));
  }

  /** Deletes an item the principal may change, unless a playlist uses it. */
  void delete(Principal principal, String id) throws IOException {
    mayChange(principal, id);
    try {
      library.delete(id);
    } catch (AudioRejectedException e) {
      if (library.find(id).isEmpty()) {
        throw Problem.notFound("there is no audio file with id " + id);
      }
      throw Problem.conflict("id", e.getMessage());
    }
  }

  /** Exists, and no playlist of a guild the principal cannot see uses it (that guild's admins would be surprised). */
  void mayChange(Principal principal, String id) {
    if (library.find(id).isEmpty()) {
      throw Problem.notFound("there is no audio file with id " + id);
    }
    if (usesOf(id).stream().anyMatch(use -> !principal.sees(use.guildId()))) {
      throw Problem.forbidden("this audio file is in playlists of guilds you have no access to");
    }
  }

  private List<AudioLibrary.Use> usesOf(String id) {
    return library.uses().stream().filter(use -> use.audioId().equals(id)).toList();
  }
}
