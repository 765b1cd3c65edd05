package carillon.emulator;

/**
 * A bot account of the emulated Discord: its user id, the token JDA logs in with, and its application id
 * (for slash commands).
 *
 * <pre>{@code
 * BotAccount bot = discord.createBot("Carillon");
 * JDA jda = discord.configure(JDABuilder.createDefault(bot.token())).build().awaitReady();
 * }</pre>
 */
public record BotAccount(long id, String name, String token, long applicationId) {
  @Override
  public String toString() {
    return "BotAccount[" + name + " " + id + "]"; // never print the token
  }
}
