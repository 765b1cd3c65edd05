package carillon.bot.events;

import carillon.bot.playback.NoticePort;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The session notices, plus what they mean for Discord events and reminder DMs: a reminder also goes by
 * direct message; a start makes the event ACTIVE; an end COMPLETED; a run that could not start or was
 * skipped CANCELED. Wraps the channel notices ({@code channel}), which go out as before. The event work is
 * handed to tasks of its own first, so a failing channel notice never stops it, and it never fails a notice.
 */
public final class EventNotices implements NoticePort {
  private final NoticePort channel;
  private final ScheduledEvents events;
  private final DirectReminders reminders;

  public EventNotices(NoticePort channel, ScheduledEvents events, DirectReminders reminders) {
    this.channel = channel;
    this.events = events;
    this.reminders = reminders;
  }

  @Override
  public void reminder(Session session, Instant start) throws NoticeException {
    try {
      channel.reminder(session, start);
    } finally {
      reminders.remind(session, start);
    }
  }

  @Override
  public void started(Session session, VoiceSlot slot) throws NoticeException {
    events.started(session);
    channel.started(session, slot);
  }

  @Override
  public void ended(Session session, Duration ran, List<String> tracksPlayed) throws NoticeException {
    events.ended(session);
    channel.ended(session, ran, tracksPlayed);
  }

  @Override
  public void cutShort(Session session, Duration ran, List<String> tracksPlayed, String reason) throws NoticeException {
    events.ended(session);
    channel.cutShort(session, ran, tracksPlayed, reason);
  }

  @Override
  public void couldNotStart(Session session, String reason) throws NoticeException {
    events.notPlayed(session);
    channel.couldNotStart(session, reason);
  }

  @Override
  public void crashed(Session session, Duration ran, int tracksPlayed, String why) throws NoticeException {
    events.ended(session);
    channel.crashed(session, ran, tracksPlayed, why);
  }

  @Override
  public void trackSkipped(Session session, String track, String reason) throws NoticeException {
    channel.trackSkipped(session, track, reason);
  }

  @Override
  public void skippedBusy(Session session, Instant scheduledAt) throws NoticeException {
    events.notPlayed(session);
    channel.skippedBusy(session, scheduledAt);
  }
}
