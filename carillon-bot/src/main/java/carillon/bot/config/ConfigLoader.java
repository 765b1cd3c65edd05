package carillon.bot.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link Config} from a YAML file and the environment. Every key can be set by an environment
 * variable named after it ({@code web.address} is {@code CARILLON_WEB_ADDRESS}), which wins over the file.
 * Tokens come only from the environment or from a file named by {@code accounts.NAME.tokenFile}, never
 * from the configuration file itself or the command line. Every problem is collected and reported at once,
 * each naming its key.
 *
 * <pre>{@code
 * Config config = ConfigLoader.load(Optional.of(Path.of("carillon.yaml")), System.getenv());
 * }</pre>
 */
public final class ConfigLoader {
  static final String SQLITE_PREFIX = "jdbc:sqlite:";
  static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  /** Languages with notice texts (resource bundles). */
  public static final Set<String> LANGUAGES = Set.of("en", "vi");
  /** The variable that names the configuration file. */
  public static final String CONFIG_VARIABLE = "CARILLON_CONFIG";

  private static final String PREFIX = "CARILLON_";
  private static final List<String> SCALAR_KEYS =
      List.of("dataDir", "timeZone", "language", "shutdownTimeout", "web.address", "web.secureCookies", "database.url",
      "database.user", "database.passwordFile",
      "commands.role", "playback.targetLoudness");
  private static final List<String> ACCOUNT_KEYS = List.of("tokenFile", "shards");
  private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9]+(?:[-_][a-z0-9]+)*");
  private static final Pattern ACCOUNT_VARIABLE =
      Pattern.compile("CARILLON_ACCOUNTS_([A-Z0-9_]+?)_(TOKEN_FILE|TOKEN|SHARDS)");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofMinutes(5);
  private static final int MAX_SHARDS = 64;

  /** A value and where it came from, for messages. */
  private record Value(String text, String origin) {}

  private final List<String> problems = new ArrayList<>();
  private final Map<String, Value> values = new LinkedHashMap<>();
  /** Account name → its keys; in configuration order, then the environment's. */
  private final Map<String, Map<String, Value>> accounts = new LinkedHashMap<>();
  /** Accounts already reported as broken, so that one mistake is one message. */
  private final Set<String> brokenAccounts = new java.util.HashSet<>();

  private ConfigLoader() {}

  /**
   * Loads the configuration: defaults, then {@code file} if given, then {@code environment}.
   *
   * @throws ConfigException listing every problem found
   */
  public static Config load(Optional<Path> file, Map<String, String> environment) throws ConfigException {
    ConfigLoader loader = new ConfigLoader();
    file.ifPresent(loader::readFile);
    loader.readEnvironment(environment);
    Config config = loader.bind();
    if (!loader.problems.isEmpty()) {
      throw new ConfigException(loader.problems);
    }
    return config;
  }

  /** The environment variable that sets {@code key}. */
  public static String variableOf(String key) {
    return PREFIX + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private void readFile(Path file) {
    String origin = file.getFileName().toString();
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (JacksonException e) {
      var where = e.getLocation();
      problems.add(origin + (where == null ? "" : " line " + where.getLineNr() + ", column " + where.getColumnNr())
          + ": not valid YAML (" + e.getOriginalMessage() + ")");
      return;
    } catch (IOException e) {
      problems.add("configuration file " + file + ": cannot be read (" + e.getMessage() + ")");
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return; // an empty file: all defaults
    }
    if (!root.isObject()) {
      problems.add(origin + ": must be a mapping of keys to values, such as 'dataDir: ./data'");
      return;
    }
    root.properties().forEach(entry -> readEntry(entry.getKey(), entry.getValue(), origin));
  }

  private void readEntry(String key, JsonNode node, String origin) {
    switch (key) {
      case "web", "database", "commands", "playback" -> {
        if (!node.isObject()) {
          problems.add(key + " (" + origin + "): must be a mapping; its keys are "
              + String.join(", ", sectionKeys(key)));
          return;
        }
        node.properties().forEach(e -> {
          String full = key + "." + e.getKey();
          if (SCALAR_KEYS.contains(full)) {
            scalar(full, e.getValue(), origin).ifPresent(v -> values.put(full, v));
          } else {
            problems.add(full + " (" + origin + "): unknown key; the keys of '" + key + "' are "
                + String.join(", ", sectionKeys(key)));
          }
        });
      }
      case "accounts" -> readAccounts(node, origin);
      default -> {
        if (SCALAR_KEYS.contains(key)) {
          scalar(key, node, origin).ifPresent(v -> values.put(key, v));
        } else {
          problems.add(key + " (" + origin + "): unknown key; the keys are dataDir, timeZone, language, "
              + "shutdownTimeout, web, database, commands, playback, accounts");
        }
      }
    }
  }

  private static List<String> sectionKeys(String section) {
    return SCALAR_KEYS.stream().filter(k -> k.startsWith(section + ".")).map(k -> k.substring(section.length() + 1)).toList();
  }

  private void readAccounts(JsonNode node, String origin) {
    if (!node.isObject()) {
      problems.add("accounts (" + origin + "): must map each account's name to its settings, such as "
          + "'accounts: { bell: { tokenFile: /run/secrets/bell } }'");
      return;
    }
    node.properties().forEach(entry -> {
      String name = entry.getKey();
      String at = "accounts." + name;
      if (!ACCOUNT_NAME.matcher(name).matches()) {
        problems.add(at + " (" + origin + "): an account name is lower-case letters and digits, "
            + "optionally joined by '-' or '_'");
        return;
      }
      Map<String, Value> keys = accounts.computeIfAbsent(name, n -> new LinkedHashMap<>());
      JsonNode settings = entry.getValue();
      if (settings == null || settings.isNull()) {
        return;
      }
      if (!settings.isObject()) {
        problems.add(at + " (" + origin + "): must be a mapping; its keys are " + String.join(", ", ACCOUNT_KEYS));
        return;
      }
      settings.properties().forEach(e -> {
        String key = e.getKey();
        if (key.equals("token")) {
          brokenAccounts.add(name);
          problems.add(at + ".token (" + origin + "): a token may not be written in the configuration file; set "
              + variableOf(at + ".token") + " or point " + at + ".tokenFile at a file that holds it");
        } else if (ACCOUNT_KEYS.contains(key)) {
          scalar(at + "." + key, e.getValue(), origin).ifPresent(v -> keys.put(key, v));
        } else {
          problems.add(at + "." + key + " (" + origin + "): unknown key; the keys of an account are "
              + String.join(", ", ACCOUNT_KEYS));
        }
      });
    });
  }

  private Optional<Value> scalar(String key, JsonNode node, String origin) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isValueNode()) {
      problems.add(key + " (" + origin + "): must be a single value, not a list or mapping");
      return Optional.empty();
    }
    return Optional.of(new Value(node.asText().strip(), origin));
  }

  private void readEnvironment(Map<String, String> environment) {
    Map<String, String> ours = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith(PREFIX) && !name.equals(CONFIG_VARIABLE)) {
        ours.put(name, value);
      }
    });
    ours.forEach((name, value) -> {
      String origin = "environment variable " + name;
      Optional<String> key = SCALAR_KEYS.stream().filter(k -> variableOf(k).equals(name)).findFirst();
      if (key.isPresent()) {
        values.put(key.get(), new Value(value.strip(), origin));
        return;
      }
      if (name.equals(variableOf("database.password"))) {
        values.put("database.password", new Value(value, origin)); // a secret: from the environment only
        return;
      }
      Matcher account = ACCOUNT_VARIABLE.matcher(name);
      if (account.matches()) {
        String name0 = accountNamed(account.group(1));
        String setting = switch (account.group(2)) {
          case "TOKEN" -> "token";
          case "TOKEN_FILE" -> "tokenFile";
          default -> "shards";
        };
        // A token is kept as given: never stripped into something else, never echoed.
        accounts.computeIfAbsent(name0, n -> new LinkedHashMap<>())
            .put(setting, new Value(setting.equals("token") ? value : value.strip(), origin));
        return;
      }
      problems.add(origin + ": not a Carillon setting; the variables are " + String.join(", ",
          SCALAR_KEYS.stream().map(ConfigLoader::variableOf).toList())
          + ", CARILLON_DATABASE_PASSWORD, and CARILLON_ACCOUNTS_<NAME>_TOKEN, _TOKEN_FILE or _SHARDS for each account");
    });
  }

  /** The configured account an environment variable's NAME part refers to, or a new account's name. */
  private String accountNamed(String variablePart) {
    for (String name : accounts.keySet()) {
      if (name.toUpperCase(Locale.ROOT).replace('-', '_').equals(variablePart)) {
        return name;
      }
    }
    return variablePart.toLowerCase(Locale.ROOT);
  }

  private Config bind() {
    Path dataDir = Path.of(text("dataDir").orElse("data"));
    ZoneId zone = text("timeZone").flatMap(t -> parse("timeZone", t, ZoneId::of,
        "a time zone name such as Europe/Paris or UTC")).orElse(ZoneId.of("UTC"));
    Locale language = text("language").flatMap(t -> {
      if (LANGUAGES.contains(t)) {
        return Optional.of(Locale.forLanguageTag(t));
      }
      problem("language", "'" + t + "' has no notice texts; the languages are " + String.join(", ", LANGUAGES.stream().sorted().toList()));
      return Optional.empty();
    }).orElse(Locale.ENGLISH);
    Duration shutdownTimeout = text("shutdownTimeout").flatMap(t -> duration("shutdownTimeout", t))
        .orElse(Duration.ofSeconds(8));
    InetSocketAddress web = text("web.address").flatMap(this::address)
        .orElse(InetSocketAddress.createUnresolved("127.0.0.1", 8080));
    String database = text("database.url").orElse(SQLITE_PREFIX + dataDir.resolve("carillon.db"));
    Optional<Config.Postgres> postgres = Optional.empty();
    if (database.startsWith(POSTGRES_PREFIX)) {
      postgres = postgres();
    } else if (!database.startsWith(SQLITE_PREFIX) || database.length() == SQLITE_PREFIX.length()) {
      problem("database.url", "'" + database + "' is not a store Carillon knows; use jdbc:sqlite:PATH or "
          + "jdbc:postgresql://HOST:PORT/DATABASE");
    }
    List<Config.Account> bound = new ArrayList<>();
    accounts.forEach((name, keys) -> account(name, keys).ifPresent(bound::add));
    Optional<String> commandRole = text("commands.role");
    boolean secureCookies = text("web.secureCookies").map(t -> switch (t) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problem("web.secureCookies", "'" + t + "' is not true or false");
        yield false;
      }
    }).orElse(false);
    double targetLoudness = text("playback.targetLoudness").map(t -> {
      try {
        double lufs = Double.parseDouble(t.strip());
        if (lufs >= Config.MIN_TARGET_LOUDNESS && lufs <= Config.MAX_TARGET_LOUDNESS) {
          return lufs;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problem("playback.targetLoudness", "'" + t + "' is not a loudness from " + (int) Config.MIN_TARGET_LOUDNESS
          + " to " + (int) Config.MAX_TARGET_LOUDNESS + " LUFS, such as -18");
      return Config.DEFAULT_TARGET_LOUDNESS;
    }).orElse(Config.DEFAULT_TARGET_LOUDNESS);
    return new Config(dataDir, zone, language, shutdownTimeout, web, secureCookies, database, postgres, bound,
        commandRole, targetLoudness);
  }

  /** A PostgreSQL store's user and password: the password from the environment or a file, like tokens. */
  private Optional<Config.Postgres> postgres() {
    String user = text("database.user").orElse("carillon");
    Value password = values.get("database.password");
    Value passwordFile = values.get("database.passwordFile");
    String secret;
    if (password != null) {
      secret = password.text();
    } else if (passwordFile != null) {
      try {
        secret = Files.readString(Path.of(passwordFile.text())).strip();
      } catch (IOException | RuntimeException e) {
        problem("database.passwordFile", "cannot read '" + passwordFile.text() + "' (" + e.getClass().getSimpleName()
            + "); it must be a readable file holding the password");
        return Optional.empty();
      }
    } else {
      secret = "";
    }
    return Optional.of(new Config.Postgres(user, new Secret(secret)));
  }

  private Optional<Config.Account> account(String name, Map<String, Value> keys) {
    String at = "accounts." + name;
    if (brokenAccounts.contains(name)) {
      return Optional.empty();
    }
    if (!ACCOUNT_NAME.matcher(name).matches()) {
      problems.add(keys.values().iterator().next().origin() + ": '" + name + "' is not an account name; "
          + "an account name is lower-case letters and digits, optionally joined by '-' or '_'");
      return Optional.empty();
    }
    int shards = 1;
    Value shardsValue = keys.get("shards");
    if (shardsValue != null) {
      try {
        shards = Integer.parseInt(shardsValue.text());
        if (shards < 1 || shards > MAX_SHARDS) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add(at + ".shards (" + shardsValue.origin() + "): '" + shardsValue.text()
            + "' is not a shard count; it is a whole number from 1 to " + MAX_SHARDS);
        return Optional.empty();
      }
    }
    Value token = keys.get("token");
    Value tokenFile = keys.get("tokenFile");
    String secret;
    if (token != null) {
      secret = token.text().strip();
      if (secret.isEmpty()) {
        problems.add(at + ".token (" + token.origin() + "): is empty");
        return Optional.empty();
      }
    } else if (tokenFile != null) {
      try {
        secret = Files.readString(Path.of(tokenFile.text())).strip();
      } catch (IOException | RuntimeException e) {
        problems.add(at + ".tokenFile (" + tokenFile.origin() + "): cannot read '" + tokenFile.text()
            + "' (" + e.getClass().getSimpleName() + "); it must be a readable file holding the token");
        return Optional.empty();
      }
      if (secret.isEmpty()) {
        problems.add(at + ".tokenFile (" + tokenFile.origin() + "): '" + tokenFile.text() + "' is empty");
        return Optional.empty();
      }
    } else {
      problems.add(at + ": no token; set " + variableOf(at + ".token") + " or " + at + ".tokenFile");
      return Optional.empty();
    }
    if (secret.chars().anyMatch(Character::isWhitespace)) {
      problems.add(at + ": the token contains white space, so it is not a Discord bot token");
      return Optional.empty();
    }
    return Optional.of(new Config.Account(name, new Secret(secret), shards));
  }

  private Optional<String> text(String key) {
    Value v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v.text().isEmpty()) {
      problem(key, "is empty");
      return Optional.empty();
    }
    return Optional.of(v.text());
  }

  private void problem(String key, String what) {
    problems.add(key + " (" + values.get(key).origin() + "): " + what);
  }

  private interface Parser<T> {
    T parse(String text);
  }

  private <T> Optional<T> parse(String key, String text, Parser<T> parser, String allowed) {
    try {
      return Optional.of(parser.parse(text));
    } catch (DateTimeException e) {
      problem(key, "'" + text + "' is not valid; it must be " + allowed);
      return Optional.empty();
    }
  }

  private Optional<Duration> duration(String key, String text) {
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
      problem(key, "'" + text + "' is not a duration; write it like 8s, 500ms or 2m");
      return Optional.empty();
    }
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_SHUTDOWN_TIMEOUT) > 0) {
      problem(key, "'" + text + "' is out of range; it must be more than 0 and at most 5m");
      return Optional.empty();
    }
    return Optional.of(d);
  }

  private Optional<InetSocketAddress> address(String text) {
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
      return Optional.of(InetSocketAddress.createUnresolved(host, p));
    } catch (NumberFormatException e) {
      problem("web.address", "'" + text + "' is not an address; write HOST:PORT or :PORT, with a port from 0 to 65535"
          + " (0 picks a free port)");
      return Optional.empty();
    }
  }
}
