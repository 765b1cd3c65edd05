package carillon.bot.discord;

import carillon.bot.playback.Track;
import carillon.bot.playback.VoiceException;
import carillon.bot.playback.VoicePort;
import carillon.bot.playback.VoiceSlot;
import com.sedmelluq.discord.lavaplayer.player.AudioLoadResultHandler;
import com.sedmelluq.discord.lavaplayer.player.AudioPlayer;
import com.sedmelluq.discord.lavaplayer.player.AudioPlayerManager;
import com.sedmelluq.discord.lavaplayer.player.event.AudioEventAdapter;
import com.sedmelluq.discord.lavaplayer.tools.FriendlyException;
import com.sedmelluq.discord.lavaplayer.track.AudioPlaylist;
import com.sedmelluq.discord.lavaplayer.track.AudioTrack;
import com.sedmelluq.discord.lavaplayer.track.AudioTrackEndReason;
import com.sedmelluq.discord.lavaplayer.track.playback.AudioFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.dv8tion.jda.api.audio.AudioSendHandler;
import net.dv8tion.jda.api.audio.hooks.ConnectionListener;
import net.dv8tion.jda.api.audio.hooks.ConnectionStatus;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.channel.concrete.VoiceChannel;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.managers.AudioManager;

/**
 * Voice playback on Discord: JDA joins the channel, LavaPlayer decodes the file and hands JDA Opus
 * frames (Ogg/Opus files pass through without re-encoding).
 */
public final class JdaVoicePort implements VoicePort {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

  private final BotAccounts accounts;
  private final AudioPlayerManager players;
  private final Optional<String> voiceOff;

  /**
   * @param voiceOff why voice cannot work on this machine (DAVE missing), if it cannot: every join is
   *     then refused with that reason
   */
  public JdaVoicePort(BotAccounts accounts, AudioPlayerManager players, Optional<String> voiceOff) {
    this.accounts = accounts;
    this.players = players;
    this.voiceOff = voiceOff;
  }

