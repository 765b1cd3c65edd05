package carillon.bot.playback;

/** One bot account in one guild: it can be in one voice channel there at a time, so it plays one session. */
public record VoiceSlot(String account, long guildId) {
  @Override
  public String toString() {
    return account + "@" + guildId;
  }
}
