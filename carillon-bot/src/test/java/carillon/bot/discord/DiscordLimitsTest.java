package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import net.dv8tion.jda.api.entities.MessageEmbed;
import org.junit.jupiter.api.Test;

class DiscordLimitsTest {
  @Test
  void textIsCutWithAnEllipsisNeverInsideACharacter() {
    assertThat(DiscordLimits.shorten("Bell", 4)).isEqualTo("Bell");
    assertThat(DiscordLimits.shorten("Bells", 4)).isEqualTo("Bel…");
    // "🔔" is two UTF-16 units: cutting between them would leave half a character.
    assertThat(DiscordLimits.shorten("ab🔔cd", 4)).isEqualTo("ab…");
    assertThat(DiscordLimits.content("x".repeat(6000))).hasSize(2000).endsWith("x…");
  }

  @Test
  void aListShowsWhatFitsAndHowManyMore() {
    List<String> items = IntStream.rangeClosed(1, 10).mapToObj(i -> "item " + i).toList(); // 6 or 7 characters
    assertThat(DiscordLimits.list(items, "\n", 1000, n -> "… and " + n + " more.")).isEqualTo(String.join("\n", items));
    String shown = DiscordLimits.list(items, "\n", 40, n -> "… and " + n + " more.");
    assertThat(shown).isEqualTo("item 1\nitem 2\nitem 3\n… and 7 more.").hasSizeLessThanOrEqualTo(40);
    assertThat(DiscordLimits.list(List.of("y".repeat(50), "z"), ", ", 30, n -> "and " + n + " more"))
        .isEqualTo("y".repeat(17) + "…, and 1 more").hasSize(30);
    assertThat(DiscordLimits.list(List.of(), "\n", 10, n -> "more")).isEmpty();
    for (int max = 20; max < 80; max++) {
      assertThat(DiscordLimits.list(items, "\n", max, n -> "… and " + n + " more.")).hasSizeLessThanOrEqualTo(max);
    }
  }

  @Test
  void anEmbedIsFittedPartByPartAndAsAWhole() {
    MessageEmbed embed = DiscordLimits.embed("t".repeat(300), "d".repeat(5000),
        List.of(new DiscordLimits.Field("n".repeat(300), "v".repeat(2000)), new DiscordLimits.Field("Empty", "")));
    assertThat(embed.getTitle()).hasSize(DiscordLimits.EMBED_TITLE);
    assertThat(embed.getFields().getFirst().getName()).hasSize(DiscordLimits.FIELD_NAME);
    assertThat(embed.getFields().getFirst().getValue()).hasSize(DiscordLimits.FIELD_VALUE);
    assertThat(embed.getFields().getLast().getValue()).isEqualTo("-");
    assertThat(embed.getDescription()).hasSize(DiscordLimits.EMBED_DESCRIPTION);
    assertThat(embed.getLength()).isLessThanOrEqualTo(DiscordLimits.EMBEDS_TOTAL);

    List<DiscordLimits.Field> many = IntStream.range(0, 30).mapToObj(i -> new DiscordLimits.Field("f" + i, "v".repeat(1000))).toList();
    MessageEmbed full = DiscordLimits.embed("Title", "d".repeat(4096), many);
    assertThat(full.getFields()).hasSize(2);
    assertThat(full.getFields().getLast().getValue()).endsWith("…");
    assertThat(full.getLength()).isEqualTo(DiscordLimits.EMBEDS_TOTAL);
    List<DiscordLimits.Field> small = IntStream.range(0, 30).mapToObj(i -> new DiscordLimits.Field("f" + i, "v")).toList();
    assertThat(DiscordLimits.embed("Title", "", small).getFields()).hasSize(DiscordLimits.EMBED_FIELDS);
  }
}
