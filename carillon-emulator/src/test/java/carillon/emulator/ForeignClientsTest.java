package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the emulator serves Discord libraries other than JDA, unmodified but for the base URLs they
 * hard-code. discord.py (Debian's python3-discord) and discord.js 14 + @discordjs/voice (compat/js, pinned
 * by its package-lock) each run as a child process against {@code carillon emulator} started in-process:
 * log in, read the guild, send and read back a message (through a 429 and a 502), get messages as their
 * intents allow, answer slash commands (reply, defer and edit, follow-up, ephemeral, autocomplete), survive a
 * gateway drop, op 7 and a non-resumable op 9, and (discord.js) follow a moderator's move and disconnect, and
 * play a 440 Hz tone through a voice drop that the emulator hears by content. scripts/test-prerequisites.sh
 * installs both; a missing one fails here with what to run, never a silent pass.
 */
class ForeignClientsTest {
  private static final Duration STEP = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private Standalone standalone;
  private JsonNode description;
  private Path descriptionFile;

  @BeforeEach
  void startTheEmulator() throws Exception {
    Path world = dir.resolve("world.json");
    Files.writeString(world, """
        {"bots": [{"name": "Bell"}], "users": ["alice"],
         "guilds": [{"name": "Sangha", "members": ["Bell", "alice"],
                     "channels": [{"name": "notices"}, {"name": "Hall", "type": "voice"},
                                  {"name": "Garden", "type": "voice"}]}]}
        """);
    standalone = Standalone.start(Optional.of(world), dir.resolve("voice.pem"));
    description = standalone.description();
    descriptionFile = dir.resolve("description.json");
    Files.writeString(descriptionFile, description.toString());
  }

  @AfterEach
  void stopTheEmulator() {
    standalone.close();
  }

