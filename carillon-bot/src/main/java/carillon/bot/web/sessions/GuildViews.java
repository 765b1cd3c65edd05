package carillon.bot.web.sessions;

import java.time.Instant;
import java.util.List;

/** The API's answers about guilds and their sessions. Ids are strings (JSON numbers lose precision above 2^53). */
final class GuildViews {
  private GuildViews() {}

  /** The guilds the principal may see, with the bot accounts in each. */
  record GuildList(List<GuildSummary> guilds) {}

  record GuildSummary(String id, List<String> accounts) {}

  /** A guild's channels and roles (from the cache), for choosing them in a session. */
  record GuildView(String id, String timeZone, List<Named> voiceChannels, List<Named> textChannels, List<Named> roles,
      List<String> accounts) {}

  /** A channel or a role. */
  record Named(String id, String name) {}

  /** A guild's sessions. */
  record SessionList(String guild, String timeZone, List<SessionView> sessions) {}

  /** The next occurrences of a schedule, shown in {@code zone}. */
  record Preview(String schedule, String zone, List<Occurrence> occurrences) {}

  /**
   * @param local {@code at} in the preview's zone, ISO-8601 with offset
   * @param skippedBecause null when it plays; otherwise why not (an {@code except} date of the rule, or the
   *     guild's skipped dates with their label, e.g. {@code "summer break (2026-07-01..2026-08-31)"})
   */
  record Occurrence(Instant at, String local, String skippedBecause) {}
}
