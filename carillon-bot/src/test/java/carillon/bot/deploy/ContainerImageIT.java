package carillon.bot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Carillon's container image, built from the repository's {@code Dockerfile} on a base that no registry
 * serves: {@code scripts/local-base-image} makes one from a debootstrapped Debian 13 with this machine's
 * JDK 25 (set {@code CARILLON_BASE_IMAGE} to test another base, e.g. the public Temurin one). Checks what an
 * operator relies on: DAVE loads inside (glibc 2.41 there, although the host may have 2.36), it runs as a
 * user of its own, the demo plays and the readiness check is green, SIGTERM stops it cleanly, and the data
 * volume outlives the container.
 *
 * <p>Needs a Docker engine and root for debootstrap; {@code .ci/run} and {@code ./carillon test} install
 * and start them on Debian. Where neither runs, the test says why and is skipped.
 */
class ContainerImageIT {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern HEARD = Pattern.compile("the emulator heard ([0-9.]+) s of audio");
  private static final String IMAGE = "carillon:it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void buildImage() throws Exception {
    assumeTrue(run(Duration.ofSeconds(30), "docker", "info").exit() == 0,
        "no Docker engine answers here (`docker info` failed): install docker.io and start dockerd, as .ci/run does");
    String base = System.getenv().getOrDefault("CARILLON_BASE_IMAGE", "");
    if (base.isEmpty()) {
      Result made = run(Duration.ofMinutes(10), REPOSITORY.resolve("scripts/local-base-image").toString());
      assertThat(made.exit()).as("scripts/local-base-image:%n%s", made.output()).isZero();
      base = made.lastLine();
    }
    Result built = run(Duration.ofMinutes(10), "docker", "build", "-q", "--build-arg", "BASE_IMAGE=" + base,
        "-t", IMAGE, REPOSITORY.toString());
    assertThat(built.exit()).as("docker build:%n%s", built.output()).isZero();
  }

  @AfterAll
  static void removeImage() throws Exception {
    run(Duration.ofMinutes(1), "docker", "image", "rm", "-f", IMAGE);
  }

  @Test
  void voiceEncryptionLoadsInsideAndTheProcessIsNotRoot() throws Exception {
    Result config = run(Duration.ofMinutes(1), "docker", "run", "--rm", IMAGE, "config");
    assertThat(config.exit()).as(config.output()).isZero();
    assertThat(config.output()).contains("voice: available (DAVE protocol version");

    Result id = run(Duration.ofMinutes(1), "docker", "run", "--rm", "--entrypoint", "id", IMAGE, "-u");
    assertThat(id.lastLine()).isEqualTo("10001");
  }

  @Test
  void theDemoPlaysIsHealthyAndStopsCleanlyOnSigterm() throws Exception {
    int port = freePort();
    String name = "carillon-it-" + UUID.randomUUID().toString().substring(0, 8);
    Process demo = new ProcessBuilder("docker", "run", "--rm", "--name", name, "--network", "host",
        "-e", "CARILLON_WEB_ADDRESS=127.0.0.1:" + port, IMAGE, "demo", "--start-in", "3")
        .redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> readLines(demo, lines));
    try {
      List<String> seen = new ArrayList<>();
      String heard = awaitLine(lines, seen, HEARD, Duration.ofMinutes(3));
      Matcher matcher = HEARD.matcher(heard);
      assertThat(matcher.find()).isTrue();
      assertThat(Double.parseDouble(matcher.group(1))).as("seconds of audio heard").isGreaterThan(1.0);

      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(10))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      Result check = run(Duration.ofMinutes(1), "docker", "exec", "-e", "CARILLON_WEB_ADDRESS=127.0.0.1:" + port, name,
          "/opt/carillon/healthcheck");
      assertThat(check.exit()).as("the image's HEALTHCHECK command: %s", check.output()).isZero();

      assertThat(run(Duration.ofMinutes(1), "docker", "stop", "--time", "20", name).exit()).isZero();
      assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(demo.exitValue()).as("exit status after SIGTERM").isZero();
      awaitLine(lines, seen, Pattern.compile("Carillon stopped"), Duration.ofSeconds(10));
    } finally {
      demo.destroyForcibly();
      run(Duration.ofMinutes(1), "docker", "rm", "-f", name);
    }
  }

  @Test
  void theDataVolumeOutlivesTheContainer() throws Exception {
    String volume = "carillon-it-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      String[] addAdmin = {"docker", "run", "--rm", "-i", "-v", volume + ":/var/lib/carillon", IMAGE, "admin", "add",
          "alice"};
      Result first = runWithInput(Duration.ofMinutes(1), "correct horse battery staple\n", addAdmin);
      assertThat(first.exit()).as(first.output()).isZero();
      assertThat(first.output()).contains("Admin 'alice' created");

      // A new container on the same volume finds the account the first one stored.
      Result second = runWithInput(Duration.ofMinutes(1), "another long password\n", addAdmin);
      assertThat(second.exit()).as(second.output()).isNotZero();
      assertThat(second.output()).contains("alice").contains("exists");

      Result modes = run(Duration.ofMinutes(1), "docker", "run", "--rm", "-v", volume + ":/var/lib/carillon",
          "--entrypoint", "stat", IMAGE, "-c", "%a %U %n", "/var/lib/carillon", "/var/lib/carillon/carillon.db");
      assertThat(modes.output()).contains("700 carillon /var/lib/carillon")
          .contains("600 carillon /var/lib/carillon/carillon.db");
    } finally {
      run(Duration.ofMinutes(1), "docker", "volume", "rm", "-f", volume);
    }
  }

  private static String awaitLine(BlockingQueue<String> lines, List<String> seen, Pattern wanted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no line matching '" + wanted + "' within " + timeout + "; the container printed:\n"
            + String.join("\n", seen));
      }
      seen.add(line);
      if (wanted.matcher(line).find()) {
        return line;
      }
    }
  }

  private static void readLines(Process process, BlockingQueue<String> lines) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      reader.lines().forEach(lines::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  record Result(int exit, String output) {
    String lastLine() {
      String[] all = output.strip().split("\n");
      return all[all.length - 1].strip();
    }
  }

  private static Result run(Duration timeout, String... command) throws Exception {
    return runWithInput(timeout, null, command);
  }

  /** Runs a command to its end (killed after {@code timeout}), with {@code input} on its standard input. */
  private static Result runWithInput(Duration timeout, String input, String... command) throws Exception {
    Path output = Files.createTempFile("carillon-it-", ".out");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(-1, String.join(" ", command) + ": no end within " + timeout + "\n" + Files.readString(output));
      }
      return new Result(process.exitValue(), Files.readString(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
