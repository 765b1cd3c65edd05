package carillon.emulator.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.internal.audio.AudioEncryption;
import net.dv8tion.jda.internal.audio.AudioPacket;
import net.dv8tion.jda.internal.audio.CryptoAdapter;
import net.dv8tion.jda.internal.utils.ResizingByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VoiceServerTest {
  private static final int RATE = 48_000;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private VoiceServer voice;
  private final VoiceGrant grant = new VoiceGrant(111L, 222L, 333L, "session-1", "voice-token");

  @BeforeEach
  void start() {
    voice = VoiceServer.start();
    voice.grant(grant);
  }

  @AfterEach
  void stop() {
    voice.close();
  }

  /** Stereo source: 1 s of 440 Hz, 0.5 s sweep 200 Hz to 4 kHz, 0.5 s digital silence. */
  static short[] signal() {
    int tone = RATE, sweep = RATE / 2, silence = RATE / 2;
    short[] pcm = new short[(tone + sweep + silence) * 2];
    double phase = 0;
    for (int i = 0; i < tone + sweep; i++) {
      double f = i < tone ? 440 : 200 + (4000 - 200) * (i - tone) / (double) sweep;
      phase += 2 * Math.PI * f / RATE;
      short s = (short) (Math.sin(phase) * 12_000);
      pcm[2 * i] = s;
      pcm[2 * i + 1] = s;
    }
    return pcm;
  }

  static List<byte[]> opusFrames(short[] pcm) throws Exception {
    OpusEncoder enc = new OpusEncoder(RATE, 2, OpusApplication.OPUS_APPLICATION_AUDIO);
    enc.setBitrate(256_000);
    List<byte[]> frames = new ArrayList<>();
    byte[] out = new byte[4000];
    for (int off = 0; off < pcm.length; off += 960 * 2) {
      int n = enc.encode(pcm, off, 960, out, 0, out.length);
      frames.add(Arrays.copyOf(out, n));
    }
    return frames;
  }

  /** Our understanding of the rtpsize layout, with our own crypto. */
  static TestVoiceClient.Encrypter ownEncrypter(VoiceCrypto crypto, byte[] key) {
    int[] counter = {7};
    return (seq, ts, ssrc, opus) -> {
      ByteBuffer header = ByteBuffer.allocate(12).put((byte) 0x80).put((byte) 0x78).putChar(seq).putInt(ts).putInt(ssrc);
      int n = counter[0]++;
      byte[] ct = crypto.encrypt(key, crypto.nonce(n), header.array(), opus);
      return ByteBuffer.allocate(12 + ct.length + 4).put(header.array()).put(ct).putInt(n).array();
    };
  }

  /** JDA's own packet writer and crypto adapter: the byte layout is JDA's, not ours. */
  static TestVoiceClient.Encrypter jdaEncrypter(String mode, byte[] key) {
    CryptoAdapter adapter = CryptoAdapter.getAdapter(AudioEncryption.valueOf(mode.toUpperCase()), key);
    return (seq, ts, ssrc, opus) -> {
      ResizingByteBuffer buffer = new ResizingByteBuffer(ByteBuffer.allocate(512));
      new AudioPacket(seq, ts, ssrc, ByteBuffer.wrap(opus)).asEncryptedPacket(adapter, buffer);
      ByteBuffer b = buffer.buffer();
      byte[] datagram = new byte[b.remaining()];
      b.get(datagram);
      return datagram;
    };
  }

  static double bestCorrelation(short[] source, short[] decoded, int sourceFrom, int sourceTo) {
    double best = -1;
    for (int lag = 0; lag <= 1_500; lag++) {
      double sxy = 0, sxx = 0, syy = 0;
      for (int i = sourceFrom; i < sourceTo && i + lag < decoded.length / 2; i++) {
        double x = source[2 * i], y = decoded[2 * (i + lag)];
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
      }
      if (sxx > 0 && syy > 0) {
        best = Math.max(best, sxy / Math.sqrt(sxx * syy));
      }
    }
    return best;
  }

  private VoiceConnectionSnapshot only() {
    assertThat(voice.connections()).hasSize(1);
    return voice.connections().getFirst();
  }

  @ParameterizedTest(name = "{0} encrypted by {1}")
  @CsvSource({
    "aead_aes256_gcm_rtpsize, jda",
    "aead_xchacha20_poly1305_rtpsize, jda",
    "aead_aes256_gcm_rtpsize, own",
    "aead_xchacha20_poly1305_rtpsize, own"
  })
  void audio_round_trips_through_both_modes(String mode, String encryptedBy) throws Exception {
    short[] source = signal();
    List<byte[]> frames = opusFrames(source);
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.handshake(grant, mode);
      assertThat(client.mode).isEqualTo(mode);
      TestVoiceClient.Encrypter enc =
          encryptedBy.equals("jda")
              ? jdaEncrypter(mode, client.secretKey)
              : ownEncrypter(VoiceCrypto.fromMode(mode), client.secretKey);
      client.sendRaw(new byte[] {(byte) 0xC9, 0, 0, 0, 0, 0, 0, 0, 1}); // UDP keep-alive
      client.sendPaced(frames, enc, true); // a zero-length datagram after each frame, as JDA's idle sender does

      await().atMost(WAIT).until(() -> only().audioPackets() == frames.size());
      VoiceConnectionSnapshot c = only();
      assertThat(c.encryptionMode()).isEqualTo(mode);
      assertThat(c.packets()).isGreaterThanOrEqualTo(2L * frames.size() + 1);
      assertThat(c.decodedAudio()).isCloseTo(Duration.ofSeconds(2), Duration.ofMillis(40));
      assertThat(c.silence()).isCloseTo(Duration.ofMillis(500), Duration.ofMillis(60));
      assertThat(c.sound()).isCloseTo(Duration.ofMillis(1500), Duration.ofMillis(60));
      assertThat(c.interArrivalP50()).isBetween(Duration.ofMillis(15), Duration.ofMillis(25));
      assertThat(c.interArrivalMax()).isGreaterThanOrEqualTo(c.interArrivalP99());
      short[] pcm = voice.pcm(c.id()).orElseThrow();
      assertThat(pcm.length).isEqualTo((int) (c.decodedAudio().toNanos() * RATE / 1_000_000_000L) * 2);
      assertThat(bestCorrelation(source, pcm, 2_000, RATE * 3 / 2)).isGreaterThan(0.99);
    }
  }

  @Test
  void rtp_header_extension_is_authenticated_but_not_audio() throws Exception {
    List<byte[]> frames = opusFrames(signal()).subList(0, 10);
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.handshake(grant, "aead_aes256_gcm_rtpsize");
      VoiceCrypto crypto = VoiceCrypto.AES256_GCM;
      char seq = 1;
      for (byte[] opus : frames) {
        // 0x90: extension bit; the 4-byte extension header (0xBEDE, 1 word) is plaintext AAD,
        // the 1-word extension body is encrypted in front of the Opus frame
        ByteBuffer header = ByteBuffer.allocate(16).put((byte) 0x90).put((byte) 0x78).putChar(seq).putInt(seq * 960).putInt(client.ssrc)
            .putShort((short) 0xBEDE).putShort((short) 1);
        byte[] plain = ByteBuffer.allocate(4 + opus.length).putInt(0x10FF0000).put(opus).array();
        byte[] ct = crypto.encrypt(client.secretKey, crypto.nonce(seq), header.array(), plain);
        client.sendRaw(ByteBuffer.allocate(16 + ct.length + 4).put(header.array()).put(ct).putInt(seq).array());
        seq++;
      }
      await().atMost(WAIT).until(() -> only().audioPackets() == frames.size());
      assertThat(only().decodedAudio()).isEqualTo(Duration.ofMillis(200));
    }
  }

  @Test
  void lost_packets_are_concealed_and_late_ones_dropped() throws Exception {
    List<byte[]> frames = opusFrames(signal()).subList(0, 10);
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.handshake(grant, "aead_aes256_gcm_rtpsize");
      TestVoiceClient.Encrypter enc = ownEncrypter(VoiceCrypto.AES256_GCM, client.secretKey);
      // seq 0,1,2, (3 lost), 4,5, then 3 arrives late
      int[] order = {0, 1, 2, 4, 5, 3};
      for (int s : order) {
        client.sendRaw(enc.packet((char) s, s * 960, client.ssrc, frames.get(s)));
      }
      await().atMost(WAIT).until(() -> only().packets() == order.length + 1); // + the IP discovery datagram
      VoiceConnectionSnapshot c = only();
      assertThat(c.audioPackets()).isEqualTo(5);
      assertThat(c.decodedAudio()).isEqualTo(Duration.ofMillis(120)); // 5 frames + 1 concealed
    }
  }

  @Test
  void wrong_token_is_refused_with_4004() throws Exception {
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.await(8);
      client.identify(grant, "not-the-token");
      assertThat(client.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4004);
      assertThat(voice.connections()).isEmpty();
    }
  }

  @Test
  void heartbeat_is_acknowledged_with_its_nonce() throws Exception {
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.await(8);
      client.heartbeat(1_234_567L);
      assertThat(client.await(6).path("t").asLong()).isEqualTo(1_234_567L);
    }
  }

  @Test
  void below_version_8_the_heartbeat_and_its_ack_are_the_bare_nonce() throws Exception {
    try (TestVoiceClient client = new TestVoiceClient(voice, "?v=4")) {
      client.await(8);
      client.heartbeatBelowV8(7_654_321L);
      JsonNode ack = client.await(6);
      assertThat(ack.isNumber()).as("ack %s", ack).isTrue();
      assertThat(ack.asLong()).isEqualTo(7_654_321L);
    }
  }

  @Test
  void a_missing_or_discontinued_gateway_version_is_refused() throws Exception {
    for (String query : new String[] {"", "?v=3", "?v=x"}) {
      try (TestVoiceClient client = new TestVoiceClient(voice, query)) {
        assertThat(client.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(query).isEqualTo(4020);
      }
    }
  }

  @Test
  void revoke_closes_with_4014_and_ends_the_connection() throws Exception {
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.handshake(grant, "aead_aes256_gcm_rtpsize");
      voice.revoke(grant.guildId(), grant.userId());
      assertThat(client.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4014);
      assertThat(only().disconnectedAt()).isPresent();
    }
    try (TestVoiceClient again = new TestVoiceClient(voice)) {
      again.await(8);
      again.identify(grant, grant.token());
      assertThat(again.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4004);
    }
  }

  @Test
  void dropped_connection_can_be_resumed_and_keeps_its_audio_session() throws Exception {
    List<byte[]> frames = opusFrames(signal()).subList(0, 4);
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.handshake(grant, "aead_aes256_gcm_rtpsize");
      TestVoiceClient.Encrypter enc = ownEncrypter(VoiceCrypto.AES256_GCM, client.secretKey);
      client.sendRaw(enc.packet((char) 0, 0, client.ssrc, frames.get(0)));
      assertThat(voice.dropConnection(grant.guildId(), grant.userId())).isTrue();
      assertThat(client.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
      try (TestVoiceClient resumed = new TestVoiceClient(voice)) {
        resumed.await(8);
        resumed.resume(grant);
        resumed.await(9);
        client.sendRaw(enc.packet((char) 1, 960, client.ssrc, frames.get(1)));
        await().atMost(WAIT).until(() -> only().audioPackets() == 2);
        assertThat(only().disconnectedAt()).isEmpty();
      }
    }
    assertThat(voice.dropConnection(999L, 1L)).isFalse();
  }

  @Test
  void a_socket_that_goes_away_without_a_close_frame_ends_its_connection() throws Exception {
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.handshake(grant, "aead_aes256_gcm_rtpsize");
      assertThat(only().disconnectedAt()).isEmpty();
      client.abort();
      await().atMost(WAIT).until(() -> only().disconnectedAt().isPresent());
    }
  }

  @Test
  void a_new_identify_of_the_same_user_in_the_guild_closes_the_old_connection_with_4014() throws Exception {
    try (TestVoiceClient first = new TestVoiceClient(voice)) {
      first.handshake(grant, "aead_aes256_gcm_rtpsize");
      VoiceGrant taken = new VoiceGrant(111L, 222L, 333L, "session-2", "voice-token-2");
      voice.grant(taken);
      try (TestVoiceClient second = new TestVoiceClient(voice)) {
        second.handshake(taken, "aead_aes256_gcm_rtpsize");
        assertThat(first.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4014);
        List<VoiceConnectionSnapshot> all = voice.connections();
        assertThat(all).hasSize(2);
        assertThat(all.get(0).disconnectedAt()).isPresent();
        assertThat(all.get(1).disconnectedAt()).isEmpty();
        // the replaced connection cannot be resumed
        try (TestVoiceClient resumer = new TestVoiceClient(voice)) {
          resumer.await(8);
          resumer.resume(grant);
          assertThat(resumer.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4006);
        }
      }
    }
  }

  @Test
  void resume_of_an_unknown_session_is_refused_with_4006() throws Exception {
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.await(8);
      client.resume(new VoiceGrant(111L, 222L, 333L, "other-session", "voice-token"));
      assertThat(client.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4006);
    }
  }

  @Test
  void hchacha20_matches_the_xchacha_draft_test_vector() {
    byte[] key = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] nonce = HexFormat.of().parseHex("000000090000004a0000000031415927");
    assertThat(HexFormat.of().formatHex(VoiceCrypto.hChaCha20(key, nonce)))
        .isEqualTo("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc");
  }

  @Test
  void connected_at_comes_from_the_injected_clock() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    try (VoiceServer fixed = VoiceServer.start(Clock.fixed(t0, ZoneOffset.UTC))) {
      fixed.grant(grant);
      try (TestVoiceClient client = new TestVoiceClient(fixed)) {
        client.handshake(grant, "aead_aes256_gcm_rtpsize");
        assertThat(fixed.connections().getFirst().connectedAt()).isEqualTo(t0);
      }
    }
  }

  @Test
  void tampered_packet_is_not_audio() throws Exception {
    List<byte[]> frames = opusFrames(signal()).subList(0, 2);
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.handshake(grant, "aead_xchacha20_poly1305_rtpsize");
      TestVoiceClient.Encrypter enc = ownEncrypter(VoiceCrypto.XCHACHA20_POLY1305, client.secretKey);
      byte[] bad = enc.packet((char) 0, 0, client.ssrc, frames.get(0));
      bad[14] ^= 1; // flip a ciphertext bit: the Poly1305 tag no longer matches
      client.sendRaw(bad);
      client.sendRaw(enc.packet((char) 1, 960, client.ssrc, frames.get(1)));
      await().atMost(WAIT).until(() -> only().audioPackets() == 1);
      assertThat(only().packets()).isEqualTo(3); // discovery, tampered, good
      assertThat(only().decodedAudio()).isEqualTo(Duration.ofMillis(20));
    }
  }

  @Test
  void unknown_encryption_mode_is_refused_with_4016() throws Exception {
    try (TestVoiceClient client = new TestVoiceClient(voice)) {
      client.await(8);
      client.identify(grant, grant.token());
      client.await(2);
      var select = new ObjectMapper().createObjectNode();
      select.put("protocol", "udp");
      select.putObject("data").put("address", "127.0.0.1").put("port", 1).put("mode", "xsalsa20_poly1305");
      client.send(1, select);
      assertThat(client.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4016);
    }
  }
}
