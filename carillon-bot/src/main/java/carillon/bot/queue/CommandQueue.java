package carillon.bot.queue;

import carillon.bot.playback.ActiveRun;
import carillon.bot.playback.Playback;
import carillon.bot.playback.RefusedException;
import carillon.bot.playback.SessionStarter;
import carillon.bot.session.FieldError;
import carillon.bot.session.Session;
import carillon.bot.session.Sessions;
import carillon.bot.store.Database;
import carillon.bot.store.StoreUnavailableException;
import carillon.tasks.TaskGroup;
import carillon.tasks.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable command queue, the one way in for commands from the REST API, the admin page and the
 * slash command (each reads its input with {@link CommandParser}). A command is written to the database
 * before {@link #submit} returns, then applied at once in this process; commands of one guild (so of one
 * voice slot) apply in order. Each ends DONE, REJECTED or FAILED with a result a person reads: a PLAY is
 * DONE once its run has joined the voice channel, and FAILED with the reason if it could not. Commands left pending by a crash are
 * applied by {@link #recover()} at start-up; one that was being applied when the process died is
 * marked failed, never repeated (a repeated play could play a session twice).
 */
public final class CommandQueue {
  private static final Logger log = LoggerFactory.getLogger(CommandQueue.class);
  /** How long a PLAY waits for its run to join the voice channel before it reports the run as still joining. */
  static final Duration JOIN_WAIT = Duration.ofSeconds(30);

  private final CommandStore store;
  private final Sessions sessions;
  private final SessionStarter starter;
  private final Playback playback;
  private final TaskGroup tasks;
  private final TimeSource time;
  private final Map<Long, CompletableFuture<CommandRecord>> completions = new ConcurrentHashMap<>();
  /** Commands waiting per guild; a guild has an entry while its drain task runs. Guarded by itself. */
  private final Map<Long, Deque<CommandRecord>> lanes = new HashMap<>();
  private final List<Consumer<CommandRecord>> dispatchListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<CommandRecord>> finishListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private final LongPredicate ownsGuild;
  /** Commands handed to a lane here (so never twice). */
  private final Set<Long> dispatched = ConcurrentHashMap.newKeySet();
  private final List<Consumer<CommandRecord>> leftForOthers = new CopyOnWriteArrayList<>();

  public CommandQueue(Database db, Sessions sessions, SessionStarter starter, Playback playback, TaskGroup tasks,
      TimeSource time) {
    this(new SqlCommandStore(db), sessions, starter, playback, tasks, time);
  }

  /**
   * @param ownsGuild whether this process holds the guild's shard ({@code cluster.ShardOwnership#owns}): a
   *     command of another guild is stored and left PENDING for the process that holds it, which takes it up
   *     with {@link #takeUp()}; whoever submitted it waits on the store ({@link #takeUp()} again)
   */
  public CommandQueue(Database db, Sessions sessions, SessionStarter starter, Playback playback, TaskGroup tasks,
      TimeSource time, LongPredicate ownsGuild) {
    this(new SqlCommandStore(db), sessions, starter, playback, tasks, time, ownsGuild);
  }

  CommandQueue(CommandStore store, Sessions sessions, SessionStarter starter, Playback playback, TaskGroup tasks,
      TimeSource time) {
    this(store, sessions, starter, playback, tasks, time, guildId -> true);
  }

  CommandQueue(CommandStore store, Sessions sessions, SessionStarter starter, Playback playback, TaskGroup tasks,
      TimeSource time, LongPredicate ownsGuild) {
    this.ownsGuild = ownsGuild;
    this.store = store;
    this.sessions = sessions;
    this.starter = starter;
    this.playback = playback;
    this.tasks = tasks;
    this.time = time;
  }

  /**
   * Stores the command and starts applying it.
   *
   * @return the stored command, PENDING (or already further along)
   * @throws InvalidCommandException if a field is missing or out of range; nothing is stored
   * @throws QueueClosedException if Carillon is shutting down; nothing is stored
   */
  public CommandRecord submit(CommandRequest request) throws InvalidCommandException {
    return accept(request).record();
  }

  /** A command submitted with an idempotency key, and whether an earlier request with that key stored it. */
  public record Submitted(CommandRecord command, boolean replayed) {}

  /**
   * How long an idempotency key is remembered after its command was requested: a retry within this time
   * finds the first command; after it, the key makes a new one.
   */
  public static final Duration KEY_KEPT = Duration.ofHours(24);

  /**
   * Stores the command and starts applying it, once per {@code key}: when a command requested in the last
   * {@link #KEY_KEPT} was stored with the same key, nothing is stored and that command is returned as it is
   * now (a client retrying after a lost answer gets the first result, not a second command).
   *
   * @param key the idempotency key, already scoped to who sent it (two clients' keys never meet)
   * @throws KeyReusedException if the key's command is another one (kind, session or volume); nothing is stored
   * @throws InvalidCommandException if a field is missing or out of range; nothing is stored
   * @throws QueueClosedException if Carillon is shutting down; nothing is stored
   */
  public Submitted submitOnce(CommandRequest request, String key) throws InvalidCommandException, KeyReusedException {
    checkAcceptable(request);
    Instant now = time.now();
    String requestedBy = request.requestedBy().strip();
    CommandStore.Keyed stored = store.insertOnce(request, requestedBy, now, key, now.minus(KEY_KEPT));
    if (stored.earlier().isPresent()) {
      CommandRecord first = stored.earlier().get();
      if (first.kind() != request.kind() || first.sessionId() != request.sessionId()
          || !first.volume().equals(Optional.ofNullable(request.volume()))) {
        throw new KeyReusedException(first);
      }
      return new Submitted(first, true);
    }
    return new Submitted(accept(stored.insertedId(), request, requestedBy, now).record(), false);
  }

  /** Refuses a command while shutting down, and a malformed one; nothing is stored either way. */
  private void checkAcceptable(CommandRequest request) throws InvalidCommandException {
    if (closed) {
      throw new QueueClosedException();
    }
    List<FieldError> problems = CommandParser.problems(request);
    if (!problems.isEmpty()) {
      throw new InvalidCommandException(problems);
    }
  }

  /** A command just stored, and what completes when it ends (held here: the map's entry goes when it ends). */
  private record Accepted(CommandRecord record, CompletableFuture<CommandRecord> completion) {}

  private Accepted accept(CommandRequest request) throws InvalidCommandException {
    checkAcceptable(request);
    Instant now = time.now();
    String requestedBy = request.requestedBy().strip();
    return accept(store.insert(request, requestedBy, now), request, requestedBy, now);
  }

  private Accepted accept(long id, CommandRequest request, String requestedBy, Instant now) {
    // Millisecond precision, as stored, so the record equals what find() returns.
    CommandRecord accepted = new CommandRecord(id, request.kind(), request.sessionId(),
        Optional.ofNullable(request.volume()), request.source(), requestedBy, Instant.ofEpochMilli(now.toEpochMilli()),
        CommandStatus.PENDING, Optional.empty(), Optional.empty());
    CompletableFuture<CommandRecord> completion = new CompletableFuture<>();
    completions.put(id, completion);
    enqueue(accepted);
    return new Accepted(accepted, completion);
  }

  /**
   * Stores the command, starts applying it, and waits up to {@code timeout} (on the injected time source)
   * for its final status.
   *
   * @return the command, final (DONE, REJECTED, FAILED) or, if the timeout passed first, as it is now
   * @throws InvalidCommandException if a field is missing or out of range; nothing is stored
   * @throws QueueClosedException if Carillon is shutting down; nothing is stored
   * @throws InterruptedException if the waiting thread is interrupted; the command goes on
   */
  public CommandRecord submitAndWait(CommandRequest request, Duration timeout)
      throws InvalidCommandException, InterruptedException {
    Accepted accepted = accept(request);
    if (time.await(accepted.completion(), time.now().plus(timeout))) {
      return accepted.completion().join();
    }
    try {
      return find(accepted.record().id()).orElse(accepted.record());
    } catch (StoreUnavailableException e) {
      return accepted.record(); // stored and under way: its status so far is what this process knows
    }
  }

  /**
   * Shutdown: no command is accepted from now on, and none not yet started is applied. Those stay
   * PENDING in the store and are applied by {@link #recover()} at the next start.
   */
  public void close() {
    closed = true;
  }

  /** Called on the dispatching thread when a command starts being applied. */
  public void onDispatched(Consumer<CommandRecord> listener) {
    dispatchListeners.add(listener);
  }

  /**
   * Called when a command is stored for a guild another process holds (in a cluster, to tell that process
   * at once instead of at its next look).
   */
  public void onLeftForAnother(Consumer<CommandRecord> listener) {
    leftForOthers.add(listener);
  }

  /** Called when a command reached its final status (the live page shows results with it). */
  public void onFinished(Consumer<CommandRecord> listener) {
    finishListeners.add(listener);
  }

  /** Applies the commands a crash left behind (call once at start-up, before taking new ones). */
  public void recover() {
    int interrupted = store.failRunning(time.now(), INTERRUPTED, ownsGuild, Set.of());
    if (interrupted > 0) {
      log.warn("{} commands were being applied when the process stopped; marked failed", interrupted);
    }
    List<CommandRecord> pending = store.pending(ownsGuild);
    for (CommandRecord command : pending) {
      completions.putIfAbsent(command.id(), new CompletableFuture<>());
      enqueue(command);
    }
    if (!pending.isEmpty()) {
      log.info("Applying {} commands left pending by the last run", pending.size());
    }
  }

  /** The result of a command that was being applied when the process applying it stopped. */
  private static final String INTERRUPTED = "the process stopped while this command was being applied; it was not repeated";

  /**
   * In a cluster, when this process has taken shards (and resumed their runs): the commands of their guilds
   * that a process which died was applying (RUNNING) end FAILED, not repeated, as {@link #recover()} does at
   * start-up; then the pending ones are taken up ({@link #takeUp()}). Commands this process is applying
   * itself are left alone.
   *
   * @param inGuild the guilds of the shards taken
   */
  public void takeOver(LongPredicate inGuild) {
    int interrupted = store.failRunning(time.now(), INTERRUPTED, inGuild, Set.copyOf(dispatched));
    if (interrupted > 0) {
      log.warn("{} commands were being applied by a process that stopped; marked failed", interrupted);
    }
    takeUp();
  }

  /**
   * In a cluster, called every second and when this process takes shards: applies the PENDING commands of
   * guilds it holds that another process stored (or that a process which died left), and completes this
   * process's waits ({@code ?wait=}) for commands another process carried out.
   */
  public void takeUp() {
    if (closed) {
      return;
    }
    for (CommandRecord command : store.pending(ownsGuild)) {
      if (!dispatched.contains(command.id())) {
        completions.putIfAbsent(command.id(), new CompletableFuture<>());
        enqueue(command);
      }
    }
    for (var entry : completions.entrySet()) {
      if (!dispatched.contains(entry.getKey())) {
        store.find(entry.getKey()).filter(c -> c.status().isFinal()).ifPresent(done -> {
          completions.remove(done.id());
          entry.getValue().complete(done);
        });
      }
    }
  }

  public Optional<CommandRecord> find(long id) {
    return store.find(id);
  }

  /** The newest commands first. */
  public List<CommandRecord> recent(int limit) {
    return store.recent(limit);
  }

  /**
   * The commands of a guild's sessions, newest first: at most {@code limit}, with ids below
   * {@code beforeId}. Commands of deleted sessions are no longer in any guild.
   */
  public List<CommandRecord> inGuild(long guildId, int limit, long beforeId) {
    return store.inGuild(guildId, limit, beforeId);
  }

  /** Completes with the command once it is DONE, REJECTED or FAILED. */
  public CompletableFuture<CommandRecord> completion(long id) {
    CompletableFuture<CommandRecord> pending = completions.get(id);
    if (pending != null) {
      return pending;
    }
    return find(id).filter(c -> c.status().isFinal()).map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.failedFuture(new IllegalArgumentException("no command with id " + id)));
  }

  // ---- dispatch: one lane per guild

  private void enqueue(CommandRecord command) {
    long lane = laneOf(command);
    if (lane != 0 && !ownsGuild.test(lane)) {
      tell(leftForOthers, command); // stored PENDING: the process that holds the guild's shard carries it out
      return;
    }
    if (!dispatched.add(command.id())) {
      return;
    }
    boolean startDrain;
    synchronized (lanes) {
      Deque<CommandRecord> queue = lanes.get(lane);
      startDrain = queue == null;
      if (startDrain) {
        queue = new ArrayDeque<>();
        lanes.put(lane, queue);
      }
      queue.addLast(command);
    }
    if (startDrain) {
      tasks.spawn("commands of guild " + lane, () -> drain(lane));
    }
  }

  /** The command's guild; lane 0 if the store cannot say now (stored already, the command must still end). */
  private long laneOf(CommandRecord command) {
    try {
      return sessions.guildOf(command.sessionId()).orElse(0L);
    } catch (StoreUnavailableException e) {
      return 0L;
    }
  }

  /**
   * Applies the lane's commands in order until it is empty. Every way out releases the lane, so that the
   * guild's next command starts a new drain: a bug that escapes {@link #apply} is loud (the task fails and
   * is logged) and the commands behind it are handed to a new drain.
   */
  private void drain(long lane) {
    boolean released = false;
    try {
      while (true) {
        CommandRecord next;
        synchronized (lanes) {
          Deque<CommandRecord> queue = lanes.get(lane);
          next = closed ? null : queue.pollFirst();
          if (next == null) {
            lanes.remove(lane);
            released = true;
            return;
          }
        }
        apply(lane, next);
      }
    } finally {
      if (!released) {
        boolean more;
        synchronized (lanes) {
          Deque<CommandRecord> queue = lanes.get(lane);
          more = !closed && queue != null && !queue.isEmpty();
          if (!more) {
            lanes.remove(lane);
          }
        }
        if (more) {
          tasks.spawn("commands of guild " + lane, () -> drain(lane));
        }
      }
    }
  }

  /**
   * Applies one command and ends it for whoever waits on it, whatever fails: a listener's bug is logged
   * and skipped; a command the store could not mark RUNNING is not applied (a crash would apply it again)
   * and ends FAILED; a final status the store did not take is logged, and the waiters still get it.
   *
   * <p>In a cluster a command is carried out only by the process whose claim ({@link CommandStore#claim},
   * PENDING to RUNNING as one compare-and-set) succeeded: when its guild's shard moves while the command
   * waits in this lane, both the old and the new holder may try, and the loser leaves it (its waiters
   * complete from the store, {@link #takeUp()}). A lane whose guild is no longer held here does not try.
   */
  private void apply(long lane, CommandRecord command) {
    long commandId = command.id();
    CommandStatus status = CommandStatus.FAILED;
    String result = "internal error: the command was not applied";
    Instant finishedAt = null;
    boolean leftToAnother = false;
    try {
      tell(dispatchListeners, command);
      boolean running = false;
      try {
        if (lane != 0 && !ownsGuild.test(lane)) {
          // The guild's shard moved to another process while the command waited in this lane: it stays
          // PENDING for the new holder, which takes it up; a wait here completes from the store.
          leftToAnother = true;
        } else if (store.claim(commandId)) {
          running = true;
        } else {
          // Another process claimed it first (its shard moved while it was queued here): that one carries it out.
          leftToAnother = true;
        }
        if (leftToAnother) {
          log.info("Command {} ({} of session {}) is left to the process that now holds its guild", commandId,
              command.kind(), command.sessionId());
        }
      } catch (StoreUnavailableException e) {
        // The store's state is logged once by the store, not once per command.
        result = "not applied: Carillon's store is unavailable; try again when it is back";
      } catch (JdbiException e) {
        log.error("Command {} is not applied: the store did not take its start: {}", commandId, e.getMessage());
        result = "not applied: the store failed (" + e.getMessage() + "); try again";
      }
      if (running) {
        try {
          result = carryOut(command);
          status = CommandStatus.DONE;
        } catch (RefusedException e) {
          status = CommandStatus.REJECTED;
          result = e.getMessage();
        } catch (NotCarriedOut e) {
          status = CommandStatus.FAILED;
          result = e.getMessage();
        } catch (StoreUnavailableException e) {
          status = CommandStatus.FAILED;
          result = "not applied: Carillon's store is unavailable; try again when it is back";
        } catch (RuntimeException e) {
          // A bug: loud in the log, and the command still ends with a status.
          log.error("Command {} ({} of session {}) failed", commandId, command.kind(), command.sessionId(), e);
          status = CommandStatus.FAILED;
          result = "internal error: " + e;
        }
      }
      if (!leftToAnother) {
        finishedAt = Instant.ofEpochMilli(time.now().toEpochMilli());
        try {
          setStatus(commandId, status, result, finishedAt); // kept and written later if the store is unavailable
        } catch (JdbiException e) {
          log.error("Command {} ended {} but the store did not take it: {}", commandId, status, e.getMessage());
        }
        tell(finishListeners, ended(command, status, result, finishedAt));
      }
    } finally {
      if (leftToAnother) {
        // Not this process's to end: takeUp() completes a wait here once the store has the final status.
        dispatched.remove(commandId);
      } else {
        CompletableFuture<CommandRecord> completion = completions.remove(commandId);
        if (completion != null) {
          completion.complete(ended(command, status, result,
              finishedAt != null ? finishedAt : Instant.ofEpochMilli(time.now().toEpochMilli())));
        }
      }
    }
    if (leftToAnother) {
      tell(leftForOthers, command);
    }
  }

  private static CommandRecord ended(CommandRecord command, CommandStatus status, String result, Instant finishedAt) {
    return new CommandRecord(command.id(), command.kind(), command.sessionId(), command.volume(), command.source(),
        command.requestedBy(), command.requestedAt(), status, Optional.of(result), Optional.of(finishedAt));
  }

  /** Listeners are the live page and tests: a bug in one is logged and never stops a command. */
  private static void tell(List<Consumer<CommandRecord>> listeners, CommandRecord command) {
    for (Consumer<CommandRecord> listener : listeners) {
      try {
        listener.accept(command);
      } catch (RuntimeException e) {
        log.error("A command listener failed on command {}", command.id(), e);
      }
    }
  }

  /** The command was accepted but could not be carried out (a PLAY whose run could not join voice). */
  private static final class NotCarriedOut extends Exception {
    NotCarriedOut(String reason) {
      super(reason, null, false, false);
    }
  }

  private String carryOut(CommandRecord command) throws RefusedException, NotCarriedOut {
    Session session = sessions.find(command.sessionId())
        .orElseThrow(() -> new RefusedException("there is no session with id " + command.sessionId()));
    if (command.kind() == CommandKind.PLAY) {
      return play(session);
    }
    ActiveRun run = playback.active(session.id())
        .orElseThrow(() -> new RefusedException("nothing is playing in '" + session.name() + "'"));
    return switch (command.kind()) {
      case PAUSE -> run.pause();
      case RESUME -> run.resume();
      case SKIP -> run.skip();
      case STOP -> run.stop();
      case VOLUME -> run.volume(command.volume().orElseThrow());
      case PLAY -> throw new AssertionError("handled above");
    };
  }

  /** Starts the session and reports how that went once its run joined the voice channel (or could not). */
  private String play(Session session) throws RefusedException, NotCarriedOut {
    ActiveRun run = starter.startNow(session.id());
    String started = "started '" + session.name() + "' with " + run.slot().account();
    Optional<String> notJoined;
    try {
      if (!time.await(run.joinedVoice(), time.now().plus(JOIN_WAIT))) {
        return started + "; still joining the voice channel after " + JOIN_WAIT.toSeconds() + " s";
      }
      notJoined = run.joinedVoice().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return started + "; still joining the voice channel when Carillon stopped waiting";
    }
    if (notJoined.isPresent()) {
      throw new NotCarriedOut("'" + session.name() + "' could not start: " + notJoined.get());
    }
    return started;
  }

  private void setStatus(long id, CommandStatus status, String result, Instant finishedAt) {
    store.setStatus(id, status, result, finishedAt);
  }
}
