package carillon.bot.library;

import java.time.Duration;
import java.time.Instant;

/**
 * An audio file in the library: its content hash (the id), the name people see, the format and duration
 * LavaPlayer found when it was imported, and its size.
 */
public record AudioItem(String id, String name, String format, Duration duration, long sizeBytes, Instant importedAt) {}
