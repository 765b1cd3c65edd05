package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.audio.AudioSendHandler;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.concrete.StageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.GatewayIntent;
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
  DiscordEmulator discord;
  RawDiscord raw;
  GuildHandle guild;
  long stage;
  BotAccount bot;
  JDA jda;

  @BeforeEach
  void start() throws Exception {
    discord = DiscordEmulator.builder().voice(VoiceServer.start()).start();
    raw = new RawDiscord(discord);
    guild = discord.createGuild("Sangha");
    stage = guild.createStageChannel("Dharma Talk");
    bot = discord.createBot("Carillon");
    guild.addMember(bot);
    jda = discord.configure(JDABuilder.createDefault(bot.token()).enableIntents(GatewayIntent.GUILD_VOICE_STATES))
        .build().awaitReady();
  }

  @AfterEach
  void stop() {
    jda.shutdownNow();
    discord.close();
  }

  Guild seen() {
    return jda.getGuildById(guild.id());
  }

  StageChannel stageChannel() {
    return seen().getStageChannelById(stage);
  }

  Optional<VoiceConnectionSnapshot> open() {
    return discord.voiceConnections().stream().filter(c -> c.disconnectedAt().isEmpty()).reduce((a, b) -> b);
  }

  void joinAndSpeak() {
    var audio = seen().getAudioManager();
    audio.setSendingHandler(new AudioSendHandler() {
      @Override
      public boolean canProvide() {
        return true;
      }

      @Override
      public ByteBuffer provide20MsAudio() {
        return ByteBuffer.wrap(VoiceLifecycleTest.OPUS_SILENCE);
      }

      @Override
      public boolean isOpus() {
        return true;
      }
    });
    audio.openAudioConnection(stageChannel());
    await().atMost(Duration.ofSeconds(20)).until(() -> open().map(c -> c.unheardPackets() > 0).orElse(false));
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
    guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS | Permission.REQUEST_TO_SPEAK.getRawValue());
    joinAndSpeak();
    stageChannel().requestToSpeak().complete();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> seen().getSelfMember().getVoiceState().getRequestToSpeakTimestamp() != null);
    assertThat(seen().getSelfMember().getVoiceState().isSuppressed()).isTrue();
    assertThat(raw.control("GET", "/guilds", null).body().get(0).get("members").findValues("requestToSpeak"))
        .anyMatch(n -> !n.isNull());
    // Unsuppressing itself needs Mute Members: Discord refuses.
    RawDiscord.Answer refused = raw.rest("PATCH", "/guilds/" + guild.id() + "/voice-states/@me", bot,
        "{\"channel_id\":\"" + stage + "\",\"suppress\":false}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("code").asInt()).isEqualTo(50013);
    // A moderator invites it to speak, over HTTP.
    assertThat(raw.control("POST", "/guilds/" + guild.id() + "/voice-states/" + bot.id(), "{\"suppress\":false}")
        .status()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(10)).until(() -> !seen().getSelfMember().getVoiceState().isSuppressed());
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().audioPackets() > 10);
  }

  @Test
  void withoutRequestToSpeakTheBotCannotRaiseItsHand() throws Exception {
    guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    joinAndSpeak();
    RawDiscord.Answer refused = raw.rest("PATCH", "/guilds/" + guild.id() + "/voice-states/%40me", bot,
        "{\"channel_id\":\"" + stage + "\",\"request_to_speak_timestamp\":\"2026-12-01T00:00:00Z\"}");
    assertThat(refused.status()).isEqualTo(403);
    // A moderator can still make it a speaker, in Java.
    guild.setSuppressed(bot.id(), false);
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().audioPackets() > 10);
  }

  @Test
  void aStageInstanceIsOpenedChangedAndClosed() throws Exception {
    var instance = stageChannel().createStageInstance("Morning talk").complete();
    assertThat(instance.getTopic()).isEqualTo("Morning talk");
    await().atMost(Duration.ofSeconds(10)).until(() -> stageChannel().getStageInstance() != null);
    assertThat(raw.control("GET", "/guilds", null).body().get(0).get("channels").get(0).get("stage").get("topic")
        .asText()).isEqualTo("Morning talk");
    assertThatThrownBy(() -> stageChannel().createStageInstance("again").complete())
        .isInstanceOfSatisfying(ErrorResponseException.class,
            e -> assertThat(e.getErrorResponse()).isEqualTo(ErrorResponse.STAGE_ALREADY_OPEN));
    stageChannel().getStageInstance().getManager().setTopic("Evening talk").complete();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Evening talk".equals(stageChannel().getStageInstance().getTopic()));
    stageChannel().getStageInstance().delete().complete();
    await().atMost(Duration.ofSeconds(10)).until(() -> stageChannel().getStageInstance() == null);
    assertThat(raw.rest("GET", "/stage-instances/" + stage, bot, null).body().get("code").asInt()).isEqualTo(10067);
  }

  @Test
  void onlyAStageModeratorOpensAStage() throws Exception {
    guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    RawDiscord.Answer refused = raw.rest("POST", "/stage-instances", bot,
        "{\"channel_id\":\"" + stage + "\",\"topic\":\"Morning\"}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("code").asInt()).isEqualTo(50013);
    guild.setEveryonePermissions(GuildHandle.ADMINISTRATOR);
    RawDiscord.Answer badTopic = raw.rest("POST", "/stage-instances", bot,
        "{\"channel_id\":\"" + stage + "\",\"topic\":\"" + "t".repeat(121) + "\"}");
    assertThat(badTopic.body().at("/errors/topic/_errors/0/code").asText()).isEqualTo("BASE_TYPE_BAD_LENGTH");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void stageChannelsAreCreatedThroughBothApis(String api) throws Exception {
    long created = api.equals("java") ? guild.createStageChannel("Q&A")
        : Long.parseLong(raw.control("POST", "/guilds/" + guild.id() + "/channels",
            "{\"name\":\"Q&A\",\"type\":\"stage\"}").body().get("id").asText());
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getStageChannelById(created) != null);
  }
}
