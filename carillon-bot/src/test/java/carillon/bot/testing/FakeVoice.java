package carillon.bot.testing;

import carillon.bot.playback.Track;
import carillon.bot.playback.VoiceException;
import carillon.bot.playback.VoicePort;
import carillon.bot.playback.VoiceSlot;
import carillon.tasks.ManualTimeSource;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory voice side: a track plays for its duration in the test's virtual time, and pauses
 * really pause it. Everything that happens is logged as "time event" lines for assertions.
 */
public final class FakeVoice implements VoicePort {
  private final ManualTimeSource time;
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final Set<Long> failingChannels = ConcurrentHashMap.newKeySet();
  private volatile boolean killed;

  public FakeVoice(ManualTimeSource time) {
    this.time = time;
  }

  /** Simulates the process dying: tracks stop progressing and nothing more is logged. */
  public void kill() {
    killed = true;
  }

  private void log(String event) {
    if (!killed) {
      events.add(time.now() + " " + event);
    }
  }

  @Override
  public Connection join(VoiceSlot slot, long channelId) throws VoiceException {
    if (failingChannels.contains(channelId)) {
      throw new VoiceException("missing permission to connect to channel " + channelId);
    }
    log("join " + slot + " #" + channelId);
    return new FakeConnection(slot);
  }

  private final class FakeConnection implements Connection {
    private final VoiceSlot slot;

    FakeConnection(VoiceSlot slot) {
      this.slot = slot;
    }

    @Override
    public PlayingTrack play(Track track, Duration from) {
      log("play " + track.name() + (from.isZero() ? "" : " from " + from.toSeconds() + "s") + " in " + slot);
      return new FakeTrack(track, slot, from);
    }

    @Override
    public void volume(int percent) {
      if (percent != 100) {
        log("volume " + percent + " in " + slot);
      }
    }

    @Override
    public void leave() {
      log("leave " + slot);
    }
  }

  private final class FakeTrack implements PlayingTrack {
    private final Track track;
    private final VoiceSlot slot;
    private final CompletableFuture<TrackEnd> ended = new CompletableFuture<>();
    private final TimeSource.Timer end;
    private Duration remaining;
    private Instant resumedAt;
    private boolean paused;

    FakeTrack(Track track, VoiceSlot slot, Duration from) {
      this.track = track;
      this.slot = slot;
      this.remaining = track.duration().minus(from);
      this.end = time.timer("track " + track.name(), () -> finish(TrackEnd.FINISHED));
      this.resumedAt = time.now();
      end.arm(resumedAt.plus(remaining));
    }

    private void finish(TrackEnd how) {
      if (killed) {
        return;
      }
      synchronized (this) {
        if (ended.isDone()) {
          return;
        }
        log("end " + track.name() + " " + how + " in " + slot);
      }
      ended.complete(how);
    }

    @Override
    public CompletableFuture<TrackEnd> ended() {
      return ended;
    }

    @Override
    public synchronized Duration position() {
      Duration left = paused || ended.isDone() ? remaining : remaining.minus(Duration.between(resumedAt, time.now()));
      return track.duration().minus(left);
    }

    @Override
    public synchronized void pause() {
      if (end.cancel()) {
        paused = true;
        remaining = remaining.minus(Duration.between(resumedAt, time.now()));
        log("pause " + track.name());
      }
    }

    @Override
    public synchronized void resume() {
      if (!ended.isDone()) {
        paused = false;
        resumedAt = time.now();
        end.arm(resumedAt.plus(remaining));
        log("resume " + track.name());
      }
    }

    @Override
    public void stop() {
      end.cancel();
      finish(TrackEnd.STOPPED);
    }
  }
}
