package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Discord's length limits on what a bot writes, answered 400 {@code 50035 Invalid Form Body} with the field's
 * path in {@code errors}: messages, embeds, interaction replies, follow-ups and autocomplete choices. JDA
 * checks most of these itself before sending, so the requests here are raw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscordLimitsTest {
  DiscordEmulator discord;
  RawDiscord raw;
  Sangha sangha;

  @BeforeAll
  void start() throws Exception {
    discord = DiscordEmulator.start();
    raw = new RawDiscord(discord);
    sangha = Sangha.in(discord);
    assertThat(raw.rest("PUT", "/applications/" + sangha.bot().applicationId() + "/commands", sangha.bot(),
        "[{\"name\":\"ping\",\"description\":\"pong\",\"options\":[{\"name\":\"who\",\"description\":\"w\","
            + "\"type\":3,\"autocomplete\":true}]}]").status()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    discord.close();
  }

  /** A message the bot posts in #notices through REST. */
  RawDiscord.Answer post(String body) throws Exception {
    return raw.rest("POST", "/channels/" + sangha.notices() + "/messages", sangha.bot(), body);
  }

  static ObjectNode embed(String field, int length) {
    ObjectNode embed = RawDiscord.JSON.createObjectNode();
    switch (field) {
      case "fields.0.value" -> embed.putArray("fields").addObject().put("name", "n").put("value", "v".repeat(length));
      case "fields.0.name" -> embed.putArray("fields").addObject().put("name", "n".repeat(length)).put("value", "v");
      case "footer.text" -> embed.putObject("footer").put("text", "f".repeat(length));
      case "author.name" -> embed.putObject("author").put("name", "a".repeat(length));
      default -> embed.put(field, "x".repeat(length));
    }
    return embed;
  }

  static String message(String content, ObjectNode... embeds) {
    ObjectNode body = RawDiscord.JSON.createObjectNode();
    if (content != null) {
      body.put("content", content);
    }
    if (embeds.length > 0) {
      ArrayNode array = body.putArray("embeds");
      for (ObjectNode embed : embeds) {
        array.add(embed);
      }
    }
    return body.toString();
  }

  /** Each limit, at the limit (accepted) and one past it (refused with the field's path). */
  static Stream<Arguments> limits() {
    return Stream.of(
        Arguments.of("content", 2000, (IntFunction<String>) n -> message("c".repeat(n))),
        Arguments.of("embeds.0.title", 256, (IntFunction<String>) n -> message(null, embed("title", n))),
        Arguments.of("embeds.0.description", 4096,
            (IntFunction<String>) n -> message(null, embed("description", n))),
        Arguments.of("embeds.0.fields.0.value", 1024,
            (IntFunction<String>) n -> message(null, embed("fields.0.value", n))),
        Arguments.of("embeds.0.fields.0.name", 256,
            (IntFunction<String>) n -> message(null, embed("fields.0.name", n))),
        Arguments.of("embeds.0.footer.text", 2048,
            (IntFunction<String>) n -> message(null, embed("footer.text", n))),
        Arguments.of("embeds.0.author.name", 256,
            (IntFunction<String>) n -> message(null, embed("author.name", n))));
  }

  static JsonNode errorAt(JsonNode errors, String path) {
    JsonNode at = errors;
    for (String part : path.split("\\.")) {
      at = at.path(part);
    }
    return at.path("_errors").path(0);
  }

  @ParameterizedTest(name = "{0} at most {1}")
  @MethodSource("limits")
  void aMessagePastALimitIsRefusedWithTheFieldPath(String path, int limit, IntFunction<String> body)
      throws Exception {
    assertThat(post(body.apply(limit)).status()).isEqualTo(200);
    RawDiscord.Answer refused = post(body.apply(limit + 1));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("code").asInt()).isEqualTo(50035);
    assertThat(refused.body().get("message").asText()).isEqualTo("Invalid Form Body");
    assertThat(errorAt(refused.body().get("errors"), path).get("code").asText()).isEqualTo("BASE_TYPE_MAX_LENGTH");
    assertThat(errorAt(refused.body().get("errors"), path).get("message").asText())
        .isEqualTo("Must be " + limit + " or fewer in length.");
  }

  @Test
  void embedsOfAMessageTogetherHoldAtMost6000Characters() throws Exception {
    String fits = message(null, embed("description", 4000), embed("description", 2000));
    assertThat(post(fits).status()).isEqualTo(200);
    RawDiscord.Answer refused = raw.rest("POST", "/channels/" + sangha.notices() + "/messages", sangha.bot(),
        message(null, embed("description", 4000), embed("description", 2001)));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().at("/errors/embeds/_errors/0/code").asText()).isEqualTo("MAX_EMBED_SIZE_EXCEEDED");
  }

  @Test
  void anEmptyMessageIsRefused() throws Exception {
    RawDiscord.Answer refused = post("{\"content\":\"\"}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("code").asInt()).isEqualTo(50006);
  }

  @Test
  void anInteractionReplyAndFollowUpPastTheLimitAreRefusedUnderData() throws Exception {
    Interaction run = sangha.alice().runSlashCommand(sangha.notices(), sangha.bot(), "ping", Map.of());
    String callback = "/interactions/" + run.id + "/" + run.token + "/callback";
    RawDiscord.Answer refused = raw.rest("POST", callback, null,
        "{\"type\":4,\"data\":" + message("c".repeat(2001)) + "}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(errorAt(refused.body().get("errors"), "data.content").get("code").asText())
        .isEqualTo("BASE_TYPE_MAX_LENGTH");
    assertThat(run.reply()).isNotDone();
    assertThat(raw.rest("POST", callback, null, "{\"type\":5}").status()).isEqualTo(204);
    RawDiscord.Answer followup = raw.rest("POST", "/webhooks/" + sangha.bot().applicationId() + "/" + run.token, null,
        message(null, embed("description", 4097)));
    assertThat(followup.status()).isEqualTo(400);
    assertThat(errorAt(followup.body().get("errors"), "embeds.0.description").get("code").asText())
        .isEqualTo("BASE_TYPE_MAX_LENGTH");
  }

  @Test
  void autocompleteTakesAtMost25ChoicesOfAtMost100Characters() throws Exception {
    Interaction typed = sangha.alice().autocomplete(sangha.notices(), sangha.bot(), "ping", "who", "a", Map.of());
    String callback = "/interactions/" + typed.id + "/" + typed.token + "/callback";
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 26; i++) {
      many.append(i == 0 ? "" : ",").append("{\"name\":\"n").append(i).append("\",\"value\":\"v\"}");
    }
    RawDiscord.Answer tooMany = raw.rest("POST", callback, null, "{\"type\":8,\"data\":{\"choices\":" + many + "]}}");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(errorAt(tooMany.body().get("errors"), "data.choices").get("message").asText())
        .isEqualTo("Must be 25 or fewer in length.");
    RawDiscord.Answer longValue = raw.rest("POST", callback, null,
        "{\"type\":8,\"data\":{\"choices\":[{\"name\":\"n\",\"value\":\"" + "v".repeat(101) + "\"}]}}");
    assertThat(errorAt(longValue.body().get("errors"), "data.choices.0.value").get("code").asText())
        .isEqualTo("BASE_TYPE_BAD_LENGTH");
    RawDiscord.Answer longName = raw.rest("POST", callback, null,
        "{\"type\":8,\"data\":{\"choices\":[{\"name\":\"" + "n".repeat(101) + "\",\"value\":\"v\"}]}}");
    assertThat(errorAt(longName.body().get("errors"), "data.choices.0.name").get("message").asText())
        .isEqualTo("Must be between 1 and 100 in length.");
    assertThat(raw.rest("POST", callback, null,
        "{\"type\":8,\"data\":{\"choices\":[{\"name\":\"" + "n".repeat(100) + "\",\"value\":\"v\"}]}}").status())
        .isEqualTo(204);
  }
}
