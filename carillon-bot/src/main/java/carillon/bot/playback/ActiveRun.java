package carillon.bot.playback;

import carillon.bot.run.Progress;
import carillon.bot.run.RunOutcome;
import carillon.bot.run.Runs;
import carillon.bot.session.Presence;
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.bot.store.StoreUnavailableException;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session playing in a voice slot, and the controls commands use. Each control returns the result a
 * person reads ("paused 'Bell' in Morning meditation").
 */
public final class ActiveRun {
  private static final Logger log = LoggerFactory.getLogger(ActiveRun.class);
  /** How often a playing run saves where it is: a resumed run starts at most this far back. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  /** Told of every change and of the end: it keeps the active runs and tells the listeners. */
  private final Playback playback;
  private final VoicePort voice;
  private final Notifier notifier;
  private final TrackCatalog catalog;
  private final TimeSource time;
  private final Runs runs;
  private final Session session;
  private final long runId;
  private final VoiceSlot slot;
  private final Optional<Resume> resumeFrom;
  private final Instant scheduledAt;
  /** How it ended; null while it plays (and for a run handed over to another process). */
  private RunOutcome endedAs;
  /** Whether the start notice was sent; touched by the run's own task only. */
  private boolean announced;
  private final Optional<CompletableFuture<VoicePort.Connection>> joinedAhead;
  /** How long a cut at the maximum duration fades out when the session names no fade-out of its own. */
  private final Duration cutFade;
  /** Completed by stop or interrupt: cuts short a gap or a track wait. */
  private final CompletableFuture<Void> stopSignal = new CompletableFuture<>();
  /** Completed when the run has ended and its end notice is on its way. */
  final CompletableFuture<Void> done = new CompletableFuture<>();
  /** Completed when the voice channel is joined (empty) or the run ended without joining it (why). */
  private final CompletableFuture<Optional<String>> joinedVoice = new CompletableFuture<>();

  // Guarded by this.
  private VoicePort.Connection connection;
  private VoicePort.PlayingTrack playing;
  private Track track;
  private boolean paused;
  private int volume = SessionLimits.DEFAULT_VOLUME;
  private RunOutcome stopOutcome;
  /** Stopped because another process takes the run over: nothing recorded, nothing noticed. */
  private boolean handedOver;
  /** Why it was ended, when someone or something other than a command ended it. */
  private String stopReason;
  /** With a presence policy that acts on an empty channel: armed while nobody is there. */
  private TimeSource.Timer aloneTimer;
  private boolean aloneArmed;
  /** Paused by the presence policy (not by a command): resumes by itself when a member comes back. */
  private boolean autoPaused;
  private Instant startedAt;
  /** When the current track began, when it was paused (null if not), and how long it was paused before. */
  private Instant trackStartedAt;
  private Instant trackPausedAt;
  private Duration trackPausedFor = Duration.ZERO;
  /** The current track's playlist entry, tracks played before it, and the furthest position saved in it. */
  private int trackIndex;
  private int playedBeforeTrack;
  private Duration trackSaved = Duration.ZERO;
  /** The fade-out that ends the run has begun (it is not begun twice). */
  private boolean fadingOut;
  /** The playlist's tracks as last found, for when the library cannot be read (the store is unavailable). */
  private final Map<String, Track> found = new HashMap<>();

  /**
   * Where and how a run that a crash cut short picks up: its original start, the track, the position in
   * it, the tracks played before, whether it was paused and its volume.
   */
  record Resume(Instant startedAt, int trackIndex, Duration position, int tracksPlayed, boolean paused, int volume,
      List<Integer> order) {}

  ActiveRun(Playback playback, VoicePort voice, Notifier notifier, TrackCatalog catalog, TimeSource time, Runs runs,
      Session session, long runId, Instant scheduledAt, VoiceSlot slot, Optional<Resume> resumeFrom,
      Optional<CompletableFuture<VoicePort.Connection>> joinedAhead, Duration cutFade) {
    this.scheduledAt = scheduledAt;
    this.joinedAhead = joinedAhead;
    this.cutFade = cutFade;
    this.playback = playback;
    this.voice = voice;
    this.notifier = notifier;
    this.catalog = catalog;
    this.time = time;
    this.runs = runs;
    this.session = session;
    this.runId = runId;
    this.slot = slot;
    this.resumeFrom = resumeFrom;
    resumeFrom.ifPresent(r -> {
      paused = r.paused();
      volume = r.volume();
    });
  }

