package carillon.emulator;

import static org.awaitility.Awaitility.await;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceServer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.middleman.AudioChannel;
import net.dv8tion.jda.api.requests.GatewayIntent;

/**
 * An emulator with a voice side, a guild "Sangha" with the channels a test creates, and a bot "Carillon"
 * on the real JDA with the GUILD_VOICE_STATES intent, which joins voice sending Opus silence.
 */
final class VoiceBot implements AutoCloseable {
  final DiscordEmulator discord = DiscordEmulator.builder().voice(VoiceServer.start()).start();
  final RawDiscord raw = new RawDiscord(discord);
  final GuildHandle guild = discord.createGuild("Sangha");
  final BotAccount bot = discord.createBot("Carillon");
  final JDA jda;

  /** {@code channels} creates the guild's channels before the bot connects, so that JDA has them at once. */
  VoiceBot(Consumer<GuildHandle> channels) throws InterruptedException {
    channels.accept(guild);
    guild.addMember(bot);
    jda = discord.configure(JDABuilder.createDefault(bot.token()).enableIntents(GatewayIntent.GUILD_VOICE_STATES))
        .build().awaitReady();
  }

  /** The guild as JDA sees it. */
  Guild seen() {
    return jda.getGuildById(guild.id());
  }

  /** The newest voice connection still open, if any. */
  Optional<VoiceConnectionSnapshot> open() {
    return OpusSilence.openConnection(discord);
  }

  /** Joins the channel sending Opus silence, and waits until the emulator has received some audio. */
  void join(AudioChannel channel) {
    var audio = seen().getAudioManager();
    audio.setSendingHandler(new OpusSilence());
    audio.openAudioConnection(channel);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> open().map(c -> c.audioPackets() + c.unheardPackets() > 0).orElse(false));
  }

  @Override
  public void close() {
    Jdas.stop(jda);
    discord.close();
  }
}
