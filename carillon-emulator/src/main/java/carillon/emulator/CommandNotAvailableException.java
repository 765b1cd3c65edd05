package carillon.emulator;

/**
 * A member tried to run a slash command that Discord would not show them: the command's default member
 * permissions are not among theirs. A real client cannot send such an interaction, so the emulator
 * refuses it too.
 *
 * <pre>{@code
 * assertThatThrownBy(() -> guest.runSlashCommand(channel, bot, "carillon status", Map.of()))
 *     .isInstanceOf(CommandNotAvailableException.class);
 * }</pre>
 */
public final class CommandNotAvailableException extends IllegalStateException {
  CommandNotAvailableException(String message) {
    super(message);
  }
}
