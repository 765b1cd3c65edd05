package carillon.bot.config;

import carillon.bot.session.SessionLimits;
import carillon.bot.web.http.ClientAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration key and everything Carillon knows about it. {@link #ALL} and {@link #ACCOUNT} are the one
 * table of settings: {@link ConfigLoader} reads the keys and environment variables it lists, {@code carillon
 * config} prints them, and the reference in docs/configuration.md is {@link #reference()} (a test keeps the two
 * equal). A new setting is a new row here plus its field in {@link Config}.
 *
 * @param key the key in the YAML file ({@code web.address}); an account's keys are relative ({@code shards})
 * @param defaultText the value when nothing sets it, as text (parsed like any other value; {@code <dataDir>}
 *     stands for the data directory), or null when the setting is unset by default
 * @param parser turns the text into the value, or says why it cannot
 * @param allowed the values allowed, for the reference
 * @param secret a secret (a token, a password): taken only from the environment or a file, never printed
 * @param description one line saying what it is, for the reference
 * @param show how a value is printed by {@code carillon config}
 * @param <T> the value's type
 */
public record Setting<T>(String key, String defaultText, Parser<T> parser, String allowed, boolean secret,
    String description, Function<T, String> show) {

  /** Turns a setting's text into its value. */
  @FunctionalInterface
  public interface Parser<T> {
    /**
     * @throws Rejected saying what is wrong with {@code text}, in words that follow the quoted text
     *     ("is not a duration; write it like 8s")
     */
    T parse(String text) throws Rejected;
  }

  /** A value a parser cannot accept; the message follows the quoted value. */
  public static final class Rejected extends Exception {
    public Rejected(String why) {
      super(why, null, false, false);
    }
  }

  /** Languages with notice texts (resource bundles). */
  public static final Set<String> LANGUAGES = Set.of("en", "vi");
  static final String SQLITE_PREFIX = "jdbc:sqlite:";
  static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofMinutes(5);
  static final int MAX_SHARDS = 64;
  /** The range of {@code playback.targetLoudness}, in LUFS: from very quiet to louder than streaming music. */
  static final double MIN_TARGET_LOUDNESS = -40;
  static final double MAX_TARGET_LOUDNESS = -5;
  /** The shortest {@code playback.cutFade}: shorter is a click, not a fade. */
  static final Duration MIN_CUT_FADE = Duration.ofMillis(100);
  private static final String MASK = "********";
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  /**
   * A password in a JDBC URL: {@code password=...} or any {@code ...password=} parameter (PostgreSQL's
   * {@code sslpassword}) among the parameters, or {@code user:password@host}.
   */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("((?:[?&;]|^)[a-z]*password=)[^&;]*|(//[^/@:?#]*:)[^/@?#]*(@)", Pattern.CASE_INSENSITIVE);

  public static final Setting<Path> DATA_DIR = new Setting<>("dataDir", "data", Setting::path,
      "a directory", false, "where the database and the audio files live", Path::toString);
  public static final Setting<ZoneId> TIME_ZONE = new Setting<>("timeZone", "UTC", Setting::zone,
      "an IANA name, such as `Europe/Paris`", false, "the default time zone of guilds that set none (pages, previews, ICS feed)", ZoneId::getId);
  public static final Setting<Locale> LANGUAGE = new Setting<>("language", "en", Setting::language,
      "`en` or `vi`", false, "the default notice language of guilds that set none and whose Discord locale has no texts", Locale::toLanguageTag);
  public static final Setting<Duration> SHUTDOWN_TIMEOUT = new Setting<>("shutdownTimeout", "8s", Setting::timeout,
      "`500ms`, `8s`, `2m` or ISO `PT8S`; more than 0, at most `5m`", false,
      "how long shutdown waits for background work", d -> d.toMillis() + "ms");
  public static final Setting<InetSocketAddress> WEB_ADDRESS = new Setting<>("web.address", "127.0.0.1:8080",
      Setting::address, "`HOST:PORT` or `:PORT`, port 0 to 65535 (`0` picks a free port)", false,
      "where the admin page and the API listen", a -> a.getHostString() + ":" + a.getPort());
  public static final Setting<Boolean> WEB_SECURE_COOKIES = new Setting<>("web.secureCookies", "false",
      Setting::bool, "`true` or `false`", false,
      "`true` when the page is served over HTTPS (by a proxy in front): the login cookie is then marked `Secure`",
      String::valueOf);
  public static final Setting<URI> WEB_PUBLIC_URL = new Setting<>("web.publicUrl", null, Setting::publicUrl,
      "`https://HOST` or `http://HOST:PORT`, no path", false,
      "the address people reach the page at through a proxy: requests must name its host (`Host`), and the login"
          + " form's origin may be it; unset, requests must name the address Carillon listens on",
      URI::toString);
  public static final Setting<List<String>> WEB_TRUSTED_PROXIES = new Setting<>("web.trustedProxies", null,
      Setting::proxies, "IP addresses or ranges, comma-separated (`10.0.0.2, 10.1.0.0/16, ::1`)",
      false, "the proxies in front whose `Forwarded`/`X-Forwarded-For` name the client (login limits are per client); unset: none",
      list -> list.isEmpty() ? "(none)" : String.join(", ", list));
  public static final Setting<String> DATABASE_URL = new Setting<>("database.url", "jdbc:sqlite:<dataDir>/carillon.db",
      Setting::store, "`jdbc:sqlite:PATH` or `jdbc:postgresql://HOST:PORT/DATABASE`", false,
      "the store; PostgreSQL where one machine is outgrown (a password in it is masked when printed)",
      Setting::maskUrl);
  public static final Setting<String> DATABASE_USER = new Setting<>("database.user", "carillon", Setting::text,
      "a user name", false, "PostgreSQL's user", String::valueOf);
  public static final Setting<Path> DATABASE_PASSWORD_FILE = new Setting<>("database.passwordFile", null,
      Setting::path, "a readable file", false, "a file holding PostgreSQL's password", Path::toString);
  public static final Setting<Secret> DATABASE_PASSWORD = new Setting<>("database.password", null, Secret::new,
      "text", true, "PostgreSQL's password", s -> MASK);
  public static final Setting<String> COMMANDS_ROLE = new Setting<>("commands.role", null, Setting::text,
      "a role id, or a role's exact name", false, "members with this role may use `/carillon`, besides those with"
          + " Manage Server; a name is resolved to its role once per guild, and refused while more than one role has it",
      String::valueOf);
  public static final Setting<Double> PLAYBACK_TARGET_LOUDNESS = new Setting<>("playback.targetLoudness", "-18",
      Setting::loudness, "a number of LUFS from " + (int) MIN_TARGET_LOUDNESS + " to " + (int) MAX_TARGET_LOUDNESS,
      false, "the integrated loudness (EBU R 128) every file is played at; -18 suits speech and bells",
      String::valueOf);
  public static final Setting<Duration> PLAYBACK_CUT_FADE = new Setting<>("playback.cutFade", "3s", Setting::cutFade,
      "`3s`, `1500ms`; from 100ms to 30s", false,
      "how long a run cut at its session's maximum duration fades out, when the session sets no fade-out of its own",
      d -> d.toMillis() + "ms");
  public static final Setting<InetSocketAddress> METRICS_ADDRESS = new Setting<>("metrics.address", null,
      Setting::address, "`HOST:PORT` or `:PORT` (`:PORT` is loopback)", false,
      "where Prometheus scrapes `/metrics`; off when unset. It needs no credentials: keep it on loopback or a "
          + "network only Prometheus reaches", a -> a.getHostString() + ":" + a.getPort());
  public static final Setting<LogFormat> LOG_FORMAT = new Setting<>("log.format", "text", Setting::logFormat,
      "`text` or `json`", false, "the log on standard output: lines for people, or JSON lines for a log collector",
      f -> f.name().toLowerCase(Locale.ROOT));
  public static final Setting<URI> DISCORD_ENDPOINT = new Setting<>("discord.endpoint", null, Setting::emulator,
      "`http://HOST:PORT` of a running `carillon emulator`", false,
      "for tests only: connect to carillon-emulator (REST, gateway and voice) instead of Discord; unset for Discord",
      URI::toString);

  public static final Setting<String> WEB_DISCORD_CLIENT_ID = new Setting<>("web.discordClientId", null,
      Setting::snowflake, "an application id (17 to 19 digits)", false,
      "Login with Discord: the application's client id (Developer Portal, OAuth2); its redirect URI must be"
          + " web.publicUrl (or http://web.address) followed by `/login/discord/callback`; unset: password logins only",
      String::valueOf);
  public static final Setting<Secret> WEB_DISCORD_CLIENT_SECRET = new Setting<>("web.discordClientSecret", null,
      Secret::new, "text", true, "Login with Discord: the application's client secret", s -> MASK);

  /** Each account's keys, under {@code accounts.NAME}. */
  public static final Setting<Path> TOKEN_FILE = new Setting<>("tokenFile", null, Setting::path, "a readable file",
      false, "a file holding the bot account's token (a Docker or systemd secret, say)", Path::toString);
  public static final Setting<Integer> SHARDS = new Setting<>("shards", "1", Setting::shards, "1 to " + MAX_SHARDS,
      false, "how many shards of a JDA ShardManager the account runs", String::valueOf);
  public static final Setting<Secret> TOKEN = new Setting<>("token", null, Secret::new, "a Discord bot token", true,
      "the bot account's token", s -> MASK);

  /** Every top-level and section setting, in the order {@code carillon config} prints them. */
  public static final List<Setting<?>> ALL = List.of(DATA_DIR, TIME_ZONE, LANGUAGE, SHUTDOWN_TIMEOUT, WEB_ADDRESS,
      WEB_SECURE_COOKIES, WEB_PUBLIC_URL, WEB_TRUSTED_PROXIES, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD_FILE,
      DATABASE_PASSWORD, COMMANDS_ROLE, PLAYBACK_TARGET_LOUDNESS, PLAYBACK_CUT_FADE, METRICS_ADDRESS, LOG_FORMAT,
      DISCORD_ENDPOINT, WEB_DISCORD_CLIENT_ID, WEB_DISCORD_CLIENT_SECRET);
  /** The settings of each account under {@code accounts.NAME}. */
  public static final List<Setting<?>> ACCOUNT = List.of(TOKEN_FILE, SHARDS, TOKEN);

  /** The environment variable that sets {@code key}: {@code web.address} is {@code CARILLON_WEB_ADDRESS}. */
  public static String variableOf(String key) {
    return "CARILLON_" + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_')
        .toUpperCase(Locale.ROOT);
  }

  /** This setting's environment variable ({@code NAME} in place of an account's name). */
  public String variable() {
    return variableOf(ACCOUNT.contains(this) ? "accounts.NAME." + key : key);
  }

  /** How {@code value} is printed: masked when it is a secret. */
  @SuppressWarnings("unchecked")
  String shown(Object value) {
    return value == null ? "(not set)" : show.apply((T) value);
  }

  /** {@code text} as it may appear in a message: a secret never, a password inside a URL masked. */
  String quoted(String text) {
    return secret ? MASK : "'" + (this == DATABASE_URL ? maskUrl(text) : text) + "'";
  }

  /** The configuration reference: a Markdown table of every setting, as in docs/configuration.md. */
  public static String reference() {
    List<String> rows = new ArrayList<>();
    rows.add("| key | variable | default | allowed | what it is |");
    rows.add("| --- | --- | --- | --- | --- |");
    for (Setting<?> s : ALL) {
      rows.add(s.row(s.key));
    }
    for (Setting<?> s : ACCOUNT) {
      rows.add(s.row("accounts.NAME." + s.key));
    }
    return String.join("\n", rows) + "\n";
  }

  private String row(String fullKey) {
    String where = secret ? "(environment only)" : "`" + fullKey + "`";
    return "| " + where + " | `" + variable() + "` | " + (defaultText == null ? "" : "`" + defaultText + "`") + " | "
        + allowed + " | " + description + (secret ? "; secret: never printed" : "") + " |";
  }

  static String maskUrl(String url) {
    Matcher m = URL_PASSWORD.matcher(url);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) != null ? m.group(1) + MASK
          : m.group(2) + MASK + m.group(3)));
    }
    return m.appendTail(out).toString();
  }

  private static String text(String text) {
    return text;
  }

  private static String snowflake(String text) throws Rejected {
    if (!text.strip().matches("[0-9]{17,19}")) {
      throw new Rejected("is not an application id; copy the Application ID (17 to 19 digits) from the Developer Portal");
    }
    return text.strip();
  }

  private static Path path(String text) throws Rejected {
    try {
      return Path.of(text);
    } catch (RuntimeException e) { // InvalidPathException: a NUL character, say
      throw new Rejected("is not a file name");
    }
  }

  private static ZoneId zone(String text) throws Rejected {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new Rejected("is not valid; it must be a time zone name such as Europe/Paris or UTC");
    }
  }

  private static Locale language(String text) throws Rejected {
    if (!LANGUAGES.contains(text)) {
      throw new Rejected("has no notice texts; the languages are " + String.join(", ", LANGUAGES.stream().sorted().toList()));
    }
    return Locale.forLanguageTag(text);
  }

  private static Duration timeout(String text) throws Rejected {
    Duration d = duration(text);
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_SHUTDOWN_TIMEOUT) > 0) {
      throw new Rejected("is out of range; it must be more than 0 and at most 5m");
    }
    return d;
  }

  private static Duration cutFade(String text) throws Rejected {
    Duration d = duration(text);
    if (d.compareTo(MIN_CUT_FADE) < 0 || d.compareTo(SessionLimits.MAX_FADE) > 0) {
      throw new Rejected("is out of range; it must be from " + MIN_CUT_FADE.toMillis() + "ms to "
          + SessionLimits.MAX_FADE.toSeconds() + "s (a cut always fades out)");
    }
    return d;
  }

  private static Duration duration(String text) throws Rejected {
    Duration d;
    Matcher m = DURATION.matcher(text);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      } else {
        d = Duration.parse(text);
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new Rejected("is not a duration; write it like 8s, 500ms or 2m");
    }
    return d;
  }

  private static InetSocketAddress address(String text) throws Rejected {
    int colon = text.lastIndexOf(':');
    String host = colon <= 0 ? "127.0.0.1" : text.substring(0, colon);
    String port = colon < 0 ? text : text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int p = Integer.parseInt(port);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return InetSocketAddress.createUnresolved(host, p);
    } catch (NumberFormatException e) {
      throw new Rejected("is not an address; write HOST:PORT or :PORT, with a port from 0 to 65535 (0 picks a free port)");
    }
  }

  private static URI publicUrl(String text) throws Rejected {
    URI url;
    try {
      url = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new Rejected("is not a URL; write it like https://carillon.example.org");
    }
    if (url.getScheme() == null || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))
        || url.getHost() == null) {
      throw new Rejected("is not an http or https URL with a host; write it like https://carillon.example.org");
    }
    if ((url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/"))
        || url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
      throw new Rejected("has more than a scheme, host and port; Carillon is served at the root of its host");
    }
    return url;
  }

  private static List<String> proxies(String text) throws Rejected {
    List<String> proxies = new ArrayList<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        ClientAddress.check(part);
      } catch (IllegalArgumentException e) {
        throw new Rejected("has an entry that is not an IP address or range: " + e.getMessage());
      }
      proxies.add(part.strip());
    }
    return List.copyOf(proxies);
  }

  private static LogFormat logFormat(String text) throws Rejected {
    return switch (text) {
      case "text" -> LogFormat.TEXT;
      case "json" -> LogFormat.JSON;
      default -> throw new Rejected("is not a log format; the formats are text and json");
    };
  }

  private static Boolean bool(String text) throws Rejected {
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new Rejected("is not true or false");
    };
  }

  private static URI emulator(String text) throws Rejected {
    try {
      URI uri = new URI(text);
      if ("http".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
          && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new Rejected("is not an emulator's address; write http://HOST:PORT, as 'carillon emulator' prints it");
  }

  private static String store(String text) throws Rejected {
    if (text.startsWith(POSTGRES_PREFIX)
        || (text.startsWith(SQLITE_PREFIX) && text.length() > SQLITE_PREFIX.length())) {
      return text;
    }
    throw new Rejected("is not a store Carillon knows; use jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DATABASE");
  }

  private static Integer shards(String text) throws Rejected {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= MAX_SHARDS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the one message
    }
    throw new Rejected("is not a shard count; it is a whole number from 1 to " + MAX_SHARDS);
  }

  private static Double loudness(String text) throws Rejected {
    try {
      double lufs = Double.parseDouble(text.strip());
      if (lufs >= MIN_TARGET_LOUDNESS && lufs <= MAX_TARGET_LOUDNESS) {
        return lufs;
      }
    } catch (NumberFormatException e) {
      // fall through to the one message
    }
    throw new Rejected("is not a loudness from " + (int) MIN_TARGET_LOUDNESS + " to " + (int) MAX_TARGET_LOUDNESS
        + " LUFS, such as -18");
  }
}
