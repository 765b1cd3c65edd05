package carillon.bot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's process ends as a process does: nothing of it runs on the shared clock afterwards. */
class HarnessTest {
  @TempDir Path dir;

  @Test
  void aClosedHarnessRunsNothingMoreOnItsClockSoNothingAsksItsClosedStore() {
    Harness world = new Harness(dir, Instant.parse("2026-03-27T05:00:00Z"));
    String talk = world.track("Talk", Duration.ofMinutes(10));
    world.start();
    Session s = world.create(Harness.spec("Talk", "daily 06:00 UTC", List.of(talk)));
    world.time.advance(Duration.ofMinutes(62)); // 06:02: playing
    assertThat(world.runs.forSession(s.id())).singleElement().extracting(r -> r.outcome()).isEqualTo(RunOutcome.RUNNING);

    world.close();
    // Before, the play woke on the clock after the close and wrote its progress to the closed store: its task
    // failed with a RejectedExecutionException stack trace, which the log guard reports as an ERROR.
    world.time.advance(Duration.ofDays(1));

    assertThat(world.time.pending()).as("nothing of the closed process is due on the clock")
        .allSatisfy(at -> assertThat(at).isEqualTo(Instant.MAX));
  }
}
