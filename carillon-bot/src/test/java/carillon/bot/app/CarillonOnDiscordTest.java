package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import carillon.bot.library.AudioItem;
import carillon.bot.library.LoudnessTarget;
import carillon.bot.playback.Notifier;
import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.queue.CommandStatus;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.bot.testing.OggPages;
import carillon.emulator.SentMessage;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import carillon.emulator.voice.VoiceConnectionSnapshot.Spurt;
import carillon.testing.ExpectedLog;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Carillon end to end: the application as `./carillon run` wires it, the real JDA and LavaPlayer, and
 * the emulator listening to what the bots play. Every wait is bounded; nothing sleeps.
 */
class CarillonOnDiscordTest {
  private static final Duration AWAIT = Duration.ofSeconds(40);
  @TempDir Path dir;
  private DiscordWorld world;

  @AfterEach
  void close() {
    if (world != null) {
      world.close();
    }
  }

  private SessionSpec spec(String name, long voice, Instant start, List<String> playlist, Duration gap) {
    return SessionSpec.builder(world.guild.id(), name).voiceChannel(voice).textChannel(world.notices)
        .mentionRole(world.members).schedule("once " + start).playlist(playlist).gap(gap).reminderMinutes(1)
        .lateGrace(Duration.ofMinutes(5)).build();
  }

  private Instant soon(int seconds) {
    return world.carillon.time().now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
  }

  private Run awaitRun(Session session, RunOutcome outcome) {
    await().atMost(AWAIT).until(() -> world.carillon.runs().forSession(session.id()).stream()
        .anyMatch(r -> r.outcome() == outcome));
    return world.carillon.runs().forSession(session.id()).getFirst();
  }

  private CommandRecord command(Session session, CommandKind kind, Integer volume) throws Exception {
    CommandRecord accepted = world.carillon.commands().submit(new CommandRequest(kind, session.id(), volume,
        CommandSource.API, "test"));
    return world.carillon.commands().completion(accepted.id()).get(20, TimeUnit.SECONDS);
  }

  private VoiceConnectionSnapshot connection() {
    return world.voice(world.bell).getLast();
  }

  @Test
  void aScheduledSessionIsHeardTrackByTrackWithItsGapsAndItsNotices() throws Exception {
    world = new DiscordWorld(dir, 1);
    AudioItem high = world.audio("High", DemoAudio.tone(660, 1.5));
    AudioItem low = world.audio("Low", DemoAudio.tone(440, 1.0));
    AudioItem higher = world.audio("Higher", DemoAudio.tone(880, 0.8));
    Instant start = soon(3);
    Session session = world.session(spec("Evening sit", world.hall, start,
        List.of(high.id(), low.id(), higher.id()), Duration.ofMillis(700)));

    Run run = awaitRun(session, RunOutcome.COMPLETED);
    assertThat(run.scheduledAt()).isEqualTo(start);
    assertThat(run.tracksPlayed()).isEqualTo(3);
    assertThat(run.account()).contains("bell");

    VoiceConnectionSnapshot heard = connection();
    assertThat(heard.channelId()).isEqualTo(world.hall);
    List<Spurt> tracks = heard.spurts();
    assertThat(tracks).hasSize(3);
    assertThat(tracks).extracting(Spurt::audio).satisfiesExactly(
        d -> assertThat(d).isBetween(Duration.ofMillis(1400), Duration.ofMillis(1600)),
        d -> assertThat(d).isBetween(Duration.ofMillis(900), Duration.ofMillis(1100)),
        d -> assertThat(d).isBetween(Duration.ofMillis(700), Duration.ofMillis(900)));
    assertThat(tracks.stream().map(t -> world.frequency(heard, t)).toList())
        .satisfiesExactly(f -> assertThat(f).isCloseTo(660, within(15.0)), f -> assertThat(f).isCloseTo(440, within(15.0)),
            f -> assertThat(f).isCloseTo(880, within(15.0)));
    for (int i = 1; i < tracks.size(); i++) {
      Duration gap = tracks.get(i).start().minus(tracks.get(i - 1).end());
      assertThat(gap).as("gap before track %d", i + 1).isBetween(Duration.ofMillis(600), Duration.ofMillis(900));
    }
    await().atMost(AWAIT).until(() -> world.discord.voiceChannelOf(world.guild, world.bell.id()).isEmpty());

    await().atMost(AWAIT).until(() -> world.discord.messages(world.notices).size() == 3);
    List<SentMessage> posted = world.discord.messages(world.notices);
    assertThat(posted).flatExtracting(SentMessage::embeds).extracting(SentMessage.Embed::title)
        .containsExactly("Evening sit starts soon", "Evening sit has started", "Evening sit has ended");
    assertThat(posted.get(1).content()).isEqualTo("<@&" + world.members + ">");
    assertThat(posted.get(1).embeds().getFirst().description()).contains("<#" + world.hall + ">");
    assertThat(posted.get(2).embeds().getFirst().description()).startsWith("Ran ");
  }

