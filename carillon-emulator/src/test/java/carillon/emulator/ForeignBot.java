package carillon.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bot written with another Discord library, run as a child process: it prints one line per step on
 * stdout and takes orders on stdin (see compat/js/bot.js and compat/py/bot.py). Every wait has a timeout,
 * and a failure message carries everything the bot printed.
 */
final class ForeignBot implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> everything = new CopyOnWriteArrayList<>();
  private final Writer stdin;

  private ForeignBot(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread.ofVirtual().name("foreign-bot-output").start(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          everything.add(line);
          lines.add(line);
        }
      } catch (IOException e) {
        everything.add("(reading the bot's output failed: " + e + ")");
      }
    });
  }

  /** Starts {@code command} in {@code directory} with extra environment variables; stderr goes with stdout. */
  static ForeignBot start(Path directory, Map<String, String> environment, String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    return new ForeignBot(builder.start());
  }

  /** The next line that starts with {@code prefix} (other lines are skipped, kept for the failure message). */
  String expect(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("the bot printed no line starting with '" + prefix + "' within " + timeout
            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; it printed:\n"
            + String.join("\n", everything));
      }
      if (line.startsWith("error ")) {
        throw new AssertionError("the bot failed: " + line + "\nit printed:\n" + String.join("\n", everything));
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  void order(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Orders the bot to stop and waits for its exit code. */
  int quit(Duration timeout) throws IOException, InterruptedException {
    order("quit");
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the bot did not exit within " + timeout + "; it printed:\n" + String.join("\n", everything));
    }
    return process.exitValue();
  }

  String output() {
    return String.join("\n", everything);
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  /** The repository's compat/ folder (tests run in carillon-emulator/). */
  static Path compat(String library) {
    Path folder = Path.of("").toAbsolutePath().getParent().resolve("compat").resolve(library);
    if (!Files.isDirectory(folder)) {
      throw new AssertionError("missing " + folder);
    }
    return folder;
  }
}
