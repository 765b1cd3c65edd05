package carillon.bot.web.live;

import carillon.bot.playback.ActiveRun;
import carillon.bot.playback.Playback;
import carillon.bot.playback.Slots;
import carillon.bot.playback.Track;
import carillon.bot.queue.CommandRecord;
import carillon.bot.run.Progress;
import carillon.bot.run.Run;
import carillon.bot.run.Runs;
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.bot.session.Sessions;
import carillon.bot.store.StoreUnavailableException;
import carillon.bot.web.commands.CommandView;
import carillon.bot.web.http.Principal;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of the voice slots, and the server-sent-event streams that follow it. Playback,
 * command and session changes arrive as signals (from playback threads, which must not wait); one hub
 * task turns them into events and hands each to the streams that may see its guild. A slot event is
 * sent only when what a slot plays changed (session, track, paused, volume), not as time passes: the
 * page counts elapsed time itself from {@code elapsedMs}.
 *
 * <p>Each stream has a bounded queue; a client that falls too far behind is disconnected (it reconnects
 * and gets a fresh snapshot) rather than holding memory.
 */
public final class LiveHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final int STREAM_QUEUE = 1_000;

  /** An event as sent: its name and JSON data. */
  record Event(String name, long guild, String data) {}

  private sealed interface Signal permits GuildSignal, CommandSignal, SessionSignal, Stop {}

  private record GuildSignal(long guild) implements Signal {}

  private record CommandSignal(CommandRecord command) implements Signal {}

  private record SessionSignal(long guild, long session) implements Signal {}

  private record Stop() implements Signal {}

  private final class Stream {
    final Principal principal;
    final Optional<Long> guild;
    final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(STREAM_QUEUE);
    volatile boolean overflowed;

    Stream(Principal principal, Optional<Long> guild) {
      this.principal = principal;
      this.guild = guild;
    }

    boolean wants(long eventGuild) {
      return principal.sees(eventGuild) && guild.map(g -> g == eventGuild).orElse(true);
    }

    void offer(Event event) {
      if (!queue.offer(event)) {
        overflowed = true;
      }
    }
  }

  private final Playback playback;
  private final Slots slots;
  private final Sessions sessions;
  private final TimeSource time;
  private final ObjectMapper json;
  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
  private final Set<Stream> streams = new CopyOnWriteArraySet<>();
  /** The guild of each session seen (a session never changes guild); hub task only. */
  private final Map<Long, Long> sessionGuilds = new HashMap<>();
  /** What each guild's slots played at the last event, to send only changes; hub task only. */
  private final Map<Long, List<List<Object>>> lastShape = new HashMap<>();
  private volatile boolean closed;
  private final Predicate<Principal> stillValid;
  private final LongPredicate holds;
  private final Runs runs;

  /**
   * @param stillValid whether a stream's credential still works (not revoked, login not ended): checked
   *     at least every {@link #HEARTBEAT}, so a revoked token's stream ends within that time
   */
  public LiveHub(Playback playback, Slots slots, Sessions sessions, TimeSource time, ObjectMapper json,
      Predicate<Principal> stillValid) {
    this(playback, slots, sessions, time, json, stillValid, guild -> true, null);
  }

  /**
   * @param holds whether this process holds the guild's shard (plays its sessions); for the others, a snapshot
   *     shows the guild's playing runs as the store has them ({@code runs}), last saved every few seconds
   */
  public LiveHub(Playback playback, Slots slots, Sessions sessions, TimeSource time, ObjectMapper json,
      Predicate<Principal> stillValid, LongPredicate holds, Runs runs) {
    this.holds = holds;
    this.runs = runs;
    this.stillValid = stillValid;
    this.playback = playback;
    this.slots = slots;
    this.sessions = sessions;
    this.time = time;
    this.json = json;
  }

  /** Starts the hub task in {@code tasks}; the sources' listeners are registered by the caller. */
  public void start(TaskGroup tasks) {
    tasks.spawn("live events", this::run);
  }

  public void runChanged(ActiveRun run) {
    signals.add(new GuildSignal(run.slot().guildId()));
  }

  public void commandFinished(CommandRecord command) {
    signals.add(new CommandSignal(command));
  }

  /** A session was created, edited, enabled or disabled (its guild is looked up), or deleted (the guild is given). */
  public void sessionChanged(long session) {
    signals.add(new SessionSignal(0, session));
  }

  public void sessionDeleted(long guild, long session) {
    signals.add(new SessionSignal(guild, session));
  }

  /** The slots of a guild now: each bot account, what it plays, how far it is. */
  Snapshot snapshot(long guild) {
    Instant now = time.now();
    if (!holds.test(guild)) {
      return fromStore(guild, now);
    }
    Map<String, ActiveRun> byAccount = new LinkedHashMap<>();
    for (ActiveRun run : playback.all()) {
      if (run.slot().guildId() == guild) {
        byAccount.put(run.slot().account(), run);
      }
    }
    Set<String> accounts = new LinkedHashSet<>(slots.accounts(guild));
    accounts.addAll(byAccount.keySet());
    List<Snapshot.Slot> out = new ArrayList<>();
    for (String account : accounts) {
      ActiveRun run = byAccount.get(account);
      if (run == null) {
        out.add(new Snapshot.Idle(account, "IDLE"));
        continue;
      }
      Snapshot.TrackNow playing = null;
      Optional<Track> track = run.currentTrack();
      if (track.isPresent()) {
        long trackElapsed = run.trackElapsed().map(Duration::toMillis).orElse(0L);
        long duration = track.get().duration().toMillis();
        playing = new Snapshot.TrackNow(track.get().id(), track.get().name(), duration, trackElapsed,
            Math.max(0, duration - trackElapsed));
      }
      out.add(new Snapshot.Playing(account, run.isPaused() ? "PAUSED" : "PLAYING",
          new Snapshot.SessionName(run.session().id(), run.session().name()), run.runId(), run.startedAt().orElse(null),
          run.startedAt().map(s -> Duration.between(s, now).toMillis()).orElse(0L), run.volume(), playing,
          run.session().maxDuration().map(Duration::toMillis).orElse(null),
          run.listeners().isPresent() ? run.listeners().getAsInt() : null,
          run.framesSent().isPresent() ? run.framesSent().getAsLong() : null, null));
    }
    return new Snapshot(String.valueOf(guild), now, out);
  }

  /**
   * A guild another process holds: its runs playing as the store has them (the account, paused and volume as
   * last saved, who plays it); what only the holder knows (the track now, listeners, packets) is null, and
   * idle accounts are this process's view of the guild.
   */
  private Snapshot fromStore(long guild, Instant now) {
    Map<String, Snapshot.Slot> byAccount = new LinkedHashMap<>();
    for (String account : slots.accounts(guild)) {
      byAccount.put(account, new Snapshot.Idle(account, "IDLE"));
    }
    for (Runs.Left left : runs.runningInGuild(guild)) {
      Run run = left.run();
      if (run.scheduledAt().isAfter(now)) {
        continue; // claimed ahead of its start: not playing yet
      }
      Optional<Session> session = sessions.find(run.sessionId());
      if (session.isEmpty()) {
        continue;
      }
      String account = run.account().orElse("");
      boolean paused = left.progress().map(Progress::paused).orElse(false);
      int volume = left.progress().map(Progress::volume).orElse(SessionLimits.DEFAULT_VOLUME);
      byAccount.put(account, new Snapshot.Playing(account, paused ? "PAUSED" : "PLAYING",
          new Snapshot.SessionName(session.get().id(), session.get().name()), run.id(), run.startedAt().orElse(null),
          run.startedAt().map(s -> Duration.between(s, now).toMillis()).orElse(0L), volume, null,
          session.get().maxDuration().map(Duration::toMillis).orElse(null), null, null, left.owner().orElse(null)));
    }
    return new Snapshot(String.valueOf(guild), now, List.copyOf(byAccount.values()));
  }

  /** What the slots play, without the time that passes: equal shapes need no event. */
  private List<List<Object>> shape(long guild) {
    List<List<Object>> shape = new ArrayList<>();
    for (ActiveRun run : playback.all()) {
      if (run.slot().guildId() == guild) {
        shape.add(Arrays.asList(run.slot().account(), run.runId(), run.isPaused(), run.volume(),
            run.currentTrack().map(Track::id).orElse(null)));
      }
    }
    shape.sort(Comparator.comparing(l -> (String) l.getFirst()));
    shape.add(List.copyOf(slots.accounts(guild)));
    return shape;
  }

  /**
   * Serves one event stream until the client goes away, the credential expires or the server stops:
   * a snapshot of each guild first, then changes, and a comment every 15 s to keep proxies from
   * closing the connection (and to notice a client that left).
   */
  void stream(SseClient client, Principal principal, Optional<Long> guild, List<Long> visibleGuilds) {
    Stream stream = new Stream(principal, guild);
    streams.add(stream);
    try {
      for (long g : visibleGuilds) {
        client.sendEvent("slots", write(snapshot(g)));
      }
      Instant checked = time.now();
      while (!closed && !client.terminated()) {
        Event event;
        try {
          event = stream.queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (stream.overflowed || !principal.expiresAt().isAfter(time.now())) {
          return;
        }
        if (!time.now().isBefore(checked.plus(HEARTBEAT))) {
          checked = time.now();
          if (!stillValid.test(principal)) {
            return; // the token was revoked, or the login ended, since the stream began
          }
        }
        if (client.terminated()) {
          return;
        }
        if (event == null) {
          client.sendComment("keep-alive");
        } else if (event.name() != null) {
          client.sendEvent(event.name(), event.data());
        }
      }
    } finally {
      streams.remove(stream);
      client.close();
      synchronized (streams) {
        streams.notifyAll();
      }
    }
  }

  private void run() {
    List<Signal> batch = new ArrayList<>();
    try {
      while (!closed) {
        batch.add(signals.take());
        signals.drainTo(batch);
        Set<Long> guilds = new LinkedHashSet<>();
        for (Signal signal : batch) {
          switch (signal) {
            case GuildSignal g -> guilds.add(g.guild());
            case CommandSignal c -> publishCommand(c.command());
            case SessionSignal s -> publishSession(s);
            case Stop stop -> {
              return;
            }
          }
        }
        batch.clear();
        guilds.forEach(this::publishSlots);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publishSlots(long guild) {
    List<List<Object>> shape = shape(guild);
    if (Objects.equals(lastShape.put(guild, shape), shape)) {
      return;
    }
    publish(new Event("slots", guild, write(snapshot(guild))));
  }

  private void publishSession(SessionSignal signal) {
    boolean deleted = signal.guild() != 0;
    // Session changes are rare: ask the store, which also says when a session is gone.
    Optional<Long> guild;
    try {
      guild = deleted ? Optional.of(signal.guild()) : sessions.guildOf(signal.session());
    } catch (StoreUnavailableException e) {
      return; // a session cannot change while the store is unavailable; this is an earlier change's echo
    }
    if (deleted || guild.isEmpty()) {
      sessionGuilds.remove(signal.session());
    }
    if (guild.isEmpty()) {
      return; // deleted: the deleting request says so, with the guild
    }
    publish(new Event("session", guild.get(), write(new Snapshot.SessionChange(signal.session(),
        String.valueOf(guild.get()), deleted))));
  }

  private void publishCommand(CommandRecord command) {
    Optional<Long> guild;
    try {
      guild = guildOf(command.sessionId());
    } catch (StoreUnavailableException e) {
      return; // the store cannot say whose it is now; the page reads the command's end when it reloads
    }
    if (guild.isEmpty()) {
      return; // its session is gone: no guild's page shows it
    }
    publish(new Event("command", guild.get(), write(CommandView.of(command))));
  }

  private Optional<Long> guildOf(long session) {
    Long known = sessionGuilds.get(session);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Long> guild = sessions.guildOf(session);
    guild.ifPresent(g -> sessionGuilds.put(session, g));
    return guild;
  }

  private void publish(Event event) {
    for (Stream stream : streams) {
      if (stream.wants(event.guild())) {
        stream.offer(event);
      }
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a live event as JSON", e);
    }
  }

  /** Ends the hub task and every stream, without waiting for the streams to end. */
  @Override
  public void close() {
    closed = true;
    signals.add(new Stop());
    for (Stream stream : streams) {
      stream.offer(new Event(null, 0, null)); // wakes the stream's loop, which sees closed
    }
    log.debug("Live hub closed");
  }

  /**
   * Ends the hub task and every stream, and waits up to {@code wait} for the streams to end (a stream stuck
   * writing to a client that does not read may take longer).
   *
   * @return whether every stream ended in time
   */
  public boolean close(Duration wait) {
    close();
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (streams) {
      while (!streams.isEmpty()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          log.debug("{} live event streams still open after {}", streams.size(), wait);
          return false;
        }
        try {
          streams.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }
}
