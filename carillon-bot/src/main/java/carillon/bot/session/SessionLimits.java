package carillon.bot.session;

import java.time.Duration;

/**
 * Every limit and default of a session and of the commands that control it, in one place: validation
 * ({@link Sessions}, the command parser), the web forms and API, and the slash command's option ranges
 * all read them from here, so that no entrance accepts what another refuses.
 */
public final class SessionLimits {
  /** Longest session name, in characters (after stripping). */
  public static final int MAX_NAME = 100;
  /** Longest start or end text, in characters (Discord allows 2,000 characters per message). */
  public static final int MAX_TEXT = 2_000;
  /** Longest gap between two tracks. */
  public static final Duration MAX_GAP = Duration.ofHours(1);
  /** Longest late-start grace (how late a start may still happen). */
  public static final Duration MAX_LATE_GRACE = Duration.ofHours(24);
  /** The late-start grace of a session that names none. */
  public static final Duration DEFAULT_LATE_GRACE = Duration.ofMinutes(15);
  /** Longest reminder ahead of a start, in minutes (one day). */
  public static final int MAX_REMINDER_MINUTES = 24 * 60;
  /** Longest a run waits for a first member, and longest it may be alone before its presence policy acts. */
  public static final Duration MAX_PRESENCE_WAIT = Duration.ofHours(2);
  /** Lowest volume, in percent (silence). */
  public static final int MIN_VOLUME = 0;
  /** Highest volume, in percent (above 100 amplifies). */
  public static final int MAX_VOLUME = 150;
  /** The volume a run starts at, in percent. */
  public static final int DEFAULT_VOLUME = 100;

  /** Longest fade-in or fade-out of a session. */
  public static final Duration MAX_FADE = Duration.ofSeconds(30);

  private SessionLimits() {}
}
