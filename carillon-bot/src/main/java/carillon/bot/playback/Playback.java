package carillon.bot.playback;

import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sessions in voice slots: each run is a tracked task that joins the channel, plays the playlist
 * with its gaps, honours the maximum duration and repeat setting, records the run and frees the slot.
 * Commands reach a run through {@link #active(long)}.
 */
public final class Playback {
  private static final Logger log = LoggerFactory.getLogger(Playback.class);

  private final VoicePort voice;
  private final Notifier notifier;
  private final TrackCatalog catalog;
  private final TimeSource time;
  private final TaskGroup tasks;
  private final Runs runs;
  private final Slots slots;
  private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();
  private final List<Consumer<ActiveRun>> listeners = new CopyOnWriteArrayList<>();

  public Playback(VoicePort voice, Notifier notifier, TrackCatalog catalog, TimeSource time, TaskGroup tasks, Runs runs,
      Slots slots) {
    this.voice = voice;
    this.notifier = notifier;
    this.catalog = catalog;
    this.time = time;
    this.tasks = tasks;
    this.runs = runs;
    this.slots = slots;
  }

  /**
   * Starts a claimed run in a claimed slot. The run is visible to {@link #active} before this returns;
   * the slot is released when it ends.
   */
  public ActiveRun start(Session session, long runId, VoiceSlot slot) {
    ActiveRun run = new ActiveRun(this, session, runId, slot);
    active.put(session.id(), run);
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

  /** Shutdown: ends every run now; they are recorded as interrupted. */
  public void interruptAll() {
    active.values().forEach(ActiveRun::interrupt);
  }

  void ended(ActiveRun run, RunOutcome outcome, int tracksPlayed, String error) {
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

  VoicePort voice() {
    return voice;
  }

  Notifier notifier() {
    return notifier;
  }

  TrackCatalog catalog() {
    return catalog;
  }

  TimeSource time() {
    return time;
  }
}
