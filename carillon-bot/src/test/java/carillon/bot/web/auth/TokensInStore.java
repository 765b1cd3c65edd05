package carillon.bot.web.auth;

import carillon.bot.store.Database;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.util.Set;

/** API tokens written straight to the store, for benchmarks that need many without going through the API. */
public final class TokensInStore {
  private TokensInStore() {}

  /** Makes a token of the account for {@code guilds} and returns its secret. */
  public static String issue(Database db, TimeSource time, long accountId, String name, Set<Long> guilds,
      Duration lifetime) {
    return new ApiTokens(db, time, new Secrets()).create(accountId, name, guilds, lifetime).secret();
  }
}
