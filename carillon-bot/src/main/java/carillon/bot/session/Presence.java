package carillon.bot.session;

import java.time.Duration;
import java.util.Optional;

/**
 * Who must be in the voice channel for a session to play. Members are people: bots do not count.
 *
 * @param waitForMember if set, a run waits in the channel up to this long for a first member, then plays
 *     (or, if nobody came, ends as {@code NO_LISTENERS}); empty: it plays regardless (the default)
 * @param whenAlone what a playing run does once the channel has had no member for {@code aloneAfter}
 * @param aloneAfter how long a run may play to an empty channel before {@code whenAlone} applies
 *     (ignored with {@link WhenAlone#STAY})
 */
public record Presence(Optional<Duration> waitForMember, WhenAlone whenAlone, Duration aloneAfter) {
  /** Play regardless of who is there: Carillon's behaviour before presence policies. */
  public static final Presence REGARDLESS = new Presence(Optional.empty(), WhenAlone.STAY, Duration.ZERO);

  /** What a run does when it has been alone in its channel for a while. */
  public enum WhenAlone {
    /** Plays on. */
    STAY,
    /** Ends the run ({@code ENDED_ALONE}). */
    END,
    /** Pauses until a member comes back, then resumes by itself. */
    PAUSE
  }

  /** Whether the channel's members matter at all. */
  public boolean watchesMembers() {
    return waitForMember.isPresent() || whenAlone != WhenAlone.STAY;
  }
}
