package carillon.emulator;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;


/**
 * A bot's voice state update (gateway op 4) that Discord ignored: it lacked View Channel or Connect in
 * the channel, so it got no VOICE_STATE_UPDATE and no VOICE_SERVER_UPDATE (discord-api-docs PR #733).
 * {@link DiscordEmulator#ignoredVoiceRequests()} lists them, so that a test can tell "asked and ignored"
 * from "never asked".
 */
public record IgnoredVoiceRequest(@JsonSerialize(using = ToStringSerializer.class) long guildId,
    @JsonSerialize(using = ToStringSerializer.class) long channelId,
    @JsonSerialize(using = ToStringSerializer.class) long userId, String reason) {}
