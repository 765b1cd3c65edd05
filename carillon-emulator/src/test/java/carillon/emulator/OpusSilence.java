package carillon.emulator;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import java.nio.ByteBuffer;
import java.util.Optional;
import net.dv8tion.jda.api.audio.AudioSendHandler;

/**
 * Sends an Opus frame of silence every 20 ms: JDA passes it on as audio, so the emulator counts packets
 * heard or not heard without a player.
 */
final class OpusSilence implements AudioSendHandler {
  static final byte[] FRAME = {(byte) 0xF8, (byte) 0xFF, (byte) 0xFE};

  @Override
  public boolean canProvide() {
    return true;
  }

  @Override
  public ByteBuffer provide20MsAudio() {
    return ByteBuffer.wrap(FRAME);
  }

  @Override
  public boolean isOpus() {
    return true;
  }

  /** The newest voice connection still open, if any. */
  static Optional<VoiceConnectionSnapshot> openConnection(DiscordEmulator discord) {
    return discord.voiceConnections().stream().filter(c -> c.disconnectedAt().isEmpty()).reduce((a, b) -> b);
  }
}
