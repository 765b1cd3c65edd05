package carillon.bot.library;

import com.sedmelluq.discord.lavaplayer.format.StandardAudioDataFormats;
import com.sedmelluq.discord.lavaplayer.player.AudioLoadResultHandler;
import com.sedmelluq.discord.lavaplayer.player.AudioPlayer;
import com.sedmelluq.discord.lavaplayer.player.DefaultAudioPlayerManager;
import com.sedmelluq.discord.lavaplayer.player.event.TrackEndEvent;
import com.sedmelluq.discord.lavaplayer.player.event.TrackExceptionEvent;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioSourceManager;
import com.sedmelluq.discord.lavaplayer.source.local.LocalAudioTrack;
import com.sedmelluq.discord.lavaplayer.tools.FriendlyException;
import com.sedmelluq.discord.lavaplayer.track.AudioPlaylist;
import com.sedmelluq.discord.lavaplayer.track.AudioTrack;
import com.sedmelluq.discord.lavaplayer.track.DelegatedAudioTrack;
import com.sedmelluq.discord.lavaplayer.track.InternalAudioTrack;
import com.sedmelluq.discord.lavaplayer.track.playback.LocalAudioTrackExecutor;
import com.sedmelluq.discord.lavaplayer.track.playback.AudioFrame;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decodes a whole file with LavaPlayer, the decoder that later plays it, into 48 kHz stereo PCM, and
 * measures what it decoded (duration, and loudness by {@link LoudnessMeter}): a file that passes here plays
 * to its end. A file is refused when the decoder
 * does not recognise it (naming the format found and the formats supported), fails part way (naming the
 * position), ends before the length its header declares ("ends at 3.0 s but its header says 6.0 s"; the
 * position is the end of the last whole block the decoder read, so within about 0.1 s),
 * holds no audio, is longer than the longest allowed, or takes longer than the time limit to decode.
 *
 * <p>Memory is bounded by LavaPlayer's frame buffer (a few seconds of PCM) whatever the file claims;
 * time by the length limit and a wall-clock timeout.
 */
public final class AudioProbe implements AutoCloseable {
  /** The longest audio an import accepts. */
  public static final Duration MAX_LENGTH = Duration.ofHours(6);
  /** The longest a decode may take: MP3 decodes at several hundred times real time, so 6 h in well under this. */
  public static final Duration DECODE_TIMEOUT = Duration.ofMinutes(10);
  static final int RATE = 48_000;
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
  /** Containers whose length LavaPlayer estimates (from the first frame's bit rate) rather than reads. */
  private static final Set<String> ESTIMATED_LENGTH = Set.of("mp3", "adts", "mpegts");

  /**
   * What the decoder found in a playable file: the container format ("wav", "mp3", or "wav (converted from
   * 32-bit float)"), the duration measured from the decoded samples, and the file to store: the probed file
   * itself, or the 16-bit PCM WAV it was converted to; its loudness (empty for silence) and its peak envelope.
   */
  public record Found(String format, Duration duration, Path playable, Optional<Loudness> loudness, Waveform waveform) {}

  private final DefaultAudioPlayerManager manager = new DefaultAudioPlayerManager();
  private final Duration maxLength;
  private final Duration timeout;

  public AudioProbe() {
    this(MAX_LENGTH, DECODE_TIMEOUT);
  }

  AudioProbe(Duration maxLength, Duration timeout) {
    this.maxLength = maxLength;
    this.timeout = timeout;
    manager.getConfiguration().setOutputFormat(StandardAudioDataFormats.DISCORD_PCM_S16_LE);
    manager.registerSourceManager(new LocalAudioSourceManager());
  }

