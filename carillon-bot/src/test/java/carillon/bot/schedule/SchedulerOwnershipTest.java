package carillon.bot.schedule;

import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.playback.Notifier;
import carillon.bot.session.Session;
import carillon.bot.testing.Harness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a process plans only the sessions of guilds whose shard it holds; it plans them when it takes
 * the shard and stops their timers when it loses it.
 */
class SchedulerOwnershipTest {
  private static final Instant T0 = Instant.parse("2026-03-27T05:00:00Z");
  @TempDir Path dir;
  private Harness world;
  private final AtomicBoolean holdsGuild = new AtomicBoolean(false);
  private Scheduler scheduler;

  @BeforeEach
  void setUp() {
    world = new Harness(dir, T0);
    scheduler = new Scheduler(world.sessions, world.runs, world.slots, world.playback, world.starter,
        new Notifier(world.notices, world.tasks), world.time, world.tasks, Duration.ZERO,
        SkipDates.NONE, guildId -> guildId == Harness.GUILD && holdsGuild.get());
  }

  @AfterEach
  void tearDown() {
    scheduler.stop();
    world.close();
  }

  @Test
  void onlySessionsOfHeldShardsArePlannedAndTheyFollowTheShard() {
    Session session = world.create(spec("Sit", "daily 06:00 UTC", List.of(world.track("Talk", Duration.ofMinutes(1)))));
    scheduler.start();
    assertThat(scheduler.nextStart(session.id())).as("not this process's shard").isEmpty();

    holdsGuild.set(true);
    scheduler.shardsGained();
    assertThat(scheduler.nextStart(session.id())).contains(Instant.parse("2026-03-27T06:00:00Z"));

    holdsGuild.set(false);
    scheduler.shardsLost(guildId -> guildId == Harness.GUILD);
    assertThat(scheduler.nextStart(session.id())).as("after the shard moved away").isEmpty();

    scheduler.replan(session.id());
    assertThat(scheduler.nextStart(session.id())).as("an edit told by another process, still not held").isEmpty();
  }
}
