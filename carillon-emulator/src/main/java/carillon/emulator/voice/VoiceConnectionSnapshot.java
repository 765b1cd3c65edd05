package carillon.emulator.voice;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the emulator observed of one bot voice connection, at the moment the snapshot was taken.
 *
 * <p>Inter-arrival figures are over audio packets only (JDA's empty keep-alive datagrams and UDP
 * keep-alives are counted in {@code packets} but not timed), and within a spurt only: the pause between
 * two tracks is not jitter. {@code sound} and {@code silence} split the decoded audio by level (see
 * {@link VoiceService}). {@code firstAudioAt} is when the first audio packet arrived, by the emulator's
 * clock. Opus frames are decoded when a snapshot or the PCM is read, not as they arrive.
 *
 * <p>Ids are written as strings in JSON, as Discord writes snowflakes. {@code unheardPackets} are audio packets that arrived while Discord would not pass the bot's voice on,
 * and {@code notHeardBecause} says why, now: no Speak permission in the channel, server-muted, or a
 * suppressed Stage listener. Those packets are not in {@code audioPackets} nor in the decoded audio.
 *
 * <pre>{@code
 * VoiceConnectionSnapshot c = voice.connections().getFirst();
 * assertThat(c.decodedAudio()).isCloseTo(Duration.ofSeconds(5), Duration.ofMillis(40));
 * }</pre>
 */
public record VoiceConnectionSnapshot(
    @JsonSerialize(using = ToStringSerializer.class) long id,
    @JsonSerialize(using = ToStringSerializer.class) long guildId,
    @JsonSerialize(using = ToStringSerializer.class) long channelId,
    @JsonSerialize(using = ToStringSerializer.class) long userId,
    String encryptionMode,
    Instant connectedAt,
    Optional<Instant> disconnectedAt,
    long packets,
    long audioPackets,
    Duration decodedAudio,
    Duration sound,
    Duration silence,
    Duration interArrivalP50,
    Duration interArrivalP99,
    Duration interArrivalMax,
    List<Spurt> spurts,
    Optional<Instant> firstAudioAt,
    long unheardPackets,
    Optional<String> notHeardBecause) {

  public VoiceConnectionSnapshot {
    spurts = List.copyOf(spurts);
  }

  /**
   * A stretch of audio with no pause in packets longer than 100 ms: JDA sends nothing between tracks or
   * while paused, so each track played is one spurt and a gap between tracks is the time between spurts.
   * Times are packet arrivals since the connection's first audio packet (start of the first and end of the
   * last packet); {@code audio} is the decoded length; {@code pcmFrom} and {@code pcmTo} index the
   * connection's interleaved PCM ({@code VoiceService.pcm}).
   *
   * <pre>{@code
   * List<Spurt> tracks = snapshot.spurts();
   * Duration gap = tracks.get(1).start().minus(tracks.get(0).end());
   * }</pre>
   */
  public record Spurt(Duration start, Duration end, Duration audio, int pcmFrom, int pcmTo) {}
}
