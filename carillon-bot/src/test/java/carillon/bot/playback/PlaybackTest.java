package carillon.bot.playback;

import carillon.bot.testing.Harness;
import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybackTest {
  @TempDir Path dir;
  Harness world;
  String bell;
  String chant;

  @BeforeEach
  void setUp() {
    world = new Harness(dir, Instant.parse("2026-03-27T00:00:00Z"));
    bell = world.track("Bell", Duration.ofSeconds(30));
    chant = world.track("Chant", Duration.ofMinutes(4));
    world.start();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  static SessionSpec repeating(String name, List<String> playlist, Duration gap, Duration max) {
    SessionSpec s = spec(name, "once 2026-03-27T06:00:00Z", playlist);
    return SessionSpec.builder(s.guildId(), s.name()).voiceChannel(s.voiceChannelId()).textChannel(s.textChannelId())
        .schedule(s.schedule()).playlist(s.playlist()).gap(gap).maxDuration(max).repeat(max != null)
        .lateGrace(Duration.ofMinutes(15)).build();
  }

  @Test
  void repeatPlaysThePlaylistUntilTheMaximumDurationAndCutsTheLastTrack() {
    Session s = world.create(repeating("Loop", List.of(bell, chant), Duration.ofSeconds(30), Duration.ofMinutes(10)));
    world.time.advance(Duration.ofHours(7));
    assertThat(world.voice.events).containsExactly(
        "2026-03-27T06:00:00Z join bot-a@1000 #2001",
        "2026-03-27T06:00:00Z play Bell in bot-a@1000",
        "2026-03-27T06:00:30Z end Bell FINISHED in bot-a@1000",
        "2026-03-27T06:01:00Z play Chant in bot-a@1000",
        "2026-03-27T06:05:00Z end Chant FINISHED in bot-a@1000",
        "2026-03-27T06:05:30Z play Bell in bot-a@1000",
        "2026-03-27T06:06:00Z end Bell FINISHED in bot-a@1000",
        "2026-03-27T06:06:30Z play Chant in bot-a@1000",
        "2026-03-27T06:10:00Z end Chant STOPPED in bot-a@1000",
        "2026-03-27T06:10:00Z leave bot-a@1000");
    Run run = world.runs.forSession(s.id()).getFirst();
    assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(run.tracksPlayed()).isEqualTo(4);
    assertThat(run.endedAt()).contains(Instant.parse("2026-03-27T06:10:00Z"));
  }

  @Test
  void aTrackMissingFromTheLibraryIsSkippedWithANoticeAndTheSessionGoesOn() {
    Session s = world.create(repeating("Gone", List.of(bell, chant), Duration.ZERO, null));
    world.tracks.remove(bell);
    world.time.advance(Duration.ofHours(7));
    assertThat(world.notices.sent).contains(
        "2026-03-27T06:00:00Z skipped " + bell + " in Gone: it is no longer in the audio library");
    assertThat(world.voice.events).contains("2026-03-27T06:00:00Z play Chant in bot-a@1000");
    assertThat(world.runs.forSession(s.id()).getFirst().outcome()).isEqualTo(RunOutcome.COMPLETED);
  }
}
