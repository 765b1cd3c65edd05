package carillon.emulator.voice;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bot voice connection: its credentials, its negotiated key, and everything received over UDP.
 * All mutating methods are synchronized: the UDP receive loop and snapshot readers share it.
 */
final class VoiceConnection {
  private static final Logger LOG = LoggerFactory.getLogger(VoiceConnection.class);

  static final int SAMPLE_RATE = 48_000;
  static final int CHANNELS = 2;
  /** Samples per channel in one 20 ms frame. */
  static final int FRAME = 960;
  /** Largest gap (in packets) filled with Opus packet-loss concealment; larger gaps are a new talk spurt. */
  static final int MAX_CONCEALED = 10;
  /** RMS (of 16-bit samples, both channels) under which a 20 ms frame counts as silence: about -50 dBFS. */
  static final double SILENCE_RMS = 100.0;
  /** A pause in audio packets longer than this starts a new spurt: JDA sends nothing while paused or between tracks. */
  static final long SPURT_GAP_NANOS = 100_000_000L;

  final long id;
  final VoiceGrant grant;
  final int ssrc;
  final Instant connectedAt;
  private final byte[] secretKey;
  private VoiceCrypto crypto;
  private Instant disconnectedAt;
  /** Lost with its socket, not ended for good: a RESUME opens it again. */
  private boolean resumable;
  private final OpusDecoder decoder;

  private long packets;
  private long audioPackets;
  private long unheardPackets;
  private String notHeardBecause;
  private long decryptFailures;
  private long latePackets;
  private long concealedFrames;
  private int lastSeq = -1;
  private long lastArrivalNanos = -1;
  private final List<Long> interArrivalNanos = new ArrayList<>();
  private long firstArrivalNanos = -1;
  private final Clock clock;
  private Instant firstAudioAt;
  /** Each spurt as {start nanos, end nanos, first pcm value index}, relative to the first audio packet. */
  private final List<long[]> spurts = new ArrayList<>();
  /** Opus frames received and not decoded yet; {@link #CONCEALED} marks a lost one. */
  private final List<byte[]> pending = new ArrayList<>();
  private static final byte[] CONCEALED = new byte[0];
  /** Every Opus frame heard, as received (the same arrays as in {@link #pending} until decoded). */
  private final List<byte[]> received = new ArrayList<>();
  /** Where each decoded frame starts in {@link #pcm}. */
  private final List<Integer> frameStarts = new ArrayList<>();
  /**
   * The decoded audio, grown as frames are decoded (empty until then: 10 s made ahead for every connection
   * was 1.9 MB each, 380 MB of heap for 200 connections that a benchmark in the same JVM then paid for in
   * collection pauses).
   */
  private short[] pcm = new short[0];
  private int pcmLength;
  private long soundSamples;
  private long silenceSamples;

  VoiceConnection(long id, VoiceGrant grant, int ssrc, byte[] secretKey, Clock clock) {
    this.clock = clock;
    this.id = id;
    this.grant = grant;
    this.ssrc = ssrc;
    this.secretKey = secretKey.clone();
    this.connectedAt = clock.instant();
    try {
      this.decoder = new OpusDecoder(SAMPLE_RATE, CHANNELS);
    } catch (OpusException e) {
      throw new IllegalStateException("cannot create an Opus decoder", e);
    }
  }

  byte[] secretKey() {
    return secretKey.clone();
  }

  synchronized void selectMode(VoiceCrypto crypto) {
    this.crypto = crypto;
  }

  synchronized Optional<VoiceCrypto> mode() {
    return Optional.ofNullable(crypto);
  }

  /** Ends the connection for good (left, kicked, replaced): it cannot be resumed. */
  synchronized void disconnected(Instant at) {
    if (disconnectedAt == null) {
      disconnectedAt = at;
    }
    resumable = false;
  }

  /**
   * Its voice WebSocket went away without the client leaving (no close frame, a TCP reset as after kill -9,
   * a network drop): the connection has ended at {@code at} unless the client resumes it (op 7).
   */
  synchronized void lost(Instant at) {
    if (disconnectedAt == null) {
      disconnectedAt = at;
      resumable = true;
    }
  }

  /** Whether a RESUME may take it up: open, or lost and not ended for good since. */
  synchronized boolean isResumable() {
    return disconnectedAt == null || resumable;
  }

  /** A RESUME took it up on a new socket: open again. */
  synchronized void resumed() {
    if (resumable) {
      disconnectedAt = null;
      resumable = false;
    }
  }

