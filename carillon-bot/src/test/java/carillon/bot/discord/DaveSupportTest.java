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

  /** The reason names what the machine has, what is needed and the fix, on one line. */
  @Test
  void theReasonNamesGlibcLibstdcxxTheArchitectureAndTheContainerImage() {
    assertThat(DaveSupport.unavailableReason("2.36", "amd64")).contains("glibc 2.36 on amd64")
        .contains("glibc 2.38").contains("GLIBCXX_3.4.32").contains("container image").doesNotContain("\n");
    assertThat(DaveSupport.unavailableReason("2.39", "riscv64")).contains("architecture riscv64")
        .contains("x86-64 and aarch64");
    assertThat(new DaveSupport.Unavailable("why").describe()).isEqualTo("unavailable: why");
  }
}
