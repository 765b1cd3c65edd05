package carillon.bot.session;

import carillon.bot.testing.Harness;
import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.session.FieldError;
import carillon.bot.session.InvalidSessionException;
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

class SessionsTest {
  @TempDir Path dir;
  Harness world;
  String bell;

  @BeforeEach
  void setUp() {
    world = new Harness(dir, Instant.parse("2026-03-27T00:00:00Z"));
    bell = world.track("Bell", Duration.ofSeconds(30));
    world.start();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  List<FieldError> errorsOf(SessionSpec spec) {
    try {
      world.sessions.create(spec);
    } catch (InvalidSessionException e) {
      return e.errors();
    }
    throw new AssertionError("accepted: " + spec);
  }

  @Test
  void aValidSessionIsStoredWithEveryField() throws Exception {
    SessionSpec spec = SessionSpec.builder(Harness.GUILD, " Morning meditation ").voiceChannel(Harness.HALL)
        .textChannel(Harness.NOTICES).mentionRole(Harness.MEMBERS_ROLE)
        .schedule("weekly MON,WED 07:00 Asia/Ho_Chi_Minh").playlist(List.of(bell, bell)).gap(Duration.ofSeconds(5))
        .maxDuration(Duration.ofMinutes(45)).repeat(true).reminderMinutes(10).startText("Welcome").endText(" ")
        .lateGrace(Duration.ofMinutes(20)).build();
    Session s = world.sessions.create(spec);
    assertThat(world.sessions.find(s.id())).contains(s);
    assertThat(s.name()).isEqualTo("Morning meditation");
    assertThat(s.schedule().toString()).isEqualTo("weekly MON,WED 07:00 Asia/Ho_Chi_Minh");
    assertThat(s.playlist()).containsExactly(bell, bell);
    assertThat(s.textChannelId()).contains(Harness.NOTICES);
    assertThat(s.mentionRoleId()).contains(Harness.MEMBERS_ROLE);
    assertThat(s.maxDuration()).contains(Duration.ofMinutes(45));
    assertThat(s.reminder()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.startText()).contains("Welcome");
    assertThat(s.endText()).isEmpty();
    assertThat(world.sessions.inGuild(Harness.GUILD)).containsExactly(s);
  }

  @Test
  void everyInvalidFieldIsNamedWithWhatIsAllowed() {
    SessionSpec bad = SessionSpec.builder(Harness.GUILD, "").voiceChannel(42L).textChannel(Harness.HALL)
        .mentionRole(77L).schedule("weekly XYZ 07:00 UTC").playlist(List.of(bell, "f".repeat(64)))
        .gap(Duration.ofSeconds(-1)).maxDuration(Duration.ZERO).repeat(true).reminderMinutes(-5)
        .endText("x".repeat(2001)).lateGrace(Duration.ofHours(48)).build();
    assertThat(errorsOf(bad)).containsExactly(
        new FieldError("name", "must be 1 to 100 characters, without control characters"),
        new FieldError("voiceChannel", "no channel 42 in this guild"),
        new FieldError("textChannel", "'Meditation Hall' is a voice channel; a text channel is needed"),
        new FieldError("mentionRole", "no role 77 in this guild"),
        new FieldError("schedule", "day 'XYZ' is not a day of the week; use MON, TUE, WED, THU, FRI, SAT or SUN, separated by commas"),
        new FieldError("playlist[1]", "no audio file '" + "f".repeat(64) + "' in the library"),
        new FieldError("gap", "must be from 0 to 60 minutes, was -1 s"),
        new FieldError("maxDuration", "must be positive when set"),
        new FieldError("reminderMinutes", "must be from 0 (no reminder) to 1440"),
        new FieldError("endText", "is 2001 characters; at most 2000"),
        new FieldError("lateGrace", "must be from 0 to 24 hours"));
    assertThat(world.sessions.inGuild(Harness.GUILD)).isEmpty();
  }

  @Test
  void emptyPlaylistMissingVoiceChannelAndRepeatWithoutMaximumAreRefused() {
    SessionSpec s = spec("Empty", "daily 07:00 UTC", List.of());
    assertThat(errorsOf(SessionSpec.builder(s.guildId(), s.name()).schedule(s.schedule()).playlist(s.playlist())
        .gap(Duration.ZERO).repeat(true).lateGrace(Duration.ZERO).build())).containsExactly(
        new FieldError("voiceChannel", "is required: the voice channel the session plays in"),
        new FieldError("playlist", "is empty: add at least one audio file from the library"),
        new FieldError("repeat", "needs a maximum duration: the playlist repeats until it is reached"));
  }

  @Test
  void namesAreUniquePerGuildAndAnEditIsValidatedToo() throws Exception {
    Session first = world.sessions.create(spec("Yoga", "daily 07:00 UTC", List.of(bell)));
    assertThat(errorsOf(spec("Yoga", "daily 08:00 UTC", List.of(bell))))
        .containsExactly(new FieldError("name", "a session named 'Yoga' already exists in this guild"));
    assertThatThrownBy(() -> world.sessions.update(first.id(), spec("Yoga", "every day", List.of(bell))))
        .isInstanceOf(InvalidSessionException.class)
        .hasMessageStartingWith("schedule: schedule 'every day' starts with 'every'; expected daily, weekly, cron or once");
    assertThat(world.sessions.find(first.id()).orElseThrow().schedule().toString()).isEqualTo("daily 07:00 UTC");
    assertThatThrownBy(() -> world.sessions.update(999, spec("Other", "daily 07:00 UTC", List.of(bell))))
        .isInstanceOf(InvalidSessionException.class).hasMessage("id: no session with id 999");
  }
}
