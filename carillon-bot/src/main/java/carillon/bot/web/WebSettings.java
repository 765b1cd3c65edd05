package carillon.bot.web;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * How the admin web server runs.
 *
 * <pre>{@code
 * WebSettings settings = WebSettings.of(new InetSocketAddress("127.0.0.1", 8080), dataDir, ZoneId.of("Asia/Ho_Chi_Minh"));
 * }</pre>
 *
 * @param address where it listens (port 0: any free port, see {@link WebServer#port()})
 * @param uploadDir where uploads wait while they are checked and imported
 * @param timeZone the time zone occurrences are shown in (the guilds' time zone)
 * @param maxUploadBytes the largest audio file accepted (the audio library's own limit should be the same)
 * @param loginLifetime how long a login lasts
 * @param secureCookies mark the login cookie {@code Secure}: set it when the page is served over HTTPS
 */
public record WebSettings(InetSocketAddress address, Path uploadDir, ZoneId timeZone, long maxUploadBytes,
    Duration loginLifetime, boolean secureCookies) {
  /** Audio files of at most 200 MiB, logins of 12 hours, plain-HTTP cookies (for loopback or a TLS proxy). */
  public static WebSettings of(InetSocketAddress address, Path dataDir, ZoneId timeZone) {
    return new WebSettings(address, dataDir.resolve("web-uploads"), timeZone, 200L * 1024 * 1024, Duration.ofHours(12),
        false);
  }
}
