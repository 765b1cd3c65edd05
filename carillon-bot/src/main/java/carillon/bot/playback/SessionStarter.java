package carillon.bot.playback;

import carillon.bot.run.Progress;
import carillon.bot.run.Run;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.tasks.TimeSource;
import java.time.Instant;
import java.util.Optional;

/**
 * Starts a session now: claims a voice slot of its guild (synchronously, so two starts never take the
 * same one), then its occurrence in the store (unique on session and instant, so a restart or a second
 * process never plays it twice), then plays; whatever was claimed is released when a later step fails.
 * The scheduler starts occurrences with it, the command queue starts sessions on request, and
 * {@link CrashRecovery} resumes runs a crash cut short.
 */
public final class SessionStarter {
  private final Sessions sessions;
  private final Runs runs;
  private final Slots slots;
  private final Playback playback;
  private final TimeSource time;

  public SessionStarter(Sessions sessions, Runs runs, Slots slots, Playback playback, TimeSource time) {
    this.sessions = sessions;
    this.runs = runs;
    this.slots = slots;
    this.playback = playback;
    this.time = time;
  }

  /** How a {@link #start} went. */
  public sealed interface Start permits Started, AlreadyPlaying, NoFreeSlot, AlreadyClaimed {}

  /** The run plays (its voice join is still under way: {@link ActiveRun#joinedVoice()}). */
  public record Started(ActiveRun run) implements Start {}

  /** A run of this session still plays; nothing was claimed. */
  public record AlreadyPlaying() implements Start {}

  /** Every voice slot of the guild is busy, or no bot account is in it; nothing was claimed. */
  public record NoFreeSlot() implements Start {}

  /** This occurrence was already claimed (played, or being played, by this or another process); released. */
  public record AlreadyClaimed() implements Start {}

  /**
   * Starts the occurrence of {@code session} at {@code scheduledAt}: in the slot of a channel joined ahead
   * ({@code prepared}) if there is one, else in a slot claimed now. A {@code prepared} join is released
   * unless the session starts in it.
   */
  public Start start(Session session, Instant scheduledAt, Optional<Playback.Prepared> prepared) {
    if (playback.active(session.id()).isPresent()) {
      prepared.ifPresent(playback::release);
      return new AlreadyPlaying();
    }
    Optional<VoiceSlot> slot = prepared.isPresent() ? prepared.map(Playback.Prepared::slot)
        : slots.claim(session.guildId(), session.id());
    if (slot.isEmpty()) {
      return new NoFreeSlot();
    }
    Optional<Long> runId;
    try {
      runId = runs.claim(session.id(), scheduledAt, time.now(), slot.get().account());
    } catch (RuntimeException e) {
      release(prepared, slot.get()); // the store failed (it may be unavailable): nothing stays claimed
      throw e;
    }
    if (runId.isEmpty()) {
      release(prepared, slot.get());
      return new AlreadyClaimed();
    }
    return new Started(playback.start(session, runId.get(), scheduledAt, slot.get(), prepared));
  }

  /** An occurrence claimed in the store ahead of its start, with its slot and the voice join under way. */
  public record Claimed(long runId, Instant scheduledAt, Playback.Prepared prepared) {}

  /**
   * Ahead of a start: claims a voice slot and the occurrence, and only then joins the voice channel, so that
   * a process that loses the claim never touches voice (two joins with one account would disconnect the
   * winner). Empty when a run of the session plays, no slot is free, or the occurrence is claimed already;
   * nothing is held then.
   *
   * @throws carillon.bot.store.StoreUnavailableException if the store cannot take the claim (nothing held)
   */
  public Optional<Claimed> claimAhead(Session session, Instant scheduledAt) {
    if (playback.active(session.id()).isPresent()) {
      return Optional.empty();
    }
    Optional<VoiceSlot> slot = slots.claim(session.guildId(), session.id());
    if (slot.isEmpty()) {
      return Optional.empty();
    }
    Optional<Long> runId;
    try {
      runId = runs.claim(session.id(), scheduledAt, time.now(), slot.get().account());
    } catch (RuntimeException e) {
      slots.release(slot.get());
      throw e;
    }
    if (runId.isEmpty()) {
      slots.release(slot.get());
      return Optional.empty();
    }
    return Optional.of(new Claimed(runId.get(), scheduledAt, playback.prepare(session, slot.get())));
  }

  /** Plays an occurrence claimed ahead, in its slot and the channel joined for it. */
  public Started startClaimed(Session session, Claimed claimed) {
    runs.started(claimed.runId(), time.now());
    return new Started(playback.start(session, claimed.runId(), claimed.scheduledAt(), claimed.prepared().slot(),
        Optional.of(claimed.prepared())));
  }

  /** Gives back an occurrence claimed ahead that will not play now: the claim, the voice channel, the slot. */
  public void releaseClaimed(Claimed claimed) {
    try {
      runs.unclaim(claimed.runId());
    } finally {
      playback.release(claimed.prepared());
    }
  }

  private void release(Optional<Playback.Prepared> prepared, VoiceSlot slot) {
    if (prepared.isPresent()) {
      playback.release(prepared.get());
    } else {
      slots.release(slot);
    }
  }

  /**
   * Starts a session now, outside its schedule (a play command).
   *
   * @return the run, joining its voice channel
   * @throws RefusedException if it cannot start now, with the reason a person reads
   */
  public ActiveRun startNow(long sessionId) throws RefusedException {
    Session session = sessions.find(sessionId)
        .orElseThrow(() -> new RefusedException("there is no session with id " + sessionId));
    if (!session.enabled()) {
      throw new RefusedException("'" + session.name() + "' is disabled; enable it first");
    }
    Instant now = time.now();
    return switch (start(session, now, Optional.empty())) {
      case Started(ActiveRun run) -> run;
      case AlreadyPlaying() -> throw new RefusedException("'" + session.name() + "' is already playing");
      case NoFreeSlot() -> throw new RefusedException(busyReason(session.guildId()));
      case AlreadyClaimed() -> throw new RefusedException("'" + session.name() + "' was just started by another request");
    };
  }

  /**
   * Resumes a run that a crash cut short, in the same run record, in a voice slot claimed now.
   *
   * @return the run, or empty if no voice slot of the session's guild is free (nothing was claimed)
   */
  public Optional<ActiveRun> resume(Session session, Run run, Progress progress) {
    return slots.claim(session.guildId(), session.id()).map(slot -> playback.resume(session, run, progress, slot));
  }

  /** Whether this process plays the run now. */
  public boolean plays(long runId) {
    return playback.all().stream().anyMatch(run -> run.runId() == runId);
  }

  /** Why a session of the guild finds no free voice slot, for a person. */
  public String busyReason(long guildId) {
    int accounts = slots.accounts(guildId).size();
    return accounts == 0
        ? "no bot account is in this guild"
        : "every voice slot of this guild is busy (" + accounts + " bot account" + (accounts == 1 ? "" : "s") + ")";
  }
}
