package carillon.bot;

import carillon.bot.app.Carillon;
import carillon.bot.app.Demo;
import carillon.bot.config.Config;
import carillon.bot.config.ConfigException;
import carillon.bot.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The {@code carillon} command. */
public final class Main {
  /** The demo session starts this long after launch; its reminder (1 minute before) goes out at once. */
  static final Duration DEMO_START = Duration.ofSeconds(70);
  private static final Path DEFAULT_CONFIG = Path.of("carillon.yaml");

  private Main() {}

  public static void main(String[] args) throws Exception {
    int status = run(args, System.getenv(), System.out, System.err);
    System.exit(status);
  }

  /** Runs a command to its end and returns the exit status. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    // With a terminal, a password is read from it without echo; otherwise from standard input.
    java.io.BufferedReader in = System.console() != null ? null
        : new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    return run(args, env, in, out, err);
  }

  /**
   * As {@link #run(String[], Map, PrintStream, PrintStream)}, reading answers (a password) from {@code in},
   * or from the console when {@code in} is null.
   */
  static int run(String[] args, Map<String, String> env, java.io.BufferedReader in, PrintStream out, PrintStream err)
      throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    Optional<Path> configFile;
    try {
      configFile = takeConfigOption(rest, env);
    } catch (IllegalArgumentException e) {
      err.println("carillon: " + e.getMessage());
      return 2;
    }
    String command = rest.isEmpty() ? "" : rest.removeFirst();
    switch (command) {
      case "help", "--help", "-h" -> {
        printUsage(out);
        return 0;
      }
      case "emulator" -> {
        carillon.emulator.Standalone.main(new String[0]);
        return 0;
      }
      case "demo" -> {
        return runDemo(rest, configFile, env, out, err);
      }
      case "admin" -> {
        return addAdmin(rest, configFile, env, in, out, err);
      }
      case "config", "run", "" -> {
        Config config;
        try {
          config = ConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
          return reportProblems(e, err);
        }
        if (command.equals("config")) {
          out.println(describe(config, configFile));
          return 0;
        }
        if (config.accounts().isEmpty()) {
          if (command.isEmpty()) {
            return runDemo(rest, configFile, env, out, err); // no token configured: the demo
          }
          err.println("carillon: no bot account is configured. Set CARILLON_ACCOUNTS_<NAME>_TOKEN (for example "
              + "CARILLON_ACCOUNTS_MAIN_TOKEN) or add accounts with a tokenFile to carillon.yaml; "
              + "'./carillon demo' runs Carillon without Discord.");
          return 2;
        }
        return runDiscord(config, err);
      }
      default -> {
        err.println("carillon: unknown command '" + command + "'; the commands are: run, demo, config, admin, emulator, help");
        return 2;
      }
    }
  }

  /** {@code --config FILE}, else {@code CARILLON_CONFIG}, else {@code ./carillon.yaml} if it exists. */
  private static Optional<Path> takeConfigOption(List<String> args, Map<String, String> env) {
    int at = args.indexOf("--config");
    if (at >= 0) {
      if (at + 1 >= args.size()) {
        throw new IllegalArgumentException("--config needs a file name");
      }
      Path file = Path.of(args.get(at + 1));
      args.subList(at, at + 2).clear();
      return Optional.of(requireFile(file, "--config"));
    }
    String named = env.get(ConfigLoader.CONFIG_VARIABLE);
    if (named != null && !named.isBlank()) {
      return Optional.of(requireFile(Path.of(named), ConfigLoader.CONFIG_VARIABLE));
    }
    return Files.isRegularFile(DEFAULT_CONFIG) ? Optional.of(DEFAULT_CONFIG) : Optional.empty();
  }

  private static Path requireFile(Path file, String from) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(from + ": the configuration file " + file + " does not exist");
    }
    return file;
  }

  private static int runDiscord(Config config, PrintStream err) throws Exception {
    Carillon carillon;
    try {
      carillon = new Carillon(Carillon.Settings.discord(config));
    } catch (Carillon.StartException e) {
      err.println("carillon: " + e.getMessage());
      return 1;
    }
    if (carillon.accounts.names().isEmpty()) {
      carillon.close();
      err.println("carillon: no bot account could log in (see the log above); stopping");
      return 1;
    }
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    ShutdownSignals.install(carillon::close).thenRun(() -> ended.complete(0));
    carillon.accounts.allClosed().thenRun(() -> ended.complete(1));
    int status = ended.join();
    carillon.close();
    if (status != 0) {
      err.println("carillon: every bot account has been disconnected for good; stopping");
    }
    return status;
  }

  private static int runDemo(List<String> args, Optional<Path> configFile, Map<String, String> env, PrintStream out,
      PrintStream err) throws Exception {
    Duration startIn = DEMO_START;
    if (args.size() == 2 && args.getFirst().equals("--start-in")) {
      try {
        startIn = Duration.ofSeconds(Long.parseLong(args.get(1)));
      } catch (NumberFormatException e) {
        err.println("carillon: --start-in takes whole seconds, such as --start-in 10; got '" + args.get(1) + "'");
        return 2;
      }
    } else if (!args.isEmpty()) {
      err.println("carillon: demo takes only --start-in SECONDS; got " + String.join(" ", args));
      return 2;
    }
    Path dataDir = Files.createTempDirectory("carillon-demo-");
    Map<String, String> demoEnv = new java.util.HashMap<>(env);
    demoEnv.put(ConfigLoader.variableOf("dataDir"), dataDir.toString()); // a fresh store every time
    demoEnv.remove(ConfigLoader.variableOf("database.url"));
    Config config;
    try {
      config = ConfigLoader.load(configFile, demoEnv);
    } catch (ConfigException e) {
      return reportProblems(e, err);
    }
    Demo demo;
    try {
      demo = Demo.start(config, out, startIn);
    } catch (Carillon.StartException e) {
      err.println("carillon: " + e.getMessage());
      return 1;
    }
    ShutdownSignals.install(demo::close).join();
    return 0;
  }

  /**
   * {@code admin add NAME}: an admin account for the web page, with every guild. The password is read
   * from the console without echo, or from standard input (one line) when there is no console; never from
   * the command line, where other users of the machine could read it.
   */
  private static int addAdmin(List<String> args, Optional<Path> configFile, Map<String, String> env,
      java.io.BufferedReader in, PrintStream out, PrintStream err) throws Exception {
    if (args.size() != 2 || !args.getFirst().equals("add")) {
      err.println("carillon: usage: ./carillon admin add NAME (the password is asked for, or read from standard input)");
      return 2;
    }
    Config config;
    try {
      config = ConfigLoader.load(configFile, env);
    } catch (ConfigException e) {
      return reportProblems(e, err);
    }
    String password;
    if (in == null) {
      char[] typed = System.console().readPassword("Password for %s (12 characters or more): ", args.get(1));
      password = typed == null ? null : new String(typed);
    } else {
      password = in.readLine();
    }
    if (password == null) {
      err.println("carillon: no password given");
      return 2;
    }
    carillon.bot.store.PrivateFiles.directory(config.dataDir());
    try (var db = carillon.bot.store.Database.open(config)) {
      new carillon.bot.web.AdminAccounts(db, carillon.tasks.TimeSource.system()).create(args.get(1), password);
    } catch (carillon.bot.web.InvalidInputException e) {
      err.println("carillon: the admin account was not created: " + e.getMessage());
      return 2;
    }
    out.println("Admin '" + args.get(1) + "' created; log in at http://" + config.webAddress().getHostString() + ":"
        + config.webAddress().getPort() + "/");
    return 0;
  }

  private static int reportProblems(ConfigException e, PrintStream err) {
    err.println("carillon: the configuration has " + e.problems().size() + " problem(s):");
    e.problems().forEach(p -> err.println("  " + p));
    return 2;
  }

  private static String describe(Config config, Optional<Path> file) {
    StringBuilder text = new StringBuilder("The configuration is valid")
        .append(file.map(f -> " (" + f + " and the environment)").orElse(" (the environment; no file)")).append(":\n")
        .append("  dataDir: ").append(config.dataDir()).append('\n')
        .append("  timeZone: ").append(config.timeZone()).append('\n')
        .append("  language: ").append(config.language()).append('\n')
        .append("  shutdownTimeout: ").append(config.shutdownTimeout().toMillis()).append("ms\n")
        .append("  web.address: ").append(config.webAddress().getHostString()).append(':')
        .append(config.webAddress().getPort()).append('\n')
        .append("  database.url: ").append(config.databaseUrl()).append('\n')
        .append("  voice: ").append(carillon.bot.discord.DaveSupport.probe().describe()).append('\n')
        .append("  accounts:");
    if (config.accounts().isEmpty()) {
      text.append(" none (./carillon runs the demo)");
    }
    config.accounts().forEach(a -> text.append("\n    ").append(a.name()).append(": token set (hidden), ")
        .append(a.shards()).append(a.shards() == 1 ? " shard" : " shards"));
    return text.toString();
  }

  private static void printUsage(PrintStream out) {
    out.println("""
        Usage: ./carillon [--config FILE] [command]

        Carillon runs scheduled voice sessions on Discord.

        Commands:
          run       connect to Discord with the configured bot accounts
          demo      Carillon against a built-in Discord emulator: two bot accounts,
                    generated audio, a session whose reminder goes out at once and which
                    starts about a minute later (--start-in SECONDS to change); prints
                    what happens
          config    check the configuration and print it (tokens hidden)
          admin add NAME
                    create an admin account for the web page (asks for the password)
          emulator  start only the local Discord emulator with a sample guild and print
                    how to connect a bot to it
          help      show this text
        With no command: 'run' if a bot account is configured, else 'demo'.

        The configuration is --config FILE, else $CARILLON_CONFIG, else ./carillon.yaml if
        it exists; every key can be set by an environment variable (docs/configuration.md).
        Tokens come from CARILLON_ACCOUNTS_<NAME>_TOKEN or a token file, never the command line.
        Stop with Ctrl+C or SIGTERM (a second signal forces the exit).""");
  }
}
