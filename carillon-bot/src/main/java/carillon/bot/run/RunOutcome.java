package carillon.bot.run;

/**
 * How an occurrence of a session went. The run table's CHECK constraint lists the same names
 * (db/migration, V7): a new outcome needs a migration too.
 */
public enum RunOutcome {
  /** Claimed and playing (or the process died while it was: the next start resumes it or records CRASHED). */
  RUNNING,
  /** Played to the end of its playlist or its maximum duration. */
  COMPLETED,
  /** Stopped by a command. */
  STOPPED,
  /** Could not play (joining the voice channel failed, for one), or a bug ended it: the error says which. */
  FAILED,
  /** Its start fell during downtime, beyond its late-start grace. */
  MISSED,
  /** Cut short by a shutdown of Carillon. */
  INTERRUPTED,
  /** Every voice slot of its guild was busy for its whole grace. */
  SKIPPED_BUSY,
  /**
   * Someone else ended its voice connection: a member or moderator disconnected the bot or moved it away
   * twice, its channel was deleted, or a permission it needs there was revoked. The error says which.
   */
  DISCONNECTED,
  /** Its presence policy waited for a first member in the voice channel and nobody came. */
  NO_LISTENERS,
  /** Its presence policy ended it after the voice channel had no member (bots aside) for too long. */
  ENDED_ALONE,
  /**
   * Cut short by the process ending without a shutdown (a crash, kill -9, power loss) and not resumed at
   * the next start (the error says why); its end notice is posted at that start.
   */
  CRASHED
}
