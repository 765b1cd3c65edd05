package carillon.bot.testing;

import carillon.bot.playback.NoticePort;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.session.Session;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records notices as "time text" lines; can be made to fail like a channel without permission. */
public final class FakeNotices implements NoticePort {
  private final TimeSource time;
  public final List<String> sent = new CopyOnWriteArrayList<>();
  public volatile boolean failing;

  public FakeNotices(TimeSource time) {
    this.time = time;
  }

  private void send(String text) throws NoticeException {
    if (failing) {
      throw new NoticeException("403 Missing Permissions", null);
    }
    sent.add(time.now() + " " + text);
  }

  @Override
  public void reminder(Session session, Instant start) throws NoticeException {
    send("reminder " + session.name() + " at " + start);
  }

  @Override
  public void started(Session session, VoiceSlot slot) throws NoticeException {
    send("started " + session.name() + " in " + slot);
  }

  @Override
  public void ended(Session session, Duration ran, List<String> tracksPlayed) throws NoticeException {
    send("ended " + session.name() + " after " + ran + " playing " + tracksPlayed);
  }

  @Override
  public void trackSkipped(Session session, String track, String reason) throws NoticeException {
    send("skipped " + track + " in " + session.name() + ": " + reason);
  }

  @Override
  public void skippedBusy(Session session, Instant scheduledAt) throws NoticeException {
    send("busy " + session.name() + " at " + scheduledAt);
  }
}
