package carillon.emulator;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp ... carillon.emulator.Standalone} (or {@code ./carillon emulator}): starts an emulator
 * with a sample guild and prints what a bot needs to connect to it, then runs until interrupted.
 *
 * <pre>{@code
 * ./carillon emulator
 * # Carillon Discord emulator on 127.0.0.1:41234
 * # REST     http://127.0.0.1:41234/api/v10/
 * # ...
 * }</pre>
 */
public final class Standalone {
  private Standalone() {}

  public static void main(String[] args) throws InterruptedException {
    DiscordEmulator discord = DiscordEmulator.start();
    GuildHandle guild = discord.createGuild("Carillon Sample");
    long notices = guild.createTextChannel("notices");
    long hall = guild.createVoiceChannel("Meditation Hall");
    long garden = guild.createVoiceChannel("Garden");
    BotAccount bot = discord.createBot("Carillon");
    guild.addMember(bot);
    UserHandle alice = discord.createUser("alice");
    guild.addMember(alice);
    describe(System.out, discord, guild, bot, alice, notices, hall, garden);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      discord.close();
      stopped.countDown();
    }, "emulator-shutdown"));
    stopped.await();
  }

  static void describe(PrintStream out, DiscordEmulator discord, GuildHandle guild, BotAccount bot, UserHandle user,
      long notices, long hall, long garden) {
    out.printf("""
        Carillon Discord emulator on 127.0.0.1:%d
          REST      %s
          gateway   %s
          control   http://127.0.0.1:%d/_emulator/  (see docs/emulator.md)

        Sample guild '%s' (%d): #notices %d, voice 'Meditation Hall' %d, voice 'Garden' %d
        Bot 'Carillon' %d, token: %s
        User 'alice' %d

        JDA settings:
          new RestConfig().setBaseUrl("%s")
          a SessionController whose getGateway() returns "%s"
          JDABuilder.setCompression(Compression.NONE)
        (DiscordEmulator.configure(JDABuilder) does all of this.)
        Press Ctrl+C to stop.
        """, discord.port(), discord.restUrl(), discord.gatewayUrl(), discord.port(), guild.name(), guild.id(), notices,
        hall, garden, bot.id(), bot.token(), user.id(), discord.restUrl(), discord.gatewayUrl());
  }
}
