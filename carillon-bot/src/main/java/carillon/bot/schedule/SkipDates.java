package carillon.bot.schedule;

import carillon.tasks.DateRange;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The dates every session of a guild skips (holidays, breaks), as the {@link Scheduler} reads them: each
 * session's schedule is applied {@link carillon.tasks.Schedule#skipping} its guild's list.
 */
public interface SkipDates {
  /** No guild skips anything. */
  SkipDates NONE = new SkipDates() {
    @Override
    public List<DateRange> of(long guildId) {
      return List.of();
    }

    @Override
    public void onChange(LongConsumer guildChanged) {}
  };

  /** The guild's skipped dates, in the order its admins listed them; empty when none. */
  List<DateRange> of(long guildId);

  /** Called with a guild's id after its list changed, so that its sessions are planned again. */
  void onChange(LongConsumer guildChanged);
}
