package carillon.bot.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
  /** The variable that names the configuration file. */
  public static final String CONFIG_VARIABLE = "CARILLON_CONFIG";

  private static final String PREFIX = "CARILLON_";
  private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9]+(?:[-_][a-z0-9]+)*");
  private static final Pattern ACCOUNT_VARIABLE = Pattern.compile("CARILLON_ACCOUNTS_([A-Z0-9_]+?)_("
      + String.join("|", Setting.ACCOUNT.stream().map(s -> s.variable().substring("CARILLON_ACCOUNTS_NAME_".length())).toList())
      + ")");

  /** A value and where it came from, for messages. */
  private record Value(String text, String origin) {}

  private final List<String> problems = new ArrayList<>();
  private final Map<String, Value> values = new LinkedHashMap<>();
  /** Account name → its keys; in configuration order, then the environment's. */
  private final Map<String, Map<String, Value>> accounts = new LinkedHashMap<>();
  /** Accounts already reported as broken, so that one mistake is one message. */
  private final Set<String> brokenAccounts = new HashSet<>();
  /** Each setting's value (null: unset), as parsed from its text or its default. */
  private final Map<Setting<?>, Object> parsed = new HashMap<>();

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
    if (key.equals("accounts")) {
      readAccounts(node, origin);
    } else if (sections().contains(key)) {
      if (!node.isObject()) {
        problems.add(key + " (" + origin + "): must be a mapping; its keys are " + String.join(", ", sectionKeys(key)));
        return;
      }
      node.properties().forEach(e -> {
        String full = key + "." + e.getKey();
        Optional<Setting<?>> setting = setting(Setting.ALL, full);
        if (setting.isEmpty()) {
          problems.add(full + " (" + origin + "): unknown key; the keys of '" + key + "' are "
              + String.join(", ", sectionKeys(key)));
        } else if (setting.get().secret()) {
          secretInFile(full, origin);
        } else {
          scalar(full, e.getValue(), origin).ifPresent(v -> values.put(full, v));
        }
      });
    } else {
      Optional<Setting<?>> setting = setting(Setting.ALL, key).filter(s -> !s.key().contains("."));
      if (setting.isEmpty()) {
        List<String> top = new ArrayList<>(Setting.ALL.stream().map(s -> s.key().split("\\.")[0]).distinct().toList());
        top.add("accounts");
        problems.add(key + " (" + origin + "): unknown key; the keys are " + String.join(", ", top));
      } else if (setting.get().secret()) {
        secretInFile(key, origin);
      } else {
        scalar(key, node, origin).ifPresent(v -> values.put(key, v));
      }
    }
  }

  private static Optional<Setting<?>> setting(List<Setting<?>> table, String key) {
    return table.stream().filter(s -> s.key().equals(key)).findFirst();
  }

  /** The sections of the file, such as {@code web}: the first part of each dotted key. */
  private static List<String> sections() {
    return Setting.ALL.stream().filter(s -> s.key().contains(".")).map(s -> s.key().split("\\.")[0]).distinct().toList();
  }

  private static List<String> sectionKeys(String section) {
    return Setting.ALL.stream().filter(s -> !s.secret()).map(Setting::key).filter(k -> k.startsWith(section + "."))
        .map(k -> k.substring(section.length() + 1)).toList();
  }

  private static List<String> accountKeys() {
    return Setting.ACCOUNT.stream().filter(s -> !s.secret()).map(Setting::key).toList();
  }

  /** A secret written in the file: refused, with where it may come from instead. */
  private void secretInFile(String key, String origin) {
    String fileKey = key + "File";
    boolean hasFile = setting(Setting.ALL, fileKey).isPresent()
        || setting(Setting.ACCOUNT, key.substring(key.lastIndexOf('.') + 1) + "File").isPresent();
    String what = key.substring(key.lastIndexOf('.') + 1);
    problems.add(key + " (" + origin + "): a " + what + " may not be written in the configuration file; set "
        + Setting.variableOf(key) + (hasFile ? " or point " + fileKey + " at a file that holds it" : ""));
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
        problems.add(at + " (" + origin + "): must be a mapping; its keys are " + String.join(", ", accountKeys()));
        return;
      }
      settings.properties().forEach(e -> {
        String key = e.getKey();
        Optional<Setting<?>> setting = setting(Setting.ACCOUNT, key);
        if (setting.isEmpty()) {
          problems.add(at + "." + key + " (" + origin + "): unknown key; the keys of an account are "
              + String.join(", ", accountKeys()));
        } else if (setting.get().secret()) {
          brokenAccounts.add(name);
          secretInFile(at + "." + key, origin);
        } else {
          scalar(at + "." + key, e.getValue(), origin).ifPresent(v -> keys.put(key, v));
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
      Optional<Setting<?>> setting = Setting.ALL.stream().filter(s -> s.variable().equals(name)).findFirst();
      if (setting.isPresent()) {
        // A secret is kept as given: never stripped into something else, never echoed.
        values.put(setting.get().key(), new Value(setting.get().secret() ? value : value.strip(), origin));
        return;
      }
      Matcher account = ACCOUNT_VARIABLE.matcher(name);
      if (account.matches()) {
        String suffix = account.group(2);
        Setting<?> s = Setting.ACCOUNT.stream().filter(a -> a.variable().endsWith("_NAME_" + suffix)).findFirst()
            .orElseThrow();
        accounts.computeIfAbsent(accountNamed(account.group(1)), n -> new LinkedHashMap<>())
            .put(s.key(), new Value(s.secret() ? value : value.strip(), origin));
        return;
      }
      problems.add(origin + ": not a Carillon setting; the variables are "
          + String.join(", ", Setting.ALL.stream().map(Setting::variable).toList()) + ", and "
          + String.join(", ", Setting.ACCOUNT.stream().map(Setting::variable).toList())
          + " for each account NAME");
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

  /** Parses every setting of the table, in its order, from its value or its default. */
  private void parseAll() {
    for (Setting<?> setting : Setting.ALL) {
      Value v = values.get(setting.key());
      if (v != null && v.text().isEmpty()) {
        problems.add(setting.key() + " (" + v.origin() + "): is empty");
        v = null;
      }
      String text = v != null ? v.text() : setting.defaultText() == null ? null
          : setting.defaultText().replace("<dataDir>", String.valueOf(value(Setting.DATA_DIR)));
      if (text != null) {
        parsed.put(setting, parse(setting, setting.key(), text, v == null ? "the default" : v.origin()));
      }
    }
  }

  private Object parse(Setting<?> setting, String key, String text, String origin) {
    try {
      return setting.parser().parse(text);
    } catch (Setting.Rejected e) {
      problems.add(key + " (" + origin + "): " + setting.quoted(text) + " " + e.getMessage());
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T value(Setting<T> setting) {
    return (T) parsed.get(setting);
  }

  private Config bind() {
    parseAll();
    String database = value(Setting.DATABASE_URL);
    Optional<Config.Postgres> postgres = database != null && database.startsWith(Setting.POSTGRES_PREFIX)
        ? postgres() : Optional.empty();
    List<Config.Account> bound = new ArrayList<>();
    accounts.forEach((name, keys) -> account(name, keys).ifPresent(bound::add));
    Map<String, String> shown = new LinkedHashMap<>();
    Setting.ALL.forEach(s -> shown.put(s.key(), s.shown(parsed.get(s))));
    return new Config(value(Setting.DATA_DIR), value(Setting.TIME_ZONE), value(Setting.LANGUAGE),
        value(Setting.SHUTDOWN_TIMEOUT), value(Setting.WEB_ADDRESS), Boolean.TRUE.equals(value(Setting.WEB_SECURE_COOKIES)),
        Optional.ofNullable(value(Setting.WEB_PUBLIC_URL)),
        Optional.ofNullable(value(Setting.WEB_TRUSTED_PROXIES)).orElse(List.of()),
        database, postgres, bound, Optional.ofNullable(value(Setting.COMMANDS_ROLE)),
        // NaN only when the value was refused: that problem is reported and no Config is handed out.
        Objects.requireNonNullElse(value(Setting.PLAYBACK_TARGET_LOUDNESS), Double.NaN), value(Setting.PLAYBACK_CUT_FADE),
        Optional.ofNullable(value(Setting.METRICS_ADDRESS)), value(Setting.LOG_FORMAT),
        Optional.ofNullable(value(Setting.DISCORD_ENDPOINT)), discordClient(), shown);
  }

  private Optional<Config.DiscordClient> discordClient() {
    String id = value(Setting.WEB_DISCORD_CLIENT_ID);
    Secret secret = value(Setting.WEB_DISCORD_CLIENT_SECRET);
    if (id == null && secret == null) {
      return Optional.empty();
    }
    if (id == null || secret == null) {
      problems.add((id == null ? Setting.WEB_DISCORD_CLIENT_ID : Setting.WEB_DISCORD_CLIENT_SECRET).key()
          + ": is not set; Login with Discord needs both web.discordClientId and web.discordClientSecret");
      return Optional.empty();
    }
    return Optional.of(new Config.DiscordClient(id, secret));
  }

  /** A PostgreSQL store's user and password: the password from the environment or a file, like tokens. */
  private Optional<Config.Postgres> postgres() {
    String user = value(Setting.DATABASE_USER);
    Secret password = value(Setting.DATABASE_PASSWORD);
    Path passwordFile = value(Setting.DATABASE_PASSWORD_FILE);
    String secret;
    if (password != null) {
      secret = password.value();
    } else if (passwordFile != null) {
      try {
        secret = Files.readString(passwordFile).strip();
      } catch (IOException | RuntimeException e) {
        problems.add("database.passwordFile (" + values.get("database.passwordFile").origin() + "): cannot read '"
            + passwordFile + "' (" + e.getClass().getSimpleName() + "); it must be a readable file holding the password");
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
    Map<Setting<?>, Object> settings = new HashMap<>();
    boolean valid = true;
    for (Setting<?> setting : Setting.ACCOUNT) {
      Value v = keys.get(setting.key());
      String text = v != null ? v.text() : setting.defaultText();
      if (text != null) {
        Object value = parse(setting, at + "." + setting.key(), text, v == null ? "the default" : v.origin());
        valid &= value != null;
        settings.put(setting, value);
      }
    }
    if (!valid) {
      return Optional.empty();
    }
    Value token = keys.get(Setting.TOKEN.key());
    Value tokenFile = keys.get(Setting.TOKEN_FILE.key());
    String secret;
    if (token != null) {
      secret = token.text().strip();
      if (secret.isEmpty()) {
        problems.add(at + ".token (" + token.origin() + "): is empty");
        return Optional.empty();
      }
    } else if (tokenFile != null) {
      try {
        secret = Files.readString((Path) settings.get(Setting.TOKEN_FILE)).strip();
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
      problems.add(at + ": no token; set " + Setting.variableOf(at + ".token") + " or " + at + ".tokenFile");
      return Optional.empty();
    }
    if (secret.chars().anyMatch(Character::isWhitespace)) {
      problems.add(at + ": the token contains white space, so it is not a Discord bot token");
      return Optional.empty();
    }
    return Optional.of(new Config.Account(name, new Secret(secret), (Integer) settings.get(Setting.SHARDS)));
  }
}
