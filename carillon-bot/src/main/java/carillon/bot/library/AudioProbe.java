package carillon.bot.library;

import com.sedmelluq.discord.lavaplayer.player.AudioLoadResultHandler;
import com.sedmelluq.discord.lavaplayer.player.DefaultAudioPlayerManager;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioSourceManager;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioTrack;
import com.sedmelluq.discord.lavaplayer.tools.FriendlyException;
import com.sedmelluq.discord.lavaplayer.track.AudioPlaylist;
import com.sedmelluq.discord.lavaplayer.track.AudioTrack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks LavaPlayer whether it can play a file, and what it found: the container format and the duration.
 * The same decoder later plays the file, so a file that passes here will play.
 */
public final class AudioProbe implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What LavaPlayer found in a playable file. */
  public record Found(String format, Duration duration) {}

  private final DefaultAudioPlayerManager manager = new DefaultAudioPlayerManager();

  public AudioProbe() {
    manager.registerSourceManager(new LocalAudioSourceManager());
  }

  /**
   * Probes {@code file}.
   *
   * @return the format and duration; empty reason in the exception if LavaPlayer cannot play it
   * @throws AudioRejectedException with LavaPlayer's reason when it cannot decode the file
   */
  public Found probe(Path file, String shownName) throws AudioRejectedException, InterruptedException {
    CompletableFuture<AudioTrack> loaded = new CompletableFuture<>();
    manager.loadItem(file.toAbsolutePath().toString(), new AudioLoadResultHandler() {
      @Override
      public void trackLoaded(AudioTrack track) {
        loaded.complete(track);
      }

      @Override
      public void playlistLoaded(AudioPlaylist playlist) {
        loaded.completeExceptionally(new IllegalStateException("it is a playlist, not one audio file"));
      }

      @Override
      public void noMatches() {
        loaded.completeExceptionally(new IllegalStateException("no audio format was recognised"));
      }

      @Override
      public void loadFailed(FriendlyException exception) {
        loaded.completeExceptionally(exception);
      }
    });
    AudioTrack track;
    try {
      track = loaded.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AudioRejectedException("file", "'" + shownName + "' is not audio Carillon can play: "
          + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new AudioRejectedException("file", "'" + shownName + "' could not be read within " + TIMEOUT.toSeconds() + " s");
    }
    if (track.getInfo().isStream || track.getDuration() <= 0 || track.getDuration() == Long.MAX_VALUE) {
      throw new AudioRejectedException("file", "'" + shownName + "' has no fixed length; only audio files can be imported");
    }
    String format = track instanceof LocalAudioTrack local ? local.getContainerTrackFactory().probe.getName() : "unknown";
    return new Found(format, Duration.ofMillis(track.getDuration()));
  }

  @Override
  public void close() {
    manager.shutdown();
  }
}
