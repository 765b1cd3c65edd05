package carillon.bot.guild;

/** A text, voice or Stage channel of a guild, as cached from Discord. */
public record Channel(long guildId, long id, String name, Kind kind) {
  public enum Kind {
    TEXT, VOICE, STAGE;

    /** Sessions play in voice and Stage channels. */
    public boolean isAudio() {
      return this != TEXT;
    }
  }
}
