package carillon.bot.discord;

import java.util.List;
import java.util.function.IntFunction;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.entities.MessageEmbed;

/**
 * Discord's length limits on what a bot writes, in one place: every message, embed, interaction reply and
 * autocomplete answer Carillon sends is fitted here before it leaves, so that nothing is refused (Discord
 * answers {@code 400 50035 Invalid Form Body}, and JDA throws before sending) and no member is left at
 * "thinking…". Text that does not fit is cut with "…"; a list that does not fit shows what fits and then
 * a line such as "… and 7 more".
 *
 * <p>Sources: Discord's developer documentation, "Create Message" (content 2,000 characters),
 * "Embed Limits" (title 256, description 4,096, 25 fields, field name 256, field value 1,024, footer 2,048,
 * author name 256, 6,000 over all embeds of a message), "Application Command Option Structure" (25 choices,
 * choice names and string values 1 to 100 characters, a string option at most 6,000 characters) and
 * "Interaction Response: Autocomplete" (at most 25 choices). Discord counts Unicode code points; lengths
 * here are {@link String#length()} (UTF-16 units), as JDA checks them, which is never less than Discord's
 * count, so what fits here fits there.
 */
final class DiscordLimits {
  /** A message's content. */
  static final int CONTENT = 2_000;
  /** An embed's title. */
  static final int EMBED_TITLE = 256;
  /** An embed's description. */
  static final int EMBED_DESCRIPTION = 4_096;
  /** Fields in one embed. */
  static final int EMBED_FIELDS = 25;
  /** A field's name. */
  static final int FIELD_NAME = 256;
  /** A field's value. */
  static final int FIELD_VALUE = 1_024;
  /** An embed's footer text. */
  static final int FOOTER = 2_048;
  /** All titles, descriptions, field names and values, footers and author names of one message's embeds. */
  static final int EMBEDS_TOTAL = 6_000;
  /** Choices in one autocomplete answer. */
  static final int CHOICES = 25;
  /** An autocomplete choice's name, and a string choice's value (at least 1 each). */
  static final int CHOICE = 100;
  /** The longest value a member may give a string option (its {@code max_length} is at most this). */
  static final int OPTION_VALUE = 6_000;

  private static final String CUT = "…";

  private DiscordLimits() {}

  /** {@code text}, cut to at most {@code max} characters ending with "…" when it was longer. */
  static String shorten(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - CUT.length();
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never half of a character
    }
    return text.substring(0, end) + CUT;
  }

  /** A message's content that Discord accepts: cut to {@link #CONTENT}. */
  static String content(String text) {
    return shorten(text, CONTENT);
  }

  /**
   * As many of {@code items} as fit in {@code max} characters, joined by {@code separator}; when some do
   * not fit, {@code more.apply(n)} (e.g. "… and 7 more") follows, after the separator, for the {@code n}
   * left out. A first item longer than the room is cut rather than left out.
   */
  static String list(List<String> items, String separator, int max, IntFunction<String> more) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      int left = items.size() - i - 1;
      String tail = left == 0 ? "" : separator + more.apply(left);
      // Room for this item, keeping room for the "more" that would follow it.
      int room = max - text.length() - (i == 0 ? 0 : separator.length()) - tail.length();
      String item = items.get(i);
      if (item.length() > room) {
        if (i == 0 && room > 2 * CUT.length()) {
          text.append(shorten(item, room)).append(tail);
        } else {
          text.append(i == 0 ? "" : separator).append(more.apply(items.size() - i));
        }
        break;
      }
      text.append(i == 0 ? "" : separator).append(item);
    }
    return shorten(text.toString(), max);
  }

  /** A field of {@link #embed}. */
  record Field(String name, String value) {}

  /**
   * An embed Discord accepts: the title and description cut to their limits, then the fields in order
   * (at most {@link #EMBED_FIELDS}, each cut to its limits) while the whole stays within
   * {@link #EMBEDS_TOTAL}: the field that reaches it is cut, the ones after it are left out. Empty title or
   * description are left out; a field's empty value becomes "-".
   */
  static MessageEmbed embed(String title, String description, List<Field> fields) {
    EmbedBuilder embed = new EmbedBuilder();
    String shownTitle = shorten(title, EMBED_TITLE);
    String shownDescription = shorten(description, EMBED_DESCRIPTION);
    if (!shownTitle.isEmpty()) {
      embed.setTitle(shownTitle);
    }
    if (!shownDescription.isEmpty()) {
      embed.setDescription(shownDescription);
    }
    // At least 6,000 - 256 - 4,096 = 1,648 characters are left for fields.
    int room = EMBEDS_TOTAL - shownTitle.length() - shownDescription.length();
    for (Field field : fields.subList(0, Math.min(fields.size(), EMBED_FIELDS))) {
      String name = shorten(field.name(), FIELD_NAME);
      String value = shorten(field.value().isEmpty() ? "-" : field.value(), FIELD_VALUE);
      int valueRoom = room - name.length();
      if (valueRoom < 2 * CUT.length()) {
        break;
      }
      value = shorten(value, valueRoom);
      embed.addField(name, value, false);
      room -= name.length() + value.length();
    }
    return embed.build();
  }
}
