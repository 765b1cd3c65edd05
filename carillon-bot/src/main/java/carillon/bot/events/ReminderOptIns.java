package carillon.bot.events;

import carillon.bot.store.Database;
import carillon.tasks.TimeSource;
import java.util.List;

/**
 * Members who asked for a direct message before every session of a guild ({@code /carillon remind on}),
 * in the {@code reminder_opt_in} table (migration V12). The message goes out at the session's reminder
 * time, as the channel reminder does.
 */
public final class ReminderOptIns {
  private final Database db;
  private final TimeSource time;

  public ReminderOptIns(Database db, TimeSource time) {
    this.db = db;
    this.time = time;
  }

  /**
   * Opts a member in ({@code on}) or out.
   *
   * @return false if that was already so
   */
  public boolean set(long guildId, long userId, boolean on) {
    return db.inTransaction(h -> {
      boolean was = h.createQuery("SELECT count(*) FROM reminder_opt_in WHERE guild_id = ? AND user_id = ?")
          .bind(0, guildId).bind(1, userId).mapTo(Integer.class).one() > 0;
      if (was == on) {
        return false;
      }
      if (on) {
        h.execute("INSERT INTO reminder_opt_in (guild_id, user_id, since) VALUES (?, ?, ?)", guildId, userId,
            time.now().toEpochMilli());
      } else {
        h.execute("DELETE FROM reminder_opt_in WHERE guild_id = ? AND user_id = ?", guildId, userId);
      }
      return true;
    });
  }

  /** The members of a guild who opted in, oldest first. */
  public List<Long> of(long guildId) {
    return db.withHandle(h -> h.createQuery("SELECT user_id FROM reminder_opt_in WHERE guild_id = ? ORDER BY since, user_id")
        .bind(0, guildId).mapTo(Long.class).list());
  }
}
