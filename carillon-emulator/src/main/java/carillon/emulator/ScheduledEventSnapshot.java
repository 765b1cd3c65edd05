package carillon.emulator;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A guild scheduled event as the emulated Discord holds it now.
 *
 * @param status {@code SCHEDULED}, {@code ACTIVE}, {@code COMPLETED} or {@code CANCELED}
 * @param entityType {@code STAGE_INSTANCE} or {@code VOICE}
 * @param image the cover image's hash, if it has one
 * @param interested the users who marked it "Interested", in the order they did
 */
public record ScheduledEventSnapshot(
    @JsonSerialize(using = ToStringSerializer.class) long id,
    @JsonSerialize(using = ToStringSerializer.class) long guildId,
    @JsonSerialize(using = ToStringSerializer.class) long channelId,
    @JsonSerialize(using = ToStringSerializer.class) long creatorId,
    String name,
    Optional<String> description,
    Instant scheduledStart,
    Optional<Instant> scheduledEnd,
    String status,
    String entityType,
    Optional<String> image,
    @JsonSerialize(contentUsing = ToStringSerializer.class) List<Long> interested) {

  public ScheduledEventSnapshot {
    interested = List.copyOf(interested);
  }

  static ScheduledEventSnapshot of(Model.ScheduledEvent event) {
    return new ScheduledEventSnapshot(event.id, event.guildId, event.channelId == null ? 0 : event.channelId,
        event.creatorId, event.name, Optional.ofNullable(event.description), event.start,
        Optional.ofNullable(event.end), RestEvents.statusName(event.status),
        event.entityType == RestEvents.STAGE_INSTANCE ? "STAGE_INSTANCE" : "VOICE", Optional.ofNullable(event.image),
        List.copyOf(event.interested));
  }
}
