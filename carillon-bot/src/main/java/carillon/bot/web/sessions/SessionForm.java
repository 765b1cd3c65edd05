package carillon.bot.web.sessions;

import carillon.bot.session.FieldError;
import carillon.bot.session.Session;
import carillon.bot.session.SessionLimits;
import carillon.bot.session.SessionSpec;
import carillon.bot.session.Sound;
import carillon.bot.web.http.Names;
import carillon.bot.web.http.PageModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The session form's fields as text, as a browser posts them (null: the field was not sent), in the
 * units the form names (seconds, minutes). {@link #spec} reads them into a session spec.
 *
 * @param playlist the chosen audio ids, blanks left out
 */
record SessionForm(String name, String voiceChannel, String textChannel, String mentionRole, String schedule,
    List<String> playlist, String gapSeconds, String maxDurationMinutes, boolean repeat, String reminderMinutes,
    String startText, String endText, String lateGraceMinutes, boolean enabled, boolean publishEvent,
    String fadeInSeconds, String fadeOutSeconds, boolean shuffle) {
  /** Empty choices shown after the playlist's entries. */
  private static final int PLAYLIST_SLOTS_FREE = 3;

  SessionForm {
    playlist = playlist.stream().filter(p -> !p.isBlank()).toList();
  }

  /** A new session's form, with the defaults filled in. */
  static SessionForm blank() {
    return new SessionForm("", "", "", "", "", List.of(), "0", "", false, "0", "", "",
        String.valueOf(SessionLimits.DEFAULT_LATE_GRACE.toMinutes()), true, true, "0", "0", false);
  }

  /** A session's form, to edit it. */
  static SessionForm of(Session s) {
    return new SessionForm(s.name(), String.valueOf(s.voiceChannelId()), s.textChannelId().map(String::valueOf).orElse(""),
        s.mentionRoleId().map(String::valueOf).orElse(""), s.schedule().toString(), s.playlist(),
        String.valueOf(s.gap().toSeconds()), s.maxDuration().map(d -> String.valueOf(d.toMinutes())).orElse(""),
        s.repeat(), String.valueOf(s.reminder().toMinutes()), s.startText().orElse(""), s.endText().orElse(""),
        String.valueOf(s.lateGrace().toMinutes()), s.enabled(), s.publishEvent(),
        String.valueOf(s.sound().fadeIn().toSeconds()), String.valueOf(s.sound().fadeOut().toSeconds()),
        s.sound().shuffle());
  }

  /** The form as a session spec of {@code guild}; each field that cannot be read is added to {@code unreadable}. */
  SessionSpec spec(long guild, List<FieldError> unreadable) {
    if (name != null && Names.hasMarkup(name)) {
      unreadable.add(new FieldError("name", Names.MARKUP_MESSAGE));
    }
    return SessionSpec.builder(guild, name).voiceChannel(id("voiceChannel", voiceChannel, unreadable))
        .textChannel(id("textChannel", textChannel, unreadable))
        .mentionRole(id("mentionRole", mentionRole, unreadable)).schedule(schedule).playlist(playlist)
        .gap(duration(number("gapSeconds", gapSeconds, 0, (int) SessionLimits.MAX_GAP.toSeconds(), 0, unreadable), false))
        .maxDuration(duration(number("maxDurationMinutes", maxDurationMinutes, 1, Integer.MAX_VALUE, null, unreadable), true))
        .repeat(repeat)
        .reminderMinutes(Optional.ofNullable(number("reminderMinutes", reminderMinutes, 0, SessionLimits.MAX_REMINDER_MINUTES, 0, unreadable)).orElse(0))
        .startText(startText).endText(endText).enabled(enabled).publishEvent(publishEvent)
        .lateGrace(duration(number("lateGraceMinutes", lateGraceMinutes, 0, (int) SessionLimits.MAX_LATE_GRACE.toMinutes(), (int) SessionLimits.DEFAULT_LATE_GRACE.toMinutes(), unreadable), true))
        .sound(new Sound(fade("fadeInSeconds", fadeInSeconds, unreadable), fade("fadeOutSeconds", fadeOutSeconds, unreadable),
            shuffle))
        .build();
  }

  private static Duration fade(String field, String text, List<FieldError> unreadable) {
    Integer seconds = number(field, text, 0, (int) SessionLimits.MAX_FADE.toSeconds(), 0, unreadable);
    return Duration.ofSeconds(seconds == null ? 0 : seconds);
  }

  /** The fields as the form template shows them: text fields never null, the playlist with empty choices after it. */
  Map<String, Object> shown() {
    List<String> choices = new ArrayList<>(playlist);
    for (int i = 0; i < PLAYLIST_SLOTS_FREE; i++) {
      choices.add("");
    }
    return PageModel.of("name", text(name), "voiceChannel", text(voiceChannel), "textChannel", text(textChannel),
        "mentionRole", text(mentionRole), "schedule", text(schedule), "playlist", choices,
        "gapSeconds", text(gapSeconds), "maxDurationMinutes", text(maxDurationMinutes), "repeat", repeat,
        "reminderMinutes", text(reminderMinutes), "startText", text(startText), "endText", text(endText),
        "lateGraceMinutes", text(lateGraceMinutes), "enabled", enabled, "publishEvent", publishEvent,
        "fadeInSeconds", text(fadeInSeconds), "fadeOutSeconds", text(fadeOutSeconds), "shuffle", shuffle);
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static Duration duration(Integer amount, boolean minutes) {
    return amount == null ? null : minutes ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
  }

  private static Long id(String field, String text, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      return null;
    }
    if (!text.strip().matches("[0-9]{1,19}")) {
      errors.add(new FieldError(field, "must be chosen from the list"));
      return null;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(field, "must be chosen from the list")); // 19 digits past the largest id
      return null;
    }
  }

  private static Integer number(String field, String text, int min, int max, Integer fallback, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return (int) value;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
    return null;
  }
}
