package carillon.bot.library;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An audio file in the library: its content hash (the id), the name people see, the format LavaPlayer found
 * and the duration it decoded when it was imported, its size, and its loudness: empty for silence (nothing
 * above BS.1770's -70 LUFS gate) and for files imported before Carillon measured it; and the gain in dB
 * its Ogg/Opus copy was encoded with (empty: it has none yet, see AudioLibrary); and its peak envelope
 * (empty for files imported before Carillon measured it, until their Opus copy is made again).
 */
public record AudioItem(String id, String name, String format, Duration duration, long sizeBytes, Instant importedAt,
    Optional<Loudness> loudness, Optional<Double> opusGainDb, Optional<Waveform> waveform) {}
