package carillon.bot.playback;

/** A request that cannot be carried out now, with the reason a person reads ("'Yoga' is already playing"). */
public final class RefusedException extends Exception {
  public RefusedException(String reason) {
    super(reason);
  }
}
