package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Discord's length limits on what a bot writes, answered as Discord does: 400 {@code 50035 Invalid Form
 * Body} with each offending field's path in {@code errors}, e.g.
 * {@code {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}}}.
 * Sources: Discord's "Create Message" (content 2,000 characters, 10 embeds) and "Embed Limits" (title 256,
 * description 4,096, 25 fields, field name 256, field value 1,024, footer text 2,048, author name 256, 6,000
 * in all embeds of a message), "Autocomplete" (at most 25 choices, name and string value 1 to 100
 * characters) and "Error Messages" (the {@code errors} shape). Lengths count Unicode code points.
 */
final class Limits {
  private final ObjectMapper json;
  private final ObjectNode errors;

  private Limits(ObjectMapper json) {
    this.json = json;
    this.errors = json.createObjectNode();
  }

  /** Checks a message body (create, follow-up, edit, or an interaction's {@code data} under {@code prefix}). */
  static void checkMessage(ObjectMapper json, JsonNode body, String prefix) {
    Limits limits = new Limits(json);
    limits.max(body.path("content"), prefix + "content", 2000);
    JsonNode embeds = body.path("embeds");
    if (embeds.isArray()) {
      if (embeds.size() > 10) {
        limits.error(prefix + "embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
      }
      int total = 0;
      for (int i = 0; i < embeds.size(); i++) {
        JsonNode embed = embeds.get(i);
        String at = prefix + "embeds." + i + ".";
        total += limits.max(embed.path("title"), at + "title", 256);
        total += limits.max(embed.path("description"), at + "description", 4096);
        total += limits.max(embed.path("footer").path("text"), at + "footer.text", 2048);
        total += limits.max(embed.path("author").path("name"), at + "author.name", 256);
        JsonNode fields = embed.path("fields");
        if (fields.size() > 25) {
          limits.error(at + "fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        }
        for (int f = 0; f < fields.size(); f++) {
          total += limits.max(fields.get(f).path("name"), at + "fields." + f + ".name", 256);
          total += limits.max(fields.get(f).path("value"), at + "fields." + f + ".value", 1024);
        }
      }
      if (total > 6000) {
        limits.error(prefix + "embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
      }
    }
    limits.raise();
  }

  /** Checks an autocomplete answer's {@code data.choices}; returns them. */
  static JsonNode checkChoices(ObjectMapper json, JsonNode data) {
    Limits limits = new Limits(json);
    JsonNode choices = data.path("choices");
    if (!choices.isArray()) {
      limits.error("data.choices", "BASE_TYPE_REQUIRED", "This field is required");
    } else {
      if (choices.size() > 25) {
        limits.error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
      }
      for (int i = 0; i < choices.size(); i++) {
        JsonNode choice = choices.get(i);
        limits.between(choice.path("name"), "data.choices." + i + ".name", 1, 100);
        if (!choice.has("value")) {
          limits.error("data.choices." + i + ".value", "BASE_TYPE_REQUIRED", "This field is required");
        } else if (choice.get("value").isTextual()) {
          limits.between(choice.get("value"), "data.choices." + i + ".value", 1, 100);
        }
      }
    }
    limits.raise();
    return choices;
  }

  /**
   * Checks Get Channel Messages' query: {@code limit} 1-100 (default 50), at most one of {@code before},
   * {@code after}, {@code around}, each a snowflake. Returns the limit.
   */
  static int checkHistoryQuery(ObjectMapper json, Map<String, String> query) {
    Limits limits = new Limits(json);
    int limit = 50;
    String given = query.get("limit");
    if (given != null) {
      try {
        limit = Integer.parseInt(given);
        if (limit < 1 || limit > 100) {
          limits.error("limit", limit < 1 ? "NUMBER_TYPE_MIN" : "NUMBER_TYPE_MAX",
              "int value should be " + (limit < 1 ? "greater than or equal to 1." : "less than or equal to 100."));
        }
      } catch (NumberFormatException e) {
        limits.error("limit", "NUMBER_TYPE_COERCE", "Value \"" + given + "\" is not int.");
      }
    }
    for (String pivot : List.of("before", "after", "around")) {
      String id = query.get(pivot);
      if (id != null && !id.matches("\\d{1,20}")) {
        limits.error(pivot, "NUMBER_TYPE_COERCE", "Value \"" + id + "\" is not snowflake.");
      }
    }
    limits.raise();
    return limit;
  }

  private int max(JsonNode value, String path, int max) {
    if (!value.isTextual()) {
      return 0;
    }
    int length = value.asText().codePointCount(0, value.asText().length());
    if (length > max) {
      error(path, "BASE_TYPE_MAX_LENGTH", "Must be " + max + " or fewer in length.");
    }
    return length;
  }

  private void between(JsonNode value, String path, int min, int max) {
    String text = value.asText("");
    int length = text.codePointCount(0, text.length());
    if (!value.isTextual() || length < min || length > max) {
      error(path, "BASE_TYPE_BAD_LENGTH", "Must be between " + min + " and " + max + " in length.");
    }
  }

  private void error(String path, String code, String message) {
    ObjectNode at = errors;
    for (String part : path.split("\\.")) {
      at = at.has(part) ? (ObjectNode) at.get(part) : at.putObject(part);
    }
    at.withArray("_errors").addObject().put("code", code).put("message", message);
  }

  private void raise() {
    if (!errors.isEmpty()) {
      throw new Rest.DiscordError(400, 50035, "Invalid Form Body", errors);
    }
  }
}
