package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.ScheduledEvent;
import net.dv8tion.jda.api.events.guild.scheduledevent.ScheduledEventDeleteEvent;
import net.dv8tion.jda.api.events.guild.scheduledevent.ScheduledEventUserAddEvent;
import net.dv8tion.jda.api.events.guild.scheduledevent.ScheduledEventUserRemoveEvent;
import net.dv8tion.jda.api.events.guild.scheduledevent.update.ScheduledEventUpdateNameEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.utils.cache.CacheFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guild scheduled events and direct messages with the real JDA: created, listed, moved through Discord's
 * status transitions (others refused), marked "Interested" by members with gateway events, edited and
 * deleted by a person; direct messages delivered, or refused with 50007 for closed DMs.
 */
class ScheduledEventsTest {
  final DiscordEmulator discord = DiscordEmulator.start();
  final RawDiscord raw = new RawDiscord(discord);
  final GuildHandle guild = discord.createGuild("Sangha");
  final long hall = guild.createVoiceChannel("Meditation Hall");
  final long stage = guild.createStageChannel("Dharma Talk");
  final BotAccount bot = discord.createBot("Carillon");
  final UserHandle an = discord.createUser("an");
  final UserHandle binh = discord.createUser("binh");
  final List<Object> seen = new CopyOnWriteArrayList<>();
  JDA jda;

  @BeforeEach
  void connect() throws Exception {
    guild.addMember(bot);
    guild.addMember(an);
    guild.addMember(binh);
    jda = discord.configure(JDABuilder.createDefault(bot.token()).enableIntents(GatewayIntent.SCHEDULED_EVENTS)
            .enableCache(CacheFlag.SCHEDULED_EVENTS))
        .addEventListeners(new ListenerAdapter() {
          @Override
          public void onScheduledEventUserAdd(ScheduledEventUserAddEvent event) {
            seen.add("add " + event.getUserIdLong());
          }

          @Override
          public void onScheduledEventUserRemove(ScheduledEventUserRemoveEvent event) {
            seen.add("remove " + event.getUserIdLong());
          }

          @Override
          public void onScheduledEventUpdateName(ScheduledEventUpdateNameEvent event) {
            seen.add("renamed " + event.getNewName());
          }

          @Override
          public void onScheduledEventDelete(ScheduledEventDeleteEvent event) {
            seen.add("deleted " + event.getScheduledEvent().getIdLong());
          }
        }).build().awaitReady();
  }

  @AfterEach
  void close() {
    Jdas.stop(jda);
    discord.close();
  }

  Guild seenGuild() {
    return jda.getGuildById(guild.id());
  }

