package carillon.emulator.voice;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.net.ssl.SSLContext;

/**
 * The emulator's voice side: the voice gateway (WebSocket over TLS) and the UDP voice server, as the main
 * gateway sees them.
 *
 * <p>The main gateway, on a bot's op 4 voice state update into a channel, calls {@link #grant} and then
 * sends VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE with {@link #endpoint()}; on a leave (channel null)
 * it calls {@link #revoke}.
 *
 * <pre>{@code
 * VoiceService voice = ...;
 * voice.grant(new VoiceGrant(guildId, channelId, botId, sessionId, token));
 * String endpoint = voice.endpoint(); // "localhost:PORT", what JDA connects to over wss
 * }</pre>
 */
public interface VoiceService extends AutoCloseable {

  /** {@code localhost:PORT} of the voice WebSocket, as sent in VOICE_SERVER_UPDATE. */
  String endpoint();

  /** An SSL context that trusts the voice WebSocket's self-signed certificate. */
  SSLContext clientSslContext();

  /** Allows one voice IDENTIFY with these credentials; a later grant for the same guild and user replaces it. */
  void grant(VoiceGrant grant);

  /** The bot left voice in this guild: closes its voice connection, if any, and forgets its grant. */
  void revoke(long guildId, long userId);

  /**
   * Whether Discord passes on what this user says: with a reason (no Speak permission, server-muted, a
   * suppressed Stage listener) their audio is counted as not heard and not decoded, on the open connection
   * and on later ones, until called again with empty.
   */
  void hearing(long guildId, long userId, Optional<String> notHeardBecause);

  /** Fault injection: closes the bot's voice WebSocket abruptly (as a lost connection), keeping its grant. */
  boolean dropConnection(long guildId, long userId);

  /** Every voice connection seen since start, oldest first, including closed ones. */
  List<VoiceConnectionSnapshot> connections();

  /** The decoded audio of a connection: 48 kHz, 16-bit, interleaved stereo samples, in arrival order. */
  Optional<short[]> pcm(long connectionId);

  /**
   * The Opus frames of a connection as the bot sent them (decrypted, RTP extension removed), in arrival
   * order: what a test compares byte for byte with a file to prove passthrough. Frames not heard are not in it.
   */
  default Optional<List<byte[]>> opusFrames(long connectionId) {
    return Optional.empty();
  }

  /**
   * How loud the connection is now: the level of its last {@code window} of audio in dBFS (0 is full scale),
   * or empty if it is closed or sent nothing in that window (silence between tracks and while paused).
   */
  default OptionalDouble level(long connectionId, Duration window) {
    return OptionalDouble.empty();
  }

  @Override
  void close();
}
