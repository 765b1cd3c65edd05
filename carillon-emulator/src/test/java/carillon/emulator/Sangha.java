package carillon.emulator;

/**
 * The world most emulator tests start from: the guild "Sangha" with the text channel "notices", the bot
 * "Carillon" and the user "alice", both members.
 */
record Sangha(GuildHandle guild, long notices, BotAccount bot, UserHandle alice) {
  static Sangha in(DiscordEmulator discord) {
    GuildHandle guild = discord.createGuild("Sangha");
    long notices = guild.createTextChannel("notices");
    BotAccount bot = discord.createBot("Carillon");
    UserHandle alice = discord.createUser("alice");
    guild.addMember(bot);
    guild.addMember(alice);
    return new Sangha(guild, notices, bot, alice);
  }
}
