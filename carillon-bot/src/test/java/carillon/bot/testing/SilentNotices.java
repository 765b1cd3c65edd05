package carillon.bot.testing;

import carillon.bot.playback.NoticePort;
import carillon.bot.playback.VoiceSlot;
import carillon.bot.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Notices that go nowhere and keep nothing: for benchmarks, which measure everything else. */
public final class SilentNotices implements NoticePort {
  @Override
  public void reminder(Session session, Instant start) {}

  @Override
  public void started(Session session, VoiceSlot slot) {}

  @Override
  public void ended(Session session, Duration ran, List<String> tracksPlayed) {}

  @Override
  public void trackSkipped(Session session, String track, String reason) {}

  @Override
  public void skippedBusy(Session session, Instant scheduledAt) {}
}
