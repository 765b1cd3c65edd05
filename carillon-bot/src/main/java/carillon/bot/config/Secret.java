package carillon.bot.config;

/** A value that must never be printed or logged, such as a bot token: {@link #toString()} hides it. */
public record Secret(String value) {
  @Override
  public String toString() {
    return "********";
  }
}
