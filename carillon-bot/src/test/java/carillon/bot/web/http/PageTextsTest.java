package carillon.bot.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandStatus;
import carillon.bot.run.RunOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The pages' words: every key a template asks for exists, in English and in Vietnamese, and nothing else. */
class PageTextsTest {
  private static final Path PAGES = Path.of("src", "main", "resources", "carillon", "bot", "web", "pages");
  private static final Pattern LITERAL = Pattern.compile("t\\(\"([a-zA-Z0-9.]+)\"\\)");
  private static final Pattern PREFIX = Pattern.compile("t\\(\"([a-zA-Z]+\\.)\" ~ [a-zA-Z.]+\\)");

  private static Properties bundle(String file) throws IOException {
    Properties texts = new Properties();
    try (InputStream in = Files.newInputStream(PAGES.resolve(file))) {
      texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return texts;
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }

  @Test
  void everyKeyATemplateUsesIsInBothLanguagesAndNoneIsLeftOver() throws IOException {
    Set<String> used = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    try (Stream<Path> templates = Files.list(PAGES)) {
      for (Path template : templates.filter(p -> p.toString().endsWith(".peb")).toList()) {
        String text = Files.readString(template);
        Matcher literal = LITERAL.matcher(text);
        while (literal.find()) {
          used.add(literal.group(1));
        }
        Matcher prefix = PREFIX.matcher(text);
        while (prefix.find()) {
          prefixes.add(prefix.group(1));
        }
      }
    }
    // Keys made from a value: each prefix with every value it is used with.
    Map<String, List<String>> values = Map.of(
        "day.", List.of("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
        "dayLong.", List.of("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
        "control.", List.of("PLAY", "PAUSE", "RESUME", "SKIP", "STOP"),
        "outcome.", names(RunOutcome.values()),
        "run.", names(RunOutcome.values()),
        // A session's state (SessionView) and a live slot's (Snapshot): strings, not an enum.
        "state.", List.of("SCHEDULED", "IDLE", "DISABLED", "PLAYING", "PAUSED"),
        "command.", names(CommandKind.values()),
        "status.", names(CommandStatus.values()));
    assertThat(values.keySet()).as("prefixes the templates use").containsAll(prefixes);
    for (String prefix : prefixes) {
      values.get(prefix).forEach(value -> used.add(prefix + value));
    }
    // The live panel's words are read by its script from a JSON block the template fills: used above.
    Properties english = bundle("texts.properties");
    Properties vietnamese = bundle("texts_vi.properties");
    assertThat(used).as("keys the templates use").isNotEmpty();
    assertThat(english.stringPropertyNames()).as("English keys").containsAll(used);
    assertThat(vietnamese.stringPropertyNames()).as("Vietnamese keys").isEqualTo(english.stringPropertyNames());
    assertThat(english.stringPropertyNames()).as("keys no template uses").isSubsetOf(used);
  }

  @Test
  void aPageInVietnameseGetsVietnameseAndAMissingKeySaysSo() {
    assertThat(PageTexts.text(Locale.forLanguageTag("vi"), "nav.logout")).isEqualTo("Đăng xuất");
    assertThat(PageTexts.text(Locale.ENGLISH, "nav.logout")).isEqualTo("Log out");
    assertThat(PageTexts.text(Locale.ENGLISH, "no.such.key")).isEqualTo("??no.such.key??");
  }
}
