package carillon.bot.queue;

import carillon.bot.session.FieldError;
import carillon.bot.session.SessionLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one reading of a command, whichever way it came in (REST API, admin page, slash command): from a
 * kind and options as text to a {@link CommandRequest}, or to every problem by field. The entrances
 * only turn their own format into text ({@code "VOLUME"}, {@code {volume: "80"}}); what is allowed is
 * decided here and in {@link SessionLimits}, so that each entrance answers a bad command alike.
 *
 * <pre>{@code
 * switch (CommandParser.parse("volume", Map.of("volume", "80"), sessionId, CommandSource.WEB, "alice")) {
 *   case CommandParser.Valid(CommandRequest request) -> queue.submit(request);
 *   case CommandParser.Invalid(List<FieldError> errors) -> ... // e.g. volume: must be from 0 to 150 percent
 * }
 * }</pre>
 */
public final class CommandParser {
  /** The one option a command takes: the volume in percent, for {@link CommandKind#VOLUME}. */
  public static final String VOLUME = "volume";
  static final String KINDS = Arrays.stream(CommandKind.values()).map(Enum::name).collect(Collectors.joining(", "));
  private static final String VOLUME_RANGE =
      "must be from " + SessionLimits.MIN_VOLUME + " to " + SessionLimits.MAX_VOLUME + " percent";
  private static final int MAX_SHOWN = 40;

  /** What {@link #parse} found: a request ready for {@link CommandQueue#submit}, or what is wrong with it. */
  public sealed interface Parsed permits Valid, Invalid {}

  public record Valid(CommandRequest request) implements Parsed {}

  /** @param errors at least one: which field, what was wrong, what is allowed */
  public record Invalid(List<FieldError> errors) implements Parsed {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }

  private CommandParser() {}

  /**
   * Reads a command.
   *
   * @param kind the command's name, any case ({@code "pause"}), or null if none was given
   * @param options option name to its text as given; only {@value #VOLUME} exists (a whole number of percent)
   * @param requestedBy who asked: a web user, an API token's name, a Discord member
   */
  public static Parsed parse(String kind, Map<String, String> options, long sessionId, CommandSource source,
      String requestedBy) {
    List<FieldError> errors = new ArrayList<>();
    CommandKind parsedKind = null;
    if (kind == null || kind.isBlank()) {
      errors.add(new FieldError("kind", "is required: one of " + KINDS));
    } else {
      try {
        parsedKind = CommandKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("kind", "'" + shorten(kind) + "' is not a command; use one of " + KINDS));
      }
    }
    options.keySet().stream().filter(name -> !name.equals(VOLUME)).sorted().forEach(name -> errors.add(
        new FieldError(name, "is not an option of a command; the only option is " + VOLUME + " (for VOLUME)")));
    Integer volume = null;
    String volumeText = options.get(VOLUME);
    if (volumeText != null && !volumeText.isBlank()) {
      String text = volumeText.strip();
      if (!text.matches("[+-]?[0-9]{1,18}")) {
        errors.add(new FieldError(VOLUME, "must be a whole number from " + SessionLimits.MIN_VOLUME + " to "
            + SessionLimits.MAX_VOLUME + " percent, was '" + shorten(text) + "'"));
      } else {
        long value = Long.parseLong(text);
        // Out of range is reported by problems() below, in the words every entrance uses.
        volume = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
      }
    } else if (parsedKind == CommandKind.VOLUME) {
      errors.add(new FieldError(VOLUME, VOLUME_RANGE));
    }
    if (parsedKind != null) {
      CommandRequest request = new CommandRequest(parsedKind, sessionId, volume, source, requestedBy);
      problems(request).stream().filter(p -> errors.stream().noneMatch(e -> e.field().equals(p.field())))
          .forEach(errors::add);
      if (errors.isEmpty()) {
        return new Valid(request);
      }
    }
    return new Invalid(errors);
  }

  /** Every problem of a request (empty if none); {@link CommandQueue#submit} refuses a request that has one. */
  static List<FieldError> problems(CommandRequest request) {
    List<FieldError> errors = new ArrayList<>();
    if (request.kind() == null) {
      errors.add(new FieldError("kind", "is required: one of " + KINDS));
    }
    if (request.source() == null) {
      errors.add(new FieldError("source", "is required: one of WEB, API, SLASH, CLI"));
    }
    if (request.requestedBy() == null || request.requestedBy().isBlank()) {
      errors.add(new FieldError("requestedBy", "is required: who asked"));
    }
    if (request.kind() == CommandKind.VOLUME) {
      if (request.volume() == null || request.volume() < SessionLimits.MIN_VOLUME
          || request.volume() > SessionLimits.MAX_VOLUME) {
        errors.add(new FieldError(VOLUME, VOLUME_RANGE));
      }
    } else if (request.volume() != null) {
      errors.add(new FieldError(VOLUME, "is only for VOLUME commands"));
    }
    return errors;
  }

  private static String shorten(String text) {
    return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text;
  }
}
