package carillon.bot.cluster;

import carillon.tasks.TaskGroup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which gateway shards this process holds, and so which guilds it connects, plans, plays, takes commands for
 * and recovers. A guild is on shard {@code (guild_id >> 22) % shardCount} (Discord's sharding formula, the
 * same for every account when every account has the same shard count).
 *
 * <p>With SQLite ({@link #single}) one process holds every shard. With PostgreSQL ({@link #postgres}) each
 * shard index is held by a session advisory lock on one dedicated connection per process: PostgreSQL itself
 * releases the locks of a process whose connection ends (it exited, was killed, or its host vanished and
 * TCP keepalive gave up), so there is no lease to renew and no home-made consensus. Processes know each
 * other by a second advisory lock, one per process ("member"), counted in {@code pg_locks}; each holds at
 * most {@code ceil(shardCount / members)} shards, so a process that joins finds shards released for it and
 * the shards of one that died are taken by the others at their next {@link #interval() check}. The member
 * lock's key carries the process's shard count: a process whose count differs from the members' does not
 * join ({@link ShardCountMismatch}), and the members count only those with their own count.
 *
 * <p>Fencing: every check runs a query on the lock connection with a network timeout of one interval; a
 * process that cannot run it has lost its locks as far as it knows and calls {@link Listener#lost} at once.
 * A shard newly locked is handed to {@link Listener#gained} only after a {@link #fenceDelay() fence delay}
 * (two intervals and a half), by which time a previous holder whose backend has ended has failed a check and
 * stopped playing. Runs carry their owner too ({@code run.owner}), so a late write of a fenced-out process
 * changes nothing.
 */
public final class ShardOwnership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardOwnership.class);
  /**
   * The two advisory-lock namespaces (the first key of {@code pg_advisory_lock(int, int)}): 'CAR3', 'CAR2'.
   * A member lock's second key is {@code shardCount << 16 | n} ({@link #memberKey}), so that {@code pg_locks}
   * tells each member's shard count ('CAR1' held random keys without it).
   */
  static final int MEMBER_LOCKS = 0x43415233;
  static final int SHARD_LOCKS = 0x43415232;
  /** The largest shard count a member key holds (15 bits, so that the key stays a positive int). */
  public static final int MAX_SHARDS = 0x7FFF;
  /** How often a process checks its locks, counts members and takes or releases shards. */
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Told of shards this process starts or stops holding; called on the ownership thread, one call at a time. */
  public interface Listener {
    /** These shards are now this process's: start their guilds (hand long work off; do not block). */
    void gained(Set<Integer> shards);

    /**
     * These shards are no longer this process's, or may not be (its lock connection failed): stop playing
     * their guilds before returning, without recording the runs as ended (their new owner resumes them).
     */
    void lost(Set<Integer> shards);
  }

  /**
   * The processes already in the cluster have another shard count than this one: a guild would be on one
   * shard for them and another for this process, so this process does not join (its member lock is given up).
   */
  public static final class ShardCountMismatch extends SQLException {
    private final int ours;
    private final Set<Integer> theirs;

    ShardCountMismatch(int ours, Set<Integer> theirs) {
      super("this process has " + ours + " shard(s) but the processes already in the cluster have " + theirs.stream()
          .map(String::valueOf).collect(Collectors.joining(" and ")));
      this.ours = ours;
      this.theirs = Set.copyOf(theirs);
    }

    /** This process's shard count. */
    public int ours() {
      return ours;
    }

    /** The shard counts of the members already there (one, unless they disagree among themselves too). */
    public Set<Integer> theirs() {
      return theirs;
    }
  }

  /** Opens the dedicated lock connection (a plain JDBC connection to the store's PostgreSQL database). */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final int shardCount;
  private final String processId;
  private final ConnectionSource source;
  private final Duration interval;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> notices = new CopyOnWriteArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Executor timeouts = Executors.newVirtualThreadPerTaskExecutor();
  /** The shards handed to listeners (readable from any thread). */
  private volatile Set<Integer> owned = Set.of();

  // Touched only by the ownership thread (and start() before it runs).
  private Connection connection;
  private int memberKey;
  /** A connect failed and was logged; the next failure is not news, a success is. */
  private boolean unreachable;
  /** Which shards are busy (a run plays or is about to start in a guild of theirs): released last. */
  private volatile IntPredicate busy = shard -> false;
  /** Locked here, with the nanoTime each was locked at; given to listeners once the fence delay passed. */
  private final Map<Integer, Long> locked = new TreeMap<>();

  private ShardOwnership(int shardCount, String processId, ConnectionSource source, Duration interval) {
    if (shardCount < 1 || shardCount > MAX_SHARDS) {
      throw new IllegalArgumentException("shardCount must be 1 to " + MAX_SHARDS + ", not " + shardCount);
    }
    this.shardCount = shardCount;
    this.processId = processId;
    this.source = source;
    this.interval = interval;
  }

  /** The shard of a guild: Discord's {@code (guild_id >> 22) % shardCount}. */
  public static int shardOf(long guildId, int shardCount) {
    return (int) ((guildId >>> 22) % shardCount);
  }

  /** One process holds every shard (SQLite, one process per store): nothing to lock, nothing ever lost. */
  public static ShardOwnership single(int shardCount, String processId) {
    ShardOwnership all = new ShardOwnership(shardCount, processId, null, INTERVAL);
    Set<Integer> every = new TreeSet<>();
    for (int i = 0; i < shardCount; i++) {
      every.add(i);
    }
    all.owned = Set.copyOf(every);
    return all;
  }

  /**
   * Shards held by PostgreSQL advisory locks on a connection from {@code source}; nothing is held until
   * {@link #start}.
   */
  public static ShardOwnership postgres(int shardCount, String processId, ConnectionSource source) {
    return new ShardOwnership(shardCount, processId, source, INTERVAL);
  }

  /** As {@link #postgres(int, String, ConnectionSource)} with another check interval (tests). */
  static ShardOwnership postgres(int shardCount, String processId, ConnectionSource source, Duration interval) {
    return new ShardOwnership(shardCount, processId, source, interval);
  }

  public int shardCount() {
    return shardCount;
  }

  /** This process's name in the cluster, written as the owner of the runs it plays. */
  public String processId() {
    return processId;
  }

  /** How often the locks are checked. */
  public Duration interval() {
    return interval;
  }

  /**
   * How long after locking a shard this process waits before acting on it: a previous holder's backend
   * ended at most then, and that holder fails its next check (one interval) within its network timeout
   * (one interval), with half an interval to spare.
   */
  public Duration fenceDelay() {
    return interval.multipliedBy(5).dividedBy(2);
  }

  /**
   * The longest time from the end of a holder's PostgreSQL backend until another process has its shards:
   * one interval until the next check, the fence delay, and one interval of slack for the check itself.
   * PostgreSQL ends the backend at once when the process exits or is killed (its socket closes); a host
   * that vanishes is noticed by TCP keepalive ({@link #KEEPALIVE_OPTIONS}) first.
   */
  public Duration failoverBound() {
    return interval.multipliedBy(2).plus(fenceDelay());
  }

  /**
   * Connection options that make PostgreSQL notice a vanished client (no FIN, no RST) within about 10 s,
   * for the {@code options} property of the lock connection.
   */
  public static final String KEEPALIVE_OPTIONS =
      "-c tcp_keepalives_idle=4 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3";

  /** Whether this process holds the guild's shard now. */
  public boolean owns(long guildId) {
    return owned.contains(shardOf(guildId, shardCount));
  }

  /** The shards this process holds now (those handed to listeners). */
  public Set<Integer> shards() {
    return owned;
  }

  /**
   * Tells which shards are busy now (a run plays, or is about to start, in one of their guilds): when this
   * process releases shards for a process that joined, it releases idle ones first, so that no run moves
   * (a move is a few seconds of silence). Called on the ownership thread; answer from memory, quickly.
   */
  public void busyWhen(IntPredicate isBusy) {
    busy = isBusy;
  }

  /** Adds a listener; it is told of later changes only (read {@link #shards()} for the current ones). */
  public void listen(Listener listener) {
    listeners.add(listener);
  }

  /** The PostgreSQL channel processes tell each other of changes on ({@code NOTIFY carillon, 'payload'}). */
  public static final String CHANNEL = "carillon";

  /**
   * Adds a receiver of what other processes send on {@link #CHANNEL} (sessions edited, commands stored),
   * heard on the lock connection as soon as it arrives; called on the ownership thread (hand long work off).
   */
  public void onNotice(Consumer<String> receiver) {
    notices.add(receiver);
  }

  /**
   * Takes this process's first share of the shards, waits out the fence delay, hands them to listeners,
   * then keeps checking every interval on a task of {@code tasks} until {@link #close()}. With SQLite it
   * does nothing: every shard is held from the start.
   *
   * @throws SQLException if the lock connection cannot be opened
   */
  public void start(TaskGroup tasks) throws SQLException, InterruptedException {
    if (source == null) {
      return;
    }
    connect();
    check();
    if (!locked.isEmpty() && stop.await(fenceDelay().toNanos(), TimeUnit.NANOSECONDS)) {
      return;
    }
    check();
    tasks.spawn("shard ownership", () -> {
      while (!awaitNotices()) {
        check();
      }
    });
  }

  /**
   * Waits one interval for notices from other processes, handing each to the receivers as it comes.
   *
   * @return true when {@link #close()} was called
   */
  private boolean awaitNotices() throws InterruptedException {
    long deadline = System.nanoTime() + interval.toNanos();
    for (long left = interval.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      PGNotification[] received;
      synchronized (this) {
        if (stop.getCount() == 0) {
          return true;
        }
        if (connection == null) {
          received = null;
        } else {
          try {
            // Waits of half an interval at most: shorter than the network timeout, so a wait is never a failure.
            long waitMillis = Math.min(left / 1_000_000, interval.toMillis() / 2);
            received = connection.unwrap(PGConnection.class).getNotifications((int) Math.max(1, waitMillis));
          } catch (SQLException e) {
            connectionLost(e);
            received = null;
          }
        }
      }
      if (received == null) {
        return stop.await(left, TimeUnit.NANOSECONDS);
      }
      for (PGNotification notice : received) {
        notices.forEach(n -> n.accept(notice.getParameter()));
      }
    }
    return stop.getCount() == 0;
  }

  private void connect() throws SQLException {
    connection = source.open();
    connection.setAutoCommit(true);
    connection.setNetworkTimeout(timeouts, (int) interval.toMillis());
    try (Statement listen = connection.createStatement()) {
      listen.execute("LISTEN " + CHANNEL);
    }
    for (;;) {
      int key = memberKey(shardCount, ThreadLocalRandom.current().nextInt(1, 1 << 16));
      if (tryLock(MEMBER_LOCKS, key)) {
        memberKey = key;
        break;
      }
    }
    // Checked with this process's member lock held: of two processes with different counts that start at
    // once, each sees the other, and neither joins.
    Set<Integer> others = otherShardCounts();
    if (!others.isEmpty()) {
      try {
        connection.close(); // its member lock goes with it
      } catch (SQLException ignored) {
        // the lock goes when the backend ends either way
      }
      connection = null;
      throw new ShardCountMismatch(shardCount, others);
    }
    log.info("Cluster: process {} joined as member {}", processId, memberKey);
  }

  /** One check: the connection works, how many members, take or release shards, tell listeners. */
  private synchronized void check() {
    if (stop.getCount() == 0) {
      return;
    }
    try {
      if (connection == null) {
        connect();
        if (unreachable) {
          unreachable = false;
          log.info("Cluster: process {} reaches PostgreSQL again", processId);
        }
      }
      int members = members();
      int share = (shardCount + members - 1) / members;
      if (locked.size() > share) {
        release(locked.size() - share);
      }
      for (int i = 0; i < shardCount && locked.size() < share; i++) {
        int shard = (i + (memberKey & 0xFFFF)) % shardCount; // members start looking at different shards
        if (!locked.containsKey(shard) && tryLock(SHARD_LOCKS, shard)) {
          locked.put(shard, System.nanoTime());
          log.info("Cluster: process {} locked shard {} ({} member(s), share {})", processId, shard, members, share);
        }
      }
      Set<Integer> ready = new TreeSet<>();
      long now = System.nanoTime();
      locked.forEach((shard, at) -> {
        if (now - at >= fenceDelay().toNanos()) {
          ready.add(shard);
        }
      });
      ready.removeAll(owned);
      if (!ready.isEmpty()) {
        Set<Integer> next = new TreeSet<>(owned);
        next.addAll(ready);
        owned = Set.copyOf(next);
        log.info("Cluster: process {} now holds shards {} of {}", processId, new TreeSet<>(owned), shardCount);
        listeners.forEach(l -> l.gained(Set.copyOf(ready)));
      }
    } catch (SQLException e) {
      connectionLost(e);
    }
  }

  /**
   * Which {@code count} of the {@code held} shards to release: idle ones first (no run plays or is about to
   * start in their guilds, so nothing moves), busy ones only when too few are idle; highest first within each.
   */
  static List<Integer> toRelease(Set<Integer> held, int count, IntPredicate busy) {
    List<Integer> highestFirst = new TreeSet<>(held).descendingSet().stream().toList();
    List<Integer> order = new ArrayList<>(highestFirst.stream().filter(s -> !busy.test(s)).toList());
    order.addAll(highestFirst.stream().filter(busy::test).toList());
    return List.copyOf(order.subList(0, count));
  }

  /** Releases {@code count} shards, idle ones first ({@link #toRelease}): their guilds stop playing, then the lock goes. */
  private void release(int count) throws SQLException {
    Set<Integer> busyNow = new TreeSet<>();
    for (int shard : locked.keySet()) {
      try {
        if (busy.test(shard)) {
          busyNow.add(shard);
        }
      } catch (RuntimeException e) { // a bug in the answer must not cost the lock connection: taken as idle
        log.error("Cluster: process {} could not tell whether shard {} is busy", processId, shard, e);
      }
    }
    List<Integer> highest = toRelease(locked.keySet(), count, busyNow::contains);
    Set<Integer> going = Set.copyOf(highest);
    Set<Integer> wereOwned = new TreeSet<>(going);
    wereOwned.retainAll(owned);
    Set<Integer> next = new TreeSet<>(owned);
    next.removeAll(going);
    owned = Set.copyOf(next);
    if (!wereOwned.isEmpty()) {
      listeners.forEach(l -> l.lost(Set.copyOf(wereOwned)));
    }
    for (int shard : highest) {
      unlock(SHARD_LOCKS, shard);
      locked.remove(shard);
      log.info("Cluster: process {} released shard {} ({}) for a process that joined", processId, shard,
          busyNow.contains(shard) ? "busy: its runs are handed over" : "idle");
    }
    log.info("Cluster: process {} now holds shards {} of {}", processId, new TreeSet<>(owned), shardCount);
  }

  /** The lock connection failed: every shard may be gone; stop playing them all, reconnect at the next check. */
  private void connectionLost(SQLException e) {
    Set<Integer> were = owned;
    owned = Set.of();
    locked.clear();
    if (connection != null) {
      log.error("Cluster: process {} lost its lock connection to PostgreSQL ({}); stopping shards {} and reconnecting",
          processId, e.getMessage(), new TreeSet<>(were));
      try {
        connection.close(); // if the server still has the backend, this ends it and so releases its locks
      } catch (SQLException ignored) {
        // the connection is broken already
      }
      connection = null;
    } else if (!unreachable) {
      unreachable = true;
      log.warn("Cluster: process {} cannot connect to PostgreSQL for its shard locks: {}; trying every {} ms", processId,
          e.getMessage(), interval.toMillis());
    }
    if (!were.isEmpty()) {
      listeners.forEach(l -> l.lost(were));
    }
  }

  /** A member lock's second key: the shard count in the high bits, {@code n} (1 to 65535) in the low ones. */
  static int memberKey(int shardCount, int n) {
    return shardCount << 16 | n;
  }

  /** The members with this process's shard count (a member with another count is one that is refusing to join). */
  private int members() throws SQLException {
    try (PreparedStatement sql = connection.prepareStatement("""
        SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND classid::bigint = ? AND objid::bigint >> 16 = ?
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
      sql.setLong(1, MEMBER_LOCKS);
      sql.setLong(2, shardCount);
      try (ResultSet rs = sql.executeQuery()) {
        rs.next();
        return Math.max(1, rs.getInt(1));
      }
    }
  }

  /** The shard counts of the other members that differ from this process's. */
  private Set<Integer> otherShardCounts() throws SQLException {
    try (PreparedStatement sql = connection.prepareStatement("""
        SELECT DISTINCT objid::bigint >> 16 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND classid::bigint = ? AND objid::bigint >> 16 <> ?
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
      sql.setLong(1, MEMBER_LOCKS);
      sql.setLong(2, shardCount);
      Set<Integer> counts = new TreeSet<>();
      try (ResultSet rs = sql.executeQuery()) {
        while (rs.next()) {
          counts.add(rs.getInt(1));
        }
      }
      return counts;
    }
  }

  private boolean tryLock(int space, int key) throws SQLException {
    try (PreparedStatement sql = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
      sql.setInt(1, space);
      sql.setInt(2, key);
      try (ResultSet rs = sql.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void unlock(int space, int key) throws SQLException {
    try (PreparedStatement sql = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
      sql.setInt(1, space);
      sql.setInt(2, key);
      sql.execute();
    }
  }

  /** This process's member key (the second key of its member lock), for tests that end its backend. */
  int memberKeyForTests() {
    return memberKey;
  }

  /** Tells listeners every shard is lost, then releases the locks by closing the connection. Idempotent. */
  @Override
  public void close() {
    if (source == null || stop.getCount() == 0) {
      return;
    }
    synchronized (this) {
      stop.countDown();
      Set<Integer> were = owned;
      owned = Set.of();
      if (!were.isEmpty()) {
        listeners.forEach(l -> l.lost(were));
      }
      locked.clear();
      if (connection != null) {
        try (Statement sql = connection.createStatement()) {
          sql.execute("SELECT pg_advisory_unlock_all()");
        } catch (SQLException e) {
          log.warn("Cluster: process {} could not release its shard locks ({}); PostgreSQL does when the connection "
              + "closes", processId, e.getMessage());
        }
        try {
          connection.close();
        } catch (SQLException e) {
          log.warn("Cluster: process {} could not close its lock connection: {}", processId, e.getMessage());
        }
        connection = null;
      }
    }
  }
}
