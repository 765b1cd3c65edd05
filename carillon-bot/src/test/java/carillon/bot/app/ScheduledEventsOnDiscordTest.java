package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.library.AudioItem;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.emulator.Interaction;
import carillon.emulator.ScheduledEventSnapshot;
import carillon.emulator.SentMessage;
import carillon.emulator.UserHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discord scheduled events and reminder DMs, the whole application against the emulator: a session
 * publishes an event for its next occurrence, which goes ACTIVE when the run starts and COMPLETED when it
 * ends, and the next occurrence gets its own; members interested in it (or opted in with /carillon remind)
 * get a direct message at the reminder time, closed DMs are counted; an event a person deletes is not
 * recreated until the session is edited.
 */
class ScheduledEventsOnDiscordTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static Optional<ScheduledEventSnapshot> event(DiscordWorld world, Instant start) {
    return world.guild.scheduledEvents().stream().filter(e -> e.scheduledStart().equals(start)).findFirst();
  }

  @Test
  void aSessionPublishesItsEventWhichGoesActiveAndCompletedOnTimeThenTheNextOccurrenceHasOne() throws Exception {
    try (DiscordWorld world = new DiscordWorld(dir, 1)) {
      AudioItem tone = world.audio("tone", DemoAudio.tone(440, 3.0));
      Instant first = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
      Instant second = first.plus(Duration.ofDays(1));
      Session session = world.session(SessionSpec.builder(world.guild.id(), "Evening sit").voiceChannel(world.hall)
          .textChannel(world.notices).schedule("once " + first + " | once " + second).playlist(List.of(tone.id()))
          .maxDuration(Duration.ofMinutes(30)).lateGrace(Duration.ofMinutes(5)).build());

      await().atMost(WAIT).until(() -> event(world, first).isPresent());
      ScheduledEventSnapshot published = event(world, first).orElseThrow();
      assertThat(published.name()).isEqualTo("Evening sit");
      assertThat(published.channelId()).isEqualTo(world.hall);
      assertThat(published.entityType()).isEqualTo("VOICE");
      assertThat(published.status()).isEqualTo("SCHEDULED");
      assertThat(published.creatorId()).isEqualTo(world.bell.id());
      assertThat(published.scheduledEnd()).contains(first.plus(Duration.ofMinutes(30)));
      assertThat(published.description().orElseThrow()).contains("Evening sit");

      // ACTIVE while the run plays, not before its start
      await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
          .until(() -> event(world, first).map(e -> e.status().equals("ACTIVE")).orElse(false));
      assertThat(Instant.now()).isAfterOrEqualTo(first);
      assertThat(world.carillon.runs().forSession(session.id())).extracting(r -> r.outcome())
          .containsExactly(RunOutcome.RUNNING);

      await().atMost(WAIT).until(() -> event(world, first).map(e -> e.status().equals("COMPLETED")).orElse(false));
      assertThat(world.carillon.runs().forSession(session.id())).extracting(r -> r.outcome())
          .containsExactly(RunOutcome.COMPLETED);
      await().atMost(WAIT).until(() -> event(world, second).isPresent());
      assertThat(event(world, second).orElseThrow().status()).isEqualTo("SCHEDULED");
      assertThat(world.guild.scheduledEvents()).hasSize(2);
    }
  }

  @Test
  void anOccurrenceSkippedBecauseEveryVoiceSlotIsBusyHasItsEventCanceledAndTheNextOneHasAnEvent() throws Exception {
    try (DiscordWorld world = new DiscordWorld(dir, 1)) {
      AudioItem tone = world.audio("tone", DemoAudio.tone(440, 6.0));
      Instant first = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
      Instant second = first.plus(Duration.ofDays(1));
      world.session(SessionSpec.builder(world.guild.id(), "Hall").voiceChannel(world.hall)
          .schedule("once " + first).playlist(List.of(tone.id())).lateGrace(Duration.ofMinutes(5)).build());
      // One bot account: the garden session finds no free slot and, after its 2 s grace, is skipped.
      world.session(SessionSpec.builder(world.guild.id(), "Garden").voiceChannel(world.garden)
          .schedule("once " + first.plusSeconds(1) + " | once " + second).playlist(List.of(tone.id()))
          .lateGrace(Duration.ofSeconds(2)).build());
      await().atMost(WAIT).until(() -> world.guild.scheduledEvents().size() == 2);

      await().atMost(WAIT).until(() -> event(world, first.plusSeconds(1))
          .map(e -> e.status().equals("CANCELED")).orElse(false));
      await().atMost(WAIT).until(() -> event(world, second).isPresent());
      assertThat(event(world, second).orElseThrow().name()).isEqualTo("Garden");
      await().atMost(WAIT).until(() -> event(world, first).map(e -> e.status().equals("COMPLETED")).orElse(false));
    }
  }

  @Test
  void interestedAndOptedInMembersGetADirectMessageAndClosedDmsAreCounted() throws Exception {
    try (DiscordWorld world = new DiscordWorld(dir, 1)) {
      UserHandle an = world.discord.createUser("an");
      UserHandle binh = world.discord.createUser("binh");
      UserHandle chau = world.discord.createUser("chau");
      UserHandle dung = world.discord.createUser("dung");
      List.of(an, binh, chau, dung).forEach(world.guild::addMember);
      binh.allowDirectMessages(false);
      AudioItem tone = world.audio("tone", DemoAudio.tone(440, 1.0));
      Instant start = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
      SessionSpec spec = SessionSpec.builder(world.guild.id(), "Morning sit").voiceChannel(world.hall)
          .textChannel(world.notices).schedule("once " + start).playlist(List.of(tone.id())).build();
      Session session = world.session(spec);
      await().atMost(WAIT).until(() -> event(world, start).isPresent());
      long eventId = event(world, start).orElseThrow().id();

      an.markInterested(world.guild, eventId);
      binh.markInterested(world.guild, eventId);
      Interaction optIn = chau.runSlashCommand(world.notices, world.bell, "carillon remind", Map.of("dm", "on"));
      assertThat(optIn.awaitReply(WAIT).content()).contains("direct message before each session");

      // A reminder 90 minutes before a start one hour away is due at once; the guild speaks Vietnamese.
      world.guild.setPreferredLocale("vi");
      await().atMost(WAIT).until(() -> world.carillon.accounts().guild("bell", world.guild.id())
          .map(g -> g.getLocale().getLocale().equals("vi")).orElse(false));
      world.carillon.sessions().update(session.id(), spec.toBuilder().reminderMinutes(90).build());

      await().atMost(WAIT).until(() -> an.directMessages().size() == 1 && chau.directMessages().size() == 1);
      assertThat(an.directMessages()).extracting(SentMessage::content).singleElement().asString()
          .contains("Morning sit bắt đầu").contains("<t:" + start.getEpochSecond() + ":R>");
      await().atMost(WAIT).until(() -> world.carillon.reminders().refused() == 1);
      assertThat(world.carillon.reminders().sent()).isEqualTo(2);
      assertThat(binh.directMessages()).isEmpty();
      assertThat(dung.directMessages()).isEmpty();
      // the channel reminder stays
      await().atMost(WAIT).until(() -> world.discord.messages(world.notices).stream()
          .anyMatch(m -> m.embeds().stream().anyMatch(e -> String.valueOf(e.title()).contains("sắp bắt đầu"))));
      // the edit changed the event in place
      assertThat(world.guild.scheduledEvents()).extracting(ScheduledEventSnapshot::id).containsExactly(eventId);
    }
  }

  @Test
  void anEventAPersonDeletesIsNotRecreatedUntilTheSessionIsEdited() throws Exception {
    try (DiscordWorld world = new DiscordWorld(dir, 1)) {
      AudioItem tone = world.audio("tone", DemoAudio.tone(440, 1.0));
      Instant start = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
      SessionSpec spec = SessionSpec.builder(world.guild.id(), "Noon sit").voiceChannel(world.hall)
          .schedule("once " + start).playlist(List.of(tone.id())).build();
      Session session = world.session(spec);
      await().atMost(WAIT).until(() -> event(world, start).isPresent());

      world.guild.deleteScheduledEvent(event(world, start).orElseThrow().id());
      await().atMost(WAIT).until(() -> world.carillon.db().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM session_event WHERE session_id = ? AND left_alone_at IS NOT NULL")
          .bind(0, session.id()).mapTo(Integer.class).one()) == 1);
      // Every session's event brought up to date, as at a restart: the deleted one stays deleted.
      assertThat(world.carillon.events().start().orElseThrow().awaitTermination(WAIT)).isTrue();
      assertThat(world.guild.scheduledEvents()).isEmpty();

      world.carillon.sessions().update(session.id(), spec.toBuilder().name("Noon sit (garden)").build());
      await().atMost(WAIT).until(() -> event(world, start).isPresent());
      assertThat(event(world, start).orElseThrow().name()).isEqualTo("Noon sit (garden)");
    }
  }

  @Test
  void aPersonsEditOfTheEventIsKeptUntilTheSessionIsEdited() throws Exception {
    try (DiscordWorld world = new DiscordWorld(dir, 1)) {
      AudioItem tone = world.audio("tone", DemoAudio.tone(440, 1.0));
      Instant start = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
      SessionSpec spec = SessionSpec.builder(world.guild.id(), "Noon sit").voiceChannel(world.hall)
          .schedule("once " + start).playlist(List.of(tone.id())).build();
      Session session = world.session(spec);
      await().atMost(WAIT).until(() -> event(world, start).isPresent());
      long eventId = event(world, start).orElseThrow().id();

      world.guild.editScheduledEvent(eventId, Map.of("description", "Bring a cushion"));
      assertThat(world.carillon.events().start().orElseThrow().awaitTermination(WAIT)).isTrue();
      assertThat(event(world, start).orElseThrow().description()).contains("Bring a cushion");

      world.carillon.sessions().update(session.id(), spec.toBuilder().startText("Silent sitting").build());
      await().atMost(WAIT).until(() -> event(world, start).flatMap(ScheduledEventSnapshot::description)
          .filter("Silent sitting"::equals).isPresent());
      assertThat(world.guild.scheduledEvents()).extracting(ScheduledEventSnapshot::id).containsExactly(eventId);
    }
  }

  @Test
  void aSessionInAStageChannelPublishesAStageEvent() throws Exception {
    try (DiscordWorld world = new DiscordWorld(dir, 1)) {
      long talk = world.guild.createStageChannel("Dharma Talk");
      await().atMost(WAIT).until(() -> world.carillon.guilds().channel(world.guild.id(), talk).isPresent());
      AudioItem tone = world.audio("tone", DemoAudio.tone(440, 1.0));
      Instant start = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
      world.session(SessionSpec.builder(world.guild.id(), "Talk").voiceChannel(talk).schedule("once " + start)
          .playlist(List.of(tone.id())).build());
      await().atMost(WAIT).until(() -> event(world, start).isPresent());
      assertThat(event(world, start).orElseThrow().entityType()).isEqualTo("STAGE_INSTANCE");
      assertThat(event(world, start).orElseThrow().channelId()).isEqualTo(talk);
    }
  }

  @Test
  void disablingASessionDeletesItsEventAndASessionThatDoesNotPublishHasNone() throws Exception {
    try (DiscordWorld world = new DiscordWorld(dir, 1)) {
      AudioItem tone = world.audio("tone", DemoAudio.tone(440, 1.0));
      Instant start = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
      Session quiet = world.session(SessionSpec.builder(world.guild.id(), "Quiet").voiceChannel(world.garden)
          .schedule("once " + start.plusSeconds(60)).playlist(List.of(tone.id())).publishEvent(false).build());
      Session session = world.session(SessionSpec.builder(world.guild.id(), "Dusk sit").voiceChannel(world.hall)
          .schedule("once " + start).playlist(List.of(tone.id())).build());
      assertThat(session.publishEvent()).isTrue();
      assertThat(quiet.publishEvent()).isFalse();
      await().atMost(WAIT).until(() -> event(world, start).isPresent());

      world.carillon.sessions().setEnabled(session.id(), false);
      await().atMost(WAIT).until(() -> world.guild.scheduledEvents().isEmpty());
      assertThat(world.carillon.events().start().orElseThrow().awaitTermination(WAIT)).isTrue();
      assertThat(world.guild.scheduledEvents()).isEmpty();
    }
  }
}
