package carillon.bot.web;

import carillon.bot.web.auth.DiscordLogin;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * How the admin web server runs.
 *
 * <pre>{@code
 * WebSettings settings = new WebSettings(new InetSocketAddress("127.0.0.1", 8080), dataDir.resolve("web-uploads"),
 *     ZoneId.of("Asia/Ho_Chi_Minh"), 200L * 1024 * 1024, Duration.ofHours(12), false);
 * }</pre>
 *
 * @param address where it listens (port 0: any free port, see {@link WebServer#port()})
 * @param uploadDir where uploads wait while they are checked and imported
 * @param timeZone the time zone occurrences are shown in (the guilds' time zone)
 * @param maxUploadBytes the largest audio file accepted (the audio library's own limit should be the same)
 * @param loginLifetime how long a login lasts
 * @param secureCookies mark the login cookie {@code Secure}: set it when the page is served over HTTPS
 * @param publicUrl the address people reach the page at through a proxy ({@code https://carillon.example.org}),
 *     if any: requests must name its host in {@code Host}; without it, the address it listens on
 * @param trustedProxies addresses or ranges ({@code 10.0.0.0/8}) of proxies whose {@code Forwarded} and
 *     {@code X-Forwarded-For} name the client (login limits are per client)
 * @param discordLogin Login with Discord, if configured ({@code web.discordClientId})
 */
public record WebSettings(InetSocketAddress address, Path uploadDir, ZoneId timeZone, long maxUploadBytes,
    Duration loginLifetime, boolean secureCookies, Optional<URI> publicUrl, List<String> trustedProxies,
    Optional<DiscordLogin> discordLogin) {

  public WebSettings {
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** Without Login with Discord. */
  public WebSettings(InetSocketAddress address, Path uploadDir, ZoneId timeZone, long maxUploadBytes,
      Duration loginLifetime, boolean secureCookies, Optional<URI> publicUrl, List<String> trustedProxies) {
    this(address, uploadDir, timeZone, maxUploadBytes, loginLifetime, secureCookies, publicUrl, trustedProxies,
        Optional.empty());
  }

  /** These settings with Login with Discord. */
  public WebSettings withDiscordLogin(DiscordLogin login) {
    return new WebSettings(address, uploadDir, timeZone, maxUploadBytes, loginLifetime, secureCookies, publicUrl,
        trustedProxies, Optional.of(login));
  }

  /** Served directly, no proxy in front. */
  public WebSettings(InetSocketAddress address, Path uploadDir, ZoneId timeZone, long maxUploadBytes,
      Duration loginLifetime, boolean secureCookies) {
    this(address, uploadDir, timeZone, maxUploadBytes, loginLifetime, secureCookies, Optional.empty(), List.of());
  }

  /** These settings behind a proxy: reached at {@code publicUrl}, trusting {@code proxies}. */
  public WebSettings behindProxy(URI publicUrl, List<String> proxies) {
    return new WebSettings(address, uploadDir, timeZone, maxUploadBytes, loginLifetime, secureCookies,
        Optional.of(publicUrl), proxies, discordLogin);
  }
}
