package carillon.bot;

import carillon.bot.app.Carillon;
import carillon.bot.backup.Backup;
import carillon.bot.app.Demo;
import carillon.bot.app.LogOutput;
import carillon.bot.config.Config;
import carillon.bot.config.ConfigException;
import carillon.bot.config.ConfigLoader;
import carillon.bot.config.Setting;
import carillon.bot.discord.DaveSupport;
import carillon.bot.store.Database;
import carillon.bot.store.PrivateFiles;
import carillon.bot.store.StoreLock;
import carillon.bot.web.auth.AdminAccounts;
import carillon.bot.web.auth.InvalidInputException;
import carillon.emulator.Standalone;
import carillon.tasks.TimeSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code carillon} command line, on picocli: {@code run}, {@code demo}, {@code config}, {@code admin add},
 * {@code backup}, {@code restore}, {@code emulator}, {@code help}; {@code --version} and {@code --help} everywhere. A usage mistake (an unknown
 * command or option, an extra or missing argument) exits with status 2 and picocli's suggestion; a bad
 * configuration exits with 2 listing every problem, as does a PostgreSQL store that refuses the login or cannot
 * be reached (one line naming database.url's host and port and PostgreSQL's message); a failure to start exits
 * with 1.
 */
@Command(name = "carillon", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    synopsisSubcommandLabel = "[COMMAND]",
    description = "Carillon runs scheduled voice sessions on Discord.%n"
        + "With no command: 'run' if a bot account is configured, else 'demo'.",
    footer = {"", "The configuration is --config FILE, else $CARILLON_CONFIG, else ./carillon.yaml",
        "if it exists; every key can be set by an environment variable",
        "(docs/configuration.md). Tokens come from CARILLON_ACCOUNTS_<NAME>_TOKEN or a",
        "token file, never the command line.",
        "Stop with Ctrl+C or SIGTERM (a second signal forces the exit)."})
