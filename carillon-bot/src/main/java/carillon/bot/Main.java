package carillon.bot;

import java.io.PrintStream;

/** The {@code carillon} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      printUsage(out);
      return 0;
    }
    if (args[0].equals("emulator")) {
      try {
        carillon.emulator.Standalone.main(new String[0]);
        return 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
    err.println("carillon: unknown command '" + args[0] + "'; the commands are: help, emulator");
    printUsage(err);
    return 2;
  }

  private static void printUsage(PrintStream out) {
    out.println("""
        Usage: ./carillon [command]

        Carillon runs scheduled voice sessions on Discord.

        Commands:
          help      show this text
          emulator  start the local Discord emulator with a sample guild and print how
                    to connect a bot to it (Ctrl+C stops it)

        Not yet in this build: 'run' (connect to Discord with your bot accounts) and
        'demo' (the bot against the emulator, with generated audio). The scheduler,
        command queue and audio library exist as a library (see docs/index.md).""");
  }
}
