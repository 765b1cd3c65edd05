package carillon.bot.web;

import carillon.bot.library.AudioItem;
import carillon.bot.library.AudioLibrary;
import carillon.bot.library.AudioRejectedException;
import carillon.bot.session.FieldError;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio library, shared by every guild: list (with the playlists that use each file), upload,
 * rename, delete. An upload of several files is all or nothing: if one is refused (not audio, too
 * large, a bad name), none is kept, and the answer names each refused file: 409 when every refusal is a
 * clash with a file already there (the same content under another name, or a name taken), else 422.
 */
final class LibraryApi {
  private static final Logger log = LoggerFactory.getLogger(LibraryApi.class);
  static final int MAX_FILES = 20;
  private static final Pattern AUDIO_ID = Pattern.compile("[0-9a-f]{64}");

  private final AudioLibrary library;
  private final Path uploadDir;
  private final long maxBytes;
  private final ObjectMapper json;

  LibraryApi(AudioLibrary library, Path uploadDir, long maxBytes, ObjectMapper json) {
    this.library = library;
    this.uploadDir = uploadDir;
    this.maxBytes = maxBytes;
    this.json = json;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/api/library", this::list);
    routes.post("/api/library", this::upload);
    routes.put("/api/library/{audio}/name", this::rename);
    routes.delete("/api/library/{audio}", this::delete);
  }

  private void list(Context ctx) {
    ctx.json(Json.object("items", items(Requests.principal(ctx)), "maxUploadBytes", maxBytes));
  }

  private void upload(Context ctx) throws IOException, InterruptedException {
    List<AudioItem> imported = importUploads(ctx);
    Principal principal = Requests.principal(ctx);
    ctx.status(201).json(Json.object("items", imported.stream().map(item -> view(item, List.of(), principal)).toList()));
  }

