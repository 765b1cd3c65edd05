package carillon.bot.web.auth;

import carillon.bot.web.http.PageModel;
import carillon.bot.web.http.Pages.Redirect;
import carillon.bot.web.http.Pages;
import carillon.bot.web.http.Problem;
import carillon.bot.web.http.Requests;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Optional;

/** The login page, and logging out from a page. */
final class LoginPages {
  private final Auth auth;
  private final Pages pages;
  private final Optional<String> publicOrigin;
  private final boolean discordLogin;

  LoginPages(Auth auth, Pages pages, Optional<String> publicOrigin, boolean discordLogin) {
    this.auth = auth;
    this.pages = pages;
    this.publicOrigin = publicOrigin;
    this.discordLogin = discordLogin;
  }

  void routes(JavalinDefaultRoutingApi routes) {
    routes.get("/login", ctx -> pages.render(ctx, 200, "login", PageModel.of("name", "", "error", null, "discordLogin", discordLogin)));
    routes.post("/login", this::login);
    routes.post("/logout", this::logout);
    routes.get("/language", this::language);
  }

  /** Picks the pages' language (a cookie for a year) and goes back to the page it was picked on. */
  private void language(Context ctx) {
    String lang = ctx.queryParam("lang");
    if (lang == null || !(lang.equals("en") || lang.equals("vi"))) {
      throw Problem.invalid("lang", "must be en or vi; was " + (lang == null ? "missing" : "'" + Requests.shorten(lang) + "'"));
    }
    ctx.res().addHeader("Set-Cookie", Pages.LANGUAGE_COOKIE + "=" + lang + "; Path=/; Max-Age=31536000; SameSite=Lax");
    String back = ctx.queryParam("back");
    // Only a path of this site: "//host" or "/\\host" would leave it (an open redirect).
    boolean local = back != null && back.startsWith("/") && !back.startsWith("//") && !back.startsWith("/\\")
        && back.chars().noneMatch(c -> c < 0x20);
    throw new Redirect(local ? back : "/");
  }

  private void login(Context ctx) {
    String name = ctx.formParam("name");
    String origin = ctx.header("Origin");
    String fetchSite = ctx.header("Sec-Fetch-Site");
    // Browsers say where a request comes from: Sec-Fetch-Site where they send it, else Origin (compared
    // with the Host header as sent, port included, which WebServer checked; or with web.publicUrl behind a proxy).
    boolean foreign = fetchSite != null ? !(fetchSite.equals("same-origin") || fetchSite.equals("none"))
        : origin != null && !origin.equals(ctx.scheme() + "://" + ctx.header("Host"))
            && !publicOrigin.map(origin::equals).orElse(false);
    if (foreign) {
      // Another site's form must not log a browser into an account (login CSRF).
      pages.render(ctx, 403, "login", PageModel.of("name", "", "error", "this login form came from another site", "discordLogin", discordLogin));
      return;
    }
    try {
      AdminAccounts.Account account = auth.checkLogin(name, ctx.formParam("password"), ctx);
      auth.startLogin(ctx, account);
      throw new Redirect("/");
    } catch (Problem refused) {
      refused.headers().forEach(ctx::header);
      pages.render(ctx, refused.status(), "login", PageModel.of("name", name == null ? "" : name, "error",
          refused.detail(), "discordLogin", discordLogin));
    }
  }

  private void logout(Context ctx) {
    Requests.browser(ctx);
    auth.endLogin(ctx);
    throw new Redirect("/login");
  }
}
