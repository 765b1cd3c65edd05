package carillon.bot;

import carillon.bot.app.Demo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** The {@code carillon} command. */
public final class Main {
  /** The demo session starts this long after launch; its reminder (1 minute before) goes out at once. */
  static final Duration DEMO_START = Duration.ofSeconds(70);

  private Main() {}

  public static void main(String[] args) throws Exception {
    int status = run(args, System.out, System.err);
    if (status >= 0) {
      System.exit(status);
    }
  }

  /** Runs a command; a negative result means it keeps running (until Ctrl+C). */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String command = args.length == 0 ? "demo" : args[0];
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
        runDemo(out);
        return -1;
      }
      case "run" -> {
        err.println("carillon: 'run' (connecting to Discord with your bot accounts) is not in this build yet;"
            + " './carillon demo' runs Carillon against the built-in emulator.");
        return 2;
      }
      default -> {
        err.println("carillon: unknown command '" + command + "'; the commands are: demo, emulator, help");
        printUsage(err);
        return 2;
      }
    }
  }

  private static void runDemo(PrintStream out) throws Exception {
    Path dataDir = Files.createTempDirectory("carillon-demo-");
    Demo demo = Demo.start(dataDir, out, DEMO_START);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      demo.close();
      stopped.countDown();
    }, "carillon-shutdown"));
    stopped.await();
  }

  private static void printUsage(PrintStream out) {
    out.println("""
        Usage: ./carillon [command]

        Carillon runs scheduled voice sessions on Discord.

        Commands:
          demo      (the default) Carillon against a built-in Discord emulator: two bot
                    accounts, generated audio, a session whose reminder goes out at once
                    and which starts about a minute later; prints what happens
          emulator  start only the local Discord emulator with a sample guild and print
                    how to connect a bot to it
          help      show this text

        Not yet in this build: 'run' (connect to Discord with your bot accounts).
        Stop with Ctrl+C.""");
  }
}
