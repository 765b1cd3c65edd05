package carillon.bot.web.http;

import carillon.bot.session.FieldError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON object from a request body, read field by field: each accessor notes what is wrong with its
 * field (missing, wrong type, out of range) and {@link #check()} refuses the whole input with every
 * problem, unknown fields included (a typo in a field name is an error, not a silently ignored value).
 */
public final class JsonInput {
  private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

  private final ObjectNode node;
  private final List<FieldError> errors = new ArrayList<>();
  private final Set<String> read = new HashSet<>();

  /** The objects of a list field ({@link #objects}), whose errors are this input's, prefixed. */
  private final List<JsonInput> children = new ArrayList<>();
  private final JsonInput parent;
  private final String prefix;

  private JsonInput(ObjectNode node) {
    this(node, null, "");
  }

  private JsonInput(ObjectNode node, JsonInput parent, String prefix) {
    this.node = node;
    this.parent = parent;
    this.prefix = prefix;
  }

  /** Reads the body of {@code ctx}: it must be {@code application/json} and one JSON object. */
  public static JsonInput of(Context ctx, ObjectMapper json) {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw Problem.unsupportedMediaType("the body must be JSON, sent as Content-Type: application/json (was "
          + (type == null ? "none" : "'" + type + "'") + ")");
    }
    String body = ctx.body();
    JsonNode tree;
    try {
      tree = json.readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw Problem.malformed("body", "is not valid JSON: " + Requests.shorten(e.getOriginalMessage()) + where);
    }
    if (tree == null || tree.isMissingNode()) {
      throw Problem.malformed("body", "is empty; a JSON object is expected");
    }
    if (!(tree instanceof ObjectNode object)) {
      throw Problem.malformed("body", "must be a JSON object, was " + describe(tree));
    }
    return new JsonInput(object);
  }

  public boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  private JsonNode get(String field) {
    read.add(field);
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  public void error(String field, String message) {
    if (parent != null) {
      parent.error(prefix + field, message);
    } else {
      errors.add(new FieldError(field, message));
    }
  }

  /**
   * A list of JSON objects, each read as an input of its own whose problems are reported here as
   * {@code field[i].name} (unknown fields included); null when absent (an error if {@code required}).
   */
  public List<JsonInput> objects(String field, boolean required) {
    JsonNode value = get(field);
    if (value == null) {
      if (required) {
        error(field, "is required: a list of objects");
      }
      return null;
    }
    if (!value.isArray()) {
      error(field, "must be a list of objects, was " + describe(value));
      return null;
    }
    List<JsonInput> objects = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i) instanceof ObjectNode object) {
        JsonInput child = new JsonInput(object, this, field + "[" + i + "].");
        children.add(child);
        objects.add(child);
      } else {
        error(field + "[" + i + "]", "must be an object, was " + describe(value.get(i)));
      }
    }
    return objects;
  }

  public String string(String field, boolean required) {
    JsonNode value = get(field);
    if (value == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      error(field, "must be a string, was " + describe(value));
      return null;
    }
    return value.asText();
  }

  /** A Discord id: a string of digits (JSON numbers lose precision above 2^53), or a number. */
  public Long id(String field, boolean required) {
    JsonNode value = get(field);
    if (value == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    Long id = parseId(value);
    if (id == null) {
      error(field, "must be an id, a string of digits such as \"123456789012345678\", was " + describe(value));
    }
    return id;
  }

  public List<Long> ids(String field, boolean required) {
    JsonNode value = get(field);
    if (value == null) {
      if (required) {
        error(field, "is required: a list of ids");
      }
      return null;
    }
    if (!value.isArray()) {
      error(field, "must be a list of ids, was " + describe(value));
      return null;
    }
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      Long id = parseId(value.get(i));
      if (id == null) {
        error(field + "[" + i + "]", "must be an id, a string of digits, was " + describe(value.get(i)));
      } else {
        ids.add(id);
      }
    }
    return ids;
  }

  public List<String> strings(String field, boolean required) {
    JsonNode value = get(field);
    if (value == null) {
      if (required) {
        error(field, "is required: a list of strings");
      }
      return null;
    }
    if (!value.isArray()) {
      error(field, "must be a list of strings, was " + describe(value));
      return null;
    }
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isTextual()) {
        error(field + "[" + i + "]", "must be a string, was " + describe(value.get(i)));
      } else {
        strings.add(value.get(i).asText());
      }
    }
    return strings;
  }

  /** A whole number from {@code min} to {@code max}; {@code fallback} when absent (null: required). */
  public Integer integer(String field, int min, int max, Integer fallback) {
    JsonNode value = get(field);
    if (value == null) {
      if (fallback == null) {
        error(field, "is required: a whole number from " + min + " to " + max);
      }
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
      error(field, "must be a whole number from " + min + " to " + max + ", was " + describe(value));
      return null;
    }
    return value.asInt();
  }

  /** A whole number from {@code min} to {@code max}, or null when absent. */
  public Integer optionalInteger(String field, int min, int max) {
    if (!has(field)) {
      read.add(field);
      return null;
    }
    return integer(field, min, max, null);
  }

  /** A string or a number as its text (a command's kind, a volume), or null when absent; other types are errors. */
  public String scalar(String field) {
    JsonNode value = get(field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual() && !value.isNumber()) {
      error(field, "must be a string or a number, was " + describe(value));
      return null;
    }
    return value.asText();
  }

  public Boolean bool(String field, Boolean fallback) {
    JsonNode value = get(field);
    if (value == null) {
      if (fallback == null) {
        error(field, "is required: true or false");
      }
      return fallback;
    }
    if (!value.isBoolean()) {
      error(field, "must be true or false, was " + describe(value));
      return null;
    }
    return value.asBoolean();
  }

  /** A boolean that may be left out (null then), else true or false. */
  public Boolean optionalBool(String field) {
    return get(field) == null ? null : bool(field, false);
  }

  /** Errors so far, with unknown fields; does not throw. */
  public List<FieldError> errors() {
    List<FieldError> all = new ArrayList<>(errors);
    unknown(all);
    return all;
  }

  private void unknown(List<FieldError> all) {
    node.fieldNames().forEachRemaining(name -> {
      if (!read.contains(name)) {
        all.add(new FieldError(prefix + name, "is not a field of this request; the fields are "
            + String.join(", ", sorted(read))));
      }
    });
    children.forEach(child -> child.unknown(all));
  }

  /** Refuses the input with every problem found, if there is one. */
  public void check() {
    List<FieldError> all = errors();
    if (!all.isEmpty()) {
      throw Problem.invalid(all);
    }
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  private static Long parseId(JsonNode value) {
    if (value.isTextual() && SNOWFLAKE.matcher(value.asText()).matches()) {
      try {
        return Long.parseLong(value.asText());
      } catch (NumberFormatException e) {
        return null; // more than 19 digits
      }
    }
    if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
      return value.asLong();
    }
    return null;
  }

  private static String describe(JsonNode value) {
    if (value == null) {
      return "nothing";
    }
    return switch (value.getNodeType()) {
      case STRING -> {
        String text = value.asText();
        yield "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
      }
      case NUMBER -> "the number " + value.asText();
      case BOOLEAN -> value.asText();
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
