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
import com.sedmelluq.discord.lavaplayer.track.AudioTrackInfo;
import com.sedmelluq.discord.lavaplayer.track.playback.AudioFrame;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.audio.AudioSendHandler;
import net.dv8tion.jda.api.audio.hooks.ConnectionListener;
import net.dv8tion.jda.api.audio.hooks.ConnectionStatus;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.StageInstance;
import net.dv8tion.jda.api.entities.channel.concrete.StageChannel;
import net.dv8tion.jda.api.entities.channel.middleman.AudioChannel;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.channel.ChannelDeleteEvent;
import net.dv8tion.jda.api.events.guild.member.GuildMemberRoleAddEvent;
import net.dv8tion.jda.api.events.guild.member.GuildMemberRoleRemoveEvent;
import net.dv8tion.jda.api.events.guild.override.GenericPermissionOverrideEvent;
import net.dv8tion.jda.api.events.guild.voice.GuildVoiceUpdateEvent;
import net.dv8tion.jda.api.events.role.update.RoleUpdatePermissionsEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.managers.AudioManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Voice playback on Discord: JDA joins the channel, LavaPlayer decodes the file and hands JDA Opus
 * frames (Ogg/Opus files pass through without re-encoding).
 *
 * <p>Before joining it checks the bot's permissions in the channel from its overwrites (View Channel,
 * Connect, Speak; on a Stage also Mute Members or Request to Speak), and names what is missing. While
 * connected it watches what others do (docs/sessions.md, "When someone else acts"):
 * <ul>
 *   <li>disconnected by a member or moderator (VOICE_STATE_UPDATE with no channel, then Discord closes
 *       the voice socket with 4014): the connection is lost; Carillon does not rejoin;
 *   <li>moved to another channel: it returns to its channel once; moved away again, the connection is lost;
 *   <li>its channel deleted, or a permission it needs there revoked (View Channel, Connect, Speak): lost;
 *   <li>its voice server moved (a new VOICE_SERVER_UPDATE): JDA connects to the new server and the same
 *       player goes on sending.
 * </ul>
 */
