package carillon.bot.naming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameKeyTest {
  @Test
  void namesThatDifferOnlyInCaseOrCompatibilityFormHaveOneKey() {
    assertThat(NameKey.of("Temple Bell")).isEqualTo(NameKey.of("temple bell")).isEqualTo(NameKey.of("ｔｅｍｐｌｅ ＢＥＬＬ"));
    assertThat(NameKey.of("Straße")).isEqualTo(NameKey.of("STRASSE"));
    assertThat(NameKey.of("ﬁre")).isEqualTo(NameKey.of("FIRE")); // the ligature is NFKC "fi"
    assertThat(NameKey.of("Café")).isEqualTo(NameKey.of("CAFE\u0301")); // composed and decomposed é
    assertThat(NameKey.of("Bell 1")).isNotEqualTo(NameKey.of("Bell 2"));
    assertThat(NameKey.of("Cafe")).isNotEqualTo(NameKey.of("Café"));
  }
}
