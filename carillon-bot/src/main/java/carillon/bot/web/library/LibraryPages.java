package carillon.bot.web.library;

import carillon.bot.library.Waveform;
import carillon.bot.session.FieldError;
import carillon.bot.web.http.PageModel;
import carillon.bot.web.http.Pages.Redirect;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The audio library page: the list, uploads, renaming and deleting, with problems shown by field. */
final class LibraryPages {
  private final Pages pages;
  private final LibraryItems library;

  LibraryPages(Pages pages, LibraryItems library) {
    this.pages = pages;
    this.library = library;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/library", this::library);
    routes.post("/library", this::upload);
    routes.post("/library/{audio}/name", this::rename);
    routes.post("/library/{audio}/delete", this::deleteAudio);
  }

  private void library(Context ctx) {
    renderLibrary(ctx, 200, List.of());
  }

  private void renderLibrary(Context ctx, int status, List<FieldError> errors) {
    pages.render(ctx, status, "library", PageModel.of("section", "library", "errors", errors,
        "items", library.items(Requests.principal(ctx)), "maxUploadMegabytes", library.maxBytes() / 1_000_000,
        "waveforms", waveformPaths(library.waveforms())));
  }

  /** Each waveform as an SVG path in a {@value Waveform#BUCKETS} by 40 box: a vertical line per slice, mirrored about the middle. */
  static Map<String, String> waveformPaths(Map<String, Waveform> waveforms) {
    Map<String, String> paths = new HashMap<>();
    waveforms.forEach((id, waveform) -> {
      StringBuilder d = new StringBuilder();
      for (int i = 0; i < Waveform.BUCKETS; i++) {
        // At least a hairline, so silence still shows where the file is.
        double half = Math.max(0.5, waveform.peak(i) / 255.0 * 20);
        d.append(String.format(Locale.ROOT, "M%d.5 %.1fV%.1f", i, 20 - half, 20 + half));
      }
      paths.put(id, d.toString());
    });
    return paths;
  }

  private void upload(Context ctx) throws IOException, InterruptedException {
    try {
      library.importFiles(Requests.principal(ctx), LibraryApi.uploads(ctx, library.maxBytes()));
      throw new Redirect("/library");
    } catch (Problem refused) {
      renderLibrary(ctx, refused.status(), refused.errors().isEmpty()
          ? List.of(new FieldError("files", refused.detail())) : refused.errors());
    }
  }

  private void rename(Context ctx) {
    try {
      library.rename(Requests.principal(ctx), LibraryApi.audioId(ctx), ctx.formParam("name"));
      throw new Redirect("/library");
    } catch (Problem refused) {
      renderLibrary(ctx, refused.status(), refused.errors().isEmpty()
          ? List.of(new FieldError("name", refused.detail())) : refused.errors());
    }
  }

  private void deleteAudio(Context ctx) throws IOException {
    try {
      library.delete(Requests.principal(ctx), LibraryApi.audioId(ctx));
      throw new Redirect("/library");
    } catch (Problem refused) {
      renderLibrary(ctx, refused.status(), refused.errors().isEmpty()
          ? List.of(new FieldError("id", refused.detail())) : refused.errors());
    }
  }
}
