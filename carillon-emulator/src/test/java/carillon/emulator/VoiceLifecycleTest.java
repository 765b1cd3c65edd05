package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.audio.hooks.ConnectionListener;
import net.dv8tion.jda.api.audio.hooks.ConnectionStatus;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.middleman.AudioChannel;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.requests.GatewayIntent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What happens to a bot in voice when others act, with the real JDA: a moderator disconnects or moves it,
 * its voice server moves, its channel is deleted, it may not speak or is server-muted, it may not connect,
 * and members come and go. Each through the Java API and, where the control API has it, over HTTP.
 */
class VoiceLifecycleTest {
  static final long SPEAK = Permission.VOICE_SPEAK.getRawValue();
  static final long CONNECT = Permission.VOICE_CONNECT.getRawValue();

  VoiceBot rig;
  long hall;
  long lounge;
  final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    rig = new VoiceBot(g -> {
      hall = g.createVoiceChannel("Meditation Hall");
      lounge = g.createVoiceChannel("Lounge");
    });
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  Guild seen() {
    return rig.seen();
  }

  /** Joins the hall and sends Opus silence, recording JDA's connection statuses. */
  void joinAndSpeak() {
    seen().getAudioManager().setConnectionListener(new ConnectionListener() {
      @Override
      public void onStatusChange(ConnectionStatus status) {
        statuses.add(status);
      }
    });
    rig.join(seen().getVoiceChannelById(hall));
  }

  Optional<VoiceConnectionSnapshot> open() {
    return rig.open();
  }

  /** Does the same through the Java API or the control API, which answers 204. */
  void act(String api, Runnable java, String method, String path, String body) throws Exception {
    if (api.equals("java")) {
      java.run();
    } else {
      assertThat(rig.raw.control(method, path, body).status()).isEqualTo(204);
    }
  }

  AudioChannel selfChannel() {
    var state = seen().getSelfMember().getVoiceState();
    return state == null ? null : state.getChannel();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void aModeratorDisconnectingTheBotClosesItsVoiceWith4014(String api) throws Exception {
    joinAndSpeak();
    act(api, () -> rig.guild.moveMember(rig.bot.id(), null), "POST", "/guilds/" + rig.guild.id() + "/voice",
        "{\"userId\":\"" + rig.bot.id() + "\",\"channelId\":null}");
    await().atMost(Duration.ofSeconds(10)).until(() -> !seen().getAudioManager().isConnected() && selfChannel() == null);
    assertThat(rig.discord.voiceChannelOf(rig.guild, rig.bot.id())).isEmpty();
    assertThat(open()).isEmpty();
    assertThat(statuses).contains(ConnectionStatus.DISCONNECTED_KICKED_FROM_CHANNEL);
  }

  @Test
  void anotherSessionOfTheBotJoiningTakesTheVoiceOverAndTheFirstConnectionEndsWith4014() throws Exception {
    joinAndSpeak();
    long first = open().orElseThrow().id();
    JDA second = rig.discord.configure(JDABuilder.createDefault(rig.bot.token())
        .enableIntents(GatewayIntent.GUILD_VOICE_STATES)).build().awaitReady();
    try {
      var audio = second.getGuildById(rig.guild.id()).getAudioManager();
      audio.setSendingHandler(new OpusSilence());
      audio.openAudioConnection(second.getGuildById(rig.guild.id()).getVoiceChannelById(hall));
      await().atMost(Duration.ofSeconds(20)).until(() -> rig.discord.voiceConnections().stream()
          .anyMatch(c -> c.id() != first && c.audioPackets() > 0));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> statuses.contains(ConnectionStatus.DISCONNECTED_KICKED_FROM_CHANNEL));
      List<VoiceConnectionSnapshot> all = rig.discord.voiceConnections();
      assertThat(all).hasSize(2);
      assertThat(all.get(0).id()).isEqualTo(first);
      assertThat(all.get(0).disconnectedAt()).isPresent();
      assertThat(all.get(1).disconnectedAt()).isEmpty();
    } finally {
      Jdas.stop(second);
    }
  }

