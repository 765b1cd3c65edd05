package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.library.AudioItem;
import carillon.bot.playback.ActiveRun;
import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.queue.CommandStatus;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Presence;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.emulator.GuildHandle;
import carillon.emulator.SentMessage;
import carillon.emulator.UserHandle;
import carillon.emulator.voice.VoiceConnectionSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.channel.concrete.StageChannel;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Carillon does when others act on its voice connection mid-session (issue 11), with the real JDA
 * against the emulator: a member disconnects or moves the bot, the channel is deleted, a permission is
 * revoked, the voice server moves; and what it checks before joining. After every step that disturbs a
 * run, and after every test, the invariant holds: no run is RUNNING without an open voice connection for
 * more than a few seconds, and no voice slot is busy without a run.
 */
class VoiceLifecycleOnDiscordTest {
  private static final Duration AWAIT = Duration.ofSeconds(40);
  /** How long a run may be RUNNING without a voice connection: the invariant's "a few seconds". */
  private static final Duration AT_MOST_WITHOUT_VOICE = Duration.ofSeconds(5);
  private static final long BOT_PERMISSIONS = GuildHandle.MEMBER_PERMISSIONS | Permission.getRaw(
      Permission.MESSAGE_EMBED_LINKS, Permission.MANAGE_CHANNEL, Permission.VOICE_MUTE_OTHERS,
      Permission.VOICE_MOVE_OTHERS);

  @TempDir Path dir;
  private DiscordWorld world;
  private Session session;

  @AfterEach
  void close() {
    if (world != null) {
      try {
        assertNoRunWithoutVoice();
      } finally {
        world.close();
      }
    }
  }

  /**
   * The world with a 30-second tone and a session "Study hour" in the hall (or a new Stage channel),
   * the bot an ordinary member with what it needs (not an administrator, so overwrites apply to it).
   */
  private void start(boolean onStage, Presence presence) throws Exception {
    world = new DiscordWorld(dir, 1);
    world.guild.setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    world.guild.giveRole(world.bell.id(), world.guild.createRole("bots", BOT_PERMISSIONS));
    AudioItem tone = world.audio("Long tone", DemoAudio.tone(440, 30));
    long voice = onStage ? world.guild.createStageChannel("Dharma Stage") : world.hall;
    await().atMost(AWAIT).until(() -> world.carillon.guilds().channel(world.guild.id(), voice).isPresent());
    session = world.session(SessionSpec.builder(world.guild.id(), "Study hour").voiceChannel(voice)
        .textChannel(world.notices).schedule("daily 23:59 UTC").playlist(List.of(tone.id())).gap(Duration.ZERO)
        .lateGrace(Duration.ofMinutes(5)).presence(presence).build());
  }

  private void start() throws Exception {
    start(false, null);
  }

  private CommandRecord command(CommandKind kind) throws Exception {
    CommandRecord accepted = world.carillon.commands().submit(new CommandRequest(kind, session.id(), null,
        CommandSource.API, "test"));
    return world.carillon.commands().completion(accepted.id()).get(30, TimeUnit.SECONDS);
  }

  /** Plays the session and waits until its audio is heard in {@code channel}. */
  private void playUntilHeard(long channel) throws Exception {
    assertThat(command(CommandKind.PLAY).status()).isEqualTo(CommandStatus.DONE);
    await().atMost(AWAIT).until(() -> open().filter(c -> c.channelId() == channel)
        .filter(c -> c.decodedAudio().compareTo(Duration.ofMillis(500)) > 0).isPresent());
  }

  /** Waits for a state of the bot's voice connections; if it never comes, fails with what there was. */
  private void awaitVoice(Callable<Boolean> condition) {
    try {
      await().atMost(AWAIT).until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("voice connections: " + world.voice(world.bell) + "; runs: "
          + world.carillon.runs().forSession(session.id()), e);
    }
  }

