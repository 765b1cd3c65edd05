package carillon.emulator.voice;

import java.util.Objects;

/**
 * What the main gateway hands the voice server when a bot joins a voice channel: the voice gateway
 * accepts an IDENTIFY only with a matching server id (guild), user id, session id and token.
 *
 * <pre>{@code
 * voice.grant(new VoiceGrant(guildId, channelId, botUserId, sessionId, token));
 * // then send VOICE_SERVER_UPDATE {token, guild_id, endpoint: voice.endpoint()}
 * }</pre>
 */
public record VoiceGrant(long guildId, long channelId, long userId, String sessionId, String token) {
  public VoiceGrant {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(token, "token");
  }
}
