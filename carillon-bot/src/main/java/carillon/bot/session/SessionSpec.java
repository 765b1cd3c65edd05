package carillon.bot.session;

import java.time.Duration;
import java.util.List;

/**
 * A session as a user submits it (web form, API, configuration): not yet checked. Nullable fields are
 * optional. {@link Sessions#create} and {@link Sessions#update} validate it into a {@link Session}.
 * Build one by name rather than by position:
 *
 * <pre>{@code
 * SessionSpec spec = SessionSpec.builder(guildId, "Morning meditation").voiceChannel(hall)
 *     .schedule("weekly MON,WED 07:00 Asia/Ho_Chi_Minh").playlist(List.of(bell)).reminderMinutes(10).build();
 * }</pre>
 *
 * @param schedule the text form of a carillon-tasks {@code Schedule}, e.g. {@code weekly MON,WED 07:00 Asia/Ho_Chi_Minh}
 * @param presence who must be in the voice channel; null: {@link Presence#REGARDLESS} when creating, the
 *     session's own policy when editing
 * @param publishEvent whether Carillon keeps a Discord scheduled event for the next occurrence; null: yes
 *     when creating, the session's own choice when editing
 * @param sound fades and shuffle; null: {@link Sound#PLAIN} when creating, the session's own when editing
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
    Presence presence,
    Boolean publishEvent,
    Sound sound) {

  /** A spec with nothing but its guild and name: every other field absent, not repeating, enabled. */
  public static Builder builder(long guildId, String name) {
    return new Builder(guildId, name);
  }

  /** A builder holding this spec's fields, to change some of them. */
  public Builder toBuilder() {
    return builder(guildId, name).voiceChannel(voiceChannelId).textChannel(textChannelId).mentionRole(mentionRoleId)
        .schedule(schedule).playlist(playlist).gap(gap).maxDuration(maxDuration).repeat(repeat)
        .reminderMinutes(reminderMinutes).startText(startText).endText(endText).enabled(enabled).lateGrace(lateGrace).presence(presence)
        .publishEvent(publishEvent).sound(sound);
  }

  /** Sets a spec's fields by name; {@link #build()} makes the (unchecked) spec. */
  public static final class Builder {
    private long guildId;
    private String name;
    private Long voiceChannelId;
    private Long textChannelId;
    private Long mentionRoleId;
    private String schedule;
    private List<String> playlist;
    private Duration gap;
    private Duration maxDuration;
    private boolean repeat;
    private int reminderMinutes;
    private String startText;
    private String endText;
    private boolean enabled = true;
    private Duration lateGrace;
    private Presence presence;
    private Boolean publishEvent;
    private Sound sound;

    private Builder(long guildId, String name) {
      this.guildId = guildId;
      this.name = name;
    }

    public Builder guild(long guildId) {
      this.guildId = guildId;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder voiceChannel(Long voiceChannelId) {
      this.voiceChannelId = voiceChannelId;
      return this;
    }

    public Builder textChannel(Long textChannelId) {
      this.textChannelId = textChannelId;
      return this;
    }

    public Builder mentionRole(Long mentionRoleId) {
      this.mentionRoleId = mentionRoleId;
      return this;
    }

    public Builder schedule(String schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder playlist(List<String> playlist) {
      this.playlist = playlist;
      return this;
    }

    public Builder gap(Duration gap) {
      this.gap = gap;
      return this;
    }

    public Builder maxDuration(Duration maxDuration) {
      this.maxDuration = maxDuration;
      return this;
    }

    public Builder repeat(boolean repeat) {
      this.repeat = repeat;
      return this;
    }

    public Builder reminderMinutes(int reminderMinutes) {
      this.reminderMinutes = reminderMinutes;
      return this;
    }

    public Builder startText(String startText) {
      this.startText = startText;
      return this;
    }

    public Builder endText(String endText) {
      this.endText = endText;
      return this;
    }

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder lateGrace(Duration lateGrace) {
      this.lateGrace = lateGrace;
      return this;
    }

    public Builder presence(Presence presence) {
      this.presence = presence;
      return this;
    }

    /** Whether to keep a Discord scheduled event for the next occurrence; null: see {@link SessionSpec}. */
    public Builder publishEvent(Boolean publishEvent) {
      this.publishEvent = publishEvent;
      return this;
    }

    /** Fades and shuffle; null: see {@link SessionSpec}. */
    public Builder sound(Sound sound) {
      this.sound = sound;
      return this;
    }

    public SessionSpec build() {
      return new SessionSpec(guildId, name, voiceChannelId, textChannelId, mentionRoleId, schedule, playlist, gap,
          maxDuration, repeat, reminderMinutes, startText, endText, enabled, lateGrace, presence, publishEvent, sound);
    }
  }
}