  /**
   * Decodes {@code file} completely. A WAV LavaPlayer does not read but javax.sound.sampled does (float,
   * 8-bit, µ-law...) is first converted to a 16-bit PCM WAV beside it, which is then what is decoded and
   * what should be stored ({@link Found#playable()}).
   *
   * @param shownName the name a refusal quotes
   * @return the container format, the duration measured from the decoded samples and the file to store
   * @throws AudioRejectedException (field {@code file}) saying why the file cannot be played and where
   */
  public Found probe(Path file, String shownName) throws AudioRejectedException, InterruptedException, IOException {
    AudioTrack track;
    Path playable = file;
    String convertedFrom = null;
    try {
      track = load(file, shownName);
    } catch (NotRecognised e) {
      Path converted = file.resolveSibling(file.getFileName() + ".pcm16.wav");
      try {
        WavConversion.Converted done = FileFormat.isWav(file) ? WavConversion.toPcm16(file, converted, shownName).orElse(null) : null;
        if (done == null) {
          throw new AudioRejectedException("file", "'" + shownName + "' is not audio Carillon can play: it is "
              + FileFormat.describe(file) + " (" + e.getMessage() + "); supported: " + FileFormat.SUPPORTED);
        }
        playable = done.file();
        convertedFrom = done.from();
        track = load(playable, shownName);
      } catch (NotRecognised failed) {
        Files.deleteIfExists(converted);
        throw new AudioRejectedException("file", "'" + shownName + "' could not be converted to 16-bit PCM: "
            + failed.getMessage());
      } catch (AudioRejectedException | IOException | RuntimeException failed) {
        Files.deleteIfExists(converted);
        throw failed;
      }
    }
    try {
      if (track.getInfo().isStream) {
        throw new AudioRejectedException("file", "'" + shownName + "' is a stream; only audio files can be imported");
      }
      String format = track instanceof LocalAudioTrack local ? local.getContainerTrackFactory().probe.getName() : "unknown";
      long declaredMs = ESTIMATED_LENGTH.contains(format) || track.getDuration() == Long.MAX_VALUE ? -1 : track.getDuration();
      LoudnessMeter meter = new LoudnessMeter();
      double[] left = new double[RATE];
      double[] right = new double[RATE];
      Waveform.Builder waveform = new Waveform.Builder();
      long samples = decode(track, shownName, declaredMs, (data, length) -> {
        meter.addPcm16(data, length, left, right);
        waveform.addPcm16(data, length);
      });
      OptionalDouble lufs = meter.integratedLufs();
      return new Found(convertedFrom == null ? format : format + " (converted from " + convertedFrom + ")",
          Duration.ofMillis(samples * 1000 / RATE), playable,
          lufs.isPresent() ? Optional.of(new Loudness(lufs.getAsDouble(), meter.truePeakDbtp())) : Optional.empty(),
          waveform.build());
    } catch (AudioRejectedException | RuntimeException | InterruptedException | IOException e) {
      if (!playable.equals(file)) {
        Files.deleteIfExists(playable);
      }
      throw e;
    }
  }

  /** LavaPlayer does not recognise a file; the message is its reason. */
  private static final class NotRecognised extends Exception {
    NotRecognised(String reason) {
      super(reason, null, false, false);
    }
  }

