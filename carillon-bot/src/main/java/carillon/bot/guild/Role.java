package carillon.bot.guild;

/** A role of a guild, as cached from Discord. */
public record Role(long guildId, long id, String name) {}