  /** Imports the uploaded files, all or nothing, or refuses naming each file that is wrong. */
  List<AudioItem> importUploads(Context ctx) throws IOException, InterruptedException {
    if (!ctx.isMultipartFormData()) {
      throw Problem.unsupportedMediaType("upload audio files as multipart/form-data, in parts named 'files'");
    }
    List<UploadedFile> files = uploadedFiles(ctx);
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
      log.info("{}'s upload of {} file(s) was refused: {}", Requests.principal(ctx).name(), files.size(), conflicts);
      throw Problem.conflict(conflicts.getFirst().field(),
          String.join("; ", conflicts.stream().map(e -> e.field() + ": " + e.message()).toList()));
    }
    errors.addAll(conflicts);
    if (!errors.isEmpty()) {
      undo(created);
      // One line, no stack trace: a refused file is the uploader's mistake, not Carillon's.
      log.info("{}'s upload of {} file(s) was refused: {}", Requests.principal(ctx).name(), files.size(),
          String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()));
      throw Problem.invalid(errors);
    }
    log.info("{} uploaded {} audio file(s)", Requests.principal(ctx).name(), imported.size());
    return imported;
  }

  private List<UploadedFile> uploadedFiles(Context ctx) {
    try {
      return ctx.uploadedFiles("files");
    } catch (Exception e) { // Jetty's ServletException arrives undeclared through Kotlin
      // Jetty refuses a part over the size limit while parsing; anything else is a broken body.
      String reason = "it could not be read";
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        String message = String.valueOf(cause.getMessage());
        if (message.contains("max file size exceeded") || message.contains("max request size exceeded")
            || message.contains("max length exceeded")) {
          throw Problem.tooLarge("files", "a file is larger than " + maxBytes + " bytes, the most an audio file may be"
              + " (or the upload is larger than " + 4 * maxBytes + " bytes in all)");
        }
        reason = message;
      }
      throw Problem.malformed("body", "is not a readable multipart/form-data body: " + Requests.shorten(reason));
    }
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

  /** Why a file name cannot name an audio file, or null. The name is only shown, never used as a path. */
  static String checkFileName(String fileName) {
    if (fileName == null || fileName.isBlank()) {
      return "has no file name";
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

  private void rename(Context ctx) {
    String id = audioId(ctx);
    mayChange(ctx, id);
    JsonInput in = JsonInput.of(ctx, json);
    String name = in.string("name", true);
    if (name != null && Names.hasMarkup(name)) {
      in.error("name", Names.MARKUP_MESSAGE);
    }
    in.check();
    AudioItem item = rename(ctx, id, name);
    ctx.json(view(item, usesOf(id), Requests.principal(ctx)));
  }

  /** Renames an item the principal may change, or refuses. */
  AudioItem rename(Context ctx, String id, String name) {
    mayChange(ctx, id);
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

  private void delete(Context ctx) throws IOException {
    delete(ctx, audioId(ctx));
    ctx.status(204);
  }

  /** Deletes an item the principal may change, unless a playlist uses it. */
  void delete(Context ctx, String id) throws IOException {
    mayChange(ctx, id);
    try {
      library.delete(id);
    } catch (AudioRejectedException e) {
      if (library.find(id).isEmpty()) {
        throw Problem.notFound("there is no audio file with id " + id);
      }
      throw Problem.conflict("id", e.getMessage());
    }
  }

  static String audioId(Context ctx) {
    String id = ctx.pathParam("audio");
    if (!AUDIO_ID.matcher(id).matches()) {
      throw Problem.malformed("audio", "'" + Requests.shorten(id) + "' is not an audio file id (64 lowercase hex digits)");
    }
    return id;
  }

  /** Exists, and no playlist of a guild the principal cannot see uses it (that guild's admins would be surprised). */
  private void mayChange(Context ctx, String id) {
    if (library.find(id).isEmpty()) {
      throw Problem.notFound("there is no audio file with id " + id);
    }
    Principal principal = Requests.principal(ctx);
    if (usesOf(id).stream().anyMatch(use -> !principal.sees(use.guildId()))) {
      throw Problem.forbidden("this audio file is in playlists of guilds you have no access to");
    }
  }

  private List<AudioLibrary.Use> usesOf(String id) {
    return library.uses().stream().filter(use -> use.audioId().equals(id)).toList();
  }

  /** Every item as the list shows it: with the playlists that use it. */
  List<Map<String, Object>> items(Principal principal) {
    Map<String, List<AudioLibrary.Use>> uses = new LinkedHashMap<>();
    for (AudioLibrary.Use use : library.uses()) {
      uses.computeIfAbsent(use.audioId(), k -> new ArrayList<>()).add(use);
    }
    return library.list().stream().map(item -> view(item, uses.getOrDefault(item.id(), List.of()), principal)).toList();
  }

  long maxBytes() {
    return maxBytes;
  }

  private static Map<String, Object> view(AudioItem item, List<AudioLibrary.Use> uses, Principal principal) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", item.id());
    out.put("name", item.name());
    out.put("format", item.format());
    out.put("durationMs", item.duration().toMillis());
    // Rounded to what a meter shows; null for silence and for files imported before loudness was measured.
    out.put("loudnessLufs", item.loudness().map(l -> Math.round(l.integratedLufs() * 10) / 10.0).orElse(null));
    out.put("truePeakDbtp", item.loudness().map(l -> Math.round(l.truePeakDbtp() * 10) / 10.0).orElse(null));
    out.put("sizeBytes", item.sizeBytes());
    out.put("importedAt", item.importedAt());
    out.put("usedBy", uses.stream().filter(u -> principal.sees(u.guildId()))
        .map(u -> Json.object("session", u.sessionId(), "name", u.sessionName(), "guild", String.valueOf(u.guildId())))
        .toList());
    out.put("usedElsewhere", uses.stream().filter(u -> !principal.sees(u.guildId())).count());
    return out;
  }
}