  private AudioTrack load(Path file, String shownName) throws AudioRejectedException, InterruptedException, NotRecognised {
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
    try {
      return loaded.get(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new NotRecognised(reason(e.getCause()));
    } catch (TimeoutException e) {
      loaded.cancel(true);
      throw new AudioRejectedException("file", "'" + shownName + "' could not be read within " + LOAD_TIMEOUT.toSeconds() + " s");
    }
  }

  /**
   * Decodes {@code playable} (a file {@link #probe} accepted) again and encodes it to Ogg/Opus at 48 kHz
   * stereo into {@code target}, every sample multiplied by the gain first: a file played from there needs
   * no decoding (LavaPlayer passes Ogg/Opus through). The gain's true-peak limit is the caller's
   * ({@link LoudnessTarget}); a sample the gain would still take past full scale is clipped.
   *
   * @param gainDb the gain in dB applied before encoding
   * @return the file's peak envelope, measured from the decoded audio before the gain (as {@link #probe} does)
   * @throws AudioRejectedException if the file no longer decodes as it did
   */
  public Waveform transcode(Path playable, double gainDb, Path target, String shownName)
      throws AudioRejectedException, InterruptedException, IOException {
    AudioTrack track;
    try {
      track = load(playable, shownName);
    } catch (NotRecognised e) {
      throw new AudioRejectedException("file", "'" + shownName + "' could not be read again to encode it: " + e.getMessage());
    }
    Waveform.Builder waveform = new Waveform.Builder();
    try (OpusFileEncoder encoder = new OpusFileEncoder(target, gainDb)) {
      long samples = decode(track, shownName, -1, (data, length) -> {
        waveform.addPcm16(data, length);
        encoder.add(data, length);
      });
      encoder.finish(samples);
    }
    return waveform.build();
  }

  /** Takes decoded 16-bit little-endian stereo PCM, {@code length} bytes of {@code data}. */
  @FunctionalInterface
  interface PcmSink {
    void add(byte[] data, int length) throws IOException;
  }

  /** Pulls every frame out of the decoder into {@code sink}; returns the samples per channel. */
  private long decode(AudioTrack track, String shownName, long declaredMs, PcmSink sink)
      throws AudioRejectedException, InterruptedException, IOException {
    AudioPlayer player = manager.createPlayer();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean ended = new AtomicBoolean();
    player.addListener(event -> {
      if (event instanceof TrackExceptionEvent e) {
        failure.compareAndSet(null, e.exception);
      } else if (event instanceof TrackEndEvent) {
        ended.set(true);
      }
    });
    long maxSamples = maxLength.toMillis() * RATE / 1000;
    long deadline = System.nanoTime() + timeout.toNanos();
    long samples = 0;
    try {
      player.playTrack(new CheckedTrack((InternalAudioTrack) track, failure));
      while (!ended.get()) {
        AudioFrame frame;
        try {
          frame = player.provide(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          frame = null;
        }
        if (frame != null) {
          samples += frame.getDataLength() / 4; // 16-bit stereo
          sink.add(frame.getData(), frame.getDataLength());
        }
        if (samples > maxSamples) {
          throw new AudioRejectedException("file", "'" + shownName + "' is longer than " + length(maxLength.toMillis())
              + ", the longest audio Carillon imports");
        }
        if (System.nanoTime() - deadline > 0) {
          throw new AudioRejectedException("file", "'" + shownName + "' could not be decoded within "
              + length(timeout.toMillis()) + " (it had reached " + seconds(samples) + ")");
        }
      }
    } finally {
      player.destroy();
    }
    long decodedMs = samples * 1000 / RATE;
    // LavaPlayer leaves out up to about 0.15 s at the end of a file at a low rate (its resampler's and WAV
    // reader's last partial block); a file is short when more than that is missing.
    if (declaredMs > 0 && declaredMs - decodedMs > 250 + declaredMs / 100) {
      throw new AudioRejectedException("file", "'" + shownName + "' ends at " + seconds(samples) + " but its header says "
          + length(declaredMs) + (failure.get() == null ? "" : " (" + reason(failure.get()) + ")"));
    }
    if (failure.get() != null) {
      throw new AudioRejectedException("file", "'" + shownName + "' could not be decoded after " + seconds(samples) + ": "
          + reason(failure.get()));
    }
    if (samples == 0) {
      throw new AudioRejectedException("file", "'" + shownName + "' holds no audio");
    }
    return samples;
  }

  /** The decoder's own words: the innermost cause's message, or the outermost one's. */
  private static String reason(Throwable e) {
    Throwable innermost = e;
    while (innermost.getCause() != null) {
      innermost = innermost.getCause();
    }
    if (innermost instanceof EOFException) {
      return "the data ends unexpectedly";
    }
    String message = innermost.getMessage() != null ? innermost.getMessage() : e.getMessage();
    return message != null ? message : innermost.getClass().getSimpleName();
  }

  /**
   * Decodes a loaded track, keeping a decode failure for the refusal: LavaPlayer would otherwise log it as
   * an ERROR with a stack trace, for what is a user's broken file.
   */
  private static final class CheckedTrack extends DelegatedAudioTrack {
    private final InternalAudioTrack decoded;
    private final AtomicReference<Throwable> failure;

    CheckedTrack(InternalAudioTrack decoded, AtomicReference<Throwable> failure) {
      super(decoded.getInfo());
      this.decoded = decoded;
      this.failure = failure;
    }

    @Override
    public void process(LocalAudioTrackExecutor executor) {
      try {
        processDelegate(decoded, executor);
      } catch (Exception e) { // LavaPlayer declares Exception: any decode failure refuses the file
        failure.compareAndSet(null, e);
        executor.getAudioBuffer().setTerminateOnEmpty(); // as LavaPlayer does after a failure: the end event follows
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static String seconds(long samples) {
    return length(samples * 1000 / RATE);
  }

  /** "3.0 s" below ten minutes, "12.5 min" below two hours, else "6.2 h". */
  static String length(long millis) {
    if (millis < 600_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    if (millis < 7_200_000) {
      return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
    }
    return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000.0);
  }

  @Override
  public void close() {
    manager.shutdown();
  }
}