  /** Null: what arrives is heard; else why not (Speak denied, server-muted, Stage listener). */
  synchronized void notHeardBecause(String reason) {
    notHeardBecause = reason;
  }

  synchronized boolean isOpen() {
    return disconnectedAt == null;
  }

  /** Counts a datagram that carries no audio (keep-alive, discovery, empty). */
  synchronized void countNonAudio() {
    packets++;
  }

  /**
   * Handles one RTP datagram from this connection's SSRC.
   *
   * @param arrivalNanos {@link System#nanoTime()} at receipt
   */
  synchronized void onRtp(byte[] data, int length, long arrivalNanos) {
    packets++;
    if (crypto == null) {
      LOG.warn("voice connection {}: RTP before SELECT_PROTOCOL, dropped", id);
      return;
    }
    int cc = data[0] & 0x0F;
    boolean extension = (data[0] & 0x10) != 0;
    int headerLength = 12 + cc * 4 + (extension ? 4 : 0);
    int cipherLength = length - headerLength - VoiceCrypto.COUNTER_BYTES;
    if (cipherLength < VoiceCrypto.TAG_BYTES) {
      LOG.warn("voice connection {}: RTP datagram of {} bytes too short, dropped", id, length);
      return;
    }
    int extensionWords = extension ? ByteBuffer.wrap(data, headerLength - 2, 2).getShort() & 0xFFFF : 0;
    int seq = ByteBuffer.wrap(data, 2, 2).getShort() & 0xFFFF;
    int counter = ByteBuffer.wrap(data, length - VoiceCrypto.COUNTER_BYTES, 4).getInt();
    byte[] plain;
    try {
      plain =
          crypto.decrypt(
              secretKey,
              crypto.nonce(counter),
              Arrays.copyOfRange(data, 0, headerLength),
              Arrays.copyOfRange(data, headerLength, headerLength + cipherLength));
    } catch (GeneralSecurityException e) {
      decryptFailures++;
      LOG.warn("voice connection {}: cannot decrypt packet seq {} ({}): {}", id, seq, crypto.mode, e.toString());
      return;
    }
    int opusOffset = extensionWords * 4;
    if (opusOffset > plain.length) {
      LOG.warn("voice connection {}: RTP extension longer than the payload, dropped", id);
      return;
    }
    if (notHeardBecause != null) {
      // Discord does not pass it on; the sequence moves on so that the gap is not concealed later.
      unheardPackets++;
      lastSeq = seq;
      return;
    }
    if (lastSeq >= 0) {
      int delta = (short) (seq - lastSeq);
      if (delta <= 0) {
        latePackets++;
        LOG.debug("voice connection {}: late or duplicate packet seq {} after {}, dropped", id, seq, lastSeq);
        return;
      }
      if (delta > 1 && delta - 1 <= MAX_CONCEALED) {
        for (int i = 0; i < delta - 1; i++) {
          pending.add(CONCEALED);
          concealedFrames++;
        }
      }
    }
    lastSeq = seq;
    audioPackets++;
    if (firstArrivalNanos < 0) {
      firstArrivalNanos = arrivalNanos;
      firstAudioAt = clock.instant();
    }
    long since = arrivalNanos - firstArrivalNanos;
    if (lastArrivalNanos < 0 || arrivalNanos - lastArrivalNanos > SPURT_GAP_NANOS) {
      spurts.add(new long[] {since, since, framesReceived()});
    } else {
      interArrivalNanos.add(arrivalNanos - lastArrivalNanos);
      spurts.getLast()[1] = since;
    }
    lastArrivalNanos = arrivalNanos;
    byte[] opus = Arrays.copyOfRange(plain, opusOffset, plain.length);
    pending.add(opus);
    received.add(opus);
  }

  /** Frames received so far, decoded or not. */
  private int framesReceived() {
    return frameStarts.size() + pending.size();
  }

  /**
   * Decodes the frames received since the last call. Decoding is deferred to readers (snapshots, PCM) so
   * that the receive loop only decrypts: with hundreds of streams it keeps up, and arrival times stay true.
   */
  private void decodePending() {
    for (byte[] opus : pending) {
      frameStarts.add(pcmLength);
      if (opus == CONCEALED) {
        decode(null, 0, 0);
      } else {
        decode(opus, 0, opus.length);
      }
    }
    pending.clear();
  }

