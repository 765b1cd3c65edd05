package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What a client other than JDA sends: raw REST calls (with a bot's token), control API calls, and a
 * bare gateway session, for what JDA would refuse to send or checks itself first.
 */
final class RawDiscord {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final DiscordEmulator discord;

  RawDiscord(DiscordEmulator discord) {
    this.discord = discord;
  }

  record Answer(int status, JsonNode body) {}

  /** A REST call under /api/v10 as the bot; body null for none. */
  Answer rest(String method, String path, BotAccount bot, String body) throws Exception {
    return call(method, "/api/v10" + path, bot == null ? null : "Bot " + bot.token(), body);
  }

  /** A call to the control API under /_emulator. */
  Answer control(String method, String path, String body) throws Exception {
    return call(method, "/_emulator" + path, null, body);
  }

  private Answer call(String method, String path, String authorization, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + discord.port() + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
  }

  /** A bare gateway session of the bot, identified with these intents; records every dispatch. */
  Gateway gateway(BotAccount bot, long intents) throws Exception {
    Gateway gateway = new Gateway();
    WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(discord.gatewayUrl()), gateway)
        .get(10, TimeUnit.SECONDS);
    gateway.socket = socket;
    gateway.send("{\"op\":2,\"d\":{\"token\":\"" + bot.token() + "\",\"intents\":" + intents
        + ",\"properties\":{}}}");
    gateway.ready.get(10, TimeUnit.SECONDS);
    return gateway;
  }

  static final class Gateway implements WebSocket.Listener, AutoCloseable {
    final List<JsonNode> dispatches = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    void send(String text) {
      socket.sendText(text, true).join();
    }

    List<String> types() {
      return dispatches.stream().map(d -> d.get("t").asText()).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode payload = JSON.readTree(partial.toString());
          if (payload.path("op").asInt() == 0) {
            dispatches.add(payload);
            if ("READY".equals(payload.path("t").asText())) {
              ready.complete(null);
            }
          }
        } catch (Exception e) {
          ready.completeExceptionally(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.sendClose(1000, "done").join();
    }
  }
}