  @Test
  void discordPy() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Path library = Path.of("/usr/lib/python3/dist-packages/discord/__init__.py");
    assertThat(Files.exists(python) && Files.exists(library))
        .as("Debian's python3-discord is missing: run ./carillon test (scripts/test-prerequisites.sh installs it) "
            + "or, as root, apt-get install python3-discord")
        .isTrue();
    failTheFirstRequests();
    try (ForeignBot bot = ForeignBot.start(ForeignBot.compat("py"),
        Map.of("SSL_CERT_FILE", description.get("certificate").asText(), "PYTHONUNBUFFERED", "1"),
        python.toString(), "bot.py", descriptionFile.toString(), "Bell", "Sangha")) {
      textCommandsAndGatewayFaults(bot, "hello from discord.py");
      assertThat(bot.quit(STEP)).as(bot.output()).isZero();
    }
  }

  @Test
  void discordJsWithVoice() throws Exception {
    Path js = ForeignBot.compat("js");
    assertThat(js.resolve("node_modules/discord.js")).as(
        "compat/js has no node_modules: run ./carillon test (scripts/test-prerequisites.sh runs npm ci there)")
        .isDirectory();
    failTheFirstRequests();
    try (ForeignBot bot = ForeignBot.start(js,
        Map.of("NODE_EXTRA_CA_CERTS", description.get("certificate").asText()),
        "node", "bot.js", descriptionFile.toString(), "Bell", "Sangha")) {
      textCommandsAndGatewayFaults(bot, "hello from discord.js");
      playsWhatTheEmulatorHearsThroughAVoiceDrop(bot);
      assertThat(bot.quit(STEP)).as(bot.output()).isZero();
    }
  }

  private void textCommandsAndGatewayFaults(ForeignBot bot, String greeting) throws Exception {
    DiscordEmulator discord = standalone.discord();
    long notices = id("/guilds/Sangha/channels/notices");
    BotAccount bell = bell();
    UserHandle alice = new UserHandle(discord.world(), id("/users/alice"), "alice");

    assertThat(bot.expect("ready ", STEP))
        .as("the message read back, then the channel's history newest first (Get Channel Messages)")
        .isEqualTo("ready guild=Sangha channels=3 read=\"" + greeting + "\" history=[\"second\",\"" + greeting + "\"]");
    assertThat(discord.restFaultsServed()).as("the library retried after a 429 and a 502").isEqualTo(2);
    assertThat(discord.messages(notices)).extracting(SentMessage::content).contains(greeting);

    // GUILD_MESSAGES without MESSAGE_CONTENT: a plain message arrives blank, one that mentions the bot whole
    alice.sendMessage(notices, "plain words");
    assertThat(bot.expect("message ", STEP)).isIn("message {\"author\":\"alice\",\"content\":\"\"}",
        "message {\"author\": \"alice\", \"content\": \"\"}");
    alice.sendMessage(notices, "<@" + bell.id() + "> ring");
    assertThat(bot.expect("message ", STEP)).contains("<@" + bell.id() + "> ring");

    assertThat(alice.autocomplete(notices, bell, "ring", "bell", "gong", Map.of()).awaitChoices(STEP))
        .containsExactly(new Interaction.Choice("Evening gong", "Evening gong"));
    assertThat(alice.runSlashCommand(notices, bell, "ring", Map.of("bell", "Temple bell")).awaitReply(STEP).content())
        .isEqualTo("ringing Temple bell");
    Interaction slow = alice.runSlashCommand(notices, bell, "slow", Map.of());
    assertThat(slow.awaitReply(STEP).content()).isEqualTo("done slowly");
    assertThat(slow.deferred()).isTrue();
    Interaction twice = alice.runSlashCommand(notices, bell, "twice", Map.of());
    assertThat(twice.awaitReply(STEP).content()).isEqualTo("once");
    await().atMost(STEP).until(() -> twice.followups().size() == 1);
    assertThat(twice.followups().getFirst().content()).isEqualTo("twice");
    Interaction secret = alice.runSlashCommand(notices, bell, "secret", Map.of());
    assertThat(secret.awaitReply(STEP).content()).isEqualTo("only you");
    assertThat(secret.ephemeral()).isTrue();
    assertThat(discord.messages(notices)).extracting(SentMessage::content).doesNotContain("only you");

    // the gateway drops (4000): the library resumes and gets what it missed
    discord.closeGateway(bell, 4000);
    alice.sendMessage(notices, "<@" + bell.id() + "> after the drop");
    assertThat(bot.expect("message ", STEP)).contains("after the drop");
    // Discord asks it to reconnect (op 7): it resumes again and still answers
    discord.requestReconnect(bell);
    assertThat(alice.runSlashCommand(notices, bell, "ring", Map.of()).awaitReply(STEP).content())
        .isEqualTo("ringing the bell");
    // an invalidated session (op 9, not resumable): the library identifies anew
    discord.invalidateSession(bell, false);
    await().atMost(STEP).until(() -> discord.world().sessions.values().stream()
        .anyMatch(session -> session.bot.id == bell.id() && session.connection() != null));
    assertThat(alice.runSlashCommand(notices, bell, "ring", Map.of("bell", "Evening gong")).awaitReply(STEP).content())
        .isEqualTo("ringing Evening gong");
  }

  /** The first message post is rate limited (429) and the first guild read fails with 502: both are retried. */
  private void failTheFirstRequests() {
    standalone.discord().failRoute("POST", "/channels/\\d+/messages", 429, 1);
    standalone.discord().failRoute("GET", "/guilds/\\d+/channels", 502, 1);
  }

  private void playsWhatTheEmulatorHearsThroughAVoiceDrop(ForeignBot bot) throws Exception {
    DiscordEmulator discord = standalone.discord();
    GuildHandle sangha = new GuildHandle(discord.world(), id("/guilds/Sangha/id"), "Sangha");
    BotAccount bell = bell();
    bot.order("voice");
    bot.expect("voice playing", STEP);
    await().atMost(STEP).until(() -> discord.voiceConnections().stream()
        .anyMatch(c -> c.decodedAudio().compareTo(Duration.ofSeconds(1)) > 0));
    assertThat(discord.dropVoiceConnection(sangha, bell)).isTrue();
    assertThat(bot.expect("voice played ", STEP)).isEqualTo("voice played 4s of 440 Hz, connection ready");

    List<VoiceConnectionSnapshot> connections = discord.voiceConnections().stream()
        .filter(c -> c.userId() == bell.id()).toList();
    assertThat(connections).as("the dropped connection is resumed, not replaced").hasSize(1);
    VoiceConnectionSnapshot heard = connections.getFirst();
    assertThat(heard.encryptionMode()).isEqualTo("aead_aes256_gcm_rtpsize");
    assertThat(heard.sound()).isBetween(Duration.ofMillis(3_900), Duration.ofMillis(4_100));
    short[] pcm = discord.voicePcm(heard.id()).orElseThrow();
    assertThat(Signals.frequencyOfSound(pcm)).isCloseTo(440.0, offset(3.0));

    // a moderator drags the bot to the Garden: a new voice server update, a new connection there
    long garden = id("/guilds/Sangha/channels/Garden");
    sangha.moveMember(bell.id(), garden);
    await().atMost(STEP).until(() -> discord.voiceConnections().stream()
        .anyMatch(c -> c.channelId() == garden && c.disconnectedAt().isEmpty()));
    // ... then disconnects it: the voice socket closes with 4014 and the library reports it disconnected
    sangha.moveMember(bell.id(), null);
    bot.expect("voice state disconnected", STEP);
    assertThat(discord.voiceChannelOf(sangha, bell.id())).isEmpty();
  }

  private long id(String pointer) {
    return Long.parseLong(description.at(pointer).asText());
  }

  private BotAccount bell() {
    JsonNode bell = description.at("/bots/Bell");
    return new BotAccount(bell.get("id").asLong(), "Bell", bell.get("token").asText(),
        bell.get("applicationId").asLong());
  }
}
