package carillon.bot.web;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

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
 */
public record WebSettings(InetSocketAddress address, Path uploadDir, ZoneId timeZone, long maxUploadBytes,
    Duration loginLifetime, boolean secureCookies) {}