  @Override
  public Connection join(VoiceSlot slot, long channelId) throws VoiceException {
    if (voiceOff.isPresent()) {
      throw new VoiceException(voiceOff.get());
    }
    Guild guild = accounts.guild(slot.account(), slot.guildId()).orElseThrow(() -> new VoiceException(
        "bot account '" + slot.account() + "' is not connected to guild " + slot.guildId()));
    VoiceChannel channel = guild.getVoiceChannelById(channelId);
    if (channel == null) {
      throw new VoiceException("guild '" + guild.getName() + "' has no voice channel " + channelId);
    }
    AudioPlayer player = players.createPlayer();
    AudioManager audio = guild.getAudioManager();
    audio.setSendingHandler(new PlayerSendHandler(player));
    CompletableFuture<Void> connected = new CompletableFuture<>();
    audio.setConnectionListener(new ConnectionListener() {
      @Override
      public void onStatusChange(ConnectionStatus status) {
        if (status == ConnectionStatus.CONNECTED) {
          connected.complete(null);
        }
      }
    });
    try {
      audio.openAudioConnection(channel);
      connected.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InsufficientPermissionException e) {
      player.destroy();
      throw new VoiceException("missing permission " + e.getPermission().getName() + " to join '" + channel.getName() + "'", e);
    } catch (TimeoutException | ExecutionException e) {
      audio.closeAudioConnection();
      player.destroy();
      throw new VoiceException("could not connect to '" + channel.getName() + "' within " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      audio.closeAudioConnection();
      player.destroy();
      throw new VoiceException("interrupted while joining '" + channel.getName() + "'", e);
    }
    return new JdaConnection(player, audio);
  }

  private final class JdaConnection implements Connection {
    private final AudioPlayer player;
    private final AudioManager audio;
    /** The track playing and how its end is reported; one listener serves every track of the connection. */
    private volatile AudioTrack current;
    private volatile CompletableFuture<TrackEnd> currentEnded;

    JdaConnection(AudioPlayer player, AudioManager audio) {
      this.player = player;
      this.audio = audio;
      // Registered once: LavaPlayer iterates its listeners while dispatching, so a listener must not be
      // added or removed from inside a callback.
      player.addListener(new AudioEventAdapter() {
        @Override
        public void onTrackEnd(AudioPlayer p, AudioTrack t, AudioTrackEndReason reason) {
          end(t, reason == AudioTrackEndReason.FINISHED ? TrackEnd.FINISHED
              : reason == AudioTrackEndReason.LOAD_FAILED ? TrackEnd.FAILED : TrackEnd.STOPPED);
        }

        @Override
        public void onTrackException(AudioPlayer p, AudioTrack t, FriendlyException e) {
          end(t, TrackEnd.FAILED);
        }
      });
    }

    private void end(AudioTrack track, TrackEnd how) {
      CompletableFuture<TrackEnd> ended = currentEnded;
      if (track == current && ended != null) {
        ended.complete(how);
      }
    }

    @Override
    public PlayingTrack play(Track track, Duration from) throws VoiceException {
      AudioTrack loaded = load(track);
      if (!from.isZero()) {
        loaded.setPosition(from.toMillis()); // LavaPlayer seeks when the track starts
      }
      CompletableFuture<TrackEnd> ended = new CompletableFuture<>();
      currentEnded = ended;
      current = loaded;
      // Only a track that needs a gain gets a filter: any filter makes LavaPlayer decode, so a track at 0 dB
      // keeps Ogg/Opus passthrough (docs/sessions.md, "Loudness").
      player.setFilterFactory(track.gainDb() == 0 ? null : new GainFilterFactory(track.gainDb()));
      player.setPaused(false);
      if (!player.startTrack(loaded, false)) {
        throw new VoiceException("the player would not start '" + track.name() + "'");
      }
      return new PlayingTrack() {
        @Override
        public CompletableFuture<TrackEnd> ended() {
          return ended;
        }

        @Override
        public Duration position() {
          return Duration.ofMillis(loaded.getPosition());
        }

        @Override
        public void pause() {
          player.setPaused(true);
        }

        @Override
        public void resume() {
          player.setPaused(false);
        }

        @Override
        public void stop() {
          player.stopTrack();
        }
      };
    }

    private AudioTrack load(Track track) throws VoiceException {
      CompletableFuture<AudioTrack> result = new CompletableFuture<>();
      players.loadItem(track.file().toAbsolutePath().toString(), new AudioLoadResultHandler() {
        @Override
        public void trackLoaded(AudioTrack t) {
          result.complete(t);
        }

        @Override
        public void playlistLoaded(AudioPlaylist playlist) {
          result.completeExceptionally(new IllegalStateException("it is a playlist"));
        }

        @Override
        public void noMatches() {
          result.completeExceptionally(new IllegalStateException("the file is missing or not audio"));
        }

        @Override
        public void loadFailed(FriendlyException e) {
          result.completeExceptionally(e);
        }
      });
      try {
        return result.get(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new VoiceException("'" + track.name() + "' could not be loaded: " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new VoiceException("'" + track.name() + "' did not load within " + LOAD_TIMEOUT.toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VoiceException("interrupted while loading '" + track.name() + "'", e);
      }
    }

    @Override
    public void volume(int percent) {
      player.setVolume(percent);
    }

    @Override
    public void leave() {
      audio.closeAudioConnection();
      player.destroy();
    }
  }

  /** LavaPlayer's Opus frames to JDA, every 20 ms. */
  private static final class PlayerSendHandler implements AudioSendHandler {
    private final AudioPlayer player;
    private AudioFrame frame;

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
      return ByteBuffer.wrap(frame.getData());
    }

    @Override
    public boolean isOpus() {
      return true;
    }
  }
}
