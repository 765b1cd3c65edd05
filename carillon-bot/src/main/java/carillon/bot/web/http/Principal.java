package carillon.bot.web.http;

import carillon.bot.queue.CommandSource;
import java.time.Instant;
import java.util.Set;

/**
 * Who a request acts for: a logged-in admin (a browser with the login cookie), a Discord member logged in
 * with Discord (the guilds they manage where Carillon is), or an API token. A token sees only its own guilds, and
 * only those its account still may see.
 *
 * @param csrfToken the login's CSRF token; null for API tokens, which carry no ambient credentials
 * @param expiresAt when the login or token stops working
 */
public record Principal(Kind kind, long accountId, String name, boolean allGuilds, Set<Long> guilds, String csrfToken,
    long tokenId, Instant expiresAt) {
  /**
   * A logged-in admin (a browser), an API token (a script), or a member logged in with Discord (a browser;
   * {@code accountId} is their Discord user id).
   */
  public enum Kind { USER, TOKEN, DISCORD }

  public Principal {
    guilds = Set.copyOf(guilds);
  }

  /** Whether this principal may see and act in the guild. */
  public boolean sees(long guildId) {
    return allGuilds || guilds.contains(guildId);
  }

  /** Where the principal's commands come from: the page or the API. */
  public CommandSource source() {
    return kind == Kind.TOKEN ? CommandSource.API : CommandSource.WEB;
  }

  /** How commands name who asked. */
  public String requestedBy() {
    return name;
  }
}
