package carillon.bot.web.http;

import carillon.bot.queue.CommandSource;
import java.time.Instant;
import java.util.Set;

/**
 * Who a request acts for: a logged-in admin (a browser with the login cookie) or an API token. A
 * token sees only its own guilds, and only those its account still may see.
 *
 * @param csrfToken the login's CSRF token; null for API tokens, which carry no ambient credentials
 * @param expiresAt when the login or token stops working
 */
public record Principal(Kind kind, long accountId, String name, boolean allGuilds, Set<Long> guilds, String csrfToken,
    long tokenId, Instant expiresAt) {
  /** A logged-in admin (a browser), or an API token (a script). */
  public enum Kind { USER, TOKEN }

  public Principal {
    guilds = Set.copyOf(guilds);
  }

  /** Whether this principal may see and act in the guild. */
  public boolean sees(long guildId) {
    return allGuilds || guilds.contains(guildId);
  }

  /** Where the principal's commands come from: the page or the API. */
  public CommandSource source() {
    return kind == Kind.USER ? CommandSource.WEB : CommandSource.API;
  }

  /** How commands name who asked. */
  public String requestedBy() {
    return name;
  }
}