  ScheduledEvent create(long channel, String name) {
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1);
    return seenGuild().createScheduledEvent(name, seenGuild().getGuildChannelById(channel), start)
        .setDescription("Bells and silence").setEndTime(start.plusMinutes(30)).complete();
  }

  @Test
  void aBotCreatesAVoiceAndAStageEventThatDiscordListsAndTheGuildCacheHolds() {
    ScheduledEvent voice = create(hall, "Morning sit");
    ScheduledEvent talk = create(stage, "Dharma talk");

    assertThat(voice.getType()).isEqualTo(ScheduledEvent.Type.VOICE);
    assertThat(talk.getType()).isEqualTo(ScheduledEvent.Type.STAGE_INSTANCE);
    assertThat(voice.getStatus()).isEqualTo(ScheduledEvent.Status.SCHEDULED);
    assertThat(voice.getCreatorIdLong()).isEqualTo(bot.id());
    assertThat(guild.scheduledEvents()).extracting(ScheduledEventSnapshot::name, ScheduledEventSnapshot::channelId,
        ScheduledEventSnapshot::entityType).containsExactly(
            tuple("Morning sit", hall, "VOICE"),
            tuple("Dharma talk", stage, "STAGE_INSTANCE"));
    assertThat(seenGuild().retrieveScheduledEvents().complete()).extracting(ScheduledEvent::getName)
        .containsExactly("Morning sit", "Dharma talk");
    await().atMost(Duration.ofSeconds(10)).until(() -> seenGuild().getScheduledEvents().size() == 2);
  }

  @Test
  void statusesMoveAsDiscordAllowsAndAFinishedEventCannotChange() throws Exception {
    ScheduledEvent event = create(hall, "Morning sit");
    String path = "/guilds/" + guild.id() + "/scheduled-events/" + event.getId();

    RawDiscord.Answer skipped = raw.rest("PATCH", path, bot, "{\"status\":3}");
    assertThat(skipped.status()).isEqualTo(400);
    assertThat(skipped.body().get("code").asInt()).isEqualTo(50035);
    assertThat(skipped.body().at("/errors/status/_errors/0/message").asText()).contains("SCHEDULED to COMPLETED");

    event.getManager().setStatus(ScheduledEvent.Status.ACTIVE).complete();
    assertThat(guild.scheduledEvents().getFirst().status()).isEqualTo("ACTIVE");
    RawDiscord.Answer cancel = raw.rest("PATCH", path, bot, "{\"status\":4}");
    assertThat(cancel.status()).isEqualTo(400);
    raw.rest("PATCH", path, bot, "{\"status\":3}");
    assertThat(guild.scheduledEvents().getFirst().status()).isEqualTo("COMPLETED");

    RawDiscord.Answer finished = raw.rest("PATCH", path, bot, "{\"name\":\"Again\"}");
    assertThat(finished.status()).isEqualTo(400);
    assertThat(finished.body().get("code").asInt()).isEqualTo(180000);

    ScheduledEvent other = create(hall, "Evening sit");
    other.getManager().setStatus(ScheduledEvent.Status.CANCELED).complete();
    assertThat(guild.scheduledEvents().get(1).status()).isEqualTo("CANCELED");
  }

  @Test
  void badInputAndMissingPermissionsAreRefusedAsDiscordRefusesThem() throws Exception {
    String path = "/guilds/" + guild.id() + "/scheduled-events";
    RawDiscord.Answer past = raw.rest("POST", path, bot, "{\"name\":\"Late\",\"privacy_level\":2,\"entity_type\":2,"
        + "\"channel_id\":\"" + hall + "\",\"scheduled_start_time\":\"2020-01-01T00:00:00Z\"}");
    assertThat(past.status()).isEqualTo(400);
    assertThat(past.body().at("/errors/scheduled_start_time/_errors/0/message").asText()).contains("past");
    RawDiscord.Answer wrongChannel = raw.rest("POST", path, bot, "{\"name\":\"Talk\",\"privacy_level\":2,"
        + "\"entity_type\":1,\"channel_id\":\"" + hall + "\",\"scheduled_start_time\":\"2999-01-01T00:00:00Z\"}");
    assertThat(wrongChannel.body().has("errors") && wrongChannel.body().get("errors").has("channel_id")).isTrue();
    RawDiscord.Answer unknown = raw.rest("GET", path + "/12345", bot, null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("code").asInt()).isEqualTo(10070);

    guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    RawDiscord.Answer denied = raw.rest("POST", path, bot, "{\"name\":\"Sit\",\"privacy_level\":2,\"entity_type\":2,"
        + "\"channel_id\":\"" + hall + "\",\"scheduled_start_time\":\"2999-01-01T00:00:00Z\"}");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.body().get("code").asInt()).isEqualTo(50013);
  }

  @Test
  void membersMarkInterestThroughJavaAndHttpAndTheBotSeesAndListsThem() throws Exception {
    ScheduledEvent event = create(hall, "Morning sit");
    an.markInterested(guild, event.getIdLong());
    assertThat(raw.control("PUT", "/guilds/" + guild.id() + "/scheduled-events/" + event.getId() + "/users/"
        + binh.id(), null).status()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.containsAll(List.of("add " + an.id(), "add " + binh.id())));

    List<Member> interested = event.retrieveInterestedMembers().complete();
    assertThat(interested).extracting(Member::getIdLong).containsExactlyInAnyOrder(an.id(), binh.id());
    assertThat(seenGuild().retrieveScheduledEvents(true).complete().getFirst().getInterestedUserCount()).isEqualTo(2);

    binh.unmarkInterested(guild, event.getIdLong());
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("remove " + binh.id()));
    assertThat(guild.scheduledEvents().getFirst().interested()).containsExactly(an.id());
  }

  @Test
  void aPersonEditsAndDeletesAnEventAndTheBotIsTold() throws Exception {
    ScheduledEvent event = create(hall, "Morning sit");
    guild.editScheduledEvent(event.getIdLong(), Map.of("name", "Morning sit (moved)"));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("renamed Morning sit (moved)"));
    assertThatThrownBy(() -> guild.editScheduledEvent(event.getIdLong(), Map.of("status", 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50035");
    RawDiscord.Answer described = raw.control("PATCH", "/guilds/" + guild.id() + "/scheduled-events/" + event.getId(),
        "{\"description\":\"Bring a cushion\"}");
    assertThat(described.status()).isEqualTo(200);
    assertThat(described.body().get("description").asText()).isEqualTo("Bring a cushion");
    assertThat(raw.control("PATCH", "/guilds/" + guild.id() + "/scheduled-events/" + event.getId(),
        "{\"scheduled_start_time\":\"2001-01-01T00:00:00Z\"}").status()).isEqualTo(400);

    assertThat(raw.control("DELETE", "/guilds/" + guild.id() + "/scheduled-events/" + event.getId(), null).status())
        .isEqualTo(204);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("deleted " + event.getIdLong()));
    assertThat(guild.scheduledEvents()).isEmpty();
    assertThatThrownBy(() -> event.getManager().setName("x").complete())
        .isInstanceOfSatisfying(ErrorResponseException.class, e -> assertThat(e.getErrorCode()).isEqualTo(10070));
  }

  @Test
  void directMessagesArriveUnlessTheUserClosedThem() throws Exception {
    jda.openPrivateChannelById(an.id()).flatMap(c -> c.sendMessage("Morning sit in 10 minutes")).complete();
    assertThat(an.directMessages()).extracting(SentMessage::content).containsExactly("Morning sit in 10 minutes");
    assertThat(raw.control("GET", "/users/" + an.id() + "/direct-messages", null).body().get(0).get("content").asText())
        .isEqualTo("Morning sit in 10 minutes");

    assertThat(raw.control("PUT", "/users/" + binh.id() + "/direct-messages", "{\"allowed\":false}").status())
        .isEqualTo(204);
    assertThatThrownBy(() -> jda.openPrivateChannelById(binh.id()).flatMap(c -> c.sendMessage("hello")).complete())
        .isInstanceOfSatisfying(ErrorResponseException.class, e -> assertThat(e.getErrorCode()).isEqualTo(50007));
    assertThat(binh.directMessages()).isEmpty();
  }
}
