package carillon.bot.session;

import java.time.Duration;
import java.util.List;

/**
 * A session as a user submits it (web form, API, configuration): not yet checked. Nullable fields are
 * optional. {@link Sessions#create} and {@link Sessions#update} validate it into a {@link Session}.
 *
 * @param schedule the text form of a carillon-tasks {@code Schedule}, e.g. {@code weekly MON,WED 07:00 Asia/Ho_Chi_Minh}
 * @param presence who must be in the voice channel; null: {@link Presence#REGARDLESS}
 */
public record SessionSpec(
    long guildId,
    String name,
    Long voiceChannelId,
    Long textChannelId,
    Long mentionRoleId,
    String schedule,
    List<String> playlist,
    Duration gap,
    Duration maxDuration,
    boolean repeat,
    int reminderMinutes,
    String startText,
    String endText,
    boolean enabled,
    Duration lateGrace,
    Presence presence) {

  /** A spec whose session plays regardless of who is in its channel. */
  public SessionSpec(long guildId, String name, Long voiceChannelId, Long textChannelId, Long mentionRoleId,
      String schedule, List<String> playlist, Duration gap, Duration maxDuration, boolean repeat, int reminderMinutes,
      String startText, String endText, boolean enabled, Duration lateGrace) {
    this(guildId, name, voiceChannelId, textChannelId, mentionRoleId, schedule, playlist, gap, maxDuration, repeat,
        reminderMinutes, startText, endText, enabled, lateGrace, null);
  }

  /** This spec with another presence policy. */
  public SessionSpec withPresence(Presence newPresence) {
    return new SessionSpec(guildId, name, voiceChannelId, textChannelId, mentionRoleId, schedule, playlist, gap,
        maxDuration, repeat, reminderMinutes, startText, endText, enabled, lateGrace, newPresence);
  }
}
