package carillon.bot.queue;

/** What a command asks. */
public enum CommandKind { PLAY, PAUSE, RESUME, SKIP, STOP, VOLUME }
