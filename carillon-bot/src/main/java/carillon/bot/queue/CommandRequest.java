package carillon.bot.queue;

/**
 * A command as asked: {@code new CommandRequest(CommandKind.PAUSE, sessionId, null, CommandSource.WEB, "alice")}.
 *
 * @param volume percent, for {@link CommandKind#VOLUME} only
 * @param requestedBy who asked: a web user, an API token's name, a Discord member
 */
public record CommandRequest(CommandKind kind, long sessionId, Integer volume, CommandSource source, String requestedBy) {}
