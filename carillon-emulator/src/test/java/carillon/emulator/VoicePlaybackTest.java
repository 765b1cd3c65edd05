package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.emulator.voice.VoiceConnectionSnapshot;
import com.fasterxml.jackson.databind.JsonNode;
import carillon.emulator.voice.VoiceServer;
import com.sedmelluq.discord.lavaplayer.player.AudioLoadResultHandler;
import com.sedmelluq.discord.lavaplayer.player.AudioPlayer;
import com.sedmelluq.discord.lavaplayer.player.DefaultAudioPlayerManager;
import com.sedmelluq.discord.lavaplayer.player.event.AudioEventAdapter;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioSourceManager;
import com.sedmelluq.discord.lavaplayer.tools.FriendlyException;
import com.sedmelluq.discord.lavaplayer.track.AudioPlaylist;
import com.sedmelluq.discord.lavaplayer.track.AudioTrack;
import com.sedmelluq.discord.lavaplayer.track.AudioTrackEndReason;
import com.sedmelluq.discord.lavaplayer.track.playback.AudioFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.audio.AudioSendHandler;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.managers.AudioManager;
import net.dv8tion.jda.api.requests.GatewayIntent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The whole voice path: JDA and LavaPlayer play a generated signal; the emulator hears it. */
class VoicePlaybackTest {
  static final int RATE = 48_000;

  @TempDir Path dir;

  /** 2 s of 440 Hz, then a 2 s sweep from 200 Hz to 2 kHz; mono samples in [-1, 1]. */
  static double[] signal() {
    int tone = 2 * RATE;
    int sweep = 2 * RATE;
    double[] out = new double[tone + sweep];
    for (int i = 0; i < tone; i++) {
      out[i] = 0.5 * Math.sin(2 * Math.PI * 440 * i / RATE);
    }
    double phase = 0;
    for (int i = 0; i < sweep; i++) {
      double hz = 200 + 1800.0 * i / sweep;
      phase += 2 * Math.PI * hz / RATE;
      out[tone + i] = 0.5 * Math.sin(phase);
    }
    return out;
  }

