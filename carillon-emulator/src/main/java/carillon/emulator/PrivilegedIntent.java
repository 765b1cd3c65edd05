package carillon.emulator;

/**
 * The gateway intents an application must have enabled (Developer Portal, Bot, Privileged Gateway
 * Intents) before a session may ask for them; asking for one that is not enabled closes the gateway with
 * 4014 "Disallowed intent(s)" (discord-api-docs, Topics > Gateway, "Privileged Intents"; Opcodes and
 * Status Codes, Gateway Close Event Codes).
 */
public enum PrivilegedIntent {
  GUILD_MEMBERS(1L << 1),
  GUILD_PRESENCES(1L << 8),
  MESSAGE_CONTENT(1L << 15);

  final long bit;

  PrivilegedIntent(long bit) {
    this.bit = bit;
  }

  static long bits(Iterable<PrivilegedIntent> intents) {
    long bits = 0;
    for (PrivilegedIntent intent : intents) {
      bits |= intent.bit;
    }
    return bits;
  }

  static final long ALL = GUILD_MEMBERS.bit | GUILD_PRESENCES.bit | MESSAGE_CONTENT.bit;
}