  private void decode(byte[] opus, int offset, int length) {
    short[] frame = new short[FRAME * 6 * CHANNELS];
    int samples;
    try {
      // a null frame asks for packet-loss concealment of exactly one 20 ms frame
      samples = decoder.decode(opus, offset, length, frame, 0, opus == null ? FRAME : FRAME * 6, false);
    } catch (OpusException e) {
      LOG.warn("voice connection {}: Opus frame not decodable: {}", id, e.toString());
      return;
    }
    int values = samples * CHANNELS;
    if (pcmLength + values > pcm.length) {
      pcm = Arrays.copyOf(pcm, Math.max(Math.max(pcm.length * 2, pcmLength + values), SAMPLE_RATE * CHANNELS));
    }
    System.arraycopy(frame, 0, pcm, pcmLength, values);
    // classify each 20 ms (or shorter, final) block
    for (int start = 0; start < samples; start += FRAME) {
      int n = Math.min(FRAME, samples - start);
      double sum = 0;
      for (int i = start * CHANNELS; i < (start + n) * CHANNELS; i++) {
        sum += (double) frame[i] * frame[i];
      }
      double rms = Math.sqrt(sum / (n * CHANNELS));
      if (rms < SILENCE_RMS) {
        silenceSamples += n;
      } else {
        soundSamples += n;
      }
    }
    pcmLength += values;
  }

  /** The level of the last {@code window} of audio in dBFS, if audio arrived within that window. */
  synchronized OptionalDouble level(Duration window) {
    if (disconnectedAt != null || lastArrivalNanos < 0 || System.nanoTime() - lastArrivalNanos > window.toNanos()) {
      return OptionalDouble.empty();
    }
    decodePending();
    int values = (int) Math.min(pcmLength, window.toNanos() * SAMPLE_RATE / 1_000_000_000L * CHANNELS);
    double sum = 0;
    for (int i = pcmLength - values; i < pcmLength; i++) {
      sum += (double) pcm[i] * pcm[i];
    }
    double rms = values == 0 ? 0 : Math.sqrt(sum / values);
    return OptionalDouble.of(rms < 1 ? -90.0 : Math.max(-90.0, 20 * Math.log10(rms / 32768.0)));
  }

  synchronized short[] pcm() {
    decodePending();
    return Arrays.copyOf(pcm, pcmLength);
  }

  /** Every Opus frame heard, in arrival order, as the bot sent it (lost ones are not in it). */
  synchronized List<byte[]> opusFrames() {
    return received.stream().map(byte[]::clone).toList();
  }

  synchronized long decryptFailures() {
    return decryptFailures;
  }

  synchronized long latePackets() {
    return latePackets;
  }

  synchronized long concealedFrames() {
    return concealedFrames;
  }

  synchronized VoiceConnectionSnapshot snapshot() {
    decodePending();
    long[] sorted = interArrivalNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return new VoiceConnectionSnapshot(
        id,
        grant.guildId(),
        grant.channelId(),
        grant.userId(),
        crypto == null ? "" : crypto.mode,
        connectedAt,
        Optional.ofNullable(disconnectedAt),
        packets,
        audioPackets,
        samples(pcmLength / CHANNELS),
        samples(soundSamples),
        samples(silenceSamples),
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.length == 0 ? Duration.ZERO : Duration.ofNanos(sorted[sorted.length - 1]),
        spurts(),
        Optional.ofNullable(firstAudioAt),
        unheardPackets,
        Optional.ofNullable(notHeardBecause));
  }

  private List<VoiceConnectionSnapshot.Spurt> spurts() {
    List<VoiceConnectionSnapshot.Spurt> list = new ArrayList<>();
    for (int i = 0; i < spurts.size(); i++) {
      long[] s = spurts.get(i);
      int pcmStart = pcmIndexOfFrame((int) s[2]);
      int pcmEnd = i + 1 < spurts.size() ? pcmIndexOfFrame((int) spurts.get(i + 1)[2]) : pcmLength;
      list.add(new VoiceConnectionSnapshot.Spurt(Duration.ofNanos(s[0]), Duration.ofNanos(s[1]),
          samples((pcmEnd - pcmStart) / CHANNELS), pcmStart, pcmEnd));
    }
    return list;
  }

  private int pcmIndexOfFrame(int frame) {
    return frame < frameStarts.size() ? frameStarts.get(frame) : pcmLength;
  }

  private static Duration samples(long perChannel) {
    return Duration.ofNanos(perChannel * 1_000_000_000L / SAMPLE_RATE);
  }

  private static Duration percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Duration.ZERO;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return Duration.ofNanos(sorted[Math.clamp(index, 0, sorted.length - 1)]);
  }
}
