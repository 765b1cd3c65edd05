package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.bot.calendar.GuildCalendars;
import carillon.bot.library.AudioItem;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandSource;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import carillon.emulator.CommandNotAvailableException;
import carillon.emulator.Interaction;
import carillon.emulator.ManualClock;
import carillon.emulator.SentMessage;
import carillon.emulator.UserHandle;
import carillon.testing.ExpectedLog;
import java.nio.file.Path;
import java.text.Normalizer;
import java.text.Normalizer.Form;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.Permission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /carillon through the real JDA and the emulator, as members use it. */
class SlashCommandsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;
  private DiscordWorld world;
  private UserHandle alice;
  private UserHandle bao;

  @AfterEach
  void close() {
    if (world != null) {
      world.close();
    }
  }

  /** alice may manage the server; bao may only talk; the bots keep what they need to play. */
  private void people(Map<String, String> env, int accounts) throws Exception {
    people(env, accounts, Clock.systemUTC());
  }

  private void people(Map<String, String> env, int accounts, Clock discordClock) throws Exception {
    world = new DiscordWorld(dir, accounts, env, discordClock);
    long bots = world.guild.createRole("bots", Permission.ADMINISTRATOR.getRawValue());
    world.guild.giveRole(world.bell.id(), bots);
    if (accounts > 1) {
      world.guild.giveRole(world.gong.id(), bots);
    }
    long managers = world.guild.createRole("managers", Permission.MANAGE_SERVER.getRawValue());
    world.guild.setEveryonePermissions(
        Permission.getRaw(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND, Permission.USE_APPLICATION_COMMANDS));
    alice = world.discord.createUser("alice");
    bao = world.discord.createUser("bao");
    world.guild.addMember(alice);
    world.guild.addMember(bao);
    world.guild.giveRole(alice.id(), managers);
    await().atMost(WAIT).until(() -> world.discord.commandNames(world.bell, world.guild.id()).contains("carillon"));
  }

  /** A member with a new role named 'Session host', the configured command role. */
  private UserHandle host(String name) throws Exception {
    UserHandle member = world.discord.createUser(name);
    world.guild.addMember(member);
    world.guild.giveRole(member.id(), world.guild.createRole("Session host", 0));
    return member;
  }

  private Session session(String name, AudioItem item) throws Exception {
    return world.session(SessionSpec.builder(world.guild.id(), name).voiceChannel(world.hall)
        .textChannel(world.notices).schedule("daily 23:59 UTC").playlist(List.of(item.id())).gap(Duration.ZERO)
        .lateGrace(Duration.ofMinutes(5)).build());
  }

  private String reply(Interaction interaction) throws Exception {
    SentMessage answer = interaction.awaitReply(WAIT);
    assertThat(interaction.ephemeral()).as("only the member sees it").isTrue();
    return answer.content();
  }

  @Test
  void aManagerPicksASessionByAutocompleteAndControlsItThroughTheQueue() throws Exception {
    people(Map.of(), 1);
    AudioItem tone = world.audio("Long tone", DemoAudio.tone(440, 30));
    Session study = session("Study hour", tone);
    session("Evening sit", tone);

    List<Interaction.Choice> offered = alice.autocomplete(world.notices, world.bell, "carillon play", "session", "stu", Map.of())
        .awaitChoices(WAIT);
    assertThat(offered).containsExactly(new Interaction.Choice("Study hour", "Study hour"));

    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon play",
        Map.of("session", offered.getFirst().value())))).isEqualTo("Done: started 'Study hour' with bell.");
    await().atMost(WAIT).until(() -> !world.voice(world.bell).isEmpty()
        && world.voice(world.bell).getLast().decodedAudio().compareTo(Duration.ofMillis(500)) > 0);

    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon status", Map.of())))
        .contains("Study hour", "'Long tone'", "volume 100%");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon pause", Map.of())))
        .isEqualTo("Done: paused 'Long tone' in 'Study hour'.");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon volume", Map.of("percent", 60))))
        .isEqualTo("Done: volume of 'Study hour' set to 60%.");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon sessions", Map.of())))
        .contains("**Evening sit**: next <t:", "**Study hour**: playing now");
    alice.setLocale("vi");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon volume", Map.of("percent", 70))))
        .isEqualTo("Âm lượng của 'Study hour' là 70%.");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon stop", Map.of("session", "study hour"))))
        .isEqualTo("Đã dừng 'Study hour'.");
    alice.setLocale("en-US");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon pause", Map.of())))
        .isEqualTo("Name the session: nothing is playing, or more than one session is.");

    List<CommandRecord> log = world.carillon.commands().recent(10);
    assertThat(log).hasSize(5).allSatisfy(c -> {
      assertThat(c.source()).isEqualTo(CommandSource.SLASH);
      assertThat(c.requestedBy()).isEqualTo("alice (" + alice.id() + ")");
    });
  }

  @Test
  void aMemberWhoseLanguageHasNoTextsIsAnsweredInTheGuildsChosenLanguage() throws Exception {
    people(Map.of(), 1);
    alice.setLocale("fr");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon pause", Map.of())))
        .isEqualTo("Name the session: nothing is playing, or more than one session is.");
    world.carillon.calendars().update(world.guild.id(), new GuildCalendars.Change(null, "vi", List.of()));
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon pause", Map.of())))
        .isEqualTo("Hãy chọn buổi: không có buổi nào đang phát, hoặc có nhiều hơn một buổi.");
    // A member's own language with texts still comes first.
    alice.setLocale("en-US");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon pause", Map.of())))
        .isEqualTo("Name the session: nothing is playing, or more than one session is.");
  }

  @Test
  void aMemberWithoutManageServerDoesNotGetTheCommand() throws Exception {
    people(Map.of(), 1);
    assertThatThrownBy(() -> bao.runSlashCommand(world.notices, world.bell, "carillon status", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class);
  }

  @Test
  void withACommandRoleMembersWithItMayUseItAndOthersAreToldWhatTheyNeed() throws Exception {
    people(Map.of("CARILLON_COMMANDS_ROLE", "Session host"), 1);
    UserHandle chloe = host("chloe");

    assertThat(reply(chloe.runSlashCommand(world.notices, world.bell, "carillon status", Map.of())))
        .isEqualTo("Nothing is playing in this server.");
    assertThat(reply(bao.runSlashCommand(world.notices, world.bell, "carillon status", Map.of())))
        .isEqualTo("You need the Manage Server permission or the role 'Session host' to use /carillon.");
  }

  @Test
  void autocompleteShowsNoSessionToAMemberWhoMayNotRunTheCommand() throws Exception {
    people(Map.of("CARILLON_COMMANDS_ROLE", "Session host"), 1);
    session("Study hour", world.audio("Long tone", DemoAudio.tone(440, 30)));

    // With a role configured every member sees the command; before the fix bao got every session's name.
    assertThat(bao.autocomplete(world.notices, world.bell, "carillon play", "session", "", Map.of()).awaitChoices(WAIT))
        .isEmpty();
    assertThat(alice.autocomplete(world.notices, world.bell, "carillon play", "session", "", Map.of()).awaitChoices(WAIT))
        .extracting(Interaction.Choice::name).containsExactly("Study hour");
  }

  @Test
  void theCommandRoleIsOneRoleAndARoleMadeLaterWithItsNameGivesNothing() throws Exception {
    people(Map.of("CARILLON_COMMANDS_ROLE", "Session host"), 1);
    UserHandle chloe = host("chloe");
    UserHandle mallory = world.discord.createUser("mallory");
    world.guild.addMember(mallory);
    assertThat(reply(chloe.runSlashCommand(world.notices, world.bell, "carillon status", Map.of())))
        .isEqualTo("Nothing is playing in this server.");

    // Before the fix any role of that name, in any case, gave control.
    world.guild.giveRole(mallory.id(), world.guild.createRole("session HOST", 0));
    world.guild.giveRole(mallory.id(), world.guild.createRole("Session host", 0));

    assertThat(reply(mallory.runSlashCommand(world.notices, world.bell, "carillon status", Map.of())))
        .startsWith("You need the Manage Server permission");
    assertThat(reply(chloe.runSlashCommand(world.notices, world.bell, "carillon status", Map.of())))
        .isEqualTo("Nothing is playing in this server.");
  }

  @Test
  @ExpectedLog(level = ExpectedLog.Severity.WARN, logger = "carillon.bot.discord.CommandRole", message = "2 roles")
  void aRoleNameThatTwoRolesHaveGivesNothing() throws Exception {
    people(Map.of("CARILLON_COMMANDS_ROLE", "Session host"), 1);
    UserHandle chloe = host("chloe");
    world.guild.createRole("Session host", 0);

    assertThat(reply(chloe.runSlashCommand(world.notices, world.bell, "carillon status", Map.of())))
        .startsWith("You need the Manage Server permission");
  }

  @Test
  void repliesAreInTheMembersLanguageAndOnlyOneAccountRegistersTheCommand() throws Exception {
    people(Map.of(), 2);
    alice.setLocale("vi");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon next", Map.of())))
        .isEqualTo("Máy chủ này chưa có buổi nào được lên lịch.");
    assertThat(world.discord.commandNames(world.gong, world.guild.id())).isEmpty();
  }

  @Test
  void longListsAreShortenedWithHowManyMoreAndLongOptionsAreRefusedByDiscord() throws Exception {
    people(Map.of(), 1);
    AudioItem tone = world.audio("Long tone", DemoAudio.tone(440, 1));
    for (int i = 10; i < 34; i++) {
      session("Session " + i + " " + "with a long name that goes on ".repeat(3).strip(), tone);
    }
    String list = reply(alice.runSlashCommand(world.notices, world.bell, "carillon sessions", Map.of()));
    assertThat(list.length()).isLessThanOrEqualTo(2000);
    int shown = (int) list.lines().filter(l -> l.startsWith("- **Session ")).count();
    assertThat(shown).isBetween(5, 23);
    assertThat(list).startsWith("Sessions of this server:\n- **Session 10 ").endsWith("… and " + (24 - shown) + " more.");

    // 25 choices at most, each within Discord's 100 characters.
    List<Interaction.Choice> offered = alice.autocomplete(world.notices, world.bell, "carillon play", "session", "long", Map.of())
        .awaitChoices(WAIT);
    assertThat(offered).hasSize(24).allSatisfy(c -> assertThat(c.name().length()).isLessThanOrEqualTo(100));

    // The option is registered with Discord's length limit: the client refuses what no name can be.
    assertThatThrownBy(() -> alice.runSlashCommand(world.notices, world.bell, "carillon play", Map.of("session", "x".repeat(6000))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("characters long, was 6000");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon play", Map.of("session", "y".repeat(100)))))
        .isEqualTo("There is no session '" + "y".repeat(100) + "' in this server.");
  }

  @ExpectedLog(logger = "carillon.bot.discord.SlashCommands", message = "failed")
  @Test
  void aFailureInsideAHandlerStillAnswersTheMemberWithAShortReason() throws Exception {
    people(Map.of(), 1);
    world.carillon.db().close(); // the store is gone: every read fails
    String answer = reply(alice.runSlashCommand(world.notices, world.bell, "carillon sessions", Map.of()));
    assertThat(answer).isEqualTo("Carillon could not do that because of an internal error; its operators find it in the log.");
  }

  @Test
  void aSlowPlayIsAcknowledgedWithinDiscordsDeadlineAndAnsweredWhenDone() throws Exception {
    ManualClock discordClock = new ManualClock();
    people(Map.of(), 1, discordClock);
    AudioItem tone = world.audio("Long tone", DemoAudio.tone(440, 30));
    session("Study hour", tone);
    Interaction play = alice.runSlashCommand(world.notices, world.bell, "carillon play", Map.of("session", "Study hour"));
    // The bot is joining the voice channel (on Discord this takes seconds): by then Discord has its
    // acknowledgement, so the member's "thinking…" does not expire however long the join takes.
    await().atMost(WAIT).until(() -> world.discord.voiceChannelOf(world.guild, world.bell.id()).isPresent());
    discordClock.advance(Duration.ofSeconds(10));
    assertThat(play.expired()).isFalse();
    assertThat(reply(play)).isEqualTo("Done: started 'Study hour' with bell.");
    assertThat(play.deferred()).isTrue();
  }

  @Test
  void aTypedNameMatchesExactlyThenIgnoringCaseAndFormThenUniquelyAndAnAmbiguousOneListsTheCandidates() throws Exception {
    people(Map.of(), 1);
    AudioItem tone = world.audio("Long tone", DemoAudio.tone(440, 30));
    session("Thiền sáng", tone);
    session("Morning sit", tone);
    session("Evening sit", tone);

    String typed = Normalizer.normalize("THIỀN SÁNG", Form.NFD);
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon play", Map.of("session", typed))))
        .isEqualTo("Done: started 'Thiền sáng' with bell.");
    assertThat(alice.autocomplete(world.notices, world.bell, "carillon stop", "session", "SÁNG", Map.of()).awaitChoices(WAIT))
        .containsExactly(new Interaction.Choice("Thiền sáng", "Thiền sáng"));
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon stop", Map.of("session", "thiền"))))
        .isEqualTo("Done: stopped 'Thiền sáng'.");
    assertThat(reply(alice.runSlashCommand(world.notices, world.bell, "carillon play", Map.of("session", "sit"))))
        .isEqualTo("'sit' could be several sessions: Evening sit, Morning sit. Name one of them.");
    assertThat(world.carillon.commands().recent(10)).hasSize(2);
  }
}
