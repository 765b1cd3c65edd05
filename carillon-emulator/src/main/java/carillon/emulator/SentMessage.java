package carillon.emulator;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.List;

/**
 * A message as the emulator saw it posted: by a bot through REST, or by a user through the Java API.
 *
 * <pre>{@code
 * List<SentMessage> posted = discord.messages(channelId);
 * assertThat(posted.getLast().content()).isEqualTo("Session starts!");
 * }</pre>
 *
 * <p>Ids are written as strings in JSON (the HTTP API), as Discord writes snowflakes.
 */
public record SentMessage(@JsonSerialize(using = ToStringSerializer.class) long id, @JsonSerialize(using = ToStringSerializer.class) long channelId,
    @JsonSerialize(using = ToStringSerializer.class) long authorId, String author, String content, List<Embed> embeds,
    Instant time) {

  public SentMessage {
    embeds = List.copyOf(embeds);
  }

  /** The title and description of an embed (the parts assertions usually need). */
  public record Embed(String title, String description) {}
}