  /** The bot's newest open voice connection (after a voice server move the old one may linger a while). */
  private Optional<VoiceConnectionSnapshot> open() {
    return world.voice(world.bell).stream().filter(c -> c.disconnectedAt().isEmpty()).reduce((a, b) -> b);
  }

  private Run awaitEnded(RunOutcome outcome) {
    await().atMost(AWAIT).until(() -> world.carillon.runs().forSession(session.id()).stream()
        .anyMatch(r -> r.outcome() == outcome));
    return world.carillon.runs().forSession(session.id()).stream().filter(r -> r.outcome() == outcome).findFirst()
        .orElseThrow();
  }

  private List<SentMessage.Embed> notices() {
    return world.discord.messages(world.notices).stream().flatMap(m -> m.embeds().stream()).toList();
  }

  /**
   * The invariant: within a few seconds, every RUNNING run of the session is playing with an open voice
   * connection of its account, and every busy voice slot belongs to a playing run.
   */
  private void assertNoRunWithoutVoice() {
    await().atMost(AT_MOST_WITHOUT_VOICE).untilAsserted(() -> {
      List<ActiveRun> active = world.carillon.playback().all();
      assertThat(world.carillon.slots().busySlots().keySet())
          .containsExactlyInAnyOrderElementsOf(active.stream().map(ActiveRun::slot).toList());
      if (session != null) {
        boolean running = world.carillon.runs().forSession(session.id()).stream()
            .anyMatch(r -> r.outcome() == RunOutcome.RUNNING);
        if (running) {
          assertThat(open()).as("an open voice connection for the RUNNING run").isPresent();
          assertThat(world.discord.voiceChannelOf(world.guild, world.bell.id())).contains(session.voiceChannelId());
        }
      }
    });
  }

