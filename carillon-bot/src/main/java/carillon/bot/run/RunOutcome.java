package carillon.bot.run;

/** How an occurrence of a session went. */
public enum RunOutcome {
  /** Claimed and playing (or the process died while it was: see INTERRUPTED). */
  RUNNING,
  /** Played to the end of its playlist or its maximum duration. */
  COMPLETED,
  /** Stopped by a command. */
  STOPPED,
  /** Could not play (joining the voice channel failed, for one). */
  FAILED,
  /** Its start fell during downtime, beyond its late-start grace. */
  MISSED,
  /** Cut short by a shutdown or a crash. */
  INTERRUPTED,
  /** Every voice slot of its guild was busy for its whole grace. */
  SKIPPED_BUSY
}
