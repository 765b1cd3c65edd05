package carillon.bot.playback;

import carillon.bot.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The messages a session sends to its text channel. Best effort: {@link Notifier} calls these off the
 * playback path and only logs their failures.
 */
public interface NoticePort {
  void reminder(Session session, Instant start) throws NoticeException;

  void started(Session session, VoiceSlot slot) throws NoticeException;

  void ended(Session session, Duration ran, List<String> tracksPlayed) throws NoticeException;

  void trackSkipped(Session session, String track, String reason) throws NoticeException;

  void skippedBusy(Session session, Instant scheduledAt) throws NoticeException;

  /** A notice could not be delivered (missing permission, HTTP error). */
  final class NoticeException extends Exception {
    public NoticeException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
