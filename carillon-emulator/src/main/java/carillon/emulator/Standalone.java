package carillon.emulator;

import carillon.emulator.voice.VoiceServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./carillon emulator [--world FILE] [--describe FILE] [--certificate FILE]}: an emulator with a
 * voice side, the world of {@code --world} (see {@link WorldFile}) or a sample guild, printing its
 * endpoints; it writes the voice certificate (PEM) to {@code --certificate} (default: a file in the
 * temporary directory, named on the output) and the endpoints, ids and tokens as JSON to
 * {@code --describe}, then runs until interrupted.
 *
 * <pre>{@code
 * ./carillon emulator --world world.json --describe out.json
 * # Carillon Discord emulator on 127.0.0.1:41234
 * #   REST      http://127.0.0.1:41234/api/v10/
 * #   voice     wss://localhost:40321 (certificate: /tmp/carillon-emulator-voice-41234.pem)
 * }</pre>
 */
public final class Standalone implements AutoCloseable {
  private static final String SAMPLE = """
      {"bots": [{"name": "Carillon"}], "users": ["alice"],
       "guilds": [{"name": "Carillon Sample", "members": ["Carillon", "alice"],
                   "channels": [{"name": "notices", "type": "text"}, {"name": "Meditation Hall", "type": "voice"},
                                {"name": "Garden", "type": "voice"}]}]}
      """;

  private final DiscordEmulator discord;
  private final ObjectNode description;

  private Standalone(DiscordEmulator discord, ObjectNode description) {
    this.discord = discord;
    this.description = description;
  }

  /** The running emulator. */
  public DiscordEmulator discord() {
    return discord;
  }

  /**
   * Endpoints, certificate path, and the ids and tokens of what the world description made:
   * {@code {"rest","gateway","control","voice","certificate","bots":{name:{id,token,applicationId}},
   * "users":{name:id},"guilds":{name:{id,channels:{name:id}}}}}, ids as strings.
   */
  public JsonNode description() {
    return description.deepCopy();
  }

  /**
   * Starts an emulator with a voice side and the given world (the sample guild when empty); writes the
   * voice certificate to {@code certificate}.
   *
   * @throws IllegalArgumentException naming the field when the world description is wrong
   * @throws IOException when the description cannot be read or the certificate not written
   */
  public static Standalone start(Optional<Path> world, Path certificate) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode wanted = json.readTree(world.isPresent() ? Files.readString(world.get()) : SAMPLE);
    VoiceServer voice = VoiceServer.start();
    DiscordEmulator discord = DiscordEmulator.builder().voice(voice).start();
    try {
      ObjectNode made = WorldFile.build(discord, wanted, json);
      Files.writeString(certificate, voice.certificatePem());
      ObjectNode out = json.createObjectNode();
      out.put("endpoint", "http://127.0.0.1:" + discord.port()); // Carillon's discord.endpoint
      out.put("rest", discord.restUrl());
      out.put("gateway", discord.gatewayUrl());
      out.put("control", "http://127.0.0.1:" + discord.port() + ControlApi.PREFIX + "/");
      out.put("voice", "wss://" + voice.endpoint());
      out.put("certificate", certificate.toAbsolutePath().toString());
      out.setAll(made);
      return new Standalone(discord, out);
    } catch (RuntimeException | IOException e) {
      discord.close();
      throw e;
    }
  }

  @Override
  public void close() {
    discord.close();
  }

  /** {@code [--world FILE] [--describe FILE] [--certificate FILE]}; runs until the JVM is stopped. */
  public static void main(String[] args) throws Exception {
    Optional<Path> world = Optional.empty();
    Optional<Path> describe = Optional.empty();
    Path certificate = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--world" -> world = Optional.of(Path.of(need(args[i], value)));
        case "--describe" -> describe = Optional.of(Path.of(need(args[i], value)));
        case "--certificate" -> certificate = Path.of(need(args[i], value));
        default -> {
          System.err.println("unknown option '" + args[i] + "'; use --world FILE, --describe FILE, --certificate FILE");
          System.exit(2);
        }
      }
      i++;
    }
    if (certificate == null) {
      certificate = Path.of(System.getProperty("java.io.tmpdir"),
          "carillon-emulator-voice-" + ProcessHandle.current().pid() + ".pem");
      certificate.toFile().deleteOnExit(); // ours to clean up; a named one is the caller's
    }
    Standalone standalone;
    try {
      standalone = start(world, certificate);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("carillon emulator: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (describe.isPresent()) {
      Files.writeString(describe.get(), standalone.description().toPrettyString());
    }
    describe(System.out, standalone.description(), describe);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      standalone.close();
      stopped.countDown();
    }, "emulator-shutdown"));
    stopped.await();
  }

  private static String need(String option, String value) {
    if (value == null || value.startsWith("--")) {
      System.err.println(option + " needs a file name");
      System.exit(2);
    }
    return value;
  }

  static void describe(PrintStream out, JsonNode d, Optional<Path> describedIn) {
    out.printf("""
        Carillon Discord emulator
          REST      %s
          gateway   %s
          voice     %s (self-signed certificate for localhost: %s)
          control   %s  (see docs/emulator.md)
        """, d.get("rest").asText(), d.get("gateway").asText(), d.get("voice").asText(),
        d.get("certificate").asText(), d.get("control").asText());
    d.get("guilds").properties().forEach(g -> {
      out.printf("Guild '%s' %s:", g.getKey(), g.getValue().get("id").asText());
      g.getValue().get("channels").properties().forEach(c -> out.printf(" #%s %s", c.getKey(), c.getValue().asText()));
      out.println();
    });
    d.get("bots").properties().forEach(b -> out.printf("Bot '%s' %s, token: %s%n", b.getKey(),
        b.getValue().get("id").asText(), b.getValue().get("token").asText()));
    d.get("users").properties().forEach(u -> out.printf("User '%s' %s%n", u.getKey(), u.getValue().asText()));
    describedIn.ifPresent(p -> out.println("All of this as JSON: " + p.toAbsolutePath()));
    out.printf("""

        Carillon: CARILLON_DISCORD_ENDPOINT=%s and CARILLON_ACCOUNTS_MAIN_TOKEN=<a bot's token above>, then
        'carillon run' (docs/configuration.md).
        """, d.get("endpoint").asText());
    out.printf("""

        JDA: DiscordEmulator.configure(JDABuilder) does it all in the JVM; from outside, point the REST base URL
        and the gateway at the addresses above and trust the certificate for the voice WebSocket
        (Node: NODE_EXTRA_CA_CERTS, Python: SSL_CERT_FILE). Press Ctrl+C to stop.
        """);
  }
}
