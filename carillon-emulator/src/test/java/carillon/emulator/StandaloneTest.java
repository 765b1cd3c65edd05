package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./carillon emulator}: voice, the certificate as PEM, a world from a file, privileged intents. */
class StandaloneTest {
  @TempDir
  Path dir;

  @Test
  void buildsTheWorldOfTheFileWithVoiceAndWritesTheCertificate() throws Exception {
    Path world = dir.resolve("world.json");
    Files.writeString(world, """
        {"bots": [{"name": "Bell", "privilegedIntents": []}, {"name": "Gong"}], "users": ["alice"],
         "guilds": [{"name": "Sangha", "everyonePermissions": "104324673", "members": ["Bell", "alice"],
                     "channels": [{"name": "notices"}, {"name": "Hall", "type": "voice"}]}]}
        """);
    Path pem = dir.resolve("voice.pem");
    try (Standalone standalone = Standalone.start(Optional.of(world), pem)) {
      JsonNode d = standalone.description();
      DiscordEmulator discord = standalone.discord();
      assertThat(d.get("rest").asText()).isEqualTo(discord.restUrl());
      assertThat(d.get("voice").asText()).startsWith("wss://localhost:");
      assertThat(d.get("certificate").asText()).isEqualTo(pem.toAbsolutePath().toString());
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(Files.newInputStream(pem));
      assertThat(certificate.getSubjectX500Principal().getName()).contains("localhost");

      String sangha = d.at("/guilds/Sangha/id").asText();
      String hall = d.at("/guilds/Sangha/channels/Hall").asText();
      JsonNode guilds = new RawDiscord(discord).control("GET", "/guilds", null).body();
      JsonNode guild = guilds.get(0);
      assertThat(guild.get("id").asText()).isEqualTo(sangha);
      assertThat(guild.toString()).contains(hall, d.at("/users/alice").asText(), d.at("/bots/Bell/id").asText())
          .doesNotContain(d.at("/bots/Gong/id").asText());

      // Bell's application has no privileged intent: asking for MESSAGE_CONTENT closes the gateway with 4014
      assertThat(identifyCloseCode(discord, d.at("/bots/Bell/token").asText(), 1 | (1 << 9) | (1 << 15)))
          .isEqualTo(4014);

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Standalone.describe(new PrintStream(out, true, StandardCharsets.UTF_8), d, Optional.empty());
      assertThat(out.toString(StandardCharsets.UTF_8)).contains(discord.restUrl(), discord.gatewayUrl(),
          d.get("voice").asText(), pem.toAbsolutePath().toString(), d.at("/bots/Bell/token").asText(), hall,
          "CARILLON_DISCORD_ENDPOINT=http://127.0.0.1:" + discord.port() + " ");
    }
  }

  @Test
  void aWrongWorldFileIsRefusedNamingTheField() throws Exception {
    Path world = dir.resolve("world.json");
    Files.writeString(world, """
        {"bots": [{"name": "Bell", "privilegedIntents": ["MESSAGES"]}]}
        """);
    assertThatThrownBy(() -> Standalone.start(Optional.of(world), dir.resolve("voice.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bots[0].privilegedIntents: 'MESSAGES' is not one of");
    Files.writeString(world, """
        {"guilds": [{"name": "Sangha", "members": ["nobody"]}]}
        """);
    assertThatThrownBy(() -> Standalone.start(Optional.of(world), dir.resolve("voice.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("guilds[0].members[0]: 'nobody' is not one of the bots or users");
  }

  private static int identifyCloseCode(DiscordEmulator discord, String token, long intents) throws Exception {
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(discord.gatewayUrl()), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    socket.sendText("{\"op\":2,\"d\":{\"token\":\"" + token + "\",\"intents\":" + intents + ",\"properties\":{}}}", true);
    return closed.get(10, TimeUnit.SECONDS);
  }
}
