package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.audio.AudioSendHandler;
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
  /** An Opus frame of silence: JDA sends it as audio, so the emulator counts packets heard or not. */
  static final byte[] OPUS_SILENCE = {(byte) 0xF8, (byte) 0xFF, (byte) 0xFE};
  static final long SPEAK = Permission.VOICE_SPEAK.getRawValue();
  static final long CONNECT = Permission.VOICE_CONNECT.getRawValue();

  DiscordEmulator discord;
  RawDiscord raw;
  GuildHandle guild;
  long hall;
  long lounge;
  BotAccount bot;
  JDA jda;
  final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    discord = DiscordEmulator.builder().voice(VoiceServer.start()).start();
    raw = new RawDiscord(discord);
    guild = discord.createGuild("Sangha");
    hall = guild.createVoiceChannel("Meditation Hall");
    lounge = guild.createVoiceChannel("Lounge");
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

  /** Joins the hall and sends Opus silence until the emulator has heard some. */
  void joinAndSpeak() {
    var audio = seen().getAudioManager();
    audio.setSendingHandler(new AudioSendHandler() {
      @Override
      public boolean canProvide() {
        return true;
      }

      @Override
      public ByteBuffer provide20MsAudio() {
        return ByteBuffer.wrap(OPUS_SILENCE);
      }

      @Override
      public boolean isOpus() {
        return true;
      }
    });
    audio.setConnectionListener(new ConnectionListener() {
      @Override
      public void onStatusChange(ConnectionStatus status) {
        statuses.add(status);
      }
    });
    audio.openAudioConnection(seen().getVoiceChannelById(hall));
    await().atMost(Duration.ofSeconds(20)).until(() -> open().map(c -> c.audioPackets() > 0).orElse(false));
  }

  Optional<VoiceConnectionSnapshot> open() {
    return discord.voiceConnections().stream().filter(c -> c.disconnectedAt().isEmpty()).reduce((a, b) -> b);
  }

  AudioChannel selfChannel() {
    var state = seen().getSelfMember().getVoiceState();
    return state == null ? null : state.getChannel();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void aModeratorDisconnectingTheBotClosesItsVoiceWith4014(String api) throws Exception {
    joinAndSpeak();
    if (api.equals("java")) {
      guild.moveMember(bot.id(), null);
    } else {
      assertThat(raw.control("POST", "/guilds/" + guild.id() + "/voice",
          "{\"userId\":\"" + bot.id() + "\",\"channelId\":null}").status()).isEqualTo(204);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !seen().getAudioManager().isConnected() && selfChannel() == null);
    assertThat(discord.voiceChannelOf(guild, bot.id())).isEmpty();
    assertThat(open()).isEmpty();
    assertThat(statuses).contains(ConnectionStatus.DISCONNECTED_KICKED_FROM_CHANNEL);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void aModeratorMovingTheBotGivesItANewVoiceServerInTheNewChannel(String api) throws Exception {
    joinAndSpeak();
    if (api.equals("java")) {
      guild.moveMember(bot.id(), lounge);
    } else {
      assertThat(raw.control("POST", "/guilds/" + guild.id() + "/voice",
          "{\"userId\":\"" + bot.id() + "\",\"channelId\":\"" + lounge + "\"}").status()).isEqualTo(204);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> selfChannel() != null && selfChannel().getIdLong() == lounge);
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.voiceConnections().stream()
        .anyMatch(c -> c.channelId() == lounge && c.disconnectedAt().isEmpty() && c.audioPackets() > 0));
    assertThat(discord.voiceChannelOf(guild, bot.id())).contains(lounge);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void aVoiceServerMoveMidConnectionMakesJdaConnectAnew(String api) throws Exception {
    joinAndSpeak();
    long first = open().orElseThrow().id();
    if (api.equals("java")) {
      discord.moveVoiceServer(guild, bot);
    } else {
      assertThat(raw.control("POST", "/guilds/" + guild.id() + "/voice-server", "{\"botId\":\"" + bot.id() + "\"}")
          .status()).isEqualTo(204);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> discord.voiceConnections().stream()
        .anyMatch(c -> c.id() != first && c.channelId() == hall && c.audioPackets() > 0));
    assertThat(selfChannel().getIdLong()).isEqualTo(hall);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void deletingTheChannelTheBotIsInDisconnectsIt(String api) throws Exception {
    joinAndSpeak();
    if (api.equals("java")) {
      guild.deleteChannel(hall);
    } else {
      assertThat(raw.control("DELETE", "/channels/" + hall, null).status()).isEqualTo(204);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getVoiceChannelById(hall) == null
        && !seen().getAudioManager().isConnected());
    assertThat(open()).isEmpty();
    assertThat(discord.voiceChannelOf(guild, bot.id())).isEmpty();
  }

  @Test
  void aBotWithoutSpeakIsNotHeardAndTheSnapshotSaysWhy() throws Exception {
    guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    joinAndSpeak();
    guild.overwriteForMember(hall, bot.id(), 0, SPEAK);
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().unheardPackets() > 10);
    VoiceConnectionSnapshot muted = open().orElseThrow();
    assertThat(muted.notHeardBecause()).contains("no Speak permission in Meditation Hall");
    long heardBefore = muted.audioPackets();
    assertThat(raw.control("GET", "/voice", null).body().get(0).get("notHeardBecause").asText())
        .isEqualTo("no Speak permission in Meditation Hall");
    guild.removeOverwrite(hall, bot.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().audioPackets() > heardBefore + 10);
    assertThat(open().orElseThrow().notHeardBecause()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void aServerMutedBotIsNotHeard(String api) throws Exception {
    joinAndSpeak();
    if (api.equals("java")) {
      guild.serverMute(bot.id(), true);
    } else {
      assertThat(raw.control("POST", "/guilds/" + guild.id() + "/voice-states/" + bot.id(), "{\"mute\":true}")
          .status()).isEqualTo(204);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getSelfMember().getVoiceState().isGuildMuted());
    await().atMost(Duration.ofSeconds(10)).until(() -> open().orElseThrow().unheardPackets() > 10);
    assertThat(open().orElseThrow().notHeardBecause()).contains("server-muted");
    assertThat(raw.control("GET", "/guilds", null).body().get(0).get("members").findValues("notHeardBecause"))
        .anyMatch(n -> n.asText().equals("server-muted"));
  }

  @Test
  void withoutConnectJdaRefusesAndDiscordIgnoresTheRequest() throws Exception {
    guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    guild.overwriteForMember(hall, bot.id(), 0, CONNECT);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !seen().getSelfMember().hasPermission(seen().getVoiceChannelById(hall), Permission.VOICE_CONNECT));
    // JDA checks its cache of the overwrites first ...
    assertThatThrownBy(() -> seen().getAudioManager().openAudioConnection(seen().getVoiceChannelById(hall)))
        .isInstanceOf(InsufficientPermissionException.class);
    // ... and a client that asks anyway gets no answer at all: no VOICE_STATE_UPDATE, no VOICE_SERVER_UPDATE.
    try (RawDiscord.Gateway gateway = raw.gateway(bot, 1 | (1 << 7))) {
      gateway.send("{\"op\":4,\"d\":{\"guild_id\":" + guild.id() + ",\"channel_id\":" + hall
          + ",\"self_mute\":false,\"self_deaf\":false}}");
      gateway.send("{\"op\":4,\"d\":{\"guild_id\":" + guild.id() + ",\"channel_id\":" + lounge
          + ",\"self_mute\":false,\"self_deaf\":false}}");
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.types().contains("VOICE_SERVER_UPDATE"));
      assertThat(gateway.dispatches.stream().filter(d -> d.get("t").asText().equals("VOICE_STATE_UPDATE"))
          .map(d -> d.get("d").get("channel_id").asText())).containsExactly(Long.toString(lounge));
    }
    assertThat(discord.ignoredVoiceRequests()).extracting(IgnoredVoiceRequest::channelId).containsExactly(hall);
    assertThat(raw.control("GET", "/voice/ignored", null).body().get(0).get("channelId").asText())
        .isEqualTo(Long.toString(hall));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"java", "http"})
  void membersJoiningAndLeavingVoiceAreSeenByTheBot(String api) throws Exception {
    UserHandle alice = discord.createUser("alice");
    guild.addMember(alice);
    if (api.equals("java")) {
      alice.joinVoice(guild, hall);
    } else {
      raw.control("POST", "/guilds/" + guild.id() + "/voice", "{\"userId\":\"" + alice.id() + "\",\"channelId\":\"" + hall + "\"}");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getVoiceChannelById(hall).getMembers().stream()
        .anyMatch(m -> m.getIdLong() == alice.id()));
    if (api.equals("java")) {
      alice.leaveVoice(guild);
    } else {
      raw.control("POST", "/guilds/" + guild.id() + "/voice", "{\"userId\":\"" + alice.id() + "\",\"channelId\":null}");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> seen().getVoiceChannelById(hall).getMembers().isEmpty());
  }

  @Test
  void withoutTheGuildVoiceStatesIntentNoVoiceStateUpdatesCome() throws Exception {
    UserHandle alice = discord.createUser("alice");
    guild.addMember(alice);
    long notices = guild.createTextChannel("notices");
    try (RawDiscord.Gateway without = raw.gateway(bot, 1 | (1 << 9));
        RawDiscord.Gateway with = raw.gateway(bot, 1 | (1 << 7) | (1 << 9))) {
      alice.joinVoice(guild, hall);
      alice.sendMessage(notices, "after joining");
      await().atMost(Duration.ofSeconds(10)).until(() -> without.types().contains("MESSAGE_CREATE")
          && with.types().contains("MESSAGE_CREATE"));
      assertThat(without.types()).doesNotContain("VOICE_STATE_UPDATE");
      assertThat(with.types()).contains("VOICE_STATE_UPDATE");
    }
  }
}
