package carillon.bot.run;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.session.SessionLimits;
import carillon.bot.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, fencing in the store: a run belongs to the process that claimed or adopted it; a process that
 * another one took the run from writes nothing to it any more, and of two processes adopting one run, one wins.
 */
class RunOwnerTest {
  private static final Instant AT = Instant.parse("2026-03-27T06:00:00Z");
  private static final long GUILD_ON_SHARD_1 = 1L << 22;
  private static final long GUILD_ON_SHARD_0 = 2L << 22;
  @TempDir Path dir;
  private Database db;
  private Runs a;
  private Runs b;
  private Runs c;
  private long sessionOnShard1;
  private long sessionOnShard0;

  @BeforeEach
  void setUp() {
    db = Database.openSqlite(dir.resolve("carillon.db"));
    a = new Runs(db, "a");
    b = new Runs(db, "b");
    c = new Runs(db, "c");
    sessionOnShard1 = session(GUILD_ON_SHARD_1, "Sit");
    sessionOnShard0 = session(GUILD_ON_SHARD_0, "Walk");
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private long session(long guildId, String name) {
    return db.withHandle(h -> h.createUpdate("""
            INSERT INTO session (guild_id, name, voice_channel_id, schedule, gap_ms, repeat_playlist, reminder_minutes,
              enabled, late_grace_ms, updated_at) VALUES (?, ?, 1, 'daily 06:00 UTC', 0, false, 0, true, 900000, 0)""")
        .bind(0, guildId).bind(1, name).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  @Test
  void aRunTakenOverByAnotherProcessIgnoresTheOldOwnersWrites() {
    long run = a.claim(sessionOnShard1, AT, AT, "bot-a").orElseThrow();
    a.saveProgress(run, new Progress(0, Duration.ofSeconds(30), 0, false, SessionLimits.DEFAULT_VOLUME, AT.plusSeconds(30)));

    List<Runs.Left> left = b.leftRunning(guild -> guild == GUILD_ON_SHARD_1);
    assertThat(left).singleElement().satisfies(l -> {
      assertThat(l.owner()).contains("a");
      assertThat(l.progress().orElseThrow().position()).isEqualTo(Duration.ofSeconds(30));
    });
    assertThat(b.adopt(left.getFirst())).as("b adopts").isTrue();
    assertThat(c.adopt(left.getFirst())).as("c, with what it read before b adopted").isFalse();

    a.saveProgress(run, new Progress(1, Duration.ofSeconds(5), 1, false, SessionLimits.DEFAULT_VOLUME, AT.plusSeconds(90)));
    a.finish(run, RunOutcome.INTERRUPTED, AT.plusSeconds(91), 1, "a was fenced out");
    assertThat(a.find(run).orElseThrow().outcome()).as("a's late end changed nothing").isEqualTo(RunOutcome.RUNNING);
    assertThat(b.leftRunning(guild -> true).getFirst().progress().orElseThrow().trackIndex())
        .as("a's late progress changed nothing").isZero();

    b.finish(run, RunOutcome.COMPLETED, AT.plusSeconds(120), 2, null);
    assertThat(b.find(run).orElseThrow().outcome()).isEqualTo(RunOutcome.COMPLETED);
  }

  @Test
  void recoveryListsOnlyTheRunsOfTheGuildsAsked() {
    a.claim(sessionOnShard1, AT, AT, "bot-a").orElseThrow();
    long onShard0 = a.claim(sessionOnShard0, AT, AT, "bot-a").orElseThrow();

    assertThat(b.leftRunning(guild -> guild == GUILD_ON_SHARD_0)).singleElement()
        .satisfies(l -> assertThat(l.run().id()).isEqualTo(onShard0));
  }

  @Test
  void aRunFromBeforeOwnersIsAdoptedOnce() {
    long run = a.claim(sessionOnShard1, AT, AT, "bot-a").orElseThrow();
    db.useHandle(h -> h.execute("UPDATE run SET owner = NULL WHERE id = ?", run)); // as V10 leaves older runs
    Runs.Left left = b.leftRunning(guild -> true).getFirst();
    assertThat(left.owner()).isEmpty();
    assertThat(b.adopt(left)).isTrue();
    assertThat(c.adopt(left)).isFalse();
  }
}
