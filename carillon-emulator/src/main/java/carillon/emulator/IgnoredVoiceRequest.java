package carillon.emulator;

/**
 * A bot's voice state update (gateway op 4) that Discord ignored: it lacked View Channel or Connect in
 * the channel, so it got no VOICE_STATE_UPDATE and no VOICE_SERVER_UPDATE (discord-api-docs PR #733).
 * {@link DiscordEmulator#ignoredVoiceRequests()} lists them, so that a test can tell "asked and ignored"
 * from "never asked".
 */
public record IgnoredVoiceRequest(@com.fasterxml.jackson.databind.annotation.JsonSerialize(using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class) long guildId,
    @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class) long channelId,
    @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class) long userId, String reason) {}
