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
    err.println("carillon: unknown command '" + args[0] + "'. This build has no commands yet besides 'help'.");
    printUsage(err);
    return 2;
  }

  private static void printUsage(PrintStream out) {
    out.println("""
        Usage: ./carillon [command]

        Carillon runs scheduled voice sessions on Discord.

        Commands:
          help      show this text

        This build contains the carillon-tasks library; the bot, the demo and the
        Discord emulator are being built (see docs/index.md for what exists today).""");
  }
}
