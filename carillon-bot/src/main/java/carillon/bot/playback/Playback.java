package carillon.bot.playback;

import carillon.bot.run.Progress;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sessions in voice slots: each run is a tracked task that joins the channel, plays the playlist
 * with its gaps, honours the maximum duration and repeat setting, records the run and frees the slot.
 * Commands reach a run through {@link #active(long)}.
 */
public final class Playback {
  /** How long a start waits for a join that began ahead of it before joining anew. */
  static final Duration JOIN_WAIT = Duration.ofSeconds(20);
  /** How long a cut at a maximum duration fades out unless configured otherwise. */
  public static final Duration DEFAULT_CUT_FADE = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(Playback.class);

  private final VoicePort voice;
  private final Notifier notifier;
  private final TrackCatalog catalog;
  private final TimeSource time;
  private final TaskGroup tasks;
  private final Runs runs;
  private final Slots slots;
  private final Duration cutFade;
  private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();
  private volatile boolean closing;
  private final List<Consumer<ActiveRun>> listeners = new CopyOnWriteArrayList<>();

  /** A playback whose cuts at a maximum duration fade out over {@link #DEFAULT_CUT_FADE}. */
  public Playback(VoicePort voice, Notifier notifier, TrackCatalog catalog, TimeSource time, TaskGroup tasks, Runs runs,
      Slots slots) {
    this(voice, notifier, catalog, time, tasks, runs, slots, DEFAULT_CUT_FADE);
  }

  /**
   * @param cutFade how long a run cut at its maximum duration fades out, when its session names no
   *     fade-out of its own ({@code playback.cutFade})
   */
  public Playback(VoicePort voice, Notifier notifier, TrackCatalog catalog, TimeSource time, TaskGroup tasks, Runs runs,
      Slots slots, Duration cutFade) {
    this.cutFade = cutFade;
    this.voice = voice;
    this.notifier = notifier;
    this.catalog = catalog;
    this.time = time;
    this.tasks = tasks;
    this.runs = runs;
    this.slots = slots;
  }

  /**
   * Starts a claimed run of the occurrence at {@code scheduledAt} in a claimed slot, in the voice channel
   * joined ahead by {@link #prepare} if there is one. The run is visible to {@link #active} before this
   * returns; the slot is released when it ends.
   */
  public ActiveRun start(Session session, long runId, Instant scheduledAt, VoiceSlot slot, Optional<Prepared> prepared) {
    return begin(newRun(session, runId, scheduledAt, slot, Optional.empty(), prepared.map(Prepared::joined)));
  }

  /**
   * A slot claimed and its voice channel being joined ahead of a start. {@link #start} plays in it, or
   * {@link #release} leaves it and frees the slot.
   */
  public record Prepared(VoiceSlot slot, long channelId, CompletableFuture<VoicePort.Connection> joined) {}

  /** Joins the session's voice channel with a claimed slot now, for a start shortly after. */
  public Prepared prepare(Session session, VoiceSlot slot) {
    CompletableFuture<VoicePort.Connection> joined = new CompletableFuture<>();
    tasks.spawn("join ahead '" + session.name() + "' in " + slot, () -> {
      try {
        joined.complete(voice.join(slot, session.voiceChannelId(), session.name()));
      } catch (VoiceException e) {
        // The start joins again and reports the failure in its run.
        joined.completeExceptionally(e);
      }
    });
    return new Prepared(slot, session.voiceChannelId(), joined);
  }

  /** Leaves a channel joined ahead and then frees its slot (in that order, so the next user finds it empty). */
  public void release(Prepared prepared) {
    tasks.spawn("leave " + prepared.slot(), () -> {
      try {
        prepared.joined().get(JOIN_WAIT.toMillis(), TimeUnit.MILLISECONDS).leave();
      } catch (ExecutionException e) {
        // it never joined: nothing to leave
      } catch (TimeoutException e) {
        prepared.joined().thenAccept(VoicePort.Connection::leave);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        slots.release(prepared.slot());
      }
    });
  }

  /**
   * Resumes a run that a crash cut short, in the same run record: at the saved track and position, paused
   * if it was, at its volume, with its original start (so the maximum duration still counts from there) and no second start notice.
   */
  public ActiveRun resume(Session session, Run run, Progress progress, VoiceSlot slot) {
    return begin(newRun(session, run.id(), run.scheduledAt(), slot, Optional.of(new ActiveRun.Resume(
        run.startedAt().orElse(progress.savedAt()), progress.trackIndex(), progress.position(), progress.tracksPlayed(),
        progress.paused(), progress.volume(), run.trackOrder())),
        Optional.empty()));
  }

  private ActiveRun newRun(Session session, long runId, Instant scheduledAt, VoiceSlot slot,
      Optional<ActiveRun.Resume> resumeFrom, Optional<CompletableFuture<VoicePort.Connection>> joinedAhead) {
    return new ActiveRun(this, voice, notifier, catalog, time, runs, session, runId, scheduledAt, slot, resumeFrom,
        joinedAhead, cutFade);
  }

  private ActiveRun begin(ActiveRun run) {
    Session session = run.session();
    VoiceSlot slot = run.slot();
    active.put(session.id(), run);
    if (closing) {
      run.interrupt(); // shutting down: recorded as interrupted without joining voice
    }
    changed(run);
    tasks.spawn("play '" + session.name() + "' in " + slot, run::play);
    return run;
  }

  /**
   * Called when a run starts or ends, a track begins or ends, or a run is paused, resumed or changes
   * volume (the live page follows playback with it). Listeners run on playback threads, possibly while
   * the run's lock is held: they must return at once and not call back into the run.
   */
  public void onChange(Consumer<ActiveRun> listener) {
    listeners.add(listener);
  }

  public Optional<ActiveRun> active(long sessionId) {
    return Optional.ofNullable(active.get(sessionId));
  }

  public List<ActiveRun> all() {
    return List.copyOf(active.values());
  }

  /**
   * Shutdown: ends every run now; they are recorded as interrupted and post their end notices.
   *
   * @return completes when every run has ended (and its end notice has been handed to the notifier)
   */
  public CompletableFuture<Void> interruptAll() {
    closing = true;
    List<ActiveRun> runs = List.copyOf(active.values());
    runs.forEach(ActiveRun::interrupt);
    return CompletableFuture.allOf(runs.stream().map(r -> r.done).toArray(CompletableFuture[]::new));
  }

  /**
   * Stops every run in the guilds {@code inGuild} accepts without ending them (their shard moved to another
   * process, which resumes them); nothing is recorded and no notice goes out.
   *
   * @return completes when each has left its voice channel
   */
  public CompletableFuture<Void> handOver(LongPredicate inGuild) {
    List<ActiveRun> going = active.values().stream().filter(r -> inGuild.test(r.session().guildId())).toList();
    going.forEach(ActiveRun::handOver);
    return CompletableFuture.allOf(going.stream().map(r -> r.done).toArray(CompletableFuture[]::new));
  }

  void handedOver(ActiveRun run) {
    log.info("Run {} of '{}' handed over: this process released its guild's shard and left the run, still running,"
        + " to the process that takes the shard", run.runId(), run.session().name());
    active.remove(run.session().id(), run);
    slots.release(run.slot());
    changed(run);
  }

  void ended(ActiveRun run, RunOutcome outcome, int tracksPlayed, String error) {
    // One line per run that ends: what an operator reads to know what happened, whatever the notices did.
    log.info("Run {} of '{}' ended {}: {} track(s) played{}", run.runId(), run.session().name(), outcome, tracksPlayed,
        error == null ? "" : " (" + error + ")");
    run.endedAs(outcome);
    try {
      runs.finish(run.runId(), outcome, time.now(), tracksPlayed, error);
    } finally {
      active.remove(run.session().id(), run);
      slots.release(run.slot());
      changed(run);
    }
  }

  void changed(ActiveRun run) {
    for (Consumer<ActiveRun> listener : listeners) {
      try {
        listener.accept(run);
      } catch (RuntimeException e) {
        // A listener's bug must not stop playback.
        log.error("A playback listener failed on '{}'", run.session().name(), e);
      }
    }
  }
}