  @Test
  void aMemberDisconnectingTheBotEndsTheRunAtOnceFreesTheSlotAndSaysSo() throws Exception {
    start();
    playUntilHeard(world.hall);

    world.guild.moveMember(world.bell.id(), null);

    Run run = awaitEnded(RunOutcome.DISCONNECTED);
    assertThat(run.error()).contains("disconnected from 'Meditation Hall' by a member or moderator");
    assertNoRunWithoutVoice();
    assertThat(world.carillon.slots().busySlots()).isEmpty();
    await().atMost(AWAIT).until(() -> notices().stream().anyMatch(e -> e.title().equals("Study hour ended early")));
    assertThat(notices()).filteredOn(e -> e.title().equals("Study hour ended early")).singleElement()
        .satisfies(e -> assertThat(e.description()).contains("disconnected from 'Meditation Hall' by a member or moderator"));
    // Carillon does not fight a moderator: it stays out ...
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> world.discord.voiceChannelOf(world.guild, world.bell.id()).isEmpty());
    // ... and the guild's slot is free for the next PLAY.
    playUntilHeard(world.hall);
    assertThat(command(CommandKind.STOP).status()).isEqualTo(CommandStatus.DONE);
    awaitEnded(RunOutcome.STOPPED);
  }

  @Test
  void movedAwayTheBotReturnsOnceAndMovedAgainTheRunEnds() throws Exception {
    start();
    playUntilHeard(world.hall);

    world.guild.moveMember(world.bell.id(), world.garden);
    // It goes back to the session's channel, and the run plays on there.
    awaitVoice(() -> world.voice(world.bell).size() >= 3 && open().isPresent()
        && open().get().channelId() == world.hall && open().get().decodedAudio().compareTo(Duration.ofMillis(500)) > 0);
    assertThat(world.carillon.playback().active(session.id())).isPresent();
    assertNoRunWithoutVoice();

    world.guild.moveMember(world.bell.id(), world.garden);
    Run run = awaitEnded(RunOutcome.DISCONNECTED);
    assertThat(run.error()).contains("moved out of 'Meditation Hall' to 'Garden' again by a member or moderator");
    await().atMost(AWAIT).until(() -> world.discord.voiceChannelOf(world.guild, world.bell.id()).isEmpty());
    assertNoRunWithoutVoice();
  }

  @Test
  void deletingTheChannelEndsTheRunWithThatReason() throws Exception {
    start();
    playUntilHeard(world.hall);

    world.guild.deleteChannel(world.hall);

    Run run = awaitEnded(RunOutcome.DISCONNECTED);
    assertThat(run.error()).contains("the voice channel 'Meditation Hall' was deleted");
    assertNoRunWithoutVoice();
    await().atMost(AWAIT).until(() -> notices().stream().anyMatch(e -> e.title().equals("Study hour ended early")
        && e.description().contains("was deleted")));
  }

  @Test
  void revokingSpeakMidRunEndsTheRunInsteadOfPlayingToNobody() throws Exception {
    start();
    playUntilHeard(world.hall);

    world.guild.overwriteForMember(world.hall, world.bell.id(), 0, Permission.VOICE_SPEAK.getRawValue());

    Run run = awaitEnded(RunOutcome.DISCONNECTED);
    assertThat(run.error()).contains("permission revoked: Speak in 'Meditation Hall'");
    await().atMost(AWAIT).until(() -> world.discord.voiceChannelOf(world.guild, world.bell.id()).isEmpty());
    assertNoRunWithoutVoice();
  }

  @Test
  void revokingViewChannelMidRunEndsTheRun() throws Exception {
    start();
    playUntilHeard(world.hall);

    world.guild.overwriteForMember(world.hall, world.bell.id(), 0, Permission.VIEW_CHANNEL.getRawValue());

    Run run = awaitEnded(RunOutcome.DISCONNECTED);
    assertThat(run.error()).contains("permission revoked: View Channels in 'Meditation Hall'");
    assertNoRunWithoutVoice();
  }

  @Test
  void aVoiceServerMoveKeepsTheRunPlayingOnTheNewServer() throws Exception {
    start();
    playUntilHeard(world.hall);
    long first = open().orElseThrow().id();

    world.discord.moveVoiceServer(world.guild, world.bell);

    awaitVoice(() -> open().filter(c -> c.id() != first && c.channelId() == world.hall)
        .filter(c -> c.decodedAudio().compareTo(Duration.ofMillis(500)) > 0).isPresent());
    assertThat(world.carillon.playback().active(session.id())).isPresent();
    assertThat(world.carillon.runs().forSession(session.id())).singleElement()
        .extracting(Run::outcome).isEqualTo(RunOutcome.RUNNING);
    assertNoRunWithoutVoice();
    assertThat(command(CommandKind.STOP).status()).isEqualTo(CommandStatus.DONE);
    awaitEnded(RunOutcome.STOPPED);
  }

  /** Before joining: each permission the bot lacks in the channel is named, and the session could not start. */
  private void refusedBeforeJoining(Permission denied, String reason) throws Exception {
    start();
    world.guild.overwriteForMember(world.hall, world.bell.id(), 0, denied.getRawValue());
    await().atMost(AWAIT).until(() -> !world.carillon.accounts().guild("bell", world.guild.id()).orElseThrow()
        .getSelfMember().hasPermission(world.carillon.accounts().guild("bell", world.guild.id()).orElseThrow()
            .getVoiceChannelById(world.hall), denied));

    CommandRecord play = command(CommandKind.PLAY);

    assertThat(play.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(play.result()).contains("'Study hour' could not start: " + reason);
    Run run = awaitEnded(RunOutcome.FAILED);
    assertThat(run.error()).contains(reason);
    await().atMost(AWAIT).until(() -> notices().stream().anyMatch(e -> e.title().equals("Study hour could not start")));
    assertThat(notices()).extracting(SentMessage.Embed::title).containsExactly("Study hour could not start");
    assertThat(notices().getFirst().description()).isEqualTo("Could not start: " + reason + ".");
    assertThat(world.discord.voiceConnections()).isEmpty();
  }

  @Test
  void withoutViewChannelTheReasonSaysViewChannel() throws Exception {
    refusedBeforeJoining(Permission.VIEW_CHANNEL, "missing permission View Channels in 'Meditation Hall'");
  }

  @Test
  void withoutConnectTheSessionCouldNotStart() throws Exception {
    refusedBeforeJoining(Permission.VOICE_CONNECT, "missing permission Connect in 'Meditation Hall'");
  }

  @Test
  void withoutSpeakTheSessionCouldNotStartInsteadOfCompletingUnheard() throws Exception {
    refusedBeforeJoining(Permission.VOICE_SPEAK, "missing permission Speak in 'Meditation Hall'");
  }

  @Test
  void onAStageTheBotBecomesASpeakerOpensAStageInstanceAndClosesItAtTheEnd() throws Exception {
    start(true, null);
    StageChannel stage = world.carillon.accounts().guild("bell", world.guild.id()).orElseThrow()
        .getStageChannelById(session.voiceChannelId());

    playUntilHeard(session.voiceChannelId());
    assertThat(open().orElseThrow().notHeardBecause()).isEmpty();
    await().atMost(AWAIT).until(() -> stage.getStageInstance() != null);
    assertThat(stage.getStageInstance().getTopic()).isEqualTo("Study hour");

    assertThat(command(CommandKind.STOP).status()).isEqualTo(CommandStatus.DONE);
    awaitEnded(RunOutcome.STOPPED);
    await().atMost(AWAIT).until(() -> stage.getStageInstance() == null);
  }

  @Test
  void onAStageWithoutTheRightToSpeakTheSessionCouldNotStart() throws Exception {
    start(true, null);
    world.guild.overwriteForMember(session.voiceChannelId(), world.bell.id(), 0,
        Permission.VOICE_MUTE_OTHERS.getRawValue());
    String reason = "missing permission Mute Members or Request to Speak in Stage 'Dharma Stage': it could not become"
        + " a speaker";
    await().atMost(AWAIT).until(() -> world.carillon.accounts().guild("bell", world.guild.id()).orElseThrow()
        .getSelfMember().getPermissionsExplicit(world.carillon.accounts().guild("bell", world.guild.id()).orElseThrow()
            .getStageChannelById(session.voiceChannelId())).stream().noneMatch(p -> p == Permission.VOICE_MUTE_OTHERS));

    CommandRecord play = command(CommandKind.PLAY);

    assertThat(play.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(play.result()).contains("'Study hour' could not start: " + reason);
    assertThat(awaitEnded(RunOutcome.FAILED).error()).contains(reason);
    assertThat(world.discord.voiceConnections()).isEmpty();
  }

  @Test
  void waitingForAMemberTheRunStartsWhenOneJoins() throws Exception {
    start(false, new Presence(Optional.of(Duration.ofMinutes(10)), Presence.WhenAlone.STAY, Duration.ZERO));
    UserHandle alice = world.discord.createUser("alice");
    world.guild.addMember(alice);

    assertThat(command(CommandKind.PLAY).status()).isEqualTo(CommandStatus.DONE);
    await().atMost(AWAIT).until(() -> open().isPresent());
    // In the channel, silent, no start notice: nobody is there yet.
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> open().orElseThrow().audioPackets() == 0);
    assertThat(notices()).isEmpty();

    alice.joinVoice(world.guild, world.hall);

    await().atMost(AWAIT).until(() -> open().orElseThrow().decodedAudio().compareTo(Duration.ofMillis(500)) > 0);
    await().atMost(AWAIT).until(() -> notices().stream().anyMatch(e -> e.title().equals("Study hour has started")));
    assertThat(command(CommandKind.STOP).status()).isEqualTo(CommandStatus.DONE);
    awaitEnded(RunOutcome.STOPPED);
  }
}
