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

  /**
   * A run ended before its playlist or maximum duration did, because of {@code reason} (someone
   * disconnected the bot, the channel was deleted, nobody was there).
   */
  void cutShort(Session session, Duration ran, List<String> tracksPlayed, String reason) throws NoticeException;

  /** A run could not start: it did not join the voice channel, or nobody came; {@code reason} says why. */
  void couldNotStart(Session session, String reason) throws NoticeException;

  /**
   * The end notice of a run that the process's end cut short (a crash, kill -9) and that was not resumed,
   * posted at the next start: how long it ran until the crash, how many tracks it had played, and why it
   * was not resumed (a person reads it: "it was down for longer than the session's late grace").
   */
  void crashed(Session session, Duration ran, int tracksPlayed, String why) throws NoticeException;

  void trackSkipped(Session session, String track, String reason) throws NoticeException;

  void skippedBusy(Session session, Instant scheduledAt) throws NoticeException;

  /** A notice could not be delivered (missing permission, HTTP error). */
  final class NoticeException extends Exception {
    public NoticeException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
