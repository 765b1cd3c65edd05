package carillon.emulator.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's voice side: the voice gateway (v8, WebSocket over TLS with a bundled self-signed
 * certificate for {@code localhost}) and the UDP server that answers IP discovery, decrypts
 * {@code aead_aes256_gcm_rtpsize} and {@code aead_xchacha20_poly1305_rtpsize} packets and decodes their Opus frames with Concentus (pure Java), so a
 * test can hear what a bot played.
 *
 * <pre>{@code
 * VoiceServer voice = VoiceServer.start();
 * DiscordEmulator discord = DiscordEmulator.builder().voice(voice).start();
 * ... the bot joins a voice channel and plays ...
 * VoiceConnectionSnapshot c = voice.connections().getFirst();
 * short[] heard = voice.pcm(c.id()).orElseThrow();   // 48 kHz stereo
 * }</pre>
 *
 * <p>Arrival times are {@link System#nanoTime()}. DAVE (end-to-end encryption) is not spoken: the server
 * answers {@code dave_protocol_version: 0}, which JDA accepts.
 */
public final class VoiceServer implements VoiceService {
  private static final Logger log = LoggerFactory.getLogger(VoiceServer.class);
  private static final String KEYSTORE = "voice-tls.p12";
  private static final char[] KEYSTORE_PASSWORD = "carillon-emulator".toCharArray();
  static final String AES_GCM = "aead_aes256_gcm_rtpsize";
  static final String XCHACHA = "aead_xchacha20_poly1305_rtpsize";
  private static final int HEARTBEAT_INTERVAL = 13_750;

  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final KeyStore keyStore;
  private final Javalin server;
  private final ServerConnector tls;
  private final DatagramChannel udp;
  private final Thread udpThread;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, VoiceGrant> grants = new ConcurrentHashMap<>();
  private final Map<Integer, VoiceConnection> bySsrc = new ConcurrentHashMap<>();
  private final Map<String, VoiceConnection> bySocket = new ConcurrentHashMap<>();
  private final List<VoiceConnection> all = new CopyOnWriteArrayList<>();

  private final List<String> modes;

  private VoiceServer(Clock clock, List<String> modes) {
    this.clock = clock;
    this.modes = List.copyOf(modes);
    this.keyStore = loadKeyStore();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(new String(KEYSTORE_PASSWORD));
    ServerConnector[] connector = new ServerConnector[1];
    this.server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.modifyServer(jetty -> {
        connector[0] = new ServerConnector(jetty, ssl);
        connector[0].setHost("127.0.0.1");
        connector[0].setPort(0);
        jetty.addConnector(connector[0]);
      });
      config.routes.ws("/", this::configure);
    });
    server.start("127.0.0.1", 0);
    this.tls = connector[0];
    try {
      this.udp = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      server.stop();
      throw new UncheckedIOException("cannot open the voice UDP socket", e);
    }
    this.udpThread = Thread.ofVirtual().name("emulator-voice-udp").start(this::receiveLoop);
  }

  /** Starts a voice server on the system clock, offering both rtpsize AEAD modes (JDA picks AES-GCM). */
  public static VoiceServer start() {
    return start(Clock.systemUTC());
  }

  /** Starts a voice server whose connection times come from {@code clock}. */
  public static VoiceServer start(Clock clock) {
    return new VoiceServer(clock, List.of(AES_GCM, XCHACHA));
  }

  /**
   * Starts a voice server that offers only the given encryption modes, to make a client use one:
   * {@code "aead_aes256_gcm_rtpsize"} and/or {@code "aead_xchacha20_poly1305_rtpsize"}.
   */
  public static VoiceServer offering(String... modes) {
    for (String mode : modes) {
      if (!AES_GCM.equals(mode) && !XCHACHA.equals(mode)) {
        throw new IllegalArgumentException("unsupported voice encryption mode '" + mode + "'; use " + AES_GCM + " or " + XCHACHA);
      }
    }
    return new VoiceServer(Clock.systemUTC(), List.of(modes));
  }

  private static KeyStore loadKeyStore() {
    try (InputStream in = VoiceServer.class.getResourceAsStream(KEYSTORE)) {
      if (in == null) {
        throw new IllegalStateException("the voice TLS key store " + KEYSTORE + " is missing from the jar");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, KEYSTORE_PASSWORD);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the voice TLS key store", e);
    }
  }

  @Override
  public String endpoint() {
    return "localhost:" + tls.getLocalPort();
  }

  @Override
  public SSLContext clientSslContext() {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keyStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build an SSL context trusting the voice certificate", e);
    }
  }

  @Override
  public void grant(VoiceGrant grant) {
    grants.put(key(grant.guildId(), grant.userId()), grant);
  }

  @Override
  public void revoke(long guildId, long userId) {
    grants.remove(key(guildId, userId));
    for (VoiceConnection connection : all) {
      if (connection.grant.guildId() == guildId && connection.grant.userId() == userId && connection.disconnectedAt == null) {
        close(connection, 1000, "left the voice channel");
      }
    }
  }

  @Override
  public boolean dropConnection(long guildId, long userId) {
    boolean dropped = false;
    for (VoiceConnection connection : all) {
      if (connection.grant.guildId() == guildId && connection.grant.userId() == userId && connection.disconnectedAt == null) {
        close(connection, 4015, "voice server crashed (emulated)");
        dropped = true;
      }
    }
    return dropped;
  }

  @Override
  public List<VoiceConnectionSnapshot> connections() {
    List<VoiceConnectionSnapshot> snapshots = new ArrayList<>();
    all.forEach(c -> snapshots.add(c.snapshot()));
    return snapshots;
  }

  @Override
  public Optional<short[]> pcm(long connectionId) {
    return all.stream().filter(c -> c.id == connectionId).findFirst().map(VoiceConnection::pcm);
  }

  @Override
  public void close() {
    try {
      udp.close();
    } catch (IOException e) {
      log.warn("closing the voice UDP socket: {}", e.toString());
    }
    udpThread.interrupt();
    server.stop();
  }

  private static String key(long guildId, long userId) {
    return guildId + ":" + userId;
  }

  private void close(VoiceConnection connection, int code, String reason) {
    connection.disconnectedAt = clock.instant();
    bySsrc.remove(connection.ssrc);
    WsContext socket = connection.socket;
    if (socket != null && socket.session.isOpen()) {
      socket.closeSession(code, reason);
    }
  }

  // ---- the voice gateway

  private void configure(WsConfig ws) {
    ws.onConnect(ctx -> send(ctx, 8, json.createObjectNode().put("heartbeat_interval", HEARTBEAT_INTERVAL)));
    ws.onMessage(ctx -> receive(ctx, json.readTree(ctx.message())));
    ws.onClose(ctx -> {
      VoiceConnection connection = bySocket.remove(ctx.sessionId());
      if (connection != null && connection.disconnectedAt == null) {
        connection.disconnectedAt = clock.instant();
        bySsrc.remove(connection.ssrc);
      }
    });
  }

  private void receive(WsContext ctx, JsonNode payload) {
    JsonNode d = payload.path("d");
    switch (payload.path("op").asInt(-1)) {
      case 0 -> identify(ctx, d);
      case 1 -> selectProtocol(ctx, d);
      case 3 -> send(ctx, 6, json.createObjectNode().set("t", d.isObject() ? d.path("t") : d));
      case 5, 12, 13 -> { } // speaking and client updates: nothing to answer
      case 7 -> resume(ctx, d);
      default -> ctx.closeSession(4001, "Unknown opcode");
    }
  }

  private void identify(WsContext ctx, JsonNode d) {
    long guildId = d.path("server_id").asLong();
    long userId = d.path("user_id").asLong();
    VoiceGrant grant = grants.get(key(guildId, userId));
    if (grant == null || !grant.sessionId().equals(d.path("session_id").asText())
        || !grant.token().equals(d.path("token").asText())) {
      ctx.closeSession(4004, "Authentication failed.");
      return;
    }
    int ssrc = 1 + random.nextInt(Integer.MAX_VALUE - 1);
    VoiceConnection connection = new VoiceConnection(ids.incrementAndGet(), grant, ssrc, clock.instant());
    connection.socket = ctx;
    all.add(connection);
    bySsrc.put(ssrc, connection);
    bySocket.put(ctx.sessionId(), connection);
    ObjectNode ready = json.createObjectNode();
    ready.put("ssrc", ssrc);
    ready.put("ip", "127.0.0.1");
    ready.put("port", ((InetSocketAddress) localUdpAddress()).getPort());
    var offered = ready.putArray("modes");
    modes.forEach(offered::add);
    ready.put("heartbeat_interval", HEARTBEAT_INTERVAL);
    send(ctx, 2, ready);
  }

  private void selectProtocol(WsContext ctx, JsonNode d) {
    VoiceConnection connection = bySocket.get(ctx.sessionId());
    if (connection == null) {
      ctx.closeSession(4003, "Not authenticated.");
      return;
    }
    String mode = d.path("data").path("mode").asText();
    if (!modes.contains(mode)) {
      ctx.closeSession(4016, "Unknown encryption mode.");
      return;
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    try {
      connection.secure(mode, secret);
    } catch (GeneralSecurityException e) {
      ctx.closeSession(4016, "Encryption mode unavailable.");
      return;
    }
    ObjectNode description = json.createObjectNode();
    description.put("mode", mode);
    var key = description.putArray("secret_key");
    for (byte b : secret) {
      key.add(b & 0xFF);
    }
    description.put("dave_protocol_version", 0);
    description.put("audio_codec", "opus");
    send(ctx, 4, description);
  }

  private void resume(WsContext ctx, JsonNode d) {
    long guildId = d.path("server_id").asLong();
    VoiceConnection previous = all.stream()
        .filter(c -> c.grant.guildId() == guildId && c.grant.sessionId().equals(d.path("session_id").asText())
            && c.grant.token().equals(d.path("token").asText()) && bySsrc.containsKey(c.ssrc))
        .findFirst().orElse(null);
    if (previous == null) {
      ctx.closeSession(4006, "Session no longer valid.");
      return;
    }
    previous.socket = ctx;
    bySocket.put(ctx.sessionId(), previous);
    send(ctx, 9, json.nullNode());
  }

  private void send(WsContext ctx, int op, JsonNode d) {
    ObjectNode message = json.createObjectNode();
    message.put("op", op);
    message.set("d", d);
    ctx.send(message.toString());
  }

  private SocketAddress localUdpAddress() {
    try {
      return udp.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- UDP

  private void receiveLoop() {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    while (true) {
      buffer.clear();
      SocketAddress from;
      try {
        from = udp.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("voice UDP receive failed: {}", e.toString());
        continue;
      }
      long arrival = System.nanoTime();
      buffer.flip();
      try {
        handle(buffer, from, arrival);
      } catch (GeneralSecurityException | io.github.jaredmdobson.concentus.OpusException | RuntimeException e) {
        log.warn("voice packet from {} could not be read: {}", from, e.toString());
      }
    }
  }

  private void handle(ByteBuffer packet, SocketAddress from, long arrival)
      throws GeneralSecurityException, io.github.jaredmdobson.concentus.OpusException {
    int length = packet.remaining();
    if (length == 74 && packet.getShort(0) == 1) {
      discover(packet.getInt(4), (InetSocketAddress) from);
      return;
    }
    if (length < 12 || (packet.get(1) & 0x7F) != 0x78) {
      return; // keep-alives and empty datagrams
    }
    VoiceConnection connection = bySsrc.get(packet.getInt(8));
    if (connection != null) {
      connection.receive(packet, arrival);
    }
  }

  /** IP discovery: tells the client the address and port its packets come from. */
  private void discover(int ssrc, InetSocketAddress from) {
    ByteBuffer reply = ByteBuffer.allocate(74);
    reply.putShort((short) 2).putShort((short) 70).putInt(ssrc);
    byte[] ip = from.getAddress().getHostAddress().getBytes(StandardCharsets.US_ASCII);
    reply.put(ip);
    reply.putShort(72, (short) from.getPort());
    reply.position(0);
    try {
      udp.send(reply, from);
    } catch (IOException e) {
      log.warn("voice IP discovery reply to {} failed: {}", from, e.toString());
    }
  }
}