  /** DemoAudio's WAV with every sample multiplied by {@code factor}. */
  private static byte[] scaled(byte[] wav, double factor) {
    ByteBuffer samples = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 44; i + 1 < wav.length; i += 2) {
      samples.putShort(i, (short) Math.round(samples.getShort(i) * factor));
    }
    return wav;
  }

  /** RMS of the left channel over the middle of a track (its fades left out). */
  private double middleLevel(VoiceConnectionSnapshot heard, Spurt track) {
    short[] pcm = world.discord.voicePcm(heard.id()).orElseThrow();
    int quarter = (track.pcmTo() - track.pcmFrom()) / 4;
    double sum = 0;
    int n = 0;
    for (int i = track.pcmFrom() + quarter - quarter % 2; i < track.pcmTo() - quarter; i += 2) {
      sum += (double) pcm[i] * pcm[i];
      n++;
    }
    return Math.sqrt(sum / n);
  }

  @Test
  void filesOfDifferentLoudnessAreHeardAtTheTargetLoudness() throws Exception {
    world = new DiscordWorld(dir, 1);
    // The same 440 Hz tone at 0.6 and at 0.05 of full scale: -5.1 and -26.7 LUFS, 21.6 LU apart.
    AudioItem loud = world.audio("Loud", scaled(DemoAudio.tone(440, 1.2), 2));
    AudioItem quiet = world.audio("Quiet", scaled(DemoAudio.tone(440, 1.2), 1 / 6.0));
    Session session = world.session(spec("Even", world.hall, soon(3), List.of(loud.id(), quiet.id()), Duration.ofMillis(500)));
    awaitRun(session, RunOutcome.COMPLETED);

    VoiceConnectionSnapshot heard = connection();
    assertThat(heard.spurts()).hasSize(2);
    // At the default -18 LUFS, a 440 Hz sine in both channels has a peak of 10^((-18 + 0.691) / 20) = 0.136
    // of full scale: an RMS of 0.136 / sqrt(2) x 32768 = 3163 (Opus keeps the level within a few per cent).
    for (Spurt track : heard.spurts()) {
      assertThat(middleLevel(heard, track)).isBetween(3163 / 1.12, 3163 * 1.12);
    }
  }

  /** RMS of the left channel of {@code pcm} over [{@code from}, {@code to}) in stereo sample values. */
  private static double rms(short[] pcm, int from, int to) {
    double sum = 0;
    int n = 0;
    for (int i = Math.max(0, from - from % 2); i < to; i += 2) {
      sum += (double) pcm[i] * pcm[i];
      n++;
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }

  @Test
  void aRunCutAtItsMaximumDurationIsHeardFadingOutOverItsLastSeconds() throws Exception {
    world = new DiscordWorld(dir, 1);
    AudioItem talk = world.audio("Talk", DemoAudio.tone(440, 20));
    Session session = world.session(spec("Cut", world.hall, soon(2), List.of(talk.id()), Duration.ZERO).toBuilder()
        .maxDuration(Duration.ofSeconds(6)).build());
    Run run = awaitRun(session, RunOutcome.COMPLETED);
    assertThat(run.tracksPlayed()).isEqualTo(1);

    VoiceConnectionSnapshot heard = connection();
    Spurt spurt = heard.spurts().getLast();
    short[] pcm = world.discord.voicePcm(heard.id()).orElseThrow();
    int second = 2 * 48_000;
    int end = spurt.pcmTo();
    double full = rms(pcm, end - 5 * second, end - 4 * second); // before the 3 s fade
    assertThat(full).as("level before the fade").isGreaterThan(1000);
    // The last second, in five 200 ms steps: each quieter than the one before, from about a third of the
    // level (a linear 3 s fade has a third left 1 s before its end) down to nearly nothing.
    double[] steps = new double[5];
    for (int i = 0; i < 5; i++) {
      int from = end - second + i * second / 5;
      steps[i] = rms(pcm, from, from + second / 5);
    }
    assertThat(steps[0] / full).as("level 1 s before the end").isBetween(0.12, 0.6);
    for (int i = 1; i < 5; i++) {
      assertThat(steps[i]).as("step %d of the last second", i).isLessThan(steps[i - 1]);
    }
    assertThat(steps[4] / full).as("level in the last 200 ms").isLessThan(0.15);
  }

  @Test
  void pauseResumeVolumeSkipAndStopThroughTheCommandQueueActOnWhatIsHeard() throws Exception {
    world = new DiscordWorld(dir, 1);
    AudioItem first = world.audio("First", DemoAudio.tone(440, 30));
    AudioItem second = world.audio("Second", DemoAudio.tone(880, 30));
    Session session = world.session(spec("Study hour", world.hall, soon(3600), List.of(first.id(), second.id()),
        Duration.ZERO));

    assertThat(command(session, CommandKind.PLAY, null).status()).isEqualTo(CommandStatus.DONE);
    await().atMost(AWAIT).until(() -> !world.voice(world.bell).isEmpty()
        && connection().decodedAudio().compareTo(Duration.ofMillis(600)) > 0);

    CommandRecord paused = command(session, CommandKind.PAUSE, null);
    assertThat(paused.result()).contains("paused 'First' in 'Study hour'");
    assertThat(paused.status()).isEqualTo(CommandStatus.DONE);
    Duration atPause = connection().decodedAudio();
    // Within a frame or two (what was already on the wire), nothing more is heard while paused.
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
        .until(() -> connection().decodedAudio().minus(atPause).compareTo(Duration.ofMillis(60)) <= 0);

    assertThat(command(session, CommandKind.RESUME, null).result().orElseThrow()).contains("resumed 'First'");
    await().atMost(AWAIT).until(() -> connection().spurts().size() == 2
        && connection().spurts().get(1).audio().compareTo(Duration.ofMillis(600)) > 0);
    double loud = world.level(connection(), Duration.ofMillis(300), Duration.ZERO);

    assertThat(command(session, CommandKind.VOLUME, 25).result().orElseThrow()).contains("set to 25%");
    await().atMost(AWAIT).until(() -> world.level(connection(), Duration.ofMillis(300), Duration.ZERO) < loud * 0.4);

    assertThat(command(session, CommandKind.SKIP, null).result().orElseThrow()).contains("skipped 'First'");
    Duration atSkip = connection().decodedAudio();
    await().atMost(AWAIT).until(() -> connection().decodedAudio().minus(atSkip).compareTo(Duration.ofMillis(800)) > 0);
    VoiceConnectionSnapshot now = connection();
    Spurt last = now.spurts().getLast();
    Spurt tail = new Spurt(last.start(), last.end(), last.audio(), now.spurts().getLast().pcmTo() - 2 * 48_000 * 3 / 5,
        last.pcmTo());
    assertThat(world.frequency(now, tail)).as("the second track plays").isCloseTo(880, within(20.0));

    assertThat(command(session, CommandKind.STOP, null).result().orElseThrow()).contains("stopped 'Study hour'");
    Run run = awaitRun(session, RunOutcome.STOPPED);
    assertThat(run.tracksPlayed()).isEqualTo(2);
    await().atMost(AWAIT).until(() -> world.discord.voiceChannelOf(world.guild, world.bell.id()).isEmpty());
    assertThat(connection().decodedAudio()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aTrackWhoseFileIsGoneIsSkippedWithANoticeAndTheSessionGoesOn() throws Exception {
    world = new DiscordWorld(dir, 1);
    AudioItem lost = world.audio("Lost", DemoAudio.tone(660, 2));
    AudioItem kept = world.audio("Kept", DemoAudio.tone(440, 2));
    // Its original and its Ogg/Opus copy (which plays).
    Files.delete(world.carillon.library().track(lost.id()).orElseThrow().file());
    Files.delete(world.carillon.library().track(lost.id(), new LoudnessTarget(-18)).orElseThrow().file());
    Session session = world.session(spec("Gaps", world.hall, soon(2), List.of(lost.id(), kept.id()), Duration.ZERO));

    Run run = awaitRun(session, RunOutcome.COMPLETED);
    assertThat(run.tracksPlayed()).isEqualTo(1);
    assertThat(connection().decodedAudio()).isBetween(Duration.ofMillis(1900), Duration.ofMillis(2100));
    assertThat(world.frequency(connection(), connection().spurts().getFirst())).isCloseTo(440, within(15.0));
    await().atMost(AWAIT).until(() -> world.discord.messages(world.notices).size() == 4);
    assertThat(world.discord.messages(world.notices)).flatExtracting(SentMessage::embeds)
        .anySatisfy(e -> assertThat(e.title()).isEqualTo("Skipped a track"))
        .anySatisfy(e -> assertThat(e.description()).startsWith("'Lost': 'Lost' could not be loaded"));
  }

  @Test
  void twoSessionsAtOnceInOneGuildPlayTogetherWithTwoAccounts() throws Exception {
    world = new DiscordWorld(dir, 2);
    AudioItem chime = world.audio("Chime", DemoAudio.tone(660, 2));
    AudioItem tone = world.audio("Tone", DemoAudio.tone(440, 2));
    Instant start = soon(3);
    Session hall = world.session(spec("Hall", world.hall, start, List.of(chime.id()), Duration.ZERO));
    Session garden = world.session(spec("Garden", world.garden, start, List.of(tone.id()), Duration.ZERO));

    Run first = awaitRun(hall, RunOutcome.COMPLETED);
    Run second = awaitRun(garden, RunOutcome.COMPLETED);
    await().atMost(AWAIT).until(() -> world.discord.voiceConnections().stream().allMatch(c -> c.disconnectedAt().isPresent()));
    assertThat(List.of(first.account().orElseThrow(), second.account().orElseThrow()))
        .containsExactlyInAnyOrder("bell", "gong");
    List<VoiceConnectionSnapshot> heard = world.discord.voiceConnections();
    assertThat(heard).hasSize(2);
    assertThat(heard).extracting(VoiceConnectionSnapshot::channelId).containsExactlyInAnyOrder(world.hall, world.garden);
    assertThat(heard).allSatisfy(c -> assertThat(c.decodedAudio()).isBetween(Duration.ofMillis(1900), Duration.ofMillis(2100)));
    // Together: each connection was open while the other one was.
    assertThat(heard.get(0).connectedAt()).isBefore(heard.get(1).disconnectedAt().orElseThrow());
    assertThat(heard.get(1).connectedAt()).isBefore(heard.get(0).disconnectedAt().orElseThrow());
  }

  @ExpectedLog(logger = "net.dv8tion.jda.internal.requests.WebSocketClient", message = "closed by the emulator")
  @Test
  void aGatewayDropAndAVoiceDropMidSessionDoNotStopPlayback() throws Exception {
    world = new DiscordWorld(dir, 1);
    AudioItem talk = world.audio("Talk", DemoAudio.tone(523, 6));
    Session session = world.session(spec("Talk", world.hall, soon(2), List.of(talk.id()), Duration.ZERO));

    await().atMost(AWAIT).until(() -> !world.voice(world.bell).isEmpty()
        && connection().decodedAudio().compareTo(Duration.ofSeconds(1)) > 0);
    world.discord.closeGateway(world.bell, 4000);
    await().atMost(AWAIT).until(() -> connection().decodedAudio().compareTo(Duration.ofSeconds(2)) > 0);
    assertThat(world.discord.dropVoiceConnection(world.guild, world.bell)).isTrue();

    Run run = awaitRun(session, RunOutcome.COMPLETED);
    assertThat(run.tracksPlayed()).isEqualTo(1);
    List<VoiceConnectionSnapshot> heard = world.voice(world.bell);
    Duration total = heard.stream().map(VoiceConnectionSnapshot::decodedAudio).reduce(Duration.ZERO, Duration::plus);
    assertThat(total).as("the whole track was heard across the reconnect")
        .isBetween(Duration.ofMillis(5700), Duration.ofMillis(6300));
    assertThat(heard.getLast().decodedAudio()).as("audio after the voice drop").isPositive();
  }

  @Test
  void aForbiddenTextChannelLosesTheNoticesButNotTheSession() throws Exception {
    world = new DiscordWorld(dir, 1);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger notifierLog = (Logger) LoggerFactory.getLogger(Notifier.class);
    notifierLog.addAppender(log);
    try {
      world.discord.failRoute("POST", "/channels/" + world.notices + "/messages", 403, 100);
      AudioItem tone = world.audio("Tone", DemoAudio.tone(440, 2));
      Session session = world.session(spec("Quiet", world.hall, soon(2), List.of(tone.id()), Duration.ZERO));

      Run run = awaitRun(session, RunOutcome.COMPLETED);
      assertThat(run.tracksPlayed()).isEqualTo(1);
      assertThat(connection().decodedAudio()).isBetween(Duration.ofMillis(1900), Duration.ofMillis(2100));
      // The start and end notices fail alike: one warning for the channel, not one per notice.
      await().atMost(AWAIT).until(() -> !log.list.isEmpty());
      assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("Notices to channel "
          + world.notices + " cannot be sent: could not post in #notices: 50013: Missing Permissions;"
          + " later notices there are not logged until this changes");
      assertThat(world.discord.messages(world.notices)).isEmpty();
    } finally {
      notifierLog.detachAppender(log);
    }
  }

  @Test
  // The simulated crash cannot stop JDA's and LavaPlayer's threads (the Harness's crash freezes its process's
  // threads; real ones go on here): the dead process's play may still end and write its end to the store the
  // crash closed. That write is lost, and a lost write stays an ERROR (RejectedExecutionException), as does the
  // metrics' look at the ended run (a playback listener).
  @ExpectedLog(logger = "carillon.tasks.Task", message = "RejectedExecutionException")
  @ExpectedLog(logger = "carillon.bot.playback.Playback", message = "RejectedExecutionException")
  void aRunCutShortByACrashResumesAtTheSameTrackAfterARestartAndNeverPlaysTwice() throws Exception {
    world = new DiscordWorld(dir, 1);
    AudioItem first = world.audio("First", DemoAudio.tone(440, 2));
    AudioItem second = world.audio("Second", DemoAudio.tone(880, 8));
    Session session = world.session(spec("Long", world.hall, soon(2), List.of(first.id(), second.id()),
        Duration.ofMillis(500)));

    // Measured by what was decoded, not by counting spurts: under load one late frame splits a spurt in two.
    Duration firstTrack = Duration.ofSeconds(2);
    await().atMost(AWAIT).until(() -> !world.voice(world.bell).isEmpty()
        && connection().decodedAudio().compareTo(firstTrack.plusSeconds(3)) > 0);
    Duration heardOfSecond = connection().decodedAudio().minus(firstTrack);
    long runId = world.carillon.runs().forSession(session.id()).getFirst().id();
    world.crash();
    assertThat(world.carillon.playback().all()).isNotEmpty(); // it was playing when it died

    world.restart();
    Run run = awaitRun(session, RunOutcome.COMPLETED);
    assertThat(run.id()).isEqualTo(runId);
    assertThat(world.carillon.runs().forSession(session.id())).hasSize(1);
    assertThat(run.tracksPlayed()).isEqualTo(2);
    VoiceConnectionSnapshot resumed = connection();
    assertThat(resumed.spurts()).as("only the second track, from about where it was")
        .filteredOn(spurt -> spurt.audio().compareTo(Duration.ofMillis(300)) > 0).isNotEmpty()
        .allSatisfy(spurt -> assertThat(world.frequency(resumed, spurt)).isCloseTo(880, within(15.0)));
    Duration rest = Duration.ofSeconds(8).minus(heardOfSecond);
    assertThat(resumed.decodedAudio()).isBetween(rest.minusMillis(600), rest.plusMillis(2300));

    // Passthrough from part-way: what the channel got after the restart is the second track's Opus copy, its
    // own packets byte for byte, from about where it was (the pre-roll before the saved position) to its end.
    List<byte[]> copy = OggPages.packets(OggPages.pages(Files.readAllBytes(world.dataDir.resolve("audio")
        .resolve(second.id().substring(0, 2)).resolve(second.id() + ".opus"))));
    List<byte[]> copyAudio = copy.subList(2, copy.size());
    List<byte[]> sent = world.discord.voiceOpusFrames(resumed.id()).orElseThrow().stream()
        .filter(frame -> !Arrays.equals(frame, JDA_SILENCE)).toList();
    int from = copyAudio.size() - sent.size();
    assertThat(from).as("the copy's packets were sent from part-way").isPositive();
    long same = IntStream.range(0, sent.size()).filter(i -> Arrays.equals(sent.get(i), copyAudio.get(from + i))).count();
    assertThat(same).as("frames that are the copy's packets from packet %d of %d, byte for byte", from, copyAudio.size())
        .isEqualTo(sent.size());
    assertThat(Duration.ofMillis(20L * from)).isBetween(heardOfSecond.minusMillis(2300 + 100), heardOfSecond.plusMillis(600));
  }

  /** The Opus silence frame JDA sends five of when its send handler has nothing more. */
  private static final byte[] JDA_SILENCE = {(byte) 0xF8, (byte) 0xFF, (byte) 0xFE};
}
