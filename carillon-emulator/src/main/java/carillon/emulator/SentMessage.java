package carillon.emulator;

import java.time.Instant;
import java.util.List;

/**
 * A message as the emulator saw it posted: by a bot through REST, or by a user through the Java API.
 *
 * <pre>{@code
 * List<SentMessage> posted = discord.messages(channelId);
 * assertThat(posted.getLast().content()).isEqualTo("Session starts!");
 * }</pre>
 */
public record SentMessage(long id, long channelId, long authorId, String author, String content, List<Embed> embeds,
    Instant time) {

  public SentMessage {
    embeds = List.copyOf(embeds);
  }

  /** The title and description of an embed (the parts assertions usually need). */
  public record Embed(String title, String description) {}
}
