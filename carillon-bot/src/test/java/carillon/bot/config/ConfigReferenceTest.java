package carillon.bot.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's reference table is the settings table, row for row. */
class ConfigReferenceTest {
  static final String BEGIN = "<!-- generated from carillon.bot.config.Setting.reference(); ConfigReferenceTest keeps it true -->\n";
  static final String END = "<!-- end of the generated reference -->";

  @Test
  void theDocumentedReferenceIsTheTable() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    assertThat(doc).contains(BEGIN, END);
    String documented = doc.substring(doc.indexOf(BEGIN) + BEGIN.length(), doc.indexOf(END));
    assertThat(documented)
        .as("docs/configuration.md's reference differs from the settings table; replace it with the expected text")
        .isEqualTo(Setting.reference());
  }

  @Test
  void everySettingHasAVariableADescriptionAndAValidDefault() throws Exception {
    for (Setting<?> setting : Setting.ALL) {
      assertThat(setting.variable()).startsWith("CARILLON_").doesNotContain(".");
      assertThat(setting.description()).isNotBlank();
      if (setting.defaultText() != null) {
        setting.parser().parse(setting.defaultText().replace("<dataDir>", "data"));
      }
    }
  }
}
