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
/** Ids are written as strings in JSON (the HTTP API), as Discord writes snowflakes. */
public record SentMessage(@com.fasterxml.jackson.databind.annotation.JsonSerialize(using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class) long id, @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class) long channelId,
    @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class) long authorId, String author, String content, List<Embed> embeds,
    Instant time) {

  public SentMessage {
    embeds = List.copyOf(embeds);
  }

  /** The title and description of an embed (the parts assertions usually need). */
  public record Embed(String title, String description) {}
}
