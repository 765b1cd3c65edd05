package carillon.emulator.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A voice client that does on the wire what JDA 6.5's AudioWebSocket and AudioConnection do: TLS
 * WebSocket with {@code ?v=8}, op 0 identify, UDP IP discovery, op 1 select protocol, op 5 speaking, and
 * RTP datagrams encrypted in an rtpsize AEAD mode with a trailing 4-byte nonce counter.
 */
final class TestVoiceClient implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How a datagram is encrypted: header (already written) plus Opus frame to the full datagram. */
  interface Encrypter {
    byte[] packet(char seq, int timestamp, int ssrc, byte[] opus) throws GeneralSecurityException;
  }

  private final ObjectMapper json = new ObjectMapper();
  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final HttpClient http;
  private final WebSocket ws;
  private DatagramSocket udp;
  private InetSocketAddress server;
  int ssrc;
  byte[] secretKey;
  String mode;
  private final StringBuilder partial = new StringBuilder();

  TestVoiceClient(VoiceServer voice) {
    this(voice, "?v=8");
  }

  /** A client that connects with this query ({@code ?v=4}, or none: {@code ""}). */
  TestVoiceClient(VoiceServer voice, String query) {
    http = HttpClient.newBuilder().sslContext(voice.clientSslContext()).build();
    ws =
        http.newWebSocketBuilder()
            .buildAsync(URI.create("wss://" + voice.endpoint() + "/" + query), new Listener())
            .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
            .join();
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          received.add(json.readTree(partial.toString()));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.completeExceptionally(error);
    }
  }

  void send(int op, JsonNode d) {
    ObjectNode msg = json.createObjectNode();
    msg.put("op", op);
    msg.set("d", d);
    ws.sendText(msg.toString(), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** The next message with this op, skipping others (heartbeat acks and the like). */
  JsonNode await(int op) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode msg = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (msg == null) {
        throw new AssertionError("no op " + op + " within " + WAIT);
      }
      if (msg.path("op").asInt() == op) {
        return msg.path("d");
      }
    }
  }

  void identify(VoiceGrant g, String token) {
    ObjectNode d = json.createObjectNode();
    d.put("server_id", Long.toString(g.guildId()))
        .put("user_id", Long.toString(g.userId()))
        .put("session_id", g.sessionId())
        .put("token", token)
        .put("max_dave_protocol_version", 0);
    send(0, d);
  }

  void resume(VoiceGrant g) {
    ObjectNode d = json.createObjectNode();
    d.put("server_id", Long.toString(g.guildId()))
        .put("session_id", g.sessionId())
        .put("token", g.token())
        .put("seq_ack", -1);
    send(7, d);
  }

  /** Identify, READY, IP discovery, SELECT_PROTOCOL, SESSION_DESCRIPTION, SPEAKING: as JDA does it. */
  void handshake(VoiceGrant g, String wantedMode) throws Exception {
    await(8);
    identify(g, g.token());
    JsonNode ready = await(2);
    ssrc = ready.path("ssrc").asInt();
    server = new InetSocketAddress(ready.path("ip").asText(), ready.path("port").asInt());
    List<String> modes = json.convertValue(ready.path("modes"), json.getTypeFactory().constructCollectionType(List.class, String.class));
    if (!modes.contains(wantedMode)) {
      throw new AssertionError("server does not offer " + wantedMode + ": " + modes);
    }
    udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    udp.setSoTimeout((int) WAIT.toMillis());
    ByteBuffer discovery = ByteBuffer.allocate(74).putShort((short) 1).putShort((short) 70).putInt(ssrc);
    udp.send(new DatagramPacket(discovery.array(), 74, server));
    DatagramPacket reply = new DatagramPacket(new byte[74], 74);
    udp.receive(reply);
    ByteBuffer r = ByteBuffer.wrap(reply.getData());
    if (r.getShort(0) != 2 || r.getShort(2) != 70 || r.getInt(4) != ssrc) {
      throw new AssertionError("bad discovery reply");
    }
    String ip = new String(reply.getData(), 8, 64, StandardCharsets.US_ASCII).trim();
    int port = r.getShort(72) & 0xFFFF;
    if (port != udp.getLocalPort() || !ip.equals("127.0.0.1")) {
      throw new AssertionError("discovery says " + ip + ":" + port);
    }
    ObjectNode select = json.createObjectNode();
    select.put("protocol", "udp");
    select.putObject("data").put("address", ip).put("port", port).put("mode", wantedMode);
    send(1, select);
    JsonNode session = await(4);
    if (session.path("dave_protocol_version").isMissingNode()) {
      throw new AssertionError("no dave_protocol_version");
    }
    mode = session.path("mode").asText();
    secretKey = new byte[32];
    for (int i = 0; i < 32; i++) {
      secretKey[i] = (byte) session.path("secret_key").get(i).asInt();
    }
    send(5, json.createObjectNode().put("speaking", 1).put("delay", 0).put("ssrc", ssrc));
  }

  void sendRaw(byte[] datagram) throws IOException {
    udp.send(new DatagramPacket(datagram, datagram.length, server));
  }

  /** Sends each frame at 20 ms pacing (deadline-based, like JDA's packet sender), with a zero-length datagram after each if asked. */
  void sendPaced(List<byte[]> opusFrames, Encrypter encrypter, boolean emptyBetween) throws Exception {
    char seq = (char) 1000;
    int timestamp = 123_456;
    long next = System.nanoTime();
    for (byte[] frame : opusFrames) {
      LockSupport.parkNanos(next - System.nanoTime());
      sendRaw(encrypter.packet(seq++, timestamp, ssrc, frame));
      if (emptyBetween) {
        sendRaw(new byte[0]);
      }
      timestamp += 960;
      next += 20_000_000L;
    }
  }

  void heartbeat(long t) {
    send(3, json.createObjectNode().put("t", t).put("seq_ack", -1));
  }

  /** A heartbeat as voice gateway versions below 8 send it: the bare nonce. */
  void heartbeatBelowV8(long t) {
    send(3, json.getNodeFactory().numberNode(t));
  }

  /** Drops the TCP connection without a close frame, as the kernel does for a process killed with kill -9. */
  void abort() {
    ws.abort();
  }

  void closeNormally() {
    ws.sendClose(1000, "bye").orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    ws.abort();
    if (udp != null) {
      udp.close();
    }
    http.close();
  }
}
