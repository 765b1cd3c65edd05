package carillon.bot.web.calendar;

import java.util.List;

/** The API's answers about a guild's calendar. Ids are strings (JSON numbers lose precision above 2^53). */
final class CalendarViews {
  private CalendarViews() {}

  /**
   * A guild's settings.
   *
   * @param timeZone the zone in effect (the guild's own, or the default)
   * @param ownTimeZone the guild's own zone, null when it uses the default
   * @param language the language in effect
   * @param ownLanguage the guild's own language, null when it uses the default
   * @param feed whether the guild has an ICS feed
   */
  record Settings(String guild, String timeZone, String ownTimeZone, String defaultTimeZone, String language,
      String ownLanguage, String defaultLanguage, List<String> languages, List<Skip> skips, boolean feed) {}

  /** @param dates {@code YYYY-MM-DD} or {@code YYYY-MM-DD..YYYY-MM-DD} */
  record Skip(String dates, String label) {}

  /** A new feed URL: the secret is in it and is shown this once. */
  record Feed(String path, String url) {}

  /** What an .ics file would create, shown in {@code zone} for UTC and floating times. */
  record ImportPreview(String zone, List<ImportEvent> events) {}

  /** One event of the file; {@code problem} null when it can be imported. */
  record ImportEvent(int index, String uid, String name, String schedule, String problem) {}

  /** The sessions an import created. */
  record Imported(List<Created> sessions) {}

  record Created(long id, String name, String schedule) {}
}
