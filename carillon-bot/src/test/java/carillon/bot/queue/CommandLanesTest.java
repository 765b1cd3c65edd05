package carillon.bot.queue;

import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.testing.Harness;
import carillon.bot.session.Session;
import carillon.testing.ExpectedLog;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A guild's lane of commands never wedges: whichever step of applying a command fails (the store refusing
 * a status, a listener's bug), that command still ends for whoever waits on it, and the guild's later
 * commands still run.
 */
// Injected store failures: the ERROR naming the command and the step is the behaviour.
@ExpectedLog(logger = "carillon.bot.queue.CommandQueue", message = "injected: the store does not answer")
class CommandLanesTest {
  static final Instant T0 = Instant.parse("2026-03-27T00:00:00Z");

  /** Each step of applying a command that can fail on its own. */
  enum Step { DISPATCH_LISTENER, STATUS_RUNNING, STATUS_FINAL, FINISH_LISTENER }

  @TempDir Path dir;
  Harness world;
  Session session;
  FailingStore store;
  CommandQueue queue;

  /** The real store, failing once at the step it is armed for. */
  static final class FailingStore implements CommandStore {
    private final CommandStore real;
    final AtomicReference<Step> failAt = new AtomicReference<>();

    FailingStore(CommandStore real) {
      this.real = real;
    }

    void failIf(Step step) {
      if (failAt.compareAndSet(step, null)) {
        throw new ConnectionException(new SQLException("injected: the store does not answer (" + step + ")"));
      }
    }

    @Override
    public long insert(CommandRequest request, String requestedBy, Instant requestedAt) {
      return real.insert(request, requestedBy, requestedAt);
    }

    @Override
    public Keyed insertOnce(CommandRequest request, String requestedBy, Instant requestedAt, String key,
        Instant forgetBefore) {
      return real.insertOnce(request, requestedBy, requestedAt, key, forgetBefore);
    }

    @Override
    public boolean claim(long id) {
      failIf(Step.STATUS_RUNNING);
      return real.claim(id);
    }

    @Override
    public void setStatus(long id, CommandStatus status, String result, Instant finishedAt) {
      failIf(status == CommandStatus.RUNNING ? Step.STATUS_RUNNING : Step.STATUS_FINAL);
      real.setStatus(id, status, result, finishedAt);
    }

    @Override
    public int failRunning(Instant at, String result, LongPredicate inGuild, Set<Long> applyingHere) {
      return real.failRunning(at, result, inGuild, applyingHere);
    }

    @Override
    public List<CommandRecord> pending(LongPredicate inGuild) {
      return real.pending(inGuild);
    }

    @Override
    public Optional<CommandRecord> find(long id) {
      return real.find(id);
    }

    @Override
    public List<CommandRecord> recent(int limit) {
      return real.recent(limit);
    }

    @Override
    public List<CommandRecord> inGuild(long guildId, int limit, long beforeId) {
      return real.inGuild(guildId, limit, beforeId);
    }
  }

  @BeforeEach
  void setUp() {
    world = new Harness(dir, T0);
    String bell = world.track("Bell", Duration.ofSeconds(30));
    world.start();
    session = world.create(spec("Meditation Hall", "daily 23:00 UTC", List.of(bell)));
    store = new FailingStore(new SqlCommandStore(world.db));
    queue = new CommandQueue(store, world.sessions, world.starter, world.playback, world.tasks, world.time);
    queue.onDispatched(c -> store.failIf(Step.DISPATCH_LISTENER));
    queue.onFinished(c -> store.failIf(Step.FINISH_LISTENER));
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  CommandRecord applied(CommandKind kind) throws Exception {
    CommandRecord accepted = queue.submit(new CommandRequest(kind, session.id(), null, CommandSource.API, "cron"));
    CommandRecord done = queue.completion(accepted.id()).get(5, TimeUnit.SECONDS);
    world.time.settle();
    return done;
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void aFailureAtAnyStepEndsThatCommandAndTheGuildsLaterCommandsStillRun(Step step) throws Exception {
    store.failAt.set(step);
    CommandRecord failed = applied(CommandKind.PAUSE);
    assertThat(store.failAt.get()).as("the failure was injected").isNull();
    if (step == Step.STATUS_RUNNING) {
      // Not marked running, so not applied: a crash would have applied it again at the next start.
      assertThat(failed.status()).isEqualTo(CommandStatus.FAILED);
      assertThat(failed.result()).hasValueSatisfying(r -> assertThat(r)
          .startsWith("not applied: the store failed (").contains("injected: the store does not answer"));
      assertThat(queue.find(failed.id()).orElseThrow().status()).isEqualTo(CommandStatus.FAILED);
    } else {
      assertThat(failed.status()).isEqualTo(CommandStatus.REJECTED);
      assertThat(failed.result()).contains("nothing is playing in 'Meditation Hall'");
    }

    CommandRecord play = applied(CommandKind.PLAY);
    assertThat(play.status()).isEqualTo(CommandStatus.DONE);
    assertThat(play.result()).contains("started 'Meditation Hall' with bot-a");
    assertThat(queue.find(play.id()).orElseThrow().status()).isEqualTo(CommandStatus.DONE);
    CommandRecord stop = applied(CommandKind.STOP);
    assertThat(stop.result()).contains("stopped 'Meditation Hall'");
  }
}
