package carillon.bot.discord;

import carillon.bot.config.Setting;
import carillon.bot.store.StoreUnavailableException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongFunction;
import net.dv8tion.jda.api.entities.Guild;

/**
 * The one answer to "which language does Carillon speak in this guild" for what is not a reply to one member
 * (notices, Discord events, reminder DMs): the language the guild chose in its settings; else the guild's
 * Discord locale (its "Server Primary Language", Discord's {@code preferred_locale}) when Carillon has texts
 * in it; else the process-wide {@code language}. A member's own reply follows their Discord locale first
 * ({@link SlashCommands}).
 */
public final class GuildLanguage {
  private final LongFunction<Optional<Locale>> chosen;
  private final Locale fallback;

  /**
   * @param chosen the language a guild chose (by guild snowflake), if any
   * @param fallback the process-wide language (configuration {@code language})
   */
  public GuildLanguage(LongFunction<Optional<Locale>> chosen, Locale fallback) {
    this.chosen = chosen;
    this.fallback = fallback;
  }

  /** No guild chose a language: Discord's locale where there are texts in it, else {@code fallback}. */
  public static GuildLanguage byDiscordLocale(Locale fallback) {
    return new GuildLanguage(guild -> Optional.empty(), fallback);
  }

  /** The language to speak in {@code guild}. */
  public Locale of(Guild guild) {
    Locale language = chosen(guild.getIdLong()).orElse(guild.getLocale().toLocale());
    return Setting.LANGUAGES.contains(language.getLanguage()) ? language : fallback;
  }

  /** None when the store cannot say: a notice still goes, in the guild's Discord locale. */
  private Optional<Locale> chosen(long guild) {
    try {
      return chosen.apply(guild);
    } catch (StoreUnavailableException e) {
      return Optional.empty();
    }
  }
}
