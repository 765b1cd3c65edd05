package carillon.bot.playback;

import carillon.bot.run.Progress;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a crash left playing, taken up at start-up (before the scheduler plans): each run resumes where
 * it was and as it was (paused, volume), or is recorded as {@link RunOutcome#CRASHED} with the tracks it
 * had played and gets its end notice now. Either way the same run record goes on, so the occurrence never
 * plays twice. In a cluster it also takes up the runs of shards this process takes: a run another process
 * handed over when it released the shard ({@link Runs#handOver}) is a planned move, logged at INFO; one whose
 * owner stopped without doing so is a crash's, logged as a WARN.
 */
public final class CrashRecovery {
  private static final Logger log = LoggerFactory.getLogger(CrashRecovery.class);

  private final Sessions sessions;
  private final Runs runs;
  private final SessionStarter starter;
  private final Notifier notifier;
  private final TimeSource time;

  public CrashRecovery(Sessions sessions, Runs runs, SessionStarter starter, Notifier notifier, TimeSource time) {
    this.sessions = sessions;
    this.runs = runs;
    this.starter = starter;
    this.notifier = notifier;
    this.time = time;
  }

  /** Resumes or records as interrupted every run the last process left playing (call once, at start-up). */
  public void resumeOrInterruptAll() {
    resumeOrInterrupt(guildId -> true);
  }

  /**
   * Resumes or records as interrupted the runs left RUNNING in the guilds {@code inGuild} accepts (the
   * shards this process holds: at start-up, and when it takes over shards of a process that died). Runs
   * this process plays now are left alone; each other one is adopted first (owner set to this process, if
   * nobody else adopted it meanwhile), so a run is taken up by exactly one process.
   */
  public void resumeOrInterrupt(LongPredicate inGuild) {
    for (Runs.Left left : runs.leftRunning(inGuild)) {
      if (starter.plays(left.run().id())) {
        continue;
      }
      if (runs.adopt(left)) {
        Optional<String> handedOverBy = left.handedOverBy();
        if (handedOverBy.isEmpty()) {
          left.owner().filter(o -> !o.equals(runs.owner())).ifPresent(o -> log.info(
              "Run {} of session {} was played by process {}, which stopped without handing it over; this process "
                  + "takes it up", left.run().id(), left.run().sessionId(), o));
        }
        resumeOrInterrupt(left.run(), left.progress(), handedOverBy);
      }
    }
  }

  /**
   * Whether the run was only claimed ahead of its start: a claim ahead records the claim's time as its start,
   * before the scheduled instant, and the start itself moves it to the scheduled instant or later.
   */
  private static boolean claimedAheadOnly(Run run) {
    return run.startedAt().isPresent() && run.startedAt().get().isBefore(run.scheduledAt());
  }

  /**
   * A run the last process left playing: resumed at its saved track and position if the downtime was
   * within the session's late grace and its maximum duration has not run out; otherwise recorded as
   * crashed, with the end notice it never got. {@code handedOverBy}: the process that released the run's
   * shard and handed it over (a planned move, logged at INFO), or empty when its owner crashed (a WARN).
   */
  private void resumeOrInterrupt(Run run, Optional<Progress> progress, Optional<String> handedOverBy) {
    Instant now = time.now();
    Optional<Session> session = sessions.find(run.sessionId());
    String why;
    if (session.isEmpty() || !session.get().enabled()) {
      why = "the session is deleted or disabled";
    } else if (progress.isEmpty() && claimedAheadOnly(run)) {
      // Claimed ahead of its start (join-ahead) and never started: nothing was heard and no start notice went
      // out, so the occurrence is given back and planned again by the scheduler, which plays it at its time,
      // or late within its grace, once (issue 13: a holder that died in those ten seconds).
      runs.unclaim(run.id());
      if (handedOverBy.isPresent()) {
        log.info("Run {} of session '{}' (scheduled {}) was claimed ahead of its start by process {}, which handed it "
            + "over before it played; the occurrence is planned again", run.id(), session.get().name(), run.scheduledAt(),
            handedOverBy.get());
        return;
      }
      log.warn("Run {} of session '{}' (scheduled {}) was claimed ahead of its start by a process that stopped before "
          + "it played; the occurrence is planned again", run.id(), session.get().name(), run.scheduledAt());
      return;
    } else if (progress.isEmpty()) {
      why = "it had not started playing";
    } else if (Duration.between(progress.get().savedAt(), now).compareTo(session.get().lateGrace()) > 0) {
      why = "it was down for longer than the session's late grace";
    } else if (session.get().maxDuration().isPresent()
        && !now.isBefore(run.startedAt().orElse(run.scheduledAt()).plus(session.get().maxDuration().get()))) {
      why = "its maximum duration has run out";
    } else {
      Optional<ActiveRun> resumed = starter.resume(session.get(), run, progress.get());
      if (resumed.isPresent() && handedOverBy.isPresent()) {
        log.info("Session '{}': this process takes over run {} handed over by process {}, at track {}, {} s in",
            session.get().name(), run.id(), handedOverBy.get(), progress.get().trackIndex() + 1,
            progress.get().position().toSeconds());
        return;
      }
      if (resumed.isPresent()) {
        log.warn("Session '{}' was cut short by a crash: resuming its run {} at track {}, {} s in", session.get().name(),
            run.id(), progress.get().trackIndex() + 1, progress.get().position().toSeconds());
        return;
      }
      why = "no bot account of its guild is connected";
    }
    int tracksPlayed = progress.map(Progress::tracksPlayed).orElse(run.tracksPlayed());
    if (handedOverBy.isPresent()) {
      log.warn("Run {} of session {} (scheduled {}) was handed over by process {} and is not resumed: {}", run.id(),
          run.sessionId(), run.scheduledAt(), handedOverBy.get(), why);
      runs.finish(run.id(), RunOutcome.CRASHED, now, tracksPlayed,
          "handed over by process " + handedOverBy.get() + "; not resumed: " + why);
    } else {
      log.warn("Run {} of session {} (scheduled {}) was cut short by a crash and is not resumed: {}", run.id(),
          run.sessionId(), run.scheduledAt(), why);
      runs.finish(run.id(), RunOutcome.CRASHED, now, tracksPlayed, "the process ended while it played; not resumed: "
          + why);
    }
    if (session.isPresent()) {
      // How long it ran: until it was last known to play.
      Instant lastAlive = progress.map(Progress::savedAt).or(run::startedAt).orElse(now);
      Duration ran = Duration.between(run.startedAt().orElse(lastAlive), lastAlive);
      notifier.crashed(session.get(), ran, tracksPlayed, why);
    }
  }
}
