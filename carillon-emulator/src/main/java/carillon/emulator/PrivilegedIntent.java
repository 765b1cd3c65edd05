package carillon.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.Set;

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

  /**
   * The intents of a JSON array of names ({@code ["MESSAGE_CONTENT"]}); all three when {@code names} is
   * missing.
   *
   * @throws IllegalArgumentException naming {@code field} for anything else
   */
  static Set<PrivilegedIntent> parse(JsonNode names, String field) {
    if (names == null || names.isMissingNode()) {
      return EnumSet.allOf(PrivilegedIntent.class);
    }
    if (!names.isArray()) {
      throw new IllegalArgumentException(field + " must be an array of " + EnumSet.allOf(PrivilegedIntent.class)
          + ", was " + names);
    }
    Set<PrivilegedIntent> intents = EnumSet.noneOf(PrivilegedIntent.class);
    for (JsonNode name : names) {
      try {
        intents.add(valueOf(name.asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ": '" + name.asText() + "' is not one of "
            + EnumSet.allOf(PrivilegedIntent.class), e);
      }
    }
    return intents;
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
