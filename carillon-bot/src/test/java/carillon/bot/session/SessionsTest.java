package carillon.bot.session;

import static carillon.bot.testing.Harness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import carillon.bot.session.FieldError;
import carillon.bot.session.InvalidSessionException;
import carillon.bot.session.NameMatch;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.testing.Harness;
import java.nio.file.Path;
import java.text.Normalizer;
import java.text.Normalizer.Form;
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
        new FieldError("name", "must be 1 to 100 characters, was 0"),
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

  /** A one-off in the past is refused when written, but a session whose one-off has passed can still be edited. */
  @Test
  void aOneOffInThePastIsRefusedButAnUnchangedPastScheduleStaysEditable() throws Exception {
    List<FieldError> errors = errorsOf(spec("Past", "once 2026-03-26T07:00:00Z", List.of(bell)));
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("schedule");
      assertThat(e.message()).contains("2026-03-26");
    });
    Session soon = world.sessions.create(spec("Soon", "once 2026-03-27T07:00:00Z", List.of(bell)));
    world.time.advance(Duration.ofDays(1));
    Session renamed = world.sessions.update(soon.id(), spec("Soon, renamed", "once 2026-03-27T07:00:00Z", List.of(bell)));
    assertThat(renamed.name()).isEqualTo("Soon, renamed");
    assertThat(errorsOf(spec("Other past", "once 2026-03-27T08:00:00Z", List.of(bell))))
        .extracting(FieldError::field).containsExactly("schedule");
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

  @Test
  void namesAreUniqueAfterUnicodeNormalisationAndCaseFolding() throws Exception {
    world.sessions.create(spec("Thiền sáng", "daily 07:00 UTC", List.of(bell)));
    // Upper case, and decomposed (NFD) as some keyboards type it: the same name.
    String shouted = Normalizer.normalize("THIỀN SÁNG", Form.NFD);
    assertThat(errorsOf(spec(shouted, "daily 08:00 UTC", List.of(bell)))).containsExactly(new FieldError("name",
        "a session named 'Thiền sáng' already exists in this guild (names are compared ignoring case and Unicode form)"));
    assertThat(errorsOf(spec("ｔｈｉềｎ ｓáｎｇ", "daily 08:00 UTC", List.of(bell)))).hasSize(1); // full-width letters
    Session other = world.sessions.create(spec("Thien sang", "daily 08:00 UTC", List.of(bell)));
    assertThatThrownBy(() -> world.sessions.update(other.id(), spec("thiền SÁNG", "daily 08:00 UTC", List.of(bell))))
        .isInstanceOf(InvalidSessionException.class).hasMessageStartingWith("name: a session named 'Thiền sáng' already exists");
    // Renaming a session to another case of its own name is fine.
    assertThat(world.sessions.update(other.id(), spec("THIEN SANG", "daily 08:00 UTC", List.of(bell))).name())
        .isEqualTo("THIEN SANG");
  }

  @Test
  void invisibleAndDirectionControlCharactersAreRefusedWithTheFieldNamed() throws Exception {
    assertThat(errorsOf(spec("\u200B", "daily 07:00 UTC", List.of(bell)))).containsExactly(new FieldError("name",
        "must not contain invisible or text-direction control characters; found U+200B ZERO WIDTH SPACE at character 1"));
    assertThat(errorsOf(spec("Yoga\u202Eagoy", "daily 07:00 UTC", List.of(bell)))).containsExactly(new FieldError("name",
        "must not contain invisible or text-direction control characters; found U+202E RIGHT-TO-LEFT OVERRIDE at character 5"));
    assertThat(errorsOf(spec("Yo\u2066ga", "daily 07:00 UTC", List.of(bell)))).extracting(FieldError::field).containsExactly("name");
    assertThat(errorsOf(spec("\u3164", "daily 07:00 UTC", List.of(bell)))).extracting(FieldError::field).containsExactly("name");
    assertThat(errorsOf(spec("Yoga\u200D", "daily 07:00 UTC", List.of(bell)))).extracting(FieldError::field).containsExactly("name");
    // A joiner between two visible characters is part of how they are written (emoji sequences, Persian).
    assertThat(world.sessions.create(spec("\uD83E\uDDD8\u200D\u2640\uFE0F Morning", "daily 07:00 UTC", List.of(bell))).name())
        .isEqualTo("\uD83E\uDDD8\u200D\u2640\uFE0F Morning");
    assertThat(world.sessions.inGuild(Harness.GUILD)).hasSize(1);
  }

  @Test
  void sessionsStoredBeforeNamesWereComparedByKeyAreKeyedAndAClashIsRenamed() throws Exception {
    // Rows as V9 leaves them: no key. "Study" and "STUDY" were both allowed before.
    Session study = world.sessions.create(spec("Study", "daily 07:00 UTC", List.of(bell)));
    Session lower = world.sessions.create(spec("Evening", "daily 07:00 UTC", List.of(bell)));
    world.db.useHandle(h -> {
      h.execute("UPDATE session SET name = 'STUDY' WHERE id = ?", lower.id());
      h.execute("UPDATE session SET name_key = NULL");
    });
    Sessions reopened = new Sessions(world.db, world.guilds, world.time);
    assertThat(reopened.find(study.id()).orElseThrow().name()).isEqualTo("Study");
    assertThat(reopened.find(lower.id()).orElseThrow().name()).isEqualTo("STUDY (2)");
    assertThat(errorsOf(spec("study", "daily 07:00 UTC", List.of(bell)))).extracting(FieldError::field).containsExactly("name");
    int unkeyed = world.db.withHandle(h -> h.createQuery("SELECT count(*) FROM session WHERE name_key IS NULL")
        .mapTo(Integer.class).one());
    assertThat(unkeyed).isZero();
  }

  @Test
  void aTypedNameIsMatchedExactlyThenByKeyThenUniquelyInPart() throws Exception {
    Session morning = world.sessions.create(spec("Morning sit", "daily 07:00 UTC", List.of(bell)));
    Session evening = world.sessions.create(spec("Evening sit", "daily 07:00 UTC", List.of(bell)));
    Session sit = world.sessions.create(spec("Sit", "daily 07:00 UTC", List.of(bell)));
    assertThat(world.sessions.named(Harness.GUILD, " Sit ")).isEqualTo(new NameMatch.One(sit));
    assertThat(world.sessions.named(Harness.GUILD, "SIT")).isEqualTo(new NameMatch.One(sit));
    assertThat(world.sessions.named(Harness.GUILD, "morning")).isEqualTo(new NameMatch.One(morning));
    assertThat(world.sessions.named(Harness.GUILD, "ing sit")).isEqualTo(new NameMatch.Several(List.of(evening, morning)));
    assertThat(world.sessions.named(Harness.GUILD, "yoga")).isEqualTo(new NameMatch.None());
    assertThat(world.sessions.named(Harness.GUILD, "  ")).isEqualTo(new NameMatch.None());
    assertThat(world.sessions.named(Harness.GUILD + 1, "Sit")).isEqualTo(new NameMatch.None());
  }
}
