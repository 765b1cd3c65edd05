package carillon.bot.queue;

/** Carillon is shutting down and takes no more commands; the command was not stored. */
public final class QueueClosedException extends IllegalStateException {
  QueueClosedException() {
    super("Carillon is shutting down and takes no more commands; try again once it is back");
  }
}
