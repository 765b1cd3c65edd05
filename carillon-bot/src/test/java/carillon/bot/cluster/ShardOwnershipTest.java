package carillon.bot.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.bot.testing.PostgresServer;
import carillon.tasks.TaskGroup;
import carillon.testing.ExpectedLog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shard ownership on a real PostgreSQL: shards spread evenly over the processes, a joining process takes its
 * share, the shards of a process whose connection ended are taken by the others, and at no moment do two
 * processes act on one shard (a process that loses its connection stops before another starts).
 */
class ShardOwnershipTest {
  @RegisterExtension static final PostgresServer postgres = new PostgresServer();
  private static final Duration INTERVAL = Duration.ofMillis(200);

  private final TaskGroup tasks = TaskGroup.create("test");
  private final List<ShardOwnership> started = new ArrayList<>();
  /** Which process acts on each shard now, as listeners are told; a second holder is recorded as a clash. */
  private final Map<Integer, String> holders = new ConcurrentHashMap<>();
  private final List<String> clashes = new CopyOnWriteArrayList<>();
  /** Every gained and lost, in order, as "process +shard" or "process -shard". */
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() {
    started.forEach(ShardOwnership::close);
    tasks.shutdown(Duration.ofSeconds(5));
  }

  private ShardOwnership process(String name, int shards) throws Exception {
    return process(name, shards, new AtomicBoolean(true));
  }

  /** A process that reaches PostgreSQL while {@code reachable} is true (its host cut off, else). */
  private ShardOwnership process(String name, int shards, AtomicBoolean reachable) throws Exception {
    String url = postgres.jdbcUrl();
    ShardOwnership ownership = ShardOwnership.postgres(shards, name, () -> {
      if (!reachable.get()) {
        throw new SQLException("connection refused (cut off by the test)");
      }
      return DriverManager.getConnection(url, "postgres", "postgres");
    }, INTERVAL);
    ownership.listen(new ShardOwnership.Listener() {
      @Override
      public void gained(Set<Integer> gained) {
        for (int shard : gained) {
          events.add(name + " +" + shard);
          String before = holders.putIfAbsent(shard, name);
          if (before != null) {
            clashes.add("shard " + shard + " gained by " + name + " while " + before + " held it");
          }
        }
      }

      @Override
      public void lost(Set<Integer> lost) {
        for (int shard : lost) {
          events.add(name + " -" + shard);
          holders.remove(shard, name);
        }
      }
    });
    started.add(ownership);
    ownership.start(tasks);
    return ownership;
  }

  private static Set<Integer> union(ShardOwnership... processes) {
    Set<Integer> all = new TreeSet<>();
    for (ShardOwnership p : processes) {
      all.addAll(p.shards());
    }
    return all;
  }

  @Test
  void oneProcessHoldsEveryShardAndJoiningProcessesTakeTheirShare() throws Exception {
    ShardOwnership a = process("a", 6);
    assertThat(a.shards()).as("alone, after start").containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);

