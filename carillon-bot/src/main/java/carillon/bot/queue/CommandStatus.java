package carillon.bot.queue;

/** Where a command is: every command ends DONE, REJECTED or FAILED, with a result a person reads. */
public enum CommandStatus {
  PENDING, RUNNING, DONE, REJECTED, FAILED;

  public boolean isFinal() {
    return this == DONE || this == REJECTED || this == FAILED;
  }
}
