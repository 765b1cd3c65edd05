package carillon.bot.guild;

/** A text or voice channel of a guild, as cached from Discord. */
public record Channel(long guildId, long id, String name, Kind kind) {
  public enum Kind { TEXT, VOICE }
}
