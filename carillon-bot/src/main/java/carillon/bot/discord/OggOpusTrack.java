package carillon.bot.discord;

import carillon.bot.library.OggOpusCut;
import com.sedmelluq.discord.lavaplayer.container.ogg.OggAudioTrack;
import com.sedmelluq.discord.lavaplayer.tools.FriendlyException;
import com.sedmelluq.discord.lavaplayer.tools.FriendlyException.Severity;
import com.sedmelluq.discord.lavaplayer.tools.io.NonSeekableInputStream;
import com.sedmelluq.discord.lavaplayer.track.AudioTrack;
import com.sedmelluq.discord.lavaplayer.track.AudioTrackInfo;
import com.sedmelluq.discord.lavaplayer.track.DelegatedAudioTrack;
import com.sedmelluq.discord.lavaplayer.track.playback.LocalAudioTrackExecutor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the library's Ogg/Opus files, played by LavaPlayer's own Ogg track, so its packets pass through to
 * Discord and nothing is decoded: from the start, the file as it is; from part-way, an {@link OggOpusCut}
 * of it. (LavaPlayer 2.2.6 cannot seek in the file itself: its Ogg track hands the seek to the Ogg/Opus
 * handler before the handler has made its packet router, a NullPointerException.)
 *
 * <p>Made directly rather than through {@code AudioPlayerManager.loadItem}: the library made the file and
 * knows its length, so LavaPlayer's probe (reading the file's every page for its length, on a loader pool
 * of ten threads) is skipped. With 200 sessions starting at one instant that probe put 0.25 s at the p50 and
 * 0.5 s at the p99 between the start and the first packet (docs/performance.md).
 *
 * <p>The file (or cut) is opened when LavaPlayer starts the track, on its playback thread, and closed when
 * the track ends. The position is in the file's time: a cut starts at its pre-roll, 80 to 100 ms before
 * {@code from}, and the position is {@code from} until the cut is open.
 */
final class OggOpusTrack extends DelegatedAudioTrack {
  private static final Logger log = LoggerFactory.getLogger(OggOpusTrack.class);
  private final Path file;
  private final Duration from;
  /** Where in the file the played stream starts, in ms; -1 until it is open. */
  private volatile long startsAt = -1;

  /**
   * @param info the track's title, length (ms) and the file's path as its identifier
   * @param from where to start, zero or more (a length or more plays nothing)
   */
  OggOpusTrack(AudioTrackInfo info, Path file, Duration from) {
    super(info);
    this.file = file;
    this.from = from;
  }

  @Override
  public void process(LocalAudioTrackExecutor executor) throws Exception {
    InputStream stream;
    long start;
    try {
      if (from.isZero()) {
        stream = new BufferedInputStream(Files.newInputStream(file));
        start = 0;
      } else {
        OggOpusCut cut = OggOpusCut.open(file, from);
        stream = cut;
        start = cut.startsAt().toMillis();
      }
    } catch (IOException e) {
      // The track fails (the run skips it with a notice); one line says why, LavaPlayer logs it at debug.
      log.warn("'{}' could not start at {} ms: {}", trackInfo.title, from.toMillis(), e.getMessage());
      throw new FriendlyException("the Ogg/Opus file could not be read: " + e.getMessage(), Severity.COMMON, e);
    }
    try (stream) {
      startsAt = start;
      processDelegate(new OggAudioTrack(trackInfo, new NonSeekableInputStream(stream)), executor);
    }
  }

  @Override
  public long getPosition() {
    long start = startsAt;
    return start < 0 ? from.toMillis() : start + super.getPosition();
  }

  /** Not by LavaPlayer: a cut is the seek. */
  @Override
  public boolean isSeekable() {
    return false;
  }

  @Override
  public long getDuration() {
    return trackInfo.length;
  }

  @Override
  protected AudioTrack makeShallowClone() {
    return new OggOpusTrack(trackInfo, file, from);
  }
}