public final class JdaVoicePort implements VoicePort {
  private final LongAdder framesSent = new LongAdder();
  private final LongAdder framesFaded = new LongAdder();
  private static final Logger log = LoggerFactory.getLogger(JdaVoicePort.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REST_TIMEOUT = Duration.ofSeconds(10);
  /**
   * How long after the bot was disconnected the cause is decided: Discord sends the channel's deletion
   * (CHANNEL_DELETE) after the disconnection of those in it, so a disconnection is only "by a member or
   * moderator" if the channel still exists a moment later.
   */
  private static final Duration SETTLE = Duration.ofSeconds(1);
  /** How the library names its Ogg/Opus copies. */
  private static final String OPUS = ".opus";
  /** Discord's longest Stage topic, in characters. */
  static final int MAX_STAGE_TOPIC = 120;

  private final BotAccounts accounts;
  private final AudioPlayerManager players;
  private final Optional<String> voiceOff;
  /** The open connections, by bot user and guild. */
  private final Map<Key, JdaConnection> live = new ConcurrentHashMap<>();

  private record Key(long botId, long guildId) {
    static Key of(Guild guild) {
      return new Key(guild.getJDA().getSelfUser().getIdLong(), guild.getIdLong());
    }
  }

  /**
   * Opus frames handed to JDA since start, over every connection: one 20 ms voice packet each (JDA sends
   * what it is given, and silence frames of its own when nothing is).
   */
  public long framesSent() {
    return framesSent.sum();
  }

  /**
   * Opus frames decoded and encoded again to fade them, over every connection since start: what fades cost
   * (every other frame a file at 100 % volume sends passes through).
   */
  public long framesFaded() {
    return framesFaded.sum();
  }

  /**
   * @param voiceOff why voice cannot work on this machine (DAVE missing), if it cannot: every join is
   *     then refused with that reason
   */
  public JdaVoicePort(BotAccounts accounts, AudioPlayerManager players, Optional<String> voiceOff) {
    this.accounts = accounts;
    this.players = players;
    this.voiceOff = voiceOff;
    accounts.listen(new Watcher());
  }

  @Override
  public Connection join(VoiceSlot slot, long channelId, String topic) throws VoiceException {
    if (voiceOff.isPresent()) {
      throw new VoiceException(voiceOff.get());
    }
    Guild guild = accounts.guild(slot.account(), slot.guildId()).orElseThrow(() -> new VoiceException(
        "bot account '" + slot.account() + "' is not connected to guild " + slot.guildId()));
    AudioChannel channel = guild.getChannelById(AudioChannel.class, channelId);
    if (channel == null) {
      throw new VoiceException("guild '" + guild.getName() + "' has no voice or Stage channel " + channelId);
    }
    Optional<String> missing = missingPermission(guild.getSelfMember(), channel);
    if (missing.isPresent()) {
      throw new VoiceException(missing.get());
    }
    AudioPlayer player = players.createPlayer();
    AudioManager audio = guild.getAudioManager();
    Fader fader = new Fader(framesFaded);
    JdaConnection joined = new JdaConnection(player, fader, audio, guild, channel);
    audio.setSendingHandler(new PlayerSendHandler(player, fader, framesSent, joined.sent));
    audio.setConnectionListener(joined);
    live.put(Key.of(guild), joined);
    try {
      audio.openAudioConnection(channel);
      joined.connected.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InsufficientPermissionException e) {
      joined.leave();
      throw new VoiceException("missing permission " + e.getPermission().getName() + " in '" + channel.getName() + "'", e);
    } catch (TimeoutException | ExecutionException e) {
      joined.leave();
      throw new VoiceException("could not connect to '" + channel.getName() + "' within " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      joined.leave();
      throw new VoiceException("interrupted while joining '" + channel.getName() + "'", e);
    }
    if (channel instanceof StageChannel stage) {
      joined.takeTheStage(stage, topic);
    }
    return joined;
  }

  /**
   * What the bot lacks to play in {@code channel}, from the channel's overwrites as JDA computes them:
   * View Channel, Connect and Speak; on a Stage also Mute Members (to become a speaker) or Request to
   * Speak. Empty if nothing.
   */
  static Optional<String> missingPermission(Member self, AudioChannel channel) {
    String where = (channel instanceof StageChannel ? "Stage '" : "'") + channel.getName() + "'";
    List<Permission> needed = List.of(Permission.VIEW_CHANNEL, Permission.VOICE_CONNECT, Permission.VOICE_SPEAK);
    if (!self.hasPermission(channel, needed)) {
      // JDA's effective permissions lose View Channel without Connect and the reverse (no access at all):
      // the explicit ones, overwrites applied, say which of them was actually taken.
      Set<Permission> explicit = self.getPermissionsExplicit(channel);
      Permission lacking = needed.stream().filter(p -> !explicit.contains(p)).findFirst()
          .orElseGet(() -> needed.stream().filter(p -> !self.hasPermission(channel, p)).findFirst().orElseThrow());
      return Optional.of("missing permission " + lacking.getName() + " in " + where);
    }
    if (channel instanceof StageChannel && !self.hasPermission(channel, Permission.VOICE_MUTE_OTHERS)
        && !self.hasPermission(channel, Permission.REQUEST_TO_SPEAK)) {
      return Optional.of("missing permission " + Permission.VOICE_MUTE_OTHERS.getName() + " or "
          + Permission.REQUEST_TO_SPEAK.getName() + " in " + where + ": it could not become a speaker");
    }
    return Optional.empty();
  }

  /** Tells each open connection what happens in its guild. */
  private final class Watcher extends ListenerAdapter {
    @Override
    public void onGuildVoiceUpdate(GuildVoiceUpdateEvent event) {
      JdaConnection connection = live.get(Key.of(event.getGuild()));
      if (connection == null) {
        return;
      }
      if (event.getMember().getIdLong() == event.getJDA().getSelfUser().getIdLong()) {
        connection.selfMoved(event.getChannelJoined());
      } else {
        connection.membersChanged();
      }
    }

    @Override
    public void onChannelDelete(ChannelDeleteEvent event) {
      if (event.isFromGuild()) {
        JdaConnection connection = live.get(Key.of(event.getGuild()));
        if (connection != null && connection.channelId == event.getChannel().getIdLong()) {
          connection.lose("the voice channel '" + event.getChannel().getName() + "' was deleted");
        }
      }
    }

    @Override
    public void onGenericEvent(GenericEvent event) {
      // Overwrites, role permissions and the bot's roles: any of them may take a permission it needs.
      Guild guild = switch (event) {
        case GenericPermissionOverrideEvent e -> e.getGuild();
        case RoleUpdatePermissionsEvent e -> e.getGuild();
        case GuildMemberRoleRemoveEvent e -> e.getGuild();
        case GuildMemberRoleAddEvent e -> e.getGuild();
        default -> null;
      };
      if (guild != null) {
        JdaConnection connection = live.get(Key.of(guild));
        if (connection != null) {
          connection.checkPermissions();
        }
      }
    }
  }

  private final class JdaConnection implements Connection, ConnectionListener {
    private final AudioPlayer player;
    private final Fader fader;
    private final AudioManager audio;
    private final Guild guild;
    private final long channelId;
    private final String channelName;
    /** Completes when JDA first reports the connection up. */
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    private final List<IntConsumer> memberWatchers = new CopyOnWriteArrayList<>();
    /** Opus frames handed to JDA on this connection (the live page's activity indicator). */
    final LongAdder sent = new LongAdder();
    /** The track playing and how its end is reported; one listener serves every track of the connection. */
    private volatile AudioTrack current;
    private volatile CompletableFuture<TrackEnd> currentEnded;
    /** Carillon leaves: what happens to the connection from now on is its own doing. */
    private volatile boolean leaving;
    /** It was moved away once and went back. */
    private volatile boolean returned;
    /** The Stage instance it opened, to close when it leaves. */
    private volatile StageInstance openedStage;

    JdaConnection(AudioPlayer player, Fader fader, AudioManager audio, Guild guild, AudioChannel channel) {
      this.player = player;
      this.fader = fader;
      this.audio = audio;
      this.guild = guild;
      this.channelId = channel.getIdLong();
      this.channelName = channel.getName();
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

    @Override
    public void onStatusChange(ConnectionStatus status) {
      switch (status) {
        case CONNECTED -> connected.complete(null);
        case DISCONNECTED_KICKED_FROM_CHANNEL -> selfMoved(null);
        case DISCONNECTED_CHANNEL_DELETED -> lose("the voice channel '" + channelName + "' was deleted");
        case DISCONNECTED_LOST_PERMISSION -> lose("lost the permission to be in '" + channelName + "'");
        case DISCONNECTED_REMOVED_FROM_GUILD -> lose("the bot account was removed from the guild");
        case ERROR_CANNOT_RESUME, DISCONNECTED_AUTHENTICATION_FAILURE, DISCONNECTED_REMOVED_DURING_RECONNECT ->
            lose("the voice connection to '" + channelName + "' was lost (" + status + ")");
        default -> { } // connecting, a voice server move (AUDIO_REGION_CHANGE): JDA reconnects by itself
      }
    }

    /** The bot's own voice state changed: {@code now} is where it is (null: nowhere). */
    void selfMoved(AudioChannel now) {
      if (leaving || lost.isDone()) {
        return;
      }
      if (now == null) {
        // The cause is known a moment later: a deletion of the channel arrives after the disconnection.
        CompletableFuture.delayedExecutor(SETTLE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
          var state = guild.getSelfMember().getVoiceState();
          if (state != null && state.inAudioChannel()) {
            return; // moved, not disconnected: the move decides
          }
          lose(guild.getJDA().getChannelById(AudioChannel.class, channelId) == null
              ? "the voice channel '" + channelName + "' was deleted"
              : "disconnected from '" + channelName + "' by a member or moderator");
        });
      } else if (now.getIdLong() != channelId) {
        if (returned) {
          lose("moved out of '" + channelName + "' to '" + now.getName() + "' again by a member or moderator");
          return;
        }
        returned = true;
        AudioChannel home = guild.getChannelById(AudioChannel.class, channelId);
        if (home == null) {
          lose("the voice channel '" + channelName + "' was deleted");
          return;
        }
        log.info("Moved from '{}' to '{}' by a member or moderator in '{}'; returning once", channelName, now.getName(),
            guild.getName());
        try {
          audio.openAudioConnection(home);
        } catch (InsufficientPermissionException e) {
          lose("moved out of '" + channelName + "' by a member or moderator, and may not return: missing permission "
              + e.getPermission().getName());
        }
      } else {
        membersChanged();
      }
    }

    /** Ends the connection for good because of something someone else did. */
    void lose(String reason) {
      if (!leaving && lost.complete(reason)) {
        log.info("Voice connection in '{}' lost: {}", guild.getName(), reason);
      }
    }

    void checkPermissions() {
      if (leaving || lost.isDone()) {
        return;
      }
      AudioChannel channel = guild.getChannelById(AudioChannel.class, channelId);
      if (channel != null) {
        missingPermission(guild.getSelfMember(), channel)
            .ifPresent(missing -> lose(missing.replace("missing permission", "permission revoked:")));
      }
    }

    void membersChanged() {
      int count = members();
      memberWatchers.forEach(w -> w.accept(count));
    }

    @Override
    public CompletableFuture<String> lost() {
      return lost;
    }

    @Override
    public int members() {
      AudioChannel channel = guild.getChannelById(AudioChannel.class, channelId);
      return channel == null ? 0 : (int) channel.getMembers().stream().filter(m -> !m.getUser().isBot()).count();
    }

    @Override
    public void watchMembers(IntConsumer listener) {
      memberWatchers.add(listener);
    }

    @Override
    public long framesSent() {
      return sent.sum();
    }

    /** On a Stage: becomes a speaker (or raises its hand), and opens a Stage instance if there is none and it may. */
    void takeTheStage(StageChannel stage, String topic) {
      try {
        stage.requestToSpeak().timeout(REST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).complete();
        if (stage.getStageInstance() == null && guild.getSelfMember().hasPermission(stage, Permission.MANAGE_CHANNEL,
            Permission.VOICE_MUTE_OTHERS, Permission.VOICE_MOVE_OTHERS)) {
          String shortTopic = topic.length() <= MAX_STAGE_TOPIC ? topic : topic.substring(0, MAX_STAGE_TOPIC - 1) + "…";
          openedStage = stage.createStageInstance(shortTopic).timeout(REST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .complete();
        }
      } catch (ErrorResponseException | InsufficientPermissionException | IllegalStateException e) {
        // Playing goes on: a listener is silent until a Stage moderator invites it to speak.
        log.warn("On Stage '{}' in '{}': {}", stage.getName(), guild.getName(), e.getMessage());
      }
    }

    private void end(AudioTrack track, TrackEnd how) {
      CompletableFuture<TrackEnd> ended = currentEnded;
      if (track == current && ended != null) {
        ended.complete(how);
      }
    }

    @Override
    public PlayingTrack play(Track track, Duration from) throws VoiceException {
      Path file = track.file();
      double gainDb = track.gainDb();
      // The library's Ogg/Opus copy passes through, from the start or from a cut (OggOpusTrack: no probe, no
      // seek); any other file (an original not yet encoded) is loaded, decoded anyway, and LavaPlayer seeks.
      boolean opus = file.getFileName().toString().endsWith(OPUS);
      AudioTrack loaded;
      if (opus) {
        if (!Files.isRegularFile(file)) {
          throw new VoiceException("'" + track.name() + "' could not be loaded: the file is missing");
        }
        loaded = new OggOpusTrack(new AudioTrackInfo(track.name(), "", track.duration().toMillis(),
            file.toAbsolutePath().toString(), false, null), file, from);
      } else if (from.isZero()) {
        loaded = load(track, file);
      } else {
        loaded = load(track, file);
        loaded.setPosition(from.toMillis()); // LavaPlayer seeks when the track starts
      }
      CompletableFuture<TrackEnd> ended = new CompletableFuture<>();
      currentEnded = ended;
      current = loaded;
      // An Ogg/Opus track's gain (rarely any: its copy carries it) is the Fader's, like the volume: LavaPlayer
      // would decode it and never close its decoder (see Fader). Another file is decoded anyway: a filter.
      fader.gain(opus ? Math.pow(10, gainDb / 20) : 1);
      player.setFilterFactory(opus || gainDb == 0 ? null : new GainFilterFactory(gainDb));
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

    private AudioTrack load(Track track, Path file) throws VoiceException {
      CompletableFuture<AudioTrack> result = new CompletableFuture<>();
      players.loadItem(file.toAbsolutePath().toString(), new AudioLoadResultHandler() {
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
      fader.volume(percent / 100.0); // not LavaPlayer's volume: see Fader
    }

    @Override
    public void fade(double from, double to, Duration over) {
      fader.fade(from, to, over);
    }

    @Override
    public void leave() {
      leaving = true;
      live.remove(Key.of(guild), this);
      try {
        if (shutDown(audio.getJDA())) {
          // JDA closed every voice connection itself when it shut down (the process stops, or Discord ended
          // the account), and takes no more work: nothing is left to leave.
          log.debug("Left '{}': its bot account is shut down, which closed the voice connection", channelName);
          return;
        }
        StageInstance stage = openedStage;
        if (stage != null && !lost.isDone()) {
          stage.delete().queue(null, e -> log.warn("Could not close the Stage instance in '{}': {}", channelName, e.getMessage()));
        }
        audio.closeAudioConnection();
      } catch (RejectedExecutionException e) {
        if (!shutDown(audio.getJDA())) {
          throw e; // JDA refuses work while it runs: a bug, loud
        }
        log.debug("Left '{}': its bot account shut down while leaving, which closed the voice connection", channelName);
      } finally {
        player.destroy();
        fader.close();
      }
    }
  }

  /** Whether {@code jda} shuts down or has: it then refuses new work, and has closed its voice connections. */
  private static boolean shutDown(JDA jda) {
    JDA.Status status = jda.getStatus();
    return status == JDA.Status.SHUTTING_DOWN || status == JDA.Status.SHUTDOWN;
  }

  /** LavaPlayer's Opus frames to JDA, every 20 ms, through the connection's {@link Fader}. */
  private static final class PlayerSendHandler implements AudioSendHandler {
    private final AudioPlayer player;
    private final Fader fader;
    private final LongAdder sent;
    private final LongAdder sentHere;
    private byte[] frame;

    PlayerSendHandler(AudioPlayer player, Fader fader, LongAdder sent, LongAdder sentHere) {
      this.player = player;
      this.fader = fader;
      this.sent = sent;
      this.sentHere = sentHere;
    }

    @Override
    public boolean canProvide() {
      AudioFrame next = player.provide();
      frame = next == null ? null : fader.apply(next.getData()); // null from the fader: faded out, send nothing
      return frame != null;
    }

    @Override
    public ByteBuffer provide20MsAudio() {
      sent.increment();
      sentHere.increment();
      return ByteBuffer.wrap(frame);
    }

    @Override
    public boolean isOpus() {
      return true;
    }
  }
}
