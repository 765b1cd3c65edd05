package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmulatorExtension.class)
class EmulatorExtensionTest {
  private final DiscordEmulator fromConstructor;

  EmulatorExtensionTest(DiscordEmulator discord) {
    this.fromConstructor = discord;
  }

  @Test
  void injectsOneRunningEmulatorPerClass(DiscordEmulator discord) {
    assertThat(discord).isSameAs(fromConstructor);
    assertThat(discord.port()).isPositive();
    assertThat(discord.restUrl()).isEqualTo("http://127.0.0.1:" + discord.port() + "/api/v10/");
  }

  @Test
  void theStandaloneDescriptionNamesPortsTokenAndSettings(DiscordEmulator discord) {
    GuildHandle guild = discord.createGuild("Sample");
    BotAccount bot = discord.createBot("Carillon");
    UserHandle alice = discord.createUser("alice");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Standalone.describe(new PrintStream(out, true, StandardCharsets.UTF_8), discord, guild, bot, alice, 1, 2, 3);
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("127.0.0.1:" + discord.port(), bot.token(), discord.gatewayUrl(),
        "setCompression(Compression.NONE)");
  }
}