  @Test
  void theBotsGatewaySessionEndingEndsItsVoiceState() throws Exception {
    joinAndSpeak();
    long first = open().orElseThrow().id();
    Jdas.stop(rig.jda);
    await().atMost(Duration.ofSeconds(10)).until(() -> rig.discord.voiceChannelOf(rig.guild, rig.bot.id()).isEmpty());
    assertThat(rig.discord.voiceConnections()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo(first);
      assertThat(c.disconnectedAt()).isPresent();
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void aModeratorMovingTheBotGivesItANewVoiceServerInTheNewChannel(String api) throws Exception {
    joinAndSpeak();
    act(api, () -> rig.guild.moveMember(rig.bot.id(), lounge), "POST", "/guilds/" + rig.guild.id() + "/voice",
        "{\"userId\":\"" + rig.bot.id() + "\",\"channelId\":\"" + lounge + "\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> selfChannel() != null && selfChannel().getIdLong() == lounge);
    await().atMost(Duration.ofSeconds(20)).until(() -> rig.discord.voiceConnections().stream()
        .anyMatch(c -> c.channelId() == lounge && c.disconnectedAt().isEmpty() && c.audioPackets() > 0));
    assertThat(rig.discord.voiceChannelOf(rig.guild, rig.bot.id())).contains(lounge);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void aVoiceServerMoveMidConnectionMakesJdaConnectAnew(String api) throws Exception {
    joinAndSpeak();
    long first = open().orElseThrow().id();
    act(api, () -> rig.discord.moveVoiceServer(rig.guild, rig.bot), "POST", "/guilds/" + rig.guild.id() + "/voice-server",
        "{\"botId\":\"" + rig.bot.id() + "\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> rig.discord.voiceConnections().stream()
        .anyMatch(c -> c.id() != first && c.channelId() == hall && c.audioPackets() > 0));
    assertThat(selfChannel().getIdLong()).isEqualTo(hall);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void deletingTheChannelTheBotIsInDisconnectsIt(String api) throws Exception {
    joinAndSpeak();
    act(api, () -> rig.guild.deleteChannel(hall), "DELETE", "/channels/" + hall, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getVoiceChannelById(hall) == null
        && !seen().getAudioManager().isConnected());
    assertThat(open()).isEmpty();
    assertThat(rig.discord.voiceChannelOf(rig.guild, rig.bot.id())).isEmpty();
  }

  @Test
  void aBotWithoutSpeakIsNotHeardAndTheSnapshotSaysWhy() throws Exception {
    rig.guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    joinAndSpeak();
    rig.guild.overwriteForMember(hall, rig.bot.id(), 0, SPEAK);
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().unheardPackets() > 10);
    VoiceConnectionSnapshot muted = open().orElseThrow();
    assertThat(muted.notHeardBecause()).contains("no Speak permission in Meditation Hall");
    long heardBefore = muted.audioPackets();
    assertThat(rig.raw.control("GET", "/voice", null).body().get(0).get("notHeardBecause").asText())
        .isEqualTo("no Speak permission in Meditation Hall");
    rig.guild.removeOverwrite(hall, rig.bot.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().audioPackets() > heardBefore + 10);
    assertThat(open().orElseThrow().notHeardBecause()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void aServerMutedBotIsNotHeard(String api) throws Exception {
    joinAndSpeak();
    act(api, () -> rig.guild.serverMute(rig.bot.id(), true), "POST", "/guilds/" + rig.guild.id() + "/voice-states/" + rig.bot.id(),
        "{\"mute\":true}");
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getSelfMember().getVoiceState().isGuildMuted());
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().unheardPackets() > 10);
    assertThat(open().orElseThrow().notHeardBecause()).contains("server-muted");
    assertThat(rig.raw.control("GET", "/guilds", null).body().get(0).get("members").findValues("notHeardBecause"))
        .anyMatch(n -> n.asText().equals("server-muted"));
  }

  @Test
  void withoutConnectJdaRefusesAndDiscordIgnoresTheRequest() throws Exception {
    rig.guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    rig.guild.overwriteForMember(hall, rig.bot.id(), 0, CONNECT);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !seen().getSelfMember().hasPermission(seen().getVoiceChannelById(hall), Permission.VOICE_CONNECT));
    // JDA checks its cache of the overwrites first ...
    assertThatThrownBy(() -> seen().getAudioManager().openAudioConnection(seen().getVoiceChannelById(hall)))
        .isInstanceOf(InsufficientPermissionException.class);
    // ... and a client that asks anyway gets no answer at all: no VOICE_STATE_UPDATE, no VOICE_SERVER_UPDATE.
    try (RawDiscord.Gateway gateway = rig.raw.gateway(rig.bot, 1 | (1 << 7))) {
      gateway.send("{\"op\":4,\"d\":{\"guild_id\":" + rig.guild.id() + ",\"channel_id\":" + hall
          + ",\"self_mute\":false,\"self_deaf\":false}}");
      gateway.send("{\"op\":4,\"d\":{\"guild_id\":" + rig.guild.id() + ",\"channel_id\":" + lounge
          + ",\"self_mute\":false,\"self_deaf\":false}}");
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.types().contains("VOICE_SERVER_UPDATE"));
      assertThat(gateway.dispatches.stream().filter(d -> d.get("t").asText().equals("VOICE_STATE_UPDATE"))
          .map(d -> d.get("d").get("channel_id").asText())).containsExactly(Long.toString(lounge));
    }
    assertThat(rig.discord.ignoredVoiceRequests()).extracting(IgnoredVoiceRequest::channelId).containsExactly(hall);
    assertThat(rig.raw.control("GET", "/voice/ignored", null).body().get(0).get("channelId").asText())
        .isEqualTo(Long.toString(hall));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void membersJoiningAndLeavingVoiceAreSeenByTheBot(String api) throws Exception {
    UserHandle alice = rig.discord.createUser("alice");
    rig.guild.addMember(alice);
    act(api, () -> alice.joinVoice(rig.guild, hall), "POST", "/guilds/" + rig.guild.id() + "/voice",
        "{\"userId\":\"" + alice.id() + "\",\"channelId\":\"" + hall + "\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getVoiceChannelById(hall).getMembers().stream()
        .anyMatch(m -> m.getIdLong() == alice.id()));
    act(api, () -> alice.leaveVoice(rig.guild), "POST", "/guilds/" + rig.guild.id() + "/voice",
        "{\"userId\":\"" + alice.id() + "\",\"channelId\":null}");
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getVoiceChannelById(hall).getMembers().isEmpty());
  }

  @Test
  void withoutTheGuildVoiceStatesIntentNoVoiceStateUpdatesCome() throws Exception {
    UserHandle alice = rig.discord.createUser("alice");
    rig.guild.addMember(alice);
    long notices = rig.guild.createTextChannel("notices");
    try (RawDiscord.Gateway without = rig.raw.gateway(rig.bot, 1 | (1 << 9));
        RawDiscord.Gateway with = rig.raw.gateway(rig.bot, 1 | (1 << 7) | (1 << 9))) {
      alice.joinVoice(rig.guild, hall);
      alice.sendMessage(notices, "after joining");
      await().atMost(Duration.ofSeconds(10)).until(() -> without.types().contains("MESSAGE_CREATE")
          && with.types().contains("MESSAGE_CREATE"));
      assertThat(without.types()).doesNotContain("VOICE_STATE_UPDATE");
      assertThat(with.types()).contains("VOICE_STATE_UPDATE");
    }
  }
}