public final class Main implements Callable<Integer> {
  /** The demo session starts this long after launch; its reminder (1 minute before) goes out at once. */
  static final Duration DEMO_START = Duration.ofSeconds(70);
  private static final Path DEFAULT_CONFIG = Path.of("carillon.yaml");
  /** The exit status of a failure: could not start, or every account was lost (docs/operations.md). */
  static final int EXIT_FAILED = 1;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "the configuration file (default: $CARILLON_CONFIG, else ./carillon.yaml if it exists)")
  private Path configOption;
  @Spec private CommandSpec spec;

  private final Map<String, String> env;
  /** Where answers (a password) are read from; null: the console, without echo. */
  private final BufferedReader in;
  private final PrintStream out;
  private final PrintStream err;

  private Main(Map<String, String> env, BufferedReader in, PrintStream out, PrintStream err) {
    this.env = env;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // With a terminal, a password is read from it without echo; otherwise from standard input.
    BufferedReader in = System.console() != null ? null
        : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.exit(run(args, System.getenv(), in, System.out, System.err));
  }

  /**
   * Runs a command line to its end and returns the exit status: 0 done, 1 could not start or ended by
   * failure, 2 a usage or configuration mistake. Answers (a password) are read from {@code in}, or from the
   * console when {@code in} is null.
   */
  static int run(String[] args, Map<String, String> env, BufferedReader in, PrintStream out, PrintStream err) {
    Main main = new Main(env, in, out, err);
    CommandLine cli = new CommandLine(main);
    cli.addSubcommand(main.new Admin());
    cli.addSubcommand(new HelpCommand());
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler(Main::usageMistake);
    return cli.execute(args);
  }

  /** A usage mistake: what was wrong, picocli's suggestion if it has one, the command's synopsis; status 2. */
  private static int usageMistake(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println("carillon: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.print("Usage: " + cli.getHelp().synopsis(0));
    err.println("'" + cli.getCommandSpec().qualifiedName() + " --help' says more.");
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  /** The version of the Maven project, filled into a resource at build time. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream stream = Main.class.getResourceAsStream("version.properties")) {
        if (stream != null) {
          properties.load(stream);
        }
      }
      return new String[] {"carillon " + properties.getProperty("version", "(version unknown)")};
    }
  }

  /** No command: Discord when a bot account is configured, else the demo. */
  @Override
  public Integer call() throws Exception {
    return runOrDemo(true);
  }

  @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Connect to Discord with the configured bot accounts.")
  int run() throws Exception {
    return runOrDemo(false);
  }

  @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Carillon against a built-in Discord emulator; prints what happens.",
          "Two bot accounts, generated audio, and a session whose reminder goes out at once",
          "and which starts about a minute later."})
  int demo(@Option(names = "--start-in", paramLabel = "SECONDS", converter = Seconds.class,
      description = "start the session this many seconds after launch (default: 70)") Duration startIn)
      throws Exception {
    return runDemo(startIn == null ? DEMO_START : startIn, configFile());
  }

  @Command(name = "config", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Check the configuration and print every setting (secrets masked).")
  int config() {
    Optional<Config> config = loadConfig();
    if (config.isEmpty()) {
      return 2;
    }
    out.println(describe(config.get(), configFile()));
    return 0;
  }

  @Command(name = "emulator", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Start only the local Discord emulator (voice included) with a sample guild or the world of "
          + "--world, and print how to connect a bot to it (docs/emulator.md).")
  int emulator(
      @Option(names = "--world", paramLabel = "FILE", description = "JSON: bots, users, guilds with channels and members")
      Path world,
      @Option(names = "--describe", paramLabel = "FILE", description = "write endpoints, ids and tokens here as JSON")
      Path describe,
      @Option(names = "--certificate", paramLabel = "FILE", description = "write the voice certificate (PEM) here")
      Path certificate) throws Exception {
    List<String> args = new ArrayList<>();
    if (world != null) {
      args.addAll(List.of("--world", world.toString()));
    }
    if (describe != null) {
      args.addAll(List.of("--describe", describe.toString()));
    }
    if (certificate != null) {
      args.addAll(List.of("--certificate", certificate.toString()));
    }
    Standalone.main(args.toArray(String[]::new));
    return 0;
  }

  @Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Write the SQLite store and the audio files to FILE (a zip), also while Carillon runs.",
          "For PostgreSQL use pg_dump and copy the data directory's audio folder (docs/operations.md)."})
  int backup(@Parameters(paramLabel = "FILE", description = "the backup file to write (replaced if it exists)")
      Path file) throws Exception {
    Optional<Config> config = loadConfig();
    if (config.isEmpty()) {
      return 2;
    }
    if (config.get().postgres().isPresent()) {
      err.println("carillon: backup covers the SQLite store; this configuration uses PostgreSQL: back it up with "
          + "pg_dump and copy " + config.get().dataDir().resolve("audio") + " (docs/operations.md)");
      return 2;
    }
    try {
      int audioFiles = Backup.write(config.get().sqliteFile(), config.get().dataDir(), file, TimeSource.system().now(),
          new Version().getVersion()[0]);
      out.println("Backup written to " + file + ": the database and " + audioFiles + " audio file(s)");
      return 0;
    } catch (Backup.BackupException e) {
      err.println("carillon: no backup was written: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("carillon: no backup was written: " + file + " cannot be written (" + e + ")");
      return 1;
    }
  }

  @SuppressWarnings("try") // the store lock is held for the block, never read in it
  @Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Restore a backup FILE into the configured data directory (Carillon must not be running).",
          "A data directory that holds anything is refused without --force."})
  int restore(@Parameters(paramLabel = "FILE", description = "a file written by 'carillon backup'") Path file,
      @Option(names = "--force", description = "replace the database and audio files that are there") boolean force)
      throws Exception {
    Optional<Config> config = loadConfig();
    if (config.isEmpty()) {
      return 2;
    }
    if (config.get().postgres().isPresent()) {
      err.println("carillon: restore writes the SQLite store; this configuration uses PostgreSQL (restore it with "
          + "pg_restore, docs/operations.md)");
      return 2;
    }
    Path storeDir = config.get().sqliteFile().toAbsolutePath().getParent();
    // The same lock a running Carillon holds: restoring under a running process would replace its store.
    try (StoreLock held = StoreLock.acquire(PrivateFiles.directory(storeDir))) {
      Backup.Restored restored = Backup.restore(file, config.get().dataDir(), config.get().sqliteFile(), force);
      out.println("Restored the backup of " + restored.createdAt() + " into " + config.get().dataDir() + ": the "
          + "database and " + restored.audioFiles() + " audio file(s)");
      return 0;
    } catch (StoreLock.HeldElsewhere e) {
      err.println("carillon: nothing was restored: " + e.getMessage());
      return 1;
    } catch (Backup.BackupException e) {
      err.println("carillon: nothing was restored: " + e.getMessage());
      return 2;
    }
  }

  /** The configuration, or empty after reporting its problems. */
  private Optional<Config> loadConfig() {
    try {
      return Optional.of(ConfigLoader.load(configFile(), env));
    } catch (ConfigException e) {
      reportProblems(e);
      return Optional.empty();
    }
  }

  /** {@code admin add NAME}. */
  @Command(name = "admin", mixinStandardHelpOptions = true, versionProvider = Version.class,
      synopsisSubcommandLabel = "COMMAND", description = "Manage the admin accounts of the web page.")
  final class Admin {
    /**
     * An admin account for the web page, with every guild. The password is read from the console without
     * echo, or from standard input (one line) when there is no console; never from the command line, where
     * other users of the machine could read it.
     */
    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Create an admin account for the web page (asks for the password, or reads one line of"
            + " standard input).")
    int add(@Parameters(paramLabel = "NAME", description = "the admin's login name") String name) throws Exception {
      return addAdmin(name);
    }
  }

  /** Whole seconds for {@code demo --start-in}. */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        long seconds = Long.parseLong(value);
        if (seconds >= 1) {
          return Duration.ofSeconds(seconds);
        }
      } catch (NumberFormatException e) {
        // the one message below
      }
      throw new TypeConversionException("--start-in takes whole seconds, 1 or more, such as --start-in 10; got '"
          + value + "'");
    }
  }

  private int runOrDemo(boolean demoWithoutAccount) throws Exception {
    Optional<Config> loaded = loadConfig();
    if (loaded.isEmpty()) {
      return 2;
    }
    Config config = loaded.get();
    if (config.accounts().isEmpty()) {
      if (demoWithoutAccount) {
        return runDemo(DEMO_START, configFile()); // no token configured: the demo
      }
      err.println("carillon: no bot account is configured. Set CARILLON_ACCOUNTS_<NAME>_TOKEN (for example "
          + "CARILLON_ACCOUNTS_MAIN_TOKEN) or add accounts with a tokenFile to carillon.yaml; "
          + "'./carillon demo' runs Carillon without Discord.");
      return 2;
    }
    LogOutput.use(config.logFormat());
    return runDiscord(config);
  }

  /**
   * The configuration file: {@code --config FILE}, else {@code CARILLON_CONFIG}, else {@code ./carillon.yaml}
   * if it exists.
   *
   * @throws ParameterException when a named file does not exist (a usage mistake: status 2)
   */
  private Optional<Path> configFile() {
    if (configOption != null) {
      return requireFile(configOption, "--config");
    }
    String named = env.get(ConfigLoader.CONFIG_VARIABLE);
    if (named != null && !named.isBlank()) {
      return requireFile(Path.of(named), ConfigLoader.CONFIG_VARIABLE);
    }
    return Files.isRegularFile(DEFAULT_CONFIG) ? Optional.of(DEFAULT_CONFIG) : Optional.empty();
  }

  private Optional<Path> requireFile(Path file, String from) {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(spec.commandLine(), from + ": the configuration file " + file + " does not exist");
    }
    return Optional.of(file);
  }

  private int runDiscord(Config config) throws Exception {
    Carillon carillon;
    try {
      carillon = new Carillon(Carillon.Settings.discord(config));
    } catch (Carillon.StartException e) {
      err.println("carillon: " + e.getMessage());
      return 1;
    } catch (Database.Unreachable e) {
      err.println("carillon: " + e.getMessage());
      return 2; // a setting to fix (database.*), as other configuration mistakes
    }
    if (!carillon.anyAccountMayConnect()) {
      carillon.close();
      err.println("carillon: no bot account can log in (a refused token or a fatal close code; see the log above); "
          + "stopping");
      return 1;
    }
    // Whichever comes first: a signal (the graceful shutdown, status 0) or Discord closing every account
    // for good (status 1). Closing the accounts in the shutdown does not count as the latter.
    CompletableFuture<Integer> ended = new CompletableFuture<>();
    ShutdownSignals.install(carillon::close).whenComplete((done, failed) -> ended.complete(failed == null ? 0 : 1));
    carillon.accountsLost().thenRun(() -> ended.complete(EXIT_FAILED));
    int status = ended.join();
    if (carillon.accountsLost().isDone() && status == EXIT_FAILED) {
      carillon.close();
      err.println("carillon: every bot account has been disconnected for good; stopping");
    }
    return status;
  }

  private int runDemo(Duration startIn, Optional<Path> configFile) throws Exception {
    Path dataDir = Files.createTempDirectory("carillon-demo-");
    Map<String, String> demoEnv = new HashMap<>(env);
    demoEnv.put(Setting.DATA_DIR.variable(), dataDir.toString()); // a fresh store every time
    demoEnv.remove(Setting.DATABASE_URL.variable());
    Config config;
    try {
      config = ConfigLoader.load(configFile, demoEnv);
    } catch (ConfigException e) {
      return reportProblems(e);
    }
    LogOutput.use(config.logFormat());
    try {
      Demo demo = Demo.start(config, out, startIn);
      ShutdownSignals.install(demo::close).join();
      return 0;
    } catch (Carillon.StartException e) {
      err.println("carillon: " + e.getMessage());
      return 1;
    } finally {
      PrivateFiles.deleteTree(dataDir); // the demo's store and audio are made anew each time
    }
  }

  private int addAdmin(String name) throws Exception {
    Optional<Config> loaded = loadConfig();
    if (loaded.isEmpty()) {
      return 2;
    }
    Config config = loaded.get();
    String password;
    if (in == null) {
      char[] typed = System.console().readPassword("Password for %s (12 characters or more): ", name);
      password = typed == null ? null : new String(typed);
    } else {
      password = in.readLine();
    }
    if (password == null) {
      err.println("carillon: no password given");
      return 2;
    }
    PrivateFiles.directory(config.dataDir());
    try (var db = Database.open(config)) {
      new AdminAccounts(db, TimeSource.system()).create(name, password);
    } catch (InvalidInputException e) {
      err.println("carillon: the admin account was not created: " + e.getMessage());
      return 2;
    } catch (Database.Unreachable e) {
      err.println("carillon: the admin account was not created: " + e.getMessage());
      return 2;
    }
    out.println("Admin '" + name + "' created; log in at http://" + config.webAddress().getHostString() + ":"
        + config.webAddress().getPort() + "/");
    return 0;
  }

  private int reportProblems(ConfigException e) {
    err.println("carillon: the configuration has " + e.problems().size() + " problem(s):");
    e.problems().forEach(p -> err.println("  " + p));
    return 2;
  }

  private static String describe(Config config, Optional<Path> file) {
    return "The configuration is valid"
        + file.map(f -> " (" + f + " and the environment)").orElse(" (the environment; no file)") + ":\n"
        + config.describe() + "\n"
        + "  voice: " + voice(config);
  }

  /**
   * What {@code run} will do about voice: against the emulator ({@code discord.endpoint}) voice needs no DAVE,
   * as {@link Carillon.Settings#discord} decides; against Discord it needs JDAVE's native library.
   */
  private static String voice(Config config) {
    return config.discordEndpoint()
        .map(emulator -> "available (the Discord emulator at " + emulator + ", " + Setting.DISCORD_ENDPOINT.key()
            + ", needs no DAVE)")
        .orElseGet(() -> DaveSupport.probe().describe());
  }
}