  public Session session() {
    return session;
  }

  public long runId() {
    return runId;
  }

  /** The occurrence this run plays: its scheduled instant (the request's instant for a play command). */
  public Instant scheduledAt() {
    return scheduledAt;
  }

  /** Whether it picks up a run that a crash (or a shard's hand-over) cut short, rather than starting one. */
  public boolean resumed() {
    return resumeFrom.isPresent();
  }

  /** How it ended, once it has; empty while it plays and for a run handed over to another process. */
  public synchronized Optional<RunOutcome> outcome() {
    return Optional.ofNullable(endedAs);
  }

  synchronized void endedAs(RunOutcome outcome) {
    endedAs = outcome;
  }

  public VoiceSlot slot() {
    return slot;
  }

  /**
   * Completes once the run has joined its voice channel (with empty) or has ended without joining it
   * (with the reason a person reads: Discord's refusal, a shutdown). It never completes exceptionally.
   */
  public CompletableFuture<Optional<String>> joinedVoice() {
    return joinedVoice;
  }

  public synchronized Optional<Track> currentTrack() {
    return Optional.ofNullable(track);
  }

  /** People (not bots) in the voice channel now, if connected and known. */
  public OptionalInt listeners() {
    VoicePort.Connection now;
    synchronized (this) {
      now = connection;
    }
    int count = now == null ? -1 : now.members();
    return count < 0 ? OptionalInt.empty() : OptionalInt.of(count);
  }

  /** Voice packets sent on the run's connection so far, if connected and counted. */
  public OptionalLong framesSent() {
    VoicePort.Connection now;
    synchronized (this) {
      now = connection;
    }
    long sent = now == null ? -1 : now.framesSent();
    return sent < 0 ? OptionalLong.empty() : OptionalLong.of(sent);
  }

  public synchronized boolean isPaused() {
    return paused;
  }

  public synchronized int volume() {
    return volume;
  }

