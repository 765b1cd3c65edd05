package carillon.bot.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Carillon's settings, read by {@link ConfigLoader} from one YAML file with every value overridable by an
 * environment variable. See docs/configuration.md for each key.
 *
 * @param dataDir where the database and the audio files live
 * @param timeZone the default time zone of guilds that set none (pages, previews, the ICS feed)
 * @param language the language of notices in guilds whose own language Carillon has no texts for
 * @param shutdownTimeout how long shutdown waits for background tasks before it closes Discord and the store
 * @param webAddress where the admin web page and the REST API listen
 * @param secureCookies mark the login cookie Secure: the page is served over HTTPS (by a proxy in front)
 * @param publicUrl where people reach the page through a proxy, if set (web.publicUrl)
 * @param trustedProxies the proxies whose forwarded headers name the client (web.trustedProxies)
 * @param databaseUrl the JDBC URL of the store
 * @param postgres the user and password, when the store is PostgreSQL
 * @param accounts the bot accounts to log in with, in the order they are configured
 * @param commandRole members with a role of this name may use /carillon (besides Manage Server)
 * @param targetLoudness the integrated loudness sessions play files at, in LUFS (EBU R 128 / ITU-R BS.1770)
 * @param cutFade how long a run cut at its maximum duration fades out when its session sets no fade-out
 * @param metricsAddress where Prometheus scrapes {@code /metrics}; empty: no metrics server
 * @param logFormat how the log is written to standard output
 * @param discordEndpoint for tests: the address of a carillon-emulator to connect to instead of Discord
 * @param discordLogin Login with Discord's client id and secret, if configured (web.discordClientId)
 * @param shown every key of {@link Setting#ALL} with its value as printed (secrets masked), in the table's order
 */
public record Config(Path dataDir, ZoneId timeZone, Locale language, Duration shutdownTimeout,
    InetSocketAddress webAddress, boolean secureCookies, Optional<URI> publicUrl, List<String> trustedProxies,
    String databaseUrl, Optional<Postgres> postgres,
    List<Account> accounts, Optional<String> commandRole, double targetLoudness, Duration cutFade,
    Optional<InetSocketAddress> metricsAddress, LogFormat logFormat, Optional<URI> discordEndpoint,
    Optional<DiscordClient> discordLogin, Map<String, String> shown) {

  /** The Discord application people log in through (Login with Discord). */
  public record DiscordClient(String clientId, Secret clientSecret) {}

  /** How to log in to a PostgreSQL store (when databaseUrl is a jdbc:postgresql: URL). */
  public record Postgres(String user, Secret password) {}

  /** A bot account: its name in Carillon, its token, and how many shards it runs (a JDA ShardManager with that many shards). */
  public record Account(String name, Secret token, int shards) {}

  public Config {
    accounts = List.copyOf(accounts);
    trustedProxies = List.copyOf(trustedProxies);
    shown = Collections.unmodifiableMap(new LinkedHashMap<>(shown));
  }

  /**
   * What {@code carillon config} prints: one line per setting ({@code "  key: value"}), secrets masked,
   * then the accounts with their tokens hidden.
   */
  public String describe() {
    StringBuilder text = new StringBuilder();
    shown.forEach((key, value) -> text.append("  ").append(key).append(": ").append(value).append('\n'));
    text.append("  accounts:");
    if (accounts.isEmpty()) {
      text.append(" none (./carillon runs the demo)");
    }
    accounts.forEach(a -> text.append("\n    ").append(a.name()).append(": token set (hidden), ")
        .append(a.shards()).append(a.shards() == 1 ? " shard" : " shards"));
    return text.toString();
  }

  /** This configuration with other accounts (the demo's, on the emulator). */
  public Config withAccounts(List<Account> others) {
    return new Config(dataDir, timeZone, language, shutdownTimeout, webAddress, secureCookies, publicUrl,
        trustedProxies, databaseUrl, postgres, others, commandRole, targetLoudness, cutFade, metricsAddress, logFormat,
        discordEndpoint, discordLogin, shown);
  }

  /** The SQLite file the store uses. */
  public Path sqliteFile() {
    return Path.of(databaseUrl.substring(Setting.SQLITE_PREFIX.length()));
  }
}
