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
import java.util.Map;
import java.util.function.IntConsumer;
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
  /** Members (bots not counted) in each voice channel; none unless a test says. */
  private final Map<Long, Integer> members = new ConcurrentHashMap<>();
  private final Map<VoiceSlot, FakeConnection> open = new ConcurrentHashMap<>();
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
  public Connection join(VoiceSlot slot, long channelId, String topic) throws VoiceException {
    if (failingChannels.contains(channelId)) {
      throw new VoiceException("missing permission Connect in channel " + channelId);
    }
    log("join " + slot + " #" + channelId);
    FakeConnection joined = new FakeConnection(slot, channelId);
    open.put(slot, joined);
    return joined;
  }

  /** Someone else ends the slot's connection, as a moderator disconnecting the bot does. */
  public void disconnect(VoiceSlot slot, String reason) {
    FakeConnection connection = open.get(slot);
    if (connection != null) {
      log("disconnected " + slot + ": " + reason);
      connection.lost.complete(reason);
    }
  }

  /** Sets how many members (bots not counted) are in a voice channel; connections there are told. */
  public void members(long channelId, int count) {
    members.put(channelId, count);
    open.values().stream().filter(c -> c.channelId == channelId).forEach(c -> c.watchers.forEach(w -> w.accept(count)));
  }

  /** Whether the slot is in a voice channel now. */
  public boolean connected(VoiceSlot slot) {
    return open.containsKey(slot);
  }

  private final class FakeConnection implements Connection {
    private final VoiceSlot slot;
    private final long channelId;
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    private final List<IntConsumer> watchers = new CopyOnWriteArrayList<>();

    FakeConnection(VoiceSlot slot, long channelId) {
      this.slot = slot;
      this.channelId = channelId;
    }

    @Override
    public CompletableFuture<String> lost() {
      return lost;
    }

    @Override
    public int members() {
      return members.getOrDefault(channelId, 0);
    }

    @Override
    public void watchMembers(IntConsumer listener) {
      watchers.add(listener);
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
    public void fade(double from, double to, Duration over) {
      log("fade " + from + "->" + to + " over " + over.toMillis() + "ms in " + slot);
    }

    @Override
    public void leave() {
      open.remove(slot, this);
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
    /**
     * Started part-way and no frame played yet: LavaPlayer's executor takes the seek when it starts, and
     * reports the position of the last frame played, so a track resumed part-way and paused at once reports
     * 0 (measured in issue 12: the saved position dropped to 0).
     */
    private boolean seekPending;

    FakeTrack(Track track, VoiceSlot slot, Duration from) {
      this.track = track;
      this.slot = slot;
      this.remaining = track.duration().minus(from);
      this.seekPending = !from.isZero();
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
      if (seekPending) {
        if (paused || !time.now().isAfter(resumedAt)) {
          return Duration.ZERO;
        }
        seekPending = false;
      }
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
