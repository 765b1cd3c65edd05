package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import java.time.Duration;
import java.util.Optional;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.concrete.StageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stage channels with the real JDA: a bot that joins is a suppressed listener and not heard; with Mute
 * Members it makes itself a speaker, with only Request to Speak it raises its hand; a moderator can make it
 * a speaker; Stage instances are opened, changed and closed through REST with gateway events.
 */
class StageTest {
  VoiceBot rig;
  long stage;

  @BeforeEach
  void start() throws Exception {
    rig = new VoiceBot(g -> stage = g.createStageChannel("Dharma Talk"));
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  Guild seen() {
    return rig.seen();
  }

  StageChannel stageChannel() {
    return seen().getStageChannelById(stage);
  }

  Optional<VoiceConnectionSnapshot> open() {
    return rig.open();
  }

  void joinAndSpeak() {
    rig.join(stageChannel());
  }

  @Test
  void aBotJoiningAStageIsASuppressedListenerUntilItBecomesASpeaker() throws Exception {
    joinAndSpeak();
    assertThat(seen().getSelfMember().getVoiceState().isSuppressed()).isTrue();
    assertThat(open().orElseThrow().notHeardBecause()).contains("suppressed: a Stage listener, not a speaker");
    assertThat(open().orElseThrow().audioPackets()).isZero();
    // @everyone is an administrator here, so the bot has Mute Members: JDA unsuppresses itself.
    stageChannel().requestToSpeak().complete();
    await().atMost(Duration.ofSeconds(10)).until(() -> !seen().getSelfMember().getVoiceState().isSuppressed());
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().audioPackets() > 10);
    assertThat(open().orElseThrow().notHeardBecause()).isEmpty();
  }

  @Test
  void withoutMuteMembersTheBotRaisesItsHandAndAModeratorMakesItASpeaker() throws Exception {
    rig.guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS | Permission.REQUEST_TO_SPEAK.getRawValue());
    joinAndSpeak();
    stageChannel().requestToSpeak().complete();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> seen().getSelfMember().getVoiceState().getRequestToSpeakTimestamp() != null);
    assertThat(seen().getSelfMember().getVoiceState().isSuppressed()).isTrue();
    assertThat(rig.raw.control("GET", "/guilds", null).body().get(0).get("members").findValues("requestToSpeak"))
        .anyMatch(n -> !n.isNull());
    // Unsuppressing itself needs Mute Members: Discord refuses.
    RawDiscord.Answer refused = rig.raw.rest("PATCH", "/guilds/" + rig.guild.id() + "/voice-states/@me", rig.bot,
        "{\"channel_id\":\"" + stage + "\",\"suppress\":false}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("code").asInt()).isEqualTo(50013);
    // A moderator invites it to speak, over HTTP.
    assertThat(rig.raw.control("POST", "/guilds/" + rig.guild.id() + "/voice-states/" + rig.bot.id(), "{\"suppress\":false}")
        .status()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(10)).until(() -> !seen().getSelfMember().getVoiceState().isSuppressed());
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().audioPackets() > 10);
  }

  @Test
  void withoutRequestToSpeakTheBotCannotRaiseItsHand() throws Exception {
    rig.guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    joinAndSpeak();
    RawDiscord.Answer refused = rig.raw.rest("PATCH", "/guilds/" + rig.guild.id() + "/voice-states/%40me", rig.bot,
        "{\"channel_id\":\"" + stage + "\",\"request_to_speak_timestamp\":\"2026-12-01T00:00:00Z\"}");
    assertThat(refused.status()).isEqualTo(403);
    // A moderator can still make it a speaker, in Java.
    rig.guild.setSuppressed(rig.bot.id(), false);
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().audioPackets() > 10);
  }

  @Test
  void aStageInstanceIsOpenedChangedAndClosed() throws Exception {
    var instance = stageChannel().createStageInstance("Morning talk").complete();
    assertThat(instance.getTopic()).isEqualTo("Morning talk");
    await().atMost(Duration.ofSeconds(10)).until(() -> stageChannel().getStageInstance() != null);
    assertThat(rig.raw.control("GET", "/guilds", null).body().get(0).get("channels").get(0).get("stage").get("topic")
        .asText()).isEqualTo("Morning talk");
    assertThatThrownBy(() -> stageChannel().createStageInstance("again").complete())
        .isInstanceOfSatisfying(ErrorResponseException.class,
            e -> assertThat(e.getErrorResponse()).isEqualTo(ErrorResponse.STAGE_ALREADY_OPEN));
    stageChannel().getStageInstance().getManager().setTopic("Evening talk").complete();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Evening talk".equals(stageChannel().getStageInstance().getTopic()));
    stageChannel().getStageInstance().delete().complete();
    await().atMost(Duration.ofSeconds(10)).until(() -> stageChannel().getStageInstance() == null);
    assertThat(rig.raw.rest("GET", "/stage-instances/" + stage, rig.bot, null).body().get("code").asInt()).isEqualTo(10067);
  }

  @Test
  void onlyAStageModeratorOpensAStage() throws Exception {
    rig.guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    RawDiscord.Answer refused = rig.raw.rest("POST", "/stage-instances", rig.bot,
        "{\"channel_id\":\"" + stage + "\",\"topic\":\"Morning\"}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("code").asInt()).isEqualTo(50013);
    rig.guild.setEveryonePermissions(GuildHandle.ADMINISTRATOR);
    RawDiscord.Answer badTopic = rig.raw.rest("POST", "/stage-instances", rig.bot,
        "{\"channel_id\":\"" + stage + "\",\"topic\":\"" + "t".repeat(121) + "\"}");
    assertThat(badTopic.body().at("/errors/topic/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void stageChannelsAreCreatedThroughBothApis(String api) throws Exception {
    long created = api.equals("java") ? rig.guild.createStageChannel("Q&A")
        : Long.parseLong(rig.raw.control("POST", "/guilds/" + rig.guild.id() + "/channels",
            "{\"name\":\"Q&A\",\"type\":\"stage\"}").body().get("id").asText());
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getStageChannelById(created) != null);
  }
}
