package carillon.emulator.voice;

import com.google.crypto.tink.aead.internal.InsecureNonceXChaCha20Poly1305;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One bot's voice connection: its WebSocket, its SSRC and key, and what arrived over UDP: packets,
 * decoded audio, arrival times. Packets of one connection are handled by the one UDP thread, in order.
 */
final class VoiceConnection {
  static final int SAMPLE_RATE = 48_000;
  static final int CHANNELS = 2;
  /** Discord's Opus silence frame; JDA sends five of them when it stops speaking. */
  private static final byte[] OPUS_SILENCE = {(byte) 0xF8, (byte) 0xFF, (byte) 0xFE};
  /** A 20 ms frame whose RMS is under this (about -50 dBFS) counts as silence. */
  static final double SILENCE_RMS = 100;
  /** Decoded audio kept per connection: 10 minutes of 48 kHz stereo (about 115 MB at most). */
  private static final int MAX_PCM_SAMPLES = SAMPLE_RATE * CHANNELS * 600;

  final long id;
  final VoiceGrant grant;
  final int ssrc;
  final Instant connectedAt;
  volatile WsContext socket;
  volatile Instant disconnectedAt;
  volatile String mode;
  private volatile SecretKeySpec key;
  private volatile InsecureNonceXChaCha20Poly1305 xchacha;
  private final OpusDecoder decoder;

  // Written by the UDP thread, read by snapshots: guarded by this.
  private long packets;
  private long audioPackets;
  private long soundSamples;
  private long silenceSamples;
  private long decodedSamples;
  private long lastArrival = -1;
  private long[] gaps = new long[1024];
  private int gapCount;
  private short[] pcm = new short[SAMPLE_RATE * CHANNELS];
  private int pcmLength;

  VoiceConnection(long id, VoiceGrant grant, int ssrc, Instant connectedAt) {
    this.id = id;
    this.grant = grant;
    this.ssrc = ssrc;
    this.connectedAt = connectedAt;
    try {
      this.decoder = new OpusDecoder(SAMPLE_RATE, CHANNELS);
    } catch (OpusException e) {
      throw new IllegalStateException("Concentus cannot create a 48 kHz stereo decoder", e);
    }
  }

  void secure(String mode, byte[] secretKey) throws GeneralSecurityException {
    this.mode = mode;
    this.key = new SecretKeySpec(secretKey, "AES");
    this.xchacha = VoiceServer.XCHACHA.equals(mode) ? new InsecureNonceXChaCha20Poly1305(secretKey) : null;
  }

  /** An RTP packet for this SSRC: decrypt (either rtpsize AEAD mode), strip the header, decode. */
  synchronized void receive(ByteBuffer packet, long arrivalNanos) throws GeneralSecurityException, OpusException {
    packets++;
    SecretKeySpec secret = key;
    if (secret == null) {
      return; // before the session description: nothing to decrypt with
    }
    byte[] bytes = new byte[packet.remaining()];
    packet.get(bytes);
    int csrcCount = bytes[0] & 0x0F;
    boolean extension = (bytes[0] & 0x10) != 0;
    // rtpsize modes: the fixed header, CSRCs and the extension's 4-byte header are in the clear (the AAD).
    int headerLength = 12 + 4 * csrcCount + (extension ? 4 : 0);
    if (bytes.length < headerLength + 16 + 4) {
      return;
    }
    // The nonce is the packet's trailing 4-byte counter, zero-padded to the cipher's nonce length.
    byte[] plain;
    InsecureNonceXChaCha20Poly1305 chacha = xchacha;
    if (chacha != null) {
      byte[] nonce = new byte[24];
      System.arraycopy(bytes, bytes.length - 4, nonce, 0, 4);
      plain = chacha.decrypt(nonce, Arrays.copyOfRange(bytes, headerLength, bytes.length - 4),
          Arrays.copyOf(bytes, headerLength));
    } else {
      byte[] nonce = new byte[12];
      System.arraycopy(bytes, bytes.length - 4, nonce, 0, 4);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, secret, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(bytes, 0, headerLength);
      plain = cipher.doFinal(bytes, headerLength, bytes.length - headerLength - 4);
    }
    int offset = 0;
    if (extension) {
      int words = ((bytes[headerLength - 2] & 0xFF) << 8) | (bytes[headerLength - 1] & 0xFF);
      offset = 4 * words;
    }
    byte[] opus = Arrays.copyOfRange(plain, offset, plain.length);
    if (Arrays.equals(opus, OPUS_SILENCE)) {
      return;
    }
    audioPackets++;
    if (lastArrival >= 0) {
      if (gapCount == gaps.length) {
        gaps = Arrays.copyOf(gaps, gaps.length * 2);
      }
      gaps[gapCount++] = arrivalNanos - lastArrival;
    }
    lastArrival = arrivalNanos;
    short[] frame = new short[5760 * CHANNELS];
    int samples = decoder.decode(opus, 0, opus.length, frame, 0, 5760, false);
    decodedSamples += samples;
    double sum = 0;
    for (int i = 0; i < samples * CHANNELS; i++) {
      sum += (double) frame[i] * frame[i];
    }
    double rms = samples == 0 ? 0 : Math.sqrt(sum / (samples * CHANNELS));
    if (rms < SILENCE_RMS) {
      silenceSamples += samples;
    } else {
      soundSamples += samples;
    }
    int values = samples * CHANNELS;
    if (pcmLength + values <= MAX_PCM_SAMPLES) {
      if (pcmLength + values > pcm.length) {
        pcm = Arrays.copyOf(pcm, Math.max(pcmLength + values, pcm.length * 2));
      }
      System.arraycopy(frame, 0, pcm, pcmLength, values);
      pcmLength += values;
    }
  }

  synchronized void countPacket() {
    packets++;
  }

  synchronized short[] pcm() {
    return Arrays.copyOf(pcm, pcmLength);
  }

  synchronized VoiceConnectionSnapshot snapshot() {
    long[] sorted = Arrays.copyOf(gaps, gapCount);
    Arrays.sort(sorted);
    return new VoiceConnectionSnapshot(id, grant.guildId(), grant.channelId(), grant.userId(),
        mode == null ? "none" : mode, connectedAt, Optional.ofNullable(disconnectedAt), packets, audioPackets,
        samples(decodedSamples), samples(soundSamples), samples(silenceSamples), percentile(sorted, 0.50),
        percentile(sorted, 0.99), sorted.length == 0 ? Duration.ZERO : Duration.ofNanos(sorted[sorted.length - 1]));
  }

  private static Duration samples(long perChannel) {
    return Duration.ofNanos(perChannel * 1_000_000_000L / SAMPLE_RATE);
  }

  private static Duration percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Duration.ZERO;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return Duration.ofNanos(sorted[Math.max(0, index)]);
  }
}
