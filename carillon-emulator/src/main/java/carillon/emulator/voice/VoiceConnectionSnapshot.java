package carillon.emulator.voice;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the emulator observed of one bot voice connection, at the moment the snapshot was taken.
 *
 * <p>Inter-arrival figures are over audio packets only (JDA's empty keep-alive datagrams and UDP
 * keep-alives are counted in {@code packets} but not timed). {@code sound} and {@code silence} split the
 * decoded audio by level (see {@link VoiceService}).
 *
 * <pre>{@code
 * VoiceConnectionSnapshot c = voice.connections().getFirst();
 * assertThat(c.decodedAudio()).isCloseTo(Duration.ofSeconds(5), Duration.ofMillis(40));
 * }</pre>
 */
public record VoiceConnectionSnapshot(
    long id,
    long guildId,
    long channelId,
    long userId,
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
    Duration interArrivalMax) {}
