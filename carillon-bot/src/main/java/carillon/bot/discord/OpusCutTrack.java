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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ogg/Opus file played from part-way through: LavaPlayer's own Ogg track plays an {@link OggOpusCut} of
 * the file, so its packets pass through to Discord as they do from the start, and nothing is decoded.
 * (LavaPlayer 2.2.6 cannot seek in the file itself: its Ogg track hands the seek to the Ogg/Opus handler
 * before the handler has made its packet router, a NullPointerException.)
 *
 * <p>The cut is opened when LavaPlayer starts the track, on its playback thread (reading up to the offset is
 * a sequential read of the file), and closed when the track ends. The position is in the file's time: it
 * starts at the cut's pre-roll, 80 to 100 ms before {@code from}, and is {@code from} until the cut is open.
 */
final class OpusCutTrack extends DelegatedAudioTrack {
  private static final Logger log = LoggerFactory.getLogger(OpusCutTrack.class);
  private final Path file;
  private final Duration from;
  /** Where in the file the cut starts, in ms; -1 until it is open. */
  private volatile long startsAt = -1;

  OpusCutTrack(AudioTrackInfo info, Path file, Duration from) {
    super(info);
    this.file = file;
    this.from = from;
  }

  @Override
  public void process(LocalAudioTrackExecutor executor) throws Exception {
    OggOpusCut cut;
    try {
      cut = OggOpusCut.open(file, from);
    } catch (IOException e) {
      // The track fails (the run skips it with a notice); one line says why, LavaPlayer logs it at debug.
      log.warn("'{}' could not start at {} ms: {}", trackInfo.title, from.toMillis(), e.getMessage());
      throw new FriendlyException("the Ogg/Opus file could not be read: " + e.getMessage(), Severity.COMMON, e);
    }
    try (cut) {
      startsAt = cut.startsAt().toMillis();
      processDelegate(new OggAudioTrack(trackInfo, new NonSeekableInputStream(cut)), executor);
    }
  }

  @Override
  public long getPosition() {
    long start = startsAt;
    return start < 0 ? from.toMillis() : start + super.getPosition();
  }

  /** Not by LavaPlayer: the cut is the seek. */
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
    return new OpusCutTrack(trackInfo, file, from);
  }
}
