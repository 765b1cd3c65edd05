package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The control API builds the world and observes voice as the Java API does (issue 16); REST reads of guilds. */
@ExtendWith(EmulatorExtension.class)
class ControlApiParityTest {
  private final DiscordEmulator discord;
  private final RawDiscord raw;
  private final Sangha sangha;

  ControlApiParityTest(DiscordEmulator discord) {
    this.discord = discord;
    raw = new RawDiscord(discord);
    sangha = Sangha.in(discord);
  }

  @Test
  void buildsAWorld() throws Exception {
    String guild = raw.control("POST", "/guilds", "{\"name\":\"Dharma\"}").body().get("id").asText();
    String bao = raw.control("POST", "/users", "{\"name\":\"bao\"}").body().get("id").asText();
    JsonNode gong = raw.control("POST", "/bots", "{\"name\":\"Gong\",\"privilegedIntents\":[]}").body();
    assertThat(gong.get("token").asText()).isNotBlank();
    assertThat(raw.control("PUT", "/guilds/" + guild + "/members/" + bao, null).status()).isEqualTo(204);
    assertThat(raw.control("PUT", "/guilds/" + guild + "/members/" + gong.get("id").asText(), null).status())
        .isEqualTo(204);
    String role = raw.control("POST", "/guilds/" + guild + "/roles", "{\"name\":\"hosts\",\"permissions\":\"32\"}")
        .body().get("id").asText();
    assertThat(raw.control("PUT", "/guilds/" + guild + "/members/" + bao + "/roles/" + role, null).status())
        .isEqualTo(204);
    assertThat(raw.control("PUT", "/guilds/" + guild + "/everyone-permissions", "{\"permissions\":\"1024\"}").status())
        .isEqualTo(204);

    JsonNode dharma = null;
    for (JsonNode g : raw.control("GET", "/guilds", null).body()) {
      if (g.get("id").asText().equals(guild)) {
        dharma = g;
      }
    }
    assertThat(dharma).isNotNull();
    assertThat(dharma.toString()).contains(bao, gong.get("id").asText(), role);

    RawDiscord.Answer wrong = raw.control("POST", "/bots", "{\"name\":\"Bell\",\"privilegedIntents\":[\"MESSAGES\"]}");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.body().get("error").asText()).contains("'privilegedIntents': 'MESSAGES' is not one of");
  }

  @Test
  void voiceFaultsAndObservationsNameWhatIsMissing() throws Exception {
    RawDiscord.Answer drop = raw.control("POST", "/faults/voice",
        "{\"guildId\":\"" + sangha.guild().id() + "\",\"botId\":\"" + sangha.bot().id() + "\"}");
    assertThat(drop.status()).isEqualTo(409);
    assertThat(drop.body().get("error").asText()).contains("Carillon has no open voice connection");
    assertThat(raw.control("GET", "/voice/424242", null).status()).isEqualTo(404);
    assertThat(raw.control("GET", "/voice/424242/audio.wav", null).status()).isEqualTo(404);
  }

  @Test
  void theWavIsWhatJavaSoundReadsAs48kHzStereo() throws Exception {
    short[] pcm = {0, 0, 1000, -1000, 32767, -32768};
    byte[] wav = Wav.of(pcm, 2, 6);
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
      AudioFormat format = in.getFormat();
      assertThat(format.getSampleRate()).isEqualTo(48_000f);
      assertThat(format.getChannels()).isEqualTo(2);
      assertThat(format.getSampleSizeInBits()).isEqualTo(16);
      assertThat(format.isBigEndian()).isFalse();
      assertThat(in.getFrameLength()).isEqualTo(2);
      byte[] samples = in.readAllBytes();
      assertThat(samples).containsExactly(0xE8, 0x03, 0x18, 0xFC, 0xFF, 0x7F, 0x00, 0x80);
    }
  }

  @Test
  void restReadsGuildsAndChannelsOfGuildsTheBotIsIn() throws Exception {
    RawDiscord.Answer channels = raw.rest("GET", "/guilds/" + sangha.guild().id() + "/channels", sangha.bot(), null);
    assertThat(channels.status()).isEqualTo(200);
    assertThat(channels.body().get(0).get("id").asText()).isEqualTo(Long.toString(sangha.notices()));
    assertThat(raw.rest("GET", "/guilds/" + sangha.guild().id(), sangha.bot(), null).body().get("name").asText())
        .isEqualTo("Sangha");
    assertThat(raw.rest("GET", "/channels/" + sangha.notices(), sangha.bot(), null).body().get("name").asText())
        .isEqualTo("notices");
    assertThat(raw.rest("GET", "/guilds/" + sangha.guild().id() + "/members/" + sangha.alice().id(), sangha.bot(), null)
        .body().get("user").get("username").asText()).isEqualTo("alice");

    BotAccount stranger = discord.createBot("Stranger");
    assertThat(raw.rest("GET", "/guilds/" + sangha.guild().id() + "/channels", stranger, null).status()).isEqualTo(404);
  }
}