  static byte[] wav(double[] mono) {
    ByteBuffer pcm = ByteBuffer.allocate(mono.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : mono) {
      short s = (short) Math.round(v * Short.MAX_VALUE);
      pcm.putShort(s).putShort(s);
    }
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + pcm.capacity()).put("WAVE".getBytes()).put("fmt ".getBytes())
        .putInt(16).putShort((short) 1).putShort((short) 2).putInt(RATE).putInt(RATE * 4).putShort((short) 4)
        .putShort((short) 16).put("data".getBytes()).putInt(pcm.capacity());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(pcm.array());
    return out.toByteArray();
  }

  /** LavaPlayer's frames, already Opus, handed to JDA every 20 ms. */
  static final class PlayerSendHandler implements AudioSendHandler {
    private final AudioPlayer player;
    private AudioFrame frame;
    /** Every frame handed to JDA. */
    final List<byte[]> sent = new CopyOnWriteArrayList<>();

    PlayerSendHandler(AudioPlayer player) {
      this.player = player;
    }

    @Override
    public boolean canProvide() {
      frame = player.provide();
      return frame != null;
    }

    @Override
    public ByteBuffer provide20MsAudio() {
      sent.add(frame.getData());
      return ByteBuffer.wrap(frame.getData());
    }

    @Override
    public boolean isOpus() {
      return true;
    }
  }

  /** A bot in a voice channel of an emulator with a voice side, with LavaPlayer ready to play the signal. */
  final class Rig implements AutoCloseable {
    final double[] source = signal();
    final DiscordEmulator discord;
    final GuildHandle guild;
    final long hall;
    final BotAccount bot;
    final JDA jda;
    final AudioManager audio;
    final DefaultAudioPlayerManager players = new DefaultAudioPlayerManager();
    final AudioPlayer player;
    final AudioTrack track;
    final CompletableFuture<AudioTrackEndReason> ended = new CompletableFuture<>();
    final PlayerSendHandler sender;

    Rig(VoiceServer voice) throws Exception {
      Path file = Files.write(dir.resolve("signal.wav"), wav(source));
      players.registerSourceManager(new LocalAudioSourceManager());
      player = players.createPlayer();
      player.addListener(new AudioEventAdapter() {
        @Override
        public void onTrackEnd(AudioPlayer p, AudioTrack t, AudioTrackEndReason reason) {
          ended.complete(reason);
        }
      });
      track = load(file);
      discord = DiscordEmulator.builder().voice(voice).start();
      guild = discord.createGuild("Sangha");
      hall = guild.createVoiceChannel("Meditation Hall");
      bot = discord.createBot("Carillon");
      guild.addMember(bot);
      jda = discord.configure(JDABuilder.createDefault(bot.token()).enableIntents(GatewayIntent.GUILD_VOICE_STATES))
          .build().awaitReady();
      Guild seen = jda.getGuildById(guild.id());
      audio = seen.getAudioManager();
      sender = new PlayerSendHandler(player);
      audio.setSendingHandler(sender);
      audio.openAudioConnection(seen.getVoiceChannelById(hall));
      await().atMost(Duration.ofSeconds(20)).until(audio::isConnected);
    }

    private AudioTrack load(Path file) throws Exception {
      CompletableFuture<AudioTrack> loaded = new CompletableFuture<>();
      players.loadItem(file.toString(), new AudioLoadResultHandler() {
        @Override
        public void trackLoaded(AudioTrack t) {
          loaded.complete(t);
        }

        @Override
        public void playlistLoaded(AudioPlaylist playlist) {
          loaded.completeExceptionally(new AssertionError("playlist"));
        }

        @Override
        public void noMatches() {
          loaded.completeExceptionally(new AssertionError("no matches"));
        }

        @Override
        public void loadFailed(FriendlyException e) {
          loaded.completeExceptionally(e);
        }
      });
      return loaded.get(10, TimeUnit.SECONDS);
    }

    Duration played() {
      return Duration.ofMillis(track.getDuration());
    }

    Duration heardInTotal() {
      return discord.voiceConnections().stream().map(VoiceConnectionSnapshot::decodedAudio)
          .reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public void close() {
      Jdas.stop(jda);
      players.shutdown();
      discord.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize"})
  void whatTheBotPlaysIsHeardWithItsDurationAndShape(String mode) throws Exception {
    try (Rig rig = new Rig(VoiceServer.offering(mode))) {
      assertThat(rig.discord.voiceChannelOf(rig.guild, rig.bot.id())).contains(rig.hall);
      rig.player.playTrack(rig.track);
      assertThat(rig.ended.get(30, TimeUnit.SECONDS)).isEqualTo(AudioTrackEndReason.FINISHED);
      Duration played = rig.played();
      await().atMost(Duration.ofSeconds(10)).until(() -> rig.heardInTotal().compareTo(played.minusMillis(40)) >= 0);

      VoiceConnectionSnapshot connection = rig.discord.voiceConnections().getFirst();
      assertThat(connection.encryptionMode()).isEqualTo(mode);
      assertThat(connection.userId()).isEqualTo(rig.bot.id());
      assertThat(connection.channelId()).isEqualTo(rig.hall);
      assertThat(connection.decodedAudio()).isBetween(played.minusMillis(40), played.plusMillis(40));
      assertThat(connection.sound()).isGreaterThan(played.minusMillis(200));
      assertThat(connection.interArrivalP50()).isBetween(Duration.ofMillis(15), Duration.ofMillis(25));
      assertThat(correlation(rig.source, rig.discord.voicePcm(connection.id()).orElseThrow())).isGreaterThan(0.99);
      // The frames as sent, byte for byte (JDA's own silence frames after the track left out), in the Java API
      // and in the control API.
      List<byte[]> frames = rig.discord.voiceOpusFrames(connection.id()).orElseThrow().stream()
          .filter(f -> !Arrays.equals(f, OpusSilence.FRAME)).toList();
      assertThat(frames).hasSameSizeAs(rig.sender.sent);
      assertThat(IntStream.range(0, frames.size()).filter(i -> Arrays.equals(frames.get(i), rig.sender.sent.get(i))).count())
          .isEqualTo(frames.size());
      JsonNode fromApi = new RawDiscord(rig.discord).control("GET", "/voice/" + connection.id() + "/opus", null).body().get("frames");
      assertThat(fromApi).hasSize(rig.discord.voiceOpusFrames(connection.id()).orElseThrow().size());
      assertThat(Base64.getDecoder().decode(fromApi.get(0).asText())).isEqualTo(frames.getFirst());

      rig.audio.closeAudioConnection();
      // JDA closes the voice socket, then tells the gateway it left (op 4 with a null channel).
      await().atMost(Duration.ofSeconds(10)).until(() -> rig.discord.voiceConnections().getFirst().disconnectedAt().isPresent()
          && rig.discord.voiceChannelOf(rig.guild, rig.bot.id()).isEmpty());
    }
  }

  @Test
  void aDroppedVoiceConnectionIsReEstablishedAndPlaybackGoesOn() throws Exception {
    try (Rig rig = new Rig(VoiceServer.start())) {
      rig.player.playTrack(rig.track);
      await().atMost(Duration.ofSeconds(10)).until(() -> !rig.discord.voiceConnections().isEmpty()
          && rig.discord.voiceConnections().getFirst().decodedAudio().compareTo(Duration.ofSeconds(1)) >= 0);

      assertThat(rig.discord.dropVoiceConnection(rig.guild, rig.bot)).isTrue();

      assertThat(rig.ended.get(60, TimeUnit.SECONDS)).isEqualTo(AudioTrackEndReason.FINISHED);
      // JDA resumes the voice session; LavaPlayer is pulled by JDA, so the track waited and little is lost.
      await().atMost(Duration.ofSeconds(20)).until(() -> rig.heardInTotal().compareTo(rig.played().minusMillis(500)) > 0);
      assertThat(rig.discord.voiceChannelOf(rig.guild, rig.bot.id())).contains(rig.hall);
    }
  }

  /** Pearson correlation of the source with the heard left channel, at the lag (0 to 200 ms) that aligns them. */
  static double correlation(double[] source, short[] heardStereo) {
    double[] heard = new double[heardStereo.length / 2];
    for (int i = 0; i < heard.length; i++) {
      heard[i] = heardStereo[2 * i] / (double) Short.MAX_VALUE;
    }
    // Align on the sweep: a steady tone repeats every period, so it cannot tell lags apart.
    int from = 2 * RATE;
    int window = RATE / 2;
    int bestLag = 0;
    double best = Double.NEGATIVE_INFINITY;
    for (int lag = 0; lag < RATE / 5 && from + lag + window < heard.length; lag++) {
      double dot = 0;
      for (int i = from; i < from + window; i++) {
        dot += source[i] * heard[i + lag];
      }
      if (dot > best) {
        best = dot;
        bestLag = lag;
      }
    }
    int n = Math.min(source.length, heard.length - bestLag);
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
      double x = source[i];
      double y = heard[i + bestLag];
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    double cov = sxy - sx * sy / n;
    return cov / Math.sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  }
}
