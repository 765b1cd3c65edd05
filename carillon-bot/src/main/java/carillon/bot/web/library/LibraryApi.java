package carillon.bot.web.library;

import carillon.bot.library.AudioItem;
import carillon.bot.session.FieldError;
import carillon.bot.store.StoreUnavailableException;
import carillon.bot.web.http.JsonInput;
import carillon.bot.web.http.Names;
import carillon.bot.web.http.Principal;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import carillon.bot.web.library.LibraryItems.ItemView;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio library's API: list (with the playlists that use each file), upload, rename, delete, and a
 * file's Ogg/Opus copy to listen to. An
 * upload of several files is all or nothing (see {@link LibraryItems}).
 */
final class LibraryApi {
  private static final Logger log = LoggerFactory.getLogger(LibraryApi.class);
  private static final Pattern AUDIO_ID = Pattern.compile("[0-9a-f]{64}");

  /** The library, and the largest file an upload may have. */
  record Listing(List<ItemView> items, long maxUploadBytes) {}

  /** The items an upload imported, in the order sent. */
  record Uploaded(List<ItemView> items) {}

  private final LibraryItems library;
  private final ObjectMapper json;

  LibraryApi(LibraryItems library, ObjectMapper json) {
    this.library = library;
    this.json = json;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/api/library", this::list);
    routes.post("/api/library", this::upload);
    routes.put("/api/library/{audio}/name", this::rename);
    routes.delete("/api/library/{audio}", this::delete);
    routes.get("/api/library/{audio}/preview", this::preview);
  }

  /**
   * The item's Ogg/Opus copy as audio/ogg, for the page's players: whole, or the byte range asked for
   * (HTTP Range: 206 with Content-Range), so a browser can seek. Not Javalin's writeSeekableStream: it
   * answers a range that ends before the file's last 128000 bytes with everything to the end. Written to
   * the servlet's stream, past Javalin's compression: Opus does not compress, and the length is exact.
   */
  private void preview(Context ctx) throws IOException {
    String id = audioId(ctx);
    Path opus = library.preview(Requests.principal(ctx), id);
    try (FileChannel file = FileChannel.open(opus)) {
      long size = file.size();
      ctx.header("Accept-Ranges", "bytes").contentType("audio/ogg");
      Optional<ByteRange> range;
      try {
        range = ByteRange.of(ctx.header("Range"), size);
      } catch (ByteRange.Unsatisfiable e) {
        throw new Problem(416, "range-not-satisfiable", "Range not satisfiable", "the file is " + size
            + " bytes; a range must start before its end", List.of(new FieldError("Range", "must start below " + size)),
            Map.of("Content-Range", "bytes */" + size));
      }
      long first = range.map(ByteRange::first).orElse(0L);
      long length = range.map(ByteRange::length).orElse(size);
      if (range.isPresent()) {
        ctx.status(206).header("Content-Range", "bytes " + first + "-" + range.get().last() + "/" + size);
      }
      ctx.res().setContentLengthLong(length);
      OutputStream out = ctx.res().getOutputStream();
      try {
        file.transferTo(first, length, Channels.newChannel(out));
        out.flush();
      } catch (EOFException e) { // Jetty's EofException: the player stopped reading (a seek, pause, the page left)
        log.debug("GET {}: the client stopped reading ({})", Requests.shorten(ctx.path()), e.toString());
      }
    } catch (NoSuchFileException e) { // deleted since it was found
      throw Problem.notFound("there is no audio file with id " + id);
    }
  }

  private void list(Context ctx) {
    ctx.json(new Listing(library.items(Requests.principal(ctx)), library.maxBytes()));
  }

  private void upload(Context ctx) throws IOException, InterruptedException {
    Principal principal = Requests.principal(ctx);
    List<AudioItem> imported = library.importFiles(principal, uploads(ctx, library.maxBytes()));
    ctx.status(201).json(new Uploaded(imported.stream().map(item -> library.view(item, principal)).toList()));
  }

  /** The files of a multipart upload, in parts named 'files'; refused if it is not one, or too large. */
  static List<UploadedFile> uploads(Context ctx, long maxBytes) {
    if (!ctx.isMultipartFormData()) {
      throw Problem.unsupportedMediaType("upload audio files as multipart/form-data, in parts named 'files'");
    }
    List<UploadedFile> files;
    try {
      files = ctx.uploadedFiles("files");
      if (files.isEmpty() && ctx.formParamMap().containsKey("files")) {
        throw noFileName();
      }
      return files;
    } catch (Problem problem) {
      throw problem;
    } catch (Exception e) { // Jetty's ServletException arrives undeclared through Kotlin
      if (StoreUnavailableException.among(e)) {
        // Jetty writes large parts to the data directory: a full disk is Carillon's state, not the client's fault.
        throw Problem.storeUnavailable("Carillon cannot store the upload now: its data directory's disk is full; "
            + "nothing was kept; try again later");
      }
      // Jetty refuses a part over the size limit while parsing; anything else is a broken body.
      String reason = "it could not be read";
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        String message = String.valueOf(cause.getMessage());
        if (message.contains("max length exceeded")) {
          // A part's header line (its Content-Disposition) over Jetty's limit: a file name far too long.
          throw Problem.invalid("files", "a part's headers are too long: file names may be at most "
              + LibraryItems.MAX_FILE_NAME + " characters");
        }
        if (message.contains("Form is larger than max length")) {
          throw noFileName(); // a part without a file name is a form field, and a file is a large one
        }
        if (message.contains("max file size exceeded") || message.contains("max request size exceeded")) {
          throw Problem.tooLarge("files", "a file is larger than " + maxBytes + " bytes, the most an audio file may be"
              + " (or the upload is larger than " + 4 * maxBytes + " bytes in all)");
        }
        reason = message;
      }
      throw Problem.malformed("body", "is not a readable multipart/form-data body: " + Requests.shorten(reason));
    }
  }

  private static Problem noFileName() {
    return Problem.invalid("files", "a part named 'files' has no file name; send each file as Content-Disposition:"
        + " form-data; name=\"files\"; filename=\"bell.ogg\"");
  }

  private void rename(Context ctx) {
    String id = audioId(ctx);
    Principal principal = Requests.principal(ctx);
    library.mayChange(principal, id);
    JsonInput in = JsonInput.of(ctx, json);
    String name = in.string("name", true);
    if (name != null && Names.hasMarkup(name)) {
      in.error("name", Names.MARKUP_MESSAGE);
    }
    in.check();
    ctx.json(library.view(library.rename(principal, id, name), principal));
  }

  private void delete(Context ctx) throws IOException {
    library.delete(Requests.principal(ctx), audioId(ctx));
    ctx.status(204);
  }

  static String audioId(Context ctx) {
    String id = ctx.pathParam("audio");
    if (!AUDIO_ID.matcher(id).matches()) {
      throw Problem.malformed("audio", "'" + Requests.shorten(id) + "' is not an audio file id (64 lowercase hex digits)");
    }
    return id;
  }
}