  public synchronized Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }

  /** How far into the current track playback is, pauses not counted; empty between tracks. */
  public synchronized Optional<Duration> trackElapsed() {
    if (track == null || trackStartedAt == null) {
      return Optional.empty();
    }
    Instant until = trackPausedAt != null ? trackPausedAt : time.now();
    return Optional.of(Duration.between(trackStartedAt, until).minus(trackPausedFor));
  }

  public String pause() {
    String result;
    Optional<Progress> progress;
    synchronized (this) {
      if (paused) {
        return "'" + session.name() + "' is already paused";
      }
      paused = true;
      if (playing != null) {
        playing.pause();
        trackPausedAt = time.now();
      }
      playback.changed(this);
      result = "paused " + describeTrack();
      progress = progress();
    }
    progress.ifPresent(p -> runs.saveProgress(runId, p)); // a crash now resumes it paused
    return result;
  }

  public String resume() {
    String result;
    Optional<Progress> progress;
    synchronized (this) {
      if (!paused) {
        return "'" + session.name() + "' is not paused";
      }
      paused = false;
      if (playing != null) {
        playing.resume();
      }
      if (trackPausedAt != null) {
        trackPausedFor = trackPausedFor.plus(Duration.between(trackPausedAt, time.now()));
        trackPausedAt = null;
      }
      playback.changed(this);
      result = "resumed " + describeTrack();
      progress = progress();
    }
    progress.ifPresent(p -> runs.saveProgress(runId, p));
    return result;
  }

  public synchronized String skip() {
    if (playing == null) {
      return "nothing to skip in '" + session.name() + "': between tracks";
    }
    String skipped = describeTrack();
    playing.stop();
    return "skipped " + skipped;
  }

  public String stop() {
    end(RunOutcome.STOPPED, null);
    return "stopped '" + session.name() + "'";
  }

  /** Volume in percent, {@value SessionLimits#MIN_VOLUME} to {@value SessionLimits#MAX_VOLUME}. */
  public String volume(int percent) {
    if (percent < SessionLimits.MIN_VOLUME || percent > SessionLimits.MAX_VOLUME) {
      throw new IllegalArgumentException("volume must be from " + SessionLimits.MIN_VOLUME + " to "
          + SessionLimits.MAX_VOLUME + " percent, was " + percent);
    }
    Optional<Progress> progress;
    synchronized (this) {
      volume = percent;
      if (connection != null) {
        connection.volume(percent);
      }
      playback.changed(this);
      progress = progress();
    }
    progress.ifPresent(p -> runs.saveProgress(runId, p));
    return "volume of '" + session.name() + "' set to " + percent + "%";
  }

  /**
   * Where and how the run is now, while a track plays (empty between tracks: the next track's start
   * saves). The position is the furthest known in this track: a track started part-way and paused before
   * its first frame reports 0 (LavaPlayer seeks when it starts), which must not overwrite the saved one.
   */
  private synchronized Optional<Progress> progress() {
    if (playing == null) {
      return Optional.empty();
    }
    Duration position = playing.position();
    if (position.compareTo(trackSaved) > 0) {
      trackSaved = position;
    }
    return Optional.of(new Progress(trackIndex, trackSaved, playedBeforeTrack, paused, volume, time.now()));
  }

  void interrupt() {
    end(RunOutcome.INTERRUPTED, null);
  }

  /**
   * Stops playing without ending the run: its guild's shard went to another process (or may have), which
   * resumes it from the progress saved here; the run is marked handed over ({@link Runs#handOver}), so that
   * process takes it over as planned, not as a crash. Nothing is recorded as ended and no notice goes out.
   */
  void handOver() {
    Optional<Progress> progress;
    synchronized (this) {
      handedOver = true;
      progress = progress();
    }
    progress.ifPresent(p -> runs.saveProgress(runId, p)); // refused once another process has adopted it
    // Marked after the progress: the taker reads both, and knows it was handed over, not left by a crash.
    runs.handOver(runId);
    end(RunOutcome.INTERRUPTED, "it is handed over to the process that takes its guild's shard");
  }

  /** Ends the run now with {@code outcome}; {@code reason} (may be null) is recorded and noticed. */
  private void end(RunOutcome outcome, String reason) {
    VoicePort.PlayingTrack current;
    synchronized (this) {
      if (stopOutcome == null) {
        stopOutcome = outcome;
        stopReason = reason;
        if (reason != null && !handedOver) { // a hand-over is logged by Playback: the run goes on elsewhere
          log.info("Session '{}' in {} ends: {}", session.name(), slot, reason);
        }
      }
      current = playing;
    }
    stopSignal.complete(null);
    if (current != null) {
      current.stop();
    }
  }

  private synchronized boolean fadingOut() {
    return fadingOut;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private synchronized boolean stopping() {
    return stopOutcome != null;
  }

  private String describeTrack() {
    return track == null ? "'" + session.name() + "'" : "'" + track.name() + "' in '" + session.name() + "'";
  }

  /** The run itself, on its own task. */
  void play() {
    Instant started = resumeFrom.map(Resume::startedAt).orElseGet(time::now);
    synchronized (this) {
      startedAt = started;
    }
    List<String> played = new ArrayList<>();
    List<Integer> order = order();
    List<String> playlist = order.stream().map(session.playlist()::get).toList();
    int firstIndex = resumeFrom.map(Resume::trackIndex).orElse(0);
    Duration firstPosition = resumeFrom.map(Resume::position).orElse(Duration.ZERO);
    int playedBefore = resumeFrom.map(Resume::tracksPlayed).orElse(0);
    // Set only where the run's way out is known: an exception that escapes is a bug, recorded FAILED.
    RunOutcome outcome = RunOutcome.FAILED;
    String error = "internal error: the run ended unexpectedly";
    VoicePort.Connection joined = null;
    boolean began = false;
    boolean heard = false;
    try {
      if (stopping()) {
        return; // ended before it began (shutdown)
      }
      began = true;
      joined = join();
      synchronized (this) {
        connection = joined;
        joined.volume(volume);
      }
      joined.lost().thenAccept(reason -> end(RunOutcome.DISCONNECTED, reason));
      joinedVoice.complete(Optional.empty());
      playlist.forEach(this::findTrack); // remembered, for when the library cannot be read later
      if (!awaitFirstMember(joined)) {
        if (!stopping()) {
          outcome = RunOutcome.NO_LISTENERS;
          error = "nobody joined the voice channel within "
              + minutes(session.presence().waitForMember().orElseThrow());
          log.info("Session '{}' in {}: {}", session.name(), slot, error);
        }
        return;
      }
      watchAlone(joined);
      heard = true;
      Instant deadline = session.maxDuration().map(started::plus).orElse(Instant.MAX);
      // A cut at the maximum duration fades out over the session's fade-out, else over playback.cutFade.
      Duration endFade = session.sound().fadeOut().isZero() ? cutFade : session.sound().fadeOut();
      Instant fadeOutAt = session.maxDuration().map(max -> started.plus(max).minus(
          endFade.compareTo(max) < 0 ? endFade : max)).orElse(Instant.MAX);
      boolean first = true;
      boolean fadeIn = resumeFrom.isEmpty() && !session.sound().fadeIn().isZero();
      do {
        for (int index = first ? firstIndex : 0; index < playlist.size(); index++) {
          String audioId = playlist.get(index);
          if (stopping() || !time.now().isBefore(deadline)) {
            break;
          }
          // The first track was looked up a moment ago; later ones again, so a file deleted meanwhile is skipped.
          Optional<Track> next = first ? lastFound(audioId) : findTrack(audioId);
          if (next.isEmpty()) {
            announceStart();
            notifier.trackSkipped(session, audioId, "it is no longer in the audio library");
            continue;
          }
          if (!first && !session.gap().isZero()) {
            Instant gapEnd = time.now().plus(session.gap());
            time.await(stopSignal, gapEnd.isBefore(deadline) ? gapEnd : deadline);
            if (stopping() || !time.now().isBefore(deadline)) {
              break;
            }
          }
          Duration from = first ? firstPosition : Duration.ZERO;
          first = false;
          if (fadeIn) {
            fadeIn = false;
            joined.fade(0, 1, session.sound().fadeIn());
          }
          boolean last = !session.repeat() && index == playlist.size() - 1;
          if (playTrack(joined, next.get(), index, from, playedBefore + played.size(), deadline, fadeOutAt, last)) {
            played.add(next.get().name());
          }
        }
        first = false;
      } while (session.repeat() && !stopping() && time.now().isBefore(deadline));
      announceStart(); // nothing was played: still said, before the end notice
      outcome = RunOutcome.COMPLETED;
      error = null;
    } catch (VoiceException e) {
      outcome = RunOutcome.FAILED;
      error = e.getMessage();
      log.warn("Session '{}' failed in {}: {}", session.name(), slot, e.getMessage());
    } catch (InterruptedException e) {
      outcome = RunOutcome.INTERRUPTED;
      error = "interrupted";
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A bug: recorded as what it is instead of as completed, and loud (the task group logs it).
      error = "internal error: " + e;
      throw e;
    } finally {
      if (joined != null) {
        joined.leave();
      }
      String cutShortBy;
      synchronized (this) {
        if (stopOutcome != null) {
          outcome = stopOutcome;
          if (stopReason != null) {
            error = stopReason;
          }
        }
        cutShortBy = stopReason;
        playing = null;
        track = null;
        if (aloneTimer != null) {
          aloneTimer.cancel();
        }
      }
      joinedVoice.complete(Optional.of(error != null ? error
          : "it was " + outcome.name().toLowerCase(Locale.ROOT) + " before it joined the voice channel"));
      boolean leftToAnother;
      synchronized (this) {
        leftToAnother = handedOver;
      }
      try {
        if (leftToAnother) {
          playback.handedOver(this); // its new owner goes on with it: no end notice from here
        } else {
          playback.ended(this, outcome, playedBefore + played.size(), error);
          if (began && !heard) {
            notifier.couldNotStart(session, error != null ? error
                : "it was " + outcome.name().toLowerCase(Locale.ROOT) + " before it began");
          } else if (cutShortBy != null) {
            notifier.cutShort(session, Duration.between(started, time.now()), played, cutShortBy);
          } else if (began) {
            notifier.ended(session, Duration.between(started, time.now()), played);
          }
        }
      } finally {
        done.complete(null);
      }
    }
  }

  /**
   * With a presence policy that waits for a first member: waits up to its time for one (bots do not
   * count). False if nobody came, or the run was ended meanwhile.
   */
  private boolean awaitFirstMember(VoicePort.Connection joined) throws InterruptedException {
    Optional<Duration> wait = session.presence().waitForMember();
    if (wait.isEmpty() || resumeFrom.isPresent()) {
      return !stopping();
    }
    CompletableFuture<Void> someone = new CompletableFuture<>();
    joined.watchMembers(count -> {
      if (count > 0) {
        someone.complete(null);
      }
    });
    if (joined.members() == 0) {
      log.info("Session '{}' in {} waits up to {} for a member", session.name(), slot, minutes(wait.get()));
      time.await(CompletableFuture.anyOf(someone, stopSignal), time.now().plus(wait.get()));
    } else {
      someone.complete(null); // someone is there, or the port cannot tell: play
    }
    return someone.isDone() && !stopping();
  }

  /** With a presence policy that acts on an empty channel: watches the channel's members while playing. */
  private void watchAlone(VoicePort.Connection joined) {
    if (session.presence().whenAlone() == Presence.WhenAlone.STAY) {
      return;
    }
    TimeSource.Timer timer = time.timer("alone '" + session.name() + "'", this::aloneTooLong);
    synchronized (this) {
      aloneTimer = timer;
    }
    joined.watchMembers(this::membersNow);
    membersNow(joined.members());
  }

  private synchronized void membersNow(int count) {
    if (aloneTimer == null || stopOutcome != null || count < 0) {
      return;
    }
    if (count == 0 && !aloneArmed) {
      aloneArmed = true;
      aloneTimer.arm(time.now().plus(session.presence().aloneAfter()));
    } else if (count > 0) {
      aloneArmed = false;
      aloneTimer.cancel();
      if (autoPaused) {
        autoPaused = false;
        if (paused) {
          log.info("Session '{}' in {}: a member came back; resuming", session.name(), slot);
          resume();
        }
      }
    }
  }

  /**
   * The playlist entry's track from the catalog, or as last found while the store is unavailable (playback
   * goes on through a store outage); empty if it is not in the library.
   */
  private Optional<Track> findTrack(String audioId) {
    try {
      Optional<Track> track = catalog.find(audioId);
      synchronized (found) {
        track.ifPresentOrElse(t -> found.put(audioId, t), () -> found.remove(audioId));
      }
      return track;
    } catch (StoreUnavailableException e) {
      synchronized (found) {
        return Optional.ofNullable(found.get(audioId));
      }
    }
  }

  /** The playlist entry's track as {@link #findTrack} last found it; empty if it was not in the library. */
  private Optional<Track> lastFound(String audioId) {
    synchronized (found) {
      return Optional.ofNullable(found.get(audioId));
    }
  }

  private void aloneTooLong() {
    String alone = "nobody was in the voice channel for " + minutes(session.presence().aloneAfter());
    switch (session.presence().whenAlone()) {
      case END -> end(RunOutcome.ENDED_ALONE, alone);
      case PAUSE -> {
        synchronized (this) {
          aloneArmed = false;
          if (!paused && stopOutcome == null) {
            log.info("Session '{}' in {}: {}; pausing until a member comes", session.name(), slot, alone);
            pause();
            autoPaused = true;
          }
        }
      }
      case STAY -> { }
    }
  }

  private static String minutes(Duration d) {
    long m = d.toMinutes();
    return m >= 1 && d.toSecondsPart() == 0 ? m + (m == 1 ? " minute" : " minutes") : d.toSeconds() + " s";
  }

  /**
   * The start notice (and the Discord event going ACTIVE), once, for a run that starts rather than resumes:
   * after its first track was handed to the player, so that at an instant where hundreds of sessions start
   * the notices' store reads and REST calls do not stand between any of them and its first audio.
   */
  private void announceStart() {
    if (resumeFrom.isEmpty() && !announced) {
      announced = true;
      notifier.started(session, slot);
    }
  }

  /** The connection joined ahead of the start if that worked, else a join now. */
  private VoicePort.Connection join() throws VoiceException, InterruptedException {
    if (joinedAhead.isPresent()) {
      try {
        return joinedAhead.get().get(Playback.JOIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.info("Session '{}': the join ahead of the start did not work ({}); joining now", session.name(), e.getMessage());
      }
    }
    return voice.join(slot, session.voiceChannelId(), session.name());
  }

  /**
   * The order this run plays the playlist in, as playlist positions: a resumed run's recorded one, a new
   * shuffle (recorded) for a shuffled session, else the playlist's.
   */
  private List<Integer> order() {
    int size = session.playlist().size();
    List<Integer> saved = resumeFrom.map(Resume::order).orElse(List.of());
    if (saved.size() == size && saved.stream().allMatch(i -> i >= 0 && i < size)) {
      return saved;
    }
    List<Integer> order = new ArrayList<>(IntStream.range(0, size).boxed().toList());
    if (session.sound().shuffle() && resumeFrom.isEmpty()) {
      Collections.shuffle(order, ThreadLocalRandom.current());
      runs.saveOrder(runId, order);
      log.info("Session '{}' in {} plays in the shuffled order {}", session.name(), slot, order);
    }
    return List.copyOf(order);
  }

  /**
   * Begins the fade-out that ends the run, once: from now until the deadline for a cut, or until the end
   * of the last track.
   */
  private void fadeOut(VoicePort.Connection joined, Duration over) {
    synchronized (this) {
      if (fadingOut) {
        return;
      }
      fadingOut = true;
    }
    joined.fade(1, 0, over);
  }

  /**
   * Plays one track until it ends, the deadline passes or the run stops, saving where it is every
   * {@link #PROGRESS_EVERY}; true if it started. At {@code fadeOutAt} (a cut ahead) it fades out until the
   * deadline; as the run's {@code last} track with a session fade-out, it fades out over its last seconds.
   */
  private boolean playTrack(VoicePort.Connection joined, Track next, int index, Duration from, int playedSoFar,
      Instant deadline, Instant fadeOutAt, boolean last) throws InterruptedException {
    VoicePort.PlayingTrack started;
    try {
      started = joined.play(next, from);
    } catch (VoiceException e) {
      announceStart();
      notifier.trackSkipped(session, next.name(), e.getMessage());
      return false;
    }
    announceStart();
    synchronized (this) {
      playing = started;
      track = next;
      trackStartedAt = time.now().minus(from); // a resumed track starts part-way
      trackPausedFor = Duration.ZERO;
      trackPausedAt = paused ? time.now() : null;
      trackIndex = index;
      playedBeforeTrack = playedSoFar;
      trackSaved = from;
      if (paused) {
        started.pause();
      }
      if (stopOutcome != null) {
        started.stop();
      }
    }
    playback.changed(this);
    progress().ifPresent(p -> runs.saveProgress(runId, p));
    boolean ended = false;
    Duration endFade = session.sound().fadeOut();
    while (!ended) {
      Instant now = time.now();
      Instant fadeWake = Instant.MAX;
      if (!fadingOut()) {
        if (!now.isBefore(fadeOutAt)) {
          fadeOut(joined, Duration.between(now, deadline)); // a cut is ahead: fade until it
        } else {
          fadeWake = fadeOutAt;
          if (last && !endFade.isZero()) {
            Duration left = next.duration().minus(trackElapsed().orElse(Duration.ZERO));
            if (left.compareTo(endFade) <= 0) {
              fadeOut(joined, left.isNegative() ? Duration.ZERO : left);
              fadeWake = Instant.MAX;
            } else if (!isPaused()) {
              fadeWake = earliest(fadeWake, now.plus(left.minus(endFade)));
            }
          }
        }
      }
      Instant checkpoint = now.plus(PROGRESS_EVERY);
      boolean beforeDeadline = checkpoint.isBefore(deadline);
      Instant wake = beforeDeadline ? checkpoint : deadline;
      boolean fadeFirst = fadeWake.isBefore(wake);
      ended = time.await(started.ended(), fadeFirst ? fadeWake : wake);
      if (!ended && fadeFirst) {
        continue;
      }
      if (!ended && !beforeDeadline) {
        started.stop(); // the maximum duration is reached
        break;
      }
      if (!ended) {
        progress().ifPresent(p -> runs.saveProgress(runId, p));
      }
    }
    VoicePort.TrackEnd end = started.ended().getNow(VoicePort.TrackEnd.STOPPED);
    synchronized (this) {
      playing = null;
      track = null;
      trackStartedAt = null;
      trackPausedAt = null;
    }
    playback.changed(this);
    if (end == VoicePort.TrackEnd.FAILED) {
      notifier.trackSkipped(session, next.name(), "it could not be played");
      return false;
    }
    return true;
  }
}