    ShardOwnership b = process("b", 6);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(a.shards()).hasSize(3);
      assertThat(b.shards()).hasSize(3);
      assertThat(union(a, b)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    });

    ShardOwnership c = process("c", 6);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(a.shards()).hasSize(2);
      assertThat(b.shards()).hasSize(2);
      assertThat(c.shards()).hasSize(2);
      assertThat(union(a, b, c)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    });
    assertThat(clashes).isEmpty();
    for (int guildShard = 0; guildShard < 6; guildShard++) {
      long guildId = ((long) guildShard) << 22;
      int owners = (a.owns(guildId) ? 1 : 0) + (b.owns(guildId) ? 1 : 0) + (c.owns(guildId) ? 1 : 0);
      assertThat(owners).as("owners of a guild on shard %d", guildShard).isEqualTo(1);
    }
  }

  /** What one process tells the others (a session edited, a command stored) reaches them on the lock connection. */
  @Test
  void aNoticeSentByOneProcessReachesTheOthers() throws Exception {
    ShardOwnership a = process("a", 2);
    List<String> heard = new CopyOnWriteArrayList<>();
    a.onNotice(heard::add);
    try (Connection other = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "postgres");
         PreparedStatement sql = other.prepareStatement("SELECT pg_notify(?, ?)")) {
      sql.setString(1, ShardOwnership.CHANNEL);
      sql.setString(2, "session 42 b");
      sql.execute();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("session 42 b"));
    assertThat(heard).containsExactly("session 42 b");
  }

  @Test
  void aClosedProcessesShardsAreTakenByTheOthers() throws Exception {
    ShardOwnership a = process("a", 4);
    ShardOwnership b = process("b", 4);
    await().atMost(Duration.ofSeconds(20)).until(() -> a.shards().size() == 2 && b.shards().size() == 2);

    b.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> a.shards().size() == 4);
    assertThat(clashes).isEmpty();
  }

  @Test
  @ExpectedLog(logger = "carillon.bot.cluster.ShardOwnership", message = "lost its lock connection")
  @ExpectedLog(logger = "carillon.bot.cluster.ShardOwnership", message = "cannot connect")
  void aProcessWhoseBackendEndsStopsItsShardsBeforeAnotherTakesThem() throws Exception {
    ShardOwnership a = process("a", 4);
    AtomicBoolean bReachable = new AtomicBoolean(true);
    ShardOwnership b = process("b", 4, bReachable);
    await().atMost(Duration.ofSeconds(20)).until(() -> a.shards().size() == 2 && b.shards().size() == 2);
    Set<Integer> bHeld = b.shards();

    // What PostgreSQL does when b's process is killed or its host vanishes: b's backend ends, its locks go.
    bReachable.set(false);
    long ended = System.nanoTime();
    try (Connection admin = postgres.admin();
         PreparedStatement sql = admin.prepareStatement("""
             SELECT pg_terminate_backend(pid) FROM pg_locks
             WHERE locktype = 'advisory' AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 2""")) {
      sql.setLong(1, ShardOwnership.MEMBER_LOCKS);
      sql.setLong(2, b.memberKeyForTests());
      try (ResultSet rs = sql.executeQuery()) {
        assertThat(rs.next()).as("b's member lock is in pg_locks").isTrue();
        assertThat(rs.getBoolean(1)).isTrue();
      }
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> a.shards().size() == 4);
    Duration failover = Duration.ofNanos(System.nanoTime() - ended);
    System.out.printf("failover after the backend ended: %d ms (bound %d ms)%n", failover.toMillis(),
        a.failoverBound().toMillis());

    assertThat(clashes).isEmpty();
    for (int shard : bHeld) {
      assertThat(events.indexOf("b -" + shard)).as("b stopped shard %d before a started it; events %s", shard, events)
          .isNotNegative().isLessThan(events.lastIndexOf("a +" + shard));
    }
    assertThat(b.shards()).isEmpty();
    // b reaches PostgreSQL again, joins as a member again and gets its share back.
    bReachable.set(true);
    await().atMost(Duration.ofSeconds(20)).until(() -> a.shards().size() == 2 && b.shards().size() == 2);
    assertThat(clashes).isEmpty();
  }

  /** A guild is on shard (id >> 22) % count: a process with another count would play other guilds' shards. */
  @Test
  void aProcessWithAnotherShardCountRefusesToJoinAndTheOthersKeepTheirShards() throws Exception {
    ShardOwnership a = process("a", 3);
    assertThat(a.shards()).containsExactlyInAnyOrder(0, 1, 2);

    assertThatThrownBy(() -> process("b", 2))
        .isInstanceOfSatisfying(ShardOwnership.ShardCountMismatch.class, e -> {
          assertThat(e.ours()).isEqualTo(2);
          assertThat(e.theirs()).containsExactly(3);
        })
        .hasMessage("this process has 2 shard(s) but the processes already in the cluster have 3");
    assertThat(memberLocks()).as("b gave up its member lock").isEqualTo(1);

    // A process with the cluster's count still joins, and a shares with it alone.
    ShardOwnership c = process("c", 3);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(a.shards().size() + c.shards().size()).isEqualTo(3);
      assertThat(c.shards()).hasSize(1);
      assertThat(union(a, c)).containsExactlyInAnyOrder(0, 1, 2);
    });
    assertThat(events).noneMatch(e -> e.startsWith("b "));
    assertThat(clashes).isEmpty();
  }

  private static int memberLocks() throws SQLException {
    try (Connection admin = postgres.admin();
         PreparedStatement sql = admin.prepareStatement("""
             SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = ?
               AND objsubid = 2""")) {
      sql.setLong(1, ShardOwnership.MEMBER_LOCKS);
      try (ResultSet rs = sql.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Releasing a shard whose guild plays moves the run (seconds of silence); an idle shard moves nothing. */
  @Test
  void aProcessReleasesIdleShardsForANewcomerAndKeepsTheBusyOnes() throws Exception {
    ShardOwnership a = process("a", 4);
    a.busyWhen(shard -> shard == 3 || shard == 2); // runs play in guilds of shards 3 and 2, the highest
    assertThat(a.shards()).containsExactlyInAnyOrder(0, 1, 2, 3);

    ShardOwnership b = process("b", 4);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(a.shards()).containsExactlyInAnyOrder(2, 3);
      assertThat(b.shards()).containsExactlyInAnyOrder(0, 1);
    });
    assertThat(events).doesNotContain("a -2", "a -3");
    assertThat(clashes).isEmpty();
  }

  @Test
  void theShardsToReleaseAreIdleOnesFirstThenBusyOnesHighestFirst() {
    Set<Integer> held = Set.of(0, 1, 2, 3, 4, 5);
    IntPredicate busy = shard -> shard == 5 || shard == 4 || shard == 1;
    assertThat(ShardOwnership.toRelease(held, 3, busy)).containsExactly(3, 2, 0);
    assertThat(ShardOwnership.toRelease(held, 5, busy)).containsExactly(3, 2, 0, 5, 4);
    assertThat(ShardOwnership.toRelease(held, 2, shard -> false)).containsExactly(5, 4);
  }
}
