package carillon.bot.playback;

import java.nio.file.Path;
import java.time.Duration;

/** An audio file ready to play: its library id, name, file and duration. */
public record Track(String id, String name, Path file, Duration duration) {}
