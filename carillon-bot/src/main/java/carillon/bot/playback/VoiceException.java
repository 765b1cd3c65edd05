package carillon.bot.playback;

/** Discord or audio I/O failed in a way a run can report and survive: joining, playing, a lost connection. */
public final class VoiceException extends Exception {
  public VoiceException(String message) {
    super(message);
  }

  public VoiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
