package carillon.bot.queue;

/** An idempotency key sent again with another command than the one it made; nothing was stored. */
public final class KeyReusedException extends Exception {
  private final CommandRecord first;

  KeyReusedException(CommandRecord first) {
    super("the key was used for command " + first.id() + " (" + first.kind() + " of session " + first.sessionId()
        + "), not this one", null, false, false);
    this.first = first;
  }

  /** The command the key made. */
  public CommandRecord first() {
    return first;
  }
}
