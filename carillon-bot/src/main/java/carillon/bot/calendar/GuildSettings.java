package carillon.bot.calendar;

import carillon.tasks.DateRange;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A guild's calendar settings as they apply: its own time zone and language if its admins chose them,
 * otherwise the process-wide defaults ({@code timeZone}, {@code language} in the configuration).
 *
 * @param ownZone the zone the guild chose; empty: {@code zone} is the process default
 * @param ownLanguage the language the guild chose; empty: {@code language} is the process default
 * @param zone the zone pages, the ICS feed and previews show this guild's times in
 * @param language the language of the guild's notices and of slash replies to readers whose own has no texts
 * @param skips the dates every session of the guild skips, in the order listed
 * @param feed whether the guild has an ICS feed (its secret URL is shown once, when made)
 */
public record GuildSettings(long guildId, Optional<ZoneId> ownZone, Optional<Locale> ownLanguage, ZoneId zone,
    Locale language, List<DateRange> skips, boolean feed) {
  public GuildSettings {
    skips = List.copyOf(skips);
  }
}
