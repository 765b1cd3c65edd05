package carillon.emulator;

/**
 * A member tried to run (or autocomplete) a slash command that Discord would not offer them there: they
 * cannot see the channel, lack the Use Application Commands permission or the command's default member
 * permissions ({@code "0"}: administrators only), or the command is not usable in servers. A real client
 * cannot send such an interaction, so the emulator refuses it too, with a message naming the reason. The
 * HTTP API answers 403 with it.
 *
 * <pre>{@code
 * guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);   // no Manage Server
 * assertThatThrownBy(() -> guest.runSlashCommand(channel, bot, "carillon status", Map.of()))
 *     .isInstanceOf(CommandNotAvailableException.class)
 *     .hasMessageContaining("/carillon is not available to guest");
 * }</pre>
 */
public final class CommandNotAvailableException extends IllegalStateException {
  CommandNotAvailableException(String message) {
    super(message);
  }
}
