package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaveSupportTest {

  /** JDAVE's libdave.so needs glibc 2.38: the probe must match what this machine has. */
  @Test
  void theProbeAgreesWithThisMachinesGlibc() {
    String glibc = DaveSupport.glibcVersion().orElseThrow();
    String[] parts = glibc.split("\\.");
    boolean newEnough = Integer.parseInt(parts[0]) > 2 || (Integer.parseInt(parts[0]) == 2 && Integer.parseInt(parts[1]) >= 38);
    DaveSupport dave = DaveSupport.probe();
    if (newEnough) {
      assertThat(dave).isInstanceOf(DaveSupport.Available.class);
      assertThat(((DaveSupport.Available) dave).maxProtocolVersion()).isPositive();
    } else {
      assertThat(dave).isInstanceOfSatisfying(DaveSupport.Unavailable.class, off -> assertThat(off.reason())
          .startsWith("voice is off:").contains("glibc " + glibc).contains("glibc 2.38").contains("Fix:")
          .doesNotContain("\n"));
    }
  }
}
