package carillon.bot.playback;

import carillon.bot.session.Session;
import carillon.tasks.TaskGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notices without ever holding up or breaking playback: each notice is a tracked background task
 * whose delivery failure is logged as a warning. A bug in a notice (any other exception) is logged
 * loudly by the task group, and still does not touch the run.
 */
public final class Notifier {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private final NoticePort port;
  private final TaskGroup tasks;

  public Notifier(NoticePort port, TaskGroup tasks) {
    this.port = port;
    this.tasks = tasks;
  }

  public void reminder(Session session, Instant start) {
    send("reminder", session, () -> port.reminder(session, start));
  }

  public void started(Session session, VoiceSlot slot) {
    send("start notice", session, () -> port.started(session, slot));
  }

  public void ended(Session session, Duration ran, List<String> tracksPlayed) {
    send("end notice", session, () -> port.ended(session, ran, tracksPlayed));
  }

  public void crashed(Session session, Duration ran, int tracksPlayed, String why) {
    send("end notice", session, () -> port.crashed(session, ran, tracksPlayed, why));
  }

  public void trackSkipped(Session session, String track, String reason) {
    send("skipped-track notice", session, () -> port.trackSkipped(session, track, reason));
  }

  public void skippedBusy(Session session, Instant scheduledAt) {
    send("busy notice", session, () -> port.skippedBusy(session, scheduledAt));
  }

  private interface Delivery {
    void deliver() throws NoticePort.NoticeException;
  }

  private void send(String what, Session session, Delivery delivery) {
    if (tasks.isShutdown()) {
      log.warn("Not sending {} for '{}': shutting down", what, session.name());
      return;
    }
    tasks.spawn(what + " '" + session.name() + "'", () -> {
      try {
        delivery.deliver();
      } catch (NoticePort.NoticeException e) {
        log.warn("Could not send {} for session '{}': {}", what, session.name(), e.getMessage());
      }
    });
  }
}
