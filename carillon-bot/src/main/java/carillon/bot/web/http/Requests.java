package carillon.bot.web.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;

/** Reading what every handler reads: who asks, ids in the path, numbers in the query. */
public final class Requests {
  private static final String PRINCIPAL = "carillon.principal";
  private static final Pattern ID = Pattern.compile("[0-9]{1,19}");

  private Requests() {}

  /** Set by the authentication filter: who the request acts for. */
  public static void actingFor(Context ctx, Principal principal) {
    ctx.attribute(PRINCIPAL, principal);
  }

  /** Who the request acts for; only on routes that require authentication (a bug otherwise). */
  public static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException("no principal on an authenticated route: " + ctx.path());
    }
    return principal;
  }

  /** Who the request acts for, if it was authenticated (the public login page is not). */
  public static Optional<Principal> principalIfAny(Context ctx) {
    return Optional.ofNullable(ctx.attribute(PRINCIPAL));
  }

  /** A logged-in admin, not an API token: accounts and tokens are managed from the page only. */
  public static Principal user(Context ctx) {
    Principal principal = principal(ctx);
    if (principal.kind() == Principal.Kind.DISCORD) {
      throw Problem.forbidden("a login with Discord cannot manage accounts or tokens; log in with an admin account");
    }
    if (principal.kind() != Principal.Kind.USER) {
      throw Problem.forbidden("API tokens cannot manage accounts or tokens; log in as an admin");
    }
    return principal;
  }

  /** A logged-in browser (an admin, or a member logged in with Discord), not an API token. */
  public static Principal browser(Context ctx) {
    Principal principal = principal(ctx);
    if (principal.kind() == Principal.Kind.TOKEN) {
      throw Problem.forbidden("an API token has no login to end");
    }
    return principal;
  }

  /** A logged-in admin of every guild. */
  public static Principal owner(Context ctx) {
    Principal principal = user(ctx);
    if (!principal.allGuilds()) {
      throw Problem.forbidden("only an admin of every guild may manage accounts");
    }
    return principal;
  }

  public static long pathId(Context ctx, String name) {
    return id(name, ctx.pathParam(name));
  }

  /** An id in the query, checked as a path id is; empty when the parameter is absent or empty. */
  public static Optional<Long> queryId(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null || text.isEmpty() ? Optional.empty() : Optional.of(id(name, text));
  }

  private static long id(String name, String text) {
    if (!ID.matcher(text).matches()) {
      throw Problem.malformed(name, "must be a number (an id), was '" + shorten(text) + "'");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw Problem.malformed(name, "is out of range (at most " + Long.MAX_VALUE + "), was '" + shorten(text) + "'");
    }
  }

  /**
   * Whether Jetty already recycled the request (its client went away, or the server stopped while it was
   * served): then nothing about it may be read or written any more.
   */
  public static boolean ended(Context ctx) {
    ServletRequest request = ctx.req();
    while (request instanceof ServletRequestWrapper wrapper) {
      request = wrapper.getRequest();
    }
    return request instanceof ServletApiRequest api && api.getRequest() == null;
  }

  /** A whole-number query parameter from {@code min} to {@code max}, or {@code fallback} when absent. */
  public static long queryNumber(Context ctx, String name, long min, long max, long fallback) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    if (!text.matches("-?[0-9]{1,19}")) {
      throw Problem.malformed(name, "must be a whole number from " + min + " to " + max + ", was '" + shorten(text) + "'");
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      value = Long.MAX_VALUE;
    }
    if (value < min || value > max) {
      throw Problem.invalid(name, "must be a whole number from " + min + " to " + max + ", was " + text);
    }
    return value;
  }

  public static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
