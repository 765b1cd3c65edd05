package carillon.bot.session;

import carillon.tasks.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A recurring (or one-off) voice session as its organisers speak of it: "Morning meditation, in the
 * Meditation Hall voice channel, Monday, Wednesday and Friday at 07:00 Saigon time, these three tracks
 * with 5 seconds between them, reminder 10 minutes before".
 *
 * @param playlist audio library ids (content hashes), in playing order
 * @param maxDuration how long a run may last; with {@code repeat}, the playlist repeats until then
 * @param reminder how long before the start the reminder goes out; zero for none
 * @param lateGrace how late a start may still happen (after downtime, or waiting for a busy voice slot)
 * @param updatedAt when it was created or last edited: occurrences before it were never planned
 * @param presence who must be in the voice channel for it to play ({@link Presence#REGARDLESS} by default)
 * @param publishEvent whether Carillon keeps a Discord scheduled event for its next occurrence
 *     (carillon.bot.events; docs/sessions.md "Discord events")
 * @param sound fades and shuffle ({@link Sound#PLAIN} by default)
 */
public record Session(
    long id,
    long guildId,
    String name,
    long voiceChannelId,
    Optional<Long> textChannelId,
    Optional<Long> mentionRoleId,
    Schedule schedule,
    List<String> playlist,
    Duration gap,
    Optional<Duration> maxDuration,
    boolean repeat,
    Duration reminder,
    Optional<String> startText,
    Optional<String> endText,
    boolean enabled,
    Duration lateGrace,
    Instant updatedAt,
    Presence presence,
    boolean publishEvent,
    Sound sound) {

  public Session {
    playlist = List.copyOf(playlist);
  }

  /** A session with a presence policy, without fades, in playlist order, that publishes no Discord event. */
  public Session(long id, long guildId, String name, long voiceChannelId, Optional<Long> textChannelId,
      Optional<Long> mentionRoleId, Schedule schedule, List<String> playlist, Duration gap,
      Optional<Duration> maxDuration, boolean repeat, Duration reminder, Optional<String> startText,
      Optional<String> endText, boolean enabled, Duration lateGrace, Instant updatedAt, Presence presence) {
    this(id, guildId, name, voiceChannelId, textChannelId, mentionRoleId, schedule, playlist, gap, maxDuration, repeat,
        reminder, startText, endText, enabled, lateGrace, updatedAt, presence, false, Sound.PLAIN);
  }

  /** A session that plays regardless of who is in its channel. */
  public Session(long id, long guildId, String name, long voiceChannelId, Optional<Long> textChannelId,
      Optional<Long> mentionRoleId, Schedule schedule, List<String> playlist, Duration gap,
      Optional<Duration> maxDuration, boolean repeat, Duration reminder, Optional<String> startText,
      Optional<String> endText, boolean enabled, Duration lateGrace, Instant updatedAt) {
    this(id, guildId, name, voiceChannelId, textChannelId, mentionRoleId, schedule, playlist, gap, maxDuration, repeat,
        reminder, startText, endText, enabled, lateGrace, updatedAt, Presence.REGARDLESS);
  }
}
