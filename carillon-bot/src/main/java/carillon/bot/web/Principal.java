package carillon.bot.web;

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
record Principal(Kind kind, long accountId, String name, boolean allGuilds, Set<Long> guilds, String csrfToken,
    long tokenId, Instant expiresAt) {
  enum Kind { USER, TOKEN }

  Principal {
    guilds = Set.copyOf(guilds);
  }

  boolean sees(long guildId) {
    return allGuilds || guilds.contains(guildId);
  }

  CommandSource source() {
    return kind == Kind.USER ? CommandSource.WEB : CommandSource.API;
  }

  /** How commands name who asked. */
  String requestedBy() {
    return name;
  }
}
