package carillon.bot.playback;

import carillon.bot.session.Session;
import carillon.tasks.TaskGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notices without ever holding up or breaking playback: each notice is a tracked background task
 * whose delivery failure is logged as a warning. A bug in a notice (any other exception) is logged
 * loudly by the task group, and still does not touch the run.
 *
 * <p>Delivery failures are logged per text channel when they change, not per notice: the first failure
 * (a missing permission, say) is one warning naming the channel and the reason; the same failure again is
 * not logged; a different one is; and the first notice delivered after failures is one info line.
 */
public final class Notifier {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private final NoticePort port;
  private final TaskGroup tasks;
  /** Per text channel id, why its last notice could not be delivered; absent when it was. */
  private final Map<Long, String> failing = new ConcurrentHashMap<>();

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

  public void cutShort(Session session, Duration ran, List<String> tracksPlayed, String reason) {
    send("end notice", session, () -> port.cutShort(session, ran, tracksPlayed, reason));
  }

  public void couldNotStart(Session session, String reason) {
    send("could-not-start notice", session, () -> port.couldNotStart(session, reason));
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
      long channel = session.textChannelId().orElse(0L);
      try {
        delivery.deliver();
        if (failing.remove(channel) != null) {
          log.info("Notices to channel {} are delivered again", channel);
        }
      } catch (NoticePort.NoticeException e) {
        String reason = String.valueOf(e.getMessage());
        if (!reason.equals(failing.put(channel, reason))) {
          log.warn("Notices to channel {} cannot be sent: {}; later notices there are not logged until this changes",
              channel, reason);
        }
      }
    });
  }
}
