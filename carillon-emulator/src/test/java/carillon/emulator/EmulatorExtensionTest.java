package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

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
}
