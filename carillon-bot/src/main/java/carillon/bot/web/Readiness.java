package carillon.bot.web;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code GET /health/ready} checks besides the store, and what the admin page's voice banner says.
 *
 * @param accounts each configured bot account, by name, to why its gateway is not connected (empty: connected),
 *     asked at each check
 * @param voiceOff why voice cannot work on this machine (DaveSupport's reason), if it cannot
 */
public record Readiness(Supplier<Map<String, Optional<String>>> accounts, Optional<String> voiceOff) {
  /** A web server with no bot account and working voice (tests, benchmarks). */
  public static Readiness withoutAccounts() {
    return new Readiness(Map::of, Optional.empty());
  }
}
