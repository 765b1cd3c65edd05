package carillon.emulator.voice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's Discord voice server: a voice gateway (v8, WebSocket over TLS with a bundled self-signed
 * certificate) and a UDP server that decrypts, decodes and measures what a bot sends.
 *
 * <p>Both listen on 127.0.0.1 on free ports. Connection timestamps ({@code connectedAt}, {@code
 * disconnectedAt}) come from the injected {@link Clock}; inter-arrival times are measured with {@link
 * System#nanoTime()} at receipt, so they are real even when the clock is fixed. A decoded 20 ms frame whose
 * RMS is under {@value VoiceConnection#SILENCE_RMS} (16-bit scale, about -50 dBFS) counts as silence.
 * Packets are decoded in arrival order; a sequence gap of up to {@value VoiceConnection#MAX_CONCEALED}
 * packets is filled with Opus packet-loss concealment, late or duplicate packets are dropped.
 *
 * <p>Close codes, chosen for what JDA 6.5 does with them: an IDENTIFY that matches no grant gets 4004
 * (JDA gives up: authentication failure); a failed RESUME gets 4006 (JDA asks the main gateway again);
 * {@link #revoke} sends 4014 (JDA: kicked from the channel); {@link #dropConnection} sends 1001, which JDA
 * treats as a lost connection and answers with a RESUME (op 7) on a new socket.
 *
 * <p>A user has one voice connection per guild: an IDENTIFY for a guild and user ends the user's earlier
 * connection there and closes its socket with 4014. A socket closed with 1000 ends its connection; one that
 * goes away otherwise (1001, or 1006: no close frame, as after kill -9) ends it too ({@code disconnectedAt}
 * set) unless a RESUME takes it up again, which opens it again.
 *
 * <pre>{@code
 * try (VoiceServer voice = VoiceServer.start()) {
 *   voice.grant(new VoiceGrant(guildId, channelId, botId, sessionId, "voice-token"));
 *   // VOICE_SERVER_UPDATE {token: "voice-token", guild_id, endpoint: voice.endpoint()}
 *   // JDABuilder#setWebsocketFactory(new WebSocketFactory().setSSLContext(voice.clientSslContext()))
 *   await().until(() -> !voice.connections().isEmpty());
 * }
 * }</pre>
 */
public final class VoiceServer implements VoiceService {
  private static final Logger LOG = LoggerFactory.getLogger(VoiceServer.class);
  private static final String KEYSTORE = "voice-tls.p12";
  private static final char[] KEYSTORE_PASSWORD = "carillon".toCharArray();
  static final int HEARTBEAT_INTERVAL_MS = 13_750;

  private final List<VoiceCrypto> offered;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final KeyStore keyStore;
  private final Javalin http;
  private final ServerConnector tlsConnector;
  private final DatagramSocket udp;
  private final Thread udpLoop;
  private final AtomicLong ids = new AtomicLong();
  private final Map<GrantKey, VoiceGrant> grants = new ConcurrentHashMap<>();
  private final Map<Long, VoiceConnection> connections = new ConcurrentHashMap<>();
  private final Map<Integer, VoiceConnection> bySsrc = new ConcurrentHashMap<>();
  private final Map<SocketAddress, VoiceConnection> byAddress = new ConcurrentHashMap<>();
  /** Open WebSocket sessions: Javalin session id to the connection it identified or resumed, if any. */
  private final Map<String, WsContext> sockets = new ConcurrentHashMap<>();
  /** Socket id → the voice gateway version it asked for with {@code ?v=}. */
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final Map<String, VoiceConnection> socketConnections = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private record GrantKey(long guildId, long userId) {}

  /** Why a user is not heard, by guild and user; absent: heard. */
  private final Map<GrantKey, String> notHeard = new ConcurrentHashMap<>();

  private VoiceServer(Clock clock, List<VoiceCrypto> offered) {
    this.offered = List.copyOf(offered);
    this.clock = clock;
    this.keyStore = loadKeyStore();
    try {
      this.udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the voice UDP socket", e);
    }
    ServerConnector[] connector = new ServerConnector[1];
    this.http =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = 0;
              cfg.jetty.addConnector(
                  (server, httpConfig) -> {
                    SslContextFactory.Server tls = new SslContextFactory.Server();
                    tls.setKeyStore(keyStore);
                    tls.setKeyStorePassword(new String(KEYSTORE_PASSWORD));
                    tls.setSniRequired(false);
                    ServerConnector c = new ServerConnector(server, tls);
                    c.setHost("127.0.0.1");
                    c.setPort(0);
                    connector[0] = c;
                    return c;
                  });
              cfg.routes.ws(
                  "/",
                  ws -> {
                    ws.onConnect(
                        ctx -> {
                          ctx.session.setIdleTimeout(Duration.ofMinutes(2));
                          OptionalInt version = gatewayVersion(ctx.queryParam("v"));
                          if (version.isEmpty()) {
                            LOG.info("voice socket {} asked for voice gateway version {}: closing with 4020",
                                ctx.sessionId(), ctx.queryParam("v"));
                            ctx.closeSession(4020, "Voice gateway version 4 to 8 required (?v=)");
                            return;
                          }
                          versions.put(ctx.sessionId(), version.getAsInt());
                          sockets.put(ctx.sessionId(), ctx);
                          send(ctx, 8, json.createObjectNode().put("heartbeat_interval", HEARTBEAT_INTERVAL_MS));
                        });
                    ws.onMessage(ctx -> onMessage(ctx, ctx.message()));
                    ws.onClose(ctx -> onSocketClosed(ctx.sessionId(), ctx.status()));
                    ws.onError(
                        ctx -> {
                          if (ctx.error() instanceof ClosedChannelException) {
                            // the client went away without a close frame; onClose records it
                            LOG.debug("voice socket {} (connection {}) closed abruptly by the client",
                                ctx.sessionId(), connectionIdOf(ctx.sessionId()));
                          } else {
                            LOG.warn("voice socket {} (connection {}) failed",
                                ctx.sessionId(), connectionIdOf(ctx.sessionId()), ctx.error());
                          }
                        });
                  });
            });
    http.start();
    this.tlsConnector = connector[0];
    // A platform thread, not a virtual one: it stamps each packet's arrival, and a virtual thread is woken
    // through the JDK's poller and then waits for a carrier behind the bot's own virtual threads (in the same
    // JVM in tests and benchmarks): 200 sessions starting at once delayed its stamps by up to 0.7 s, which
    // read as the bot's jitter and first-audio delay.
    this.udpLoop = Thread.ofPlatform().daemon().name("carillon-voice-udp").start(this::receiveLoop);
    LOG.info("voice server on wss://{} and udp 127.0.0.1:{}", endpoint(), udp.getLocalPort());
  }

  /** Starts a voice server on free loopback ports, timestamps from the system UTC clock. */
  public static VoiceServer start() {
    return start(Clock.systemUTC());
  }

  /** Starts a voice server on free loopback ports; connection timestamps come from {@code clock}. */
  public static VoiceServer start(Clock clock) {
    return new VoiceServer(clock, List.of(VoiceCrypto.AES256_GCM, VoiceCrypto.XCHACHA20_POLY1305));
  }

  /**
   * Starts a voice server that offers only the given encryption modes ({@code aead_aes256_gcm_rtpsize},
   * {@code aead_xchacha20_poly1305_rtpsize}), to make a client such as JDA use one of them.
   *
   * @throws IllegalArgumentException for a mode it does not support
   */
  public static VoiceServer offering(String... modes) {
    List<VoiceCrypto> offered = new ArrayList<>();
    for (String mode : modes) {
      offered.add(VoiceCrypto.fromMode(mode));
    }
    return new VoiceServer(Clock.systemUTC(), offered);
  }

  /** The UDP port of the voice server (what READY announces). */
  public int udpPort() {
    return udp.getLocalPort();
  }

  @Override
  public String endpoint() {
    return "localhost:" + tlsConnector.getLocalPort();
  }

  /**
   * The voice WebSocket's self-signed certificate (for {@code localhost}) in PEM, for clients outside the
   * JVM: Node's {@code NODE_EXTRA_CA_CERTS}, Python's {@code SSL_CERT_FILE}, curl's {@code --cacert}.
   */
  public String certificatePem() {
    try {
      byte[] der = keyStore.getCertificate("voice").getEncoded();
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the voice certificate", e);
    }
  }

  @Override
  public SSLContext clientSslContext() {
    return trusting(keyStore);
  }

  /**
   * A client SSL context that trusts the voice server's certificate (every VoiceServer has the same, from
   * its resource), for a bot in another process than the emulator.
   */
  public static SSLContext trustingClientSslContext() {
    return trusting(loadKeyStore());
  }

  private static SSLContext trusting(KeyStore keyStore) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("carillon-voice", keyStore.getCertificate("voice"));
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the voice client SSL context", e);
    }
  }

  @Override
  public void grant(VoiceGrant grant) {
    grants.put(new GrantKey(grant.guildId(), grant.userId()), grant);
  }

  @Override
  public void revoke(long guildId, long userId) {
    grants.remove(new GrantKey(guildId, userId));
    for (VoiceConnection c : connections.values()) {
      if (c.grant.guildId() == guildId && c.grant.userId() == userId && c.isResumable()) {
        c.disconnected(clock.instant());
        closeSockets(c, 4014, "Disconnected");
      }
    }
  }

  @Override
  public void hearing(long guildId, long userId, Optional<String> notHeardBecause) {
    GrantKey key = new GrantKey(guildId, userId);
    notHeardBecause.ifPresentOrElse(reason -> notHeard.put(key, reason), () -> notHeard.remove(key));
    for (VoiceConnection c : connections.values()) {
      if (c.grant.guildId() == guildId && c.grant.userId() == userId && c.isOpen()) {
        c.notHeardBecause(notHeardBecause.orElse(null));
      }
    }
  }

  @Override
  public boolean dropConnection(long guildId, long userId) {
    boolean dropped = false;
    for (VoiceConnection c : connections.values()) {
      if (c.grant.guildId() == guildId && c.grant.userId() == userId && c.isOpen()) {
        dropped |= closeSockets(c, 1001, "Connection lost");
      }
    }
    return dropped;
  }

  @Override
  public List<VoiceConnectionSnapshot> connections() {
    List<VoiceConnection> all = new ArrayList<>(connections.values());
    all.sort((a, b) -> Long.compare(a.id, b.id));
    return all.stream().map(VoiceConnection::snapshot).toList();
  }

  @Override
  public OptionalDouble level(long connectionId, Duration window) {
    VoiceConnection c = connections.get(connectionId);
    return c == null ? OptionalDouble.empty() : c.level(window);
  }

  @Override
  public Optional<short[]> pcm(long connectionId) {
    return Optional.ofNullable(connections.get(connectionId)).map(VoiceConnection::pcm);
  }

  @Override
  public Optional<List<byte[]>> opusFrames(long connectionId) {
    return Optional.ofNullable(connections.get(connectionId)).map(VoiceConnection::opusFrames);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (VoiceConnection c : connections.values()) {
      c.disconnected(clock.instant());
    }
    http.stop();
    udp.close();
    try {
      udpLoop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- WebSocket

  private boolean closeSockets(VoiceConnection c, int code, String reason) {
    boolean any = false;
    for (Map.Entry<String, VoiceConnection> e : socketConnections.entrySet()) {
      if (e.getValue() == c) {
        WsContext ctx = sockets.get(e.getKey());
        if (ctx != null) {
          ctx.closeSession(code, reason);
          any = true;
        }
      }
    }
    return any;
  }

  private Object connectionIdOf(String sessionId) {
    VoiceConnection c = socketConnections.get(sessionId);
    return c == null ? "none" : c.id;
  }

  private synchronized void onSocketClosed(String sessionId, int status) {
    sockets.remove(sessionId);
    versions.remove(sessionId);
    VoiceConnection c = socketConnections.remove(sessionId);
    if (c != null && status == 1000) {
      // the client left on purpose
      c.disconnected(clock.instant());
    } else if (c != null && !socketConnections.containsValue(c)) {
      // gone without leaving (1001, 1006 after kill -9 or a reset): ended, unless a RESUME takes it up;
      // a RESUME that came first on a new socket keeps it open
      c.lost(clock.instant());
    }
    LOG.debug("voice socket {} (connection {}) closed with {}", sessionId, c == null ? "none" : c.id, status);
  }

  private void onMessage(WsContext ctx, String text) {
    JsonNode msg;
    try {
      msg = json.readTree(text);
    } catch (JsonProcessingException e) {
      LOG.warn("voice socket {} (connection {}): not JSON, closing: {}", ctx.sessionId(), connectionIdOf(ctx.sessionId()), e.getOriginalMessage());
      ctx.closeSession(4002, "Failed to decode payload");
      return;
    }
    int op = msg.path("op").asInt(-1);
    JsonNode d = msg.path("d");
    switch (op) {
      case 0 -> identify(ctx, d);
      case 1 -> selectProtocol(ctx, d);
      case 3 -> send(ctx, 6, heartbeatAck(versions.getOrDefault(ctx.sessionId(), 8), d));
      case 5 -> LOG.debug("voice connection {}: speaking {}", connectionIdOf(ctx.sessionId()), d);
      case 7 -> resume(ctx, d);
      default -> LOG.debug("voice connection {}: ignored op {}", connectionIdOf(ctx.sessionId()), op);
    }
  }

  private synchronized void identify(WsContext ctx, JsonNode d) {
    long guildId = d.path("server_id").asLong();
    long userId = d.path("user_id").asLong();
    VoiceGrant grant = grants.get(new GrantKey(guildId, userId));
    if (grant == null
        || !grant.sessionId().equals(d.path("session_id").asText())
        || !grant.token().equals(d.path("token").asText())) {
      LOG.info("voice IDENTIFY for guild {} user {} matches no grant: closing with 4004", guildId, userId);
      ctx.closeSession(4004, "Authentication failed");
      return;
    }
    int ssrc;
    do {
      ssrc = random.nextInt(1, Integer.MAX_VALUE);
    } while (bySsrc.containsKey(ssrc));
    byte[] key = new byte[32];
    random.nextBytes(key);
    // A user has one voice state per guild: this connection replaces any earlier one of the user there
    // (another gateway session, process or shard took the guild's voice over). Discord closes the old
    // voice WebSocket with 4014, "should not reconnect" (discord-api-docs, Opcodes and Status Codes, Voice
    // Close Event Codes); 4006 would make JDA ask its main gateway again and take the voice back.
    for (VoiceConnection old : connections.values()) {
      if (old.grant.guildId() == guildId && old.grant.userId() == userId && old.isResumable()) {
        old.disconnected(clock.instant());
        closeSockets(old, 4014, "Disconnected");
        LOG.info("voice connection {}: guild {} user {} replaced by a new voice session, closed with 4014",
            old.id, guildId, userId);
      }
    }
    VoiceConnection c = new VoiceConnection(ids.incrementAndGet(), grant, ssrc, key, clock);
    c.notHeardBecause(notHeard.get(new GrantKey(guildId, userId)));
    connections.put(c.id, c);
    bySsrc.put(ssrc, c);
    socketConnections.put(ctx.sessionId(), c);
    ObjectNode ready = json.createObjectNode();
    ready.put("ssrc", ssrc).put("ip", "127.0.0.1").put("port", udp.getLocalPort());
    var modes = ready.putArray("modes");
    offered.forEach(crypto -> modes.add(crypto.mode));
    ready.put("heartbeat_interval", HEARTBEAT_INTERVAL_MS);
    send(ctx, 2, ready);
    LOG.info("voice connection {}: guild {} user {} identified, ssrc {}", c.id, guildId, userId, ssrc);
  }

  private void selectProtocol(WsContext ctx, JsonNode d) {
    VoiceConnection c = socketConnections.get(ctx.sessionId());
    if (c == null) {
      ctx.closeSession(4003, "Not authenticated");
      return;
    }
    String mode = d.path("data").path("mode").asText();
    VoiceCrypto crypto;
    try {
      crypto = VoiceCrypto.fromMode(mode);
      if (!offered.contains(crypto)) {
        throw new IllegalArgumentException("encryption mode not offered: " + mode);
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("voice connection {}: {}", c.id, e.getMessage());
      ctx.closeSession(4016, "Unknown encryption mode");
      return;
    }
    c.selectMode(crypto);
    ObjectNode session = json.createObjectNode();
    session.put("mode", mode);
    var keyArray = session.putArray("secret_key");
    for (byte b : c.secretKey()) {
      keyArray.add(b & 0xFF);
    }
    session.put("dave_protocol_version", 0);
    send(ctx, 4, session);
  }

  private synchronized void resume(WsContext ctx, JsonNode d) {
    long guildId = d.path("server_id").asLong();
    String sessionId = d.path("session_id").asText();
    String token = d.path("token").asText();
    Optional<VoiceConnection> match =
        connections.values().stream()
            .filter(VoiceConnection::isResumable)
            .filter(c -> c.grant.guildId() == guildId)
            .filter(c -> c.grant.sessionId().equals(sessionId) && c.grant.token().equals(token))
            .filter(c -> grants.get(new GrantKey(c.grant.guildId(), c.grant.userId())) != null)
            .max((a, b) -> Long.compare(a.id, b.id));
    if (match.isEmpty()) {
      LOG.info("voice RESUME for guild {} matches no open connection: closing with 4006", guildId);
      ctx.closeSession(4006, "Session no longer valid");
      return;
    }
    socketConnections.put(ctx.sessionId(), match.get());
    match.get().resumed();
    send(ctx, 9, json.nullNode());
    LOG.info("voice connection {} resumed", match.get().id);
  }

  /**
   * The voice gateway version of {@code ?v=}: 4 to 8 (discord-api-docs, Voice Connections, "Voice Gateway
   * Versioning": versions below 4 and a missing version are rejected since 2024-11-18); empty otherwise.
   */
  static OptionalInt gatewayVersion(String v) {
    if (v == null || !v.matches("\\d{1,2}")) {
      return OptionalInt.empty();
    }
    int version = Integer.parseInt(v);
    return version >= 4 && version <= 8 ? OptionalInt.of(version) : OptionalInt.empty();
  }

  /**
   * The op 6 heartbeat ACK for a heartbeat's {@code d}: since version 8 the heartbeat is {@code {t, seq_ack}}
   * and the ACK {@code {t}}; below 8 both are the bare nonce (discord-api-docs, Voice Connections, "Heartbeating").
   */
  JsonNode heartbeatAck(int version, JsonNode heartbeat) {
    JsonNode nonce = heartbeat.isObject() ? heartbeat.path("t") : heartbeat;
    if (version < 8) {
      return nonce;
    }
    ObjectNode ack = json.createObjectNode();
    ack.set("t", nonce);
    return ack;
  }

  private void send(WsContext ctx, int op, JsonNode d) {
    ObjectNode msg = json.createObjectNode();
    msg.put("op", op);
    msg.set("d", d);
    ctx.send(msg.toString());
  }

  // ---------------------------------------------------------------- UDP

  private void receiveLoop() {
    byte[] buffer = new byte[4096];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    while (!closed) {
      packet.setLength(buffer.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        if (!closed) {
          LOG.error("voice UDP receive failed, stopping", e);
        }
        return;
      }
      long now = System.nanoTime();
      try {
        onDatagram(packet, now);
      } catch (RuntimeException e) {
        VoiceConnection c = byAddress.get(packet.getSocketAddress());
        LOG.warn("voice connection {}: datagram of {} bytes not handled", c == null ? "unknown" : c.id, packet.getLength(), e);
      }
    }
  }

  private void onDatagram(DatagramPacket packet, long arrivalNanos) throws RuntimeException {
    byte[] data = packet.getData();
    int length = packet.getLength();
    SocketAddress from = packet.getSocketAddress();
    if (length == 74 && data[0] == 0 && data[1] == 1) {
      int ssrc = ByteBuffer.wrap(data, 4, 4).getInt();
      VoiceConnection c = bySsrc.get(ssrc);
      if (c == null) {
        LOG.warn("voice IP discovery for unknown ssrc {} from {}", ssrc, from);
        return;
      }
      byAddress.put(from, c);
      c.countNonAudio();
      InetSocketAddress address = (InetSocketAddress) from;
      ByteBuffer reply = ByteBuffer.allocate(74);
      reply.putShort((short) 2).putShort((short) 70).putInt(ssrc);
      byte[] ip = address.getAddress().getHostAddress().getBytes(StandardCharsets.US_ASCII);
      reply.put(ip, 0, Math.min(ip.length, 63));
      reply.putShort(72, (short) address.getPort());
      try {
        udp.send(new DatagramPacket(reply.array(), 74, from));
      } catch (IOException e) {
        LOG.warn("voice connection {}: IP discovery reply failed", c.id, e);
      }
      return;
    }
    if (length >= 12 && (data[0] & 0xC0) == 0x80 && (data[1] & 0x7F) == 0x78) {
      int ssrc = ByteBuffer.wrap(data, 8, 4).getInt();
      VoiceConnection c = bySsrc.get(ssrc);
      if (c == null) {
        LOG.warn("voice RTP for unknown ssrc {} from {}", ssrc, from);
        return;
      }
      byAddress.put(from, c);
      c.onRtp(data, length, arrivalNanos);
      return;
    }
    // zero-length "nothing to send" datagrams, 0xC9 keep-alives and anything else: counted, never audio
    VoiceConnection c = byAddress.get(from);
    if (c != null) {
      c.countNonAudio();
    } else {
      LOG.debug("voice datagram of {} bytes from unknown {}", length, from);
    }
  }

  private static KeyStore loadKeyStore() {
    try (InputStream in = VoiceServer.class.getResourceAsStream(KEYSTORE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + KEYSTORE);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, KEYSTORE_PASSWORD);
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the voice TLS key store", e);
    }
  }
}
