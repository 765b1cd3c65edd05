package carillon.bot.web.library;

import carillon.bot.web.http.Pages;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.router.JavalinDefaultRoutingApi;

/** The audio library in the API ({@code /api/library}) and on its page ({@code /library}). */
public final class LibraryRoutes {
  private final LibraryApi api;
  private final LibraryPages pages;

  public LibraryRoutes(LibraryItems library, Pages pages, ObjectMapper json) {
    this.api = new LibraryApi(library, json);
    this.pages = new LibraryPages(pages, library);
  }

  public void routes(JavalinDefaultRoutingApi routes) {
    api.routes(routes);
    pages.routes(routes);
  }
}
