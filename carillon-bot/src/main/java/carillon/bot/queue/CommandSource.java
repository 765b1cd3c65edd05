package carillon.bot.queue;

/** Where a command came from. */
public enum CommandSource { WEB, API, SLASH, CLI }
