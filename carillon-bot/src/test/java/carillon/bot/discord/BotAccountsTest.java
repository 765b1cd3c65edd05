package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.config.Secret;
import carillon.bot.guild.GuildDirectory;
import carillon.bot.playback.Slots;
import carillon.bot.store.Database;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.EmulatorExtension;
import carillon.emulator.GuildHandle;
import carillon.testing.ExpectedLog;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Several bot accounts in one process, with the real JDA against the emulator. */
// Accounts Discord refuses or closes for good: the ERROR naming the account is the behaviour, JDA's own lines come with it.
@ExpectedLog(logger = "carillon.bot.discord.BotAccounts")
@ExpectedLog(logger = "net.dv8tion.jda.internal.requests.WebSocketClient")
@ExtendWith(EmulatorExtension.class)
class BotAccountsTest {
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(BotAccounts.class);

  @BeforeEach
  void captureLog() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(log);
  }

  private List<String> errors() {
    return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void anAccountWithABadTokenIsReportedAndTheOthersRun(DiscordEmulator discord) throws Exception {
    GuildHandle guild = discord.createGuild("Sangha");
    guild.createTextChannel("notices");
    BotAccount bell = discord.createBot("Bell");
    BotAccount gong = discord.createBot("Gong");
    guild.addMember(bell);
    guild.addMember(gong);
    Slots slots = new Slots();
    try (Database db = Database.openSqlite(dir.resolve("c.db"));
         BotAccounts accounts = BotAccounts.login(List.of(
                 new BotAccounts.Login("bell", new Secret(bell.token()), 1),
                 new BotAccounts.Login("broken", new Secret("not.a.token"), 1),
                 new BotAccounts.Login("gong", new Secret(gong.token()), 2)),
             discord::configure,
             name -> List.of(new GuildCacheSync(name, new GuildDirectory(db), slots)), Duration.ofSeconds(30))) {
      assertThat(accounts.names()).containsExactlyInAnyOrder("bell", "gong");
      assertThat(accounts.guild("gong", guild.id())).isPresent(); // through its shard manager
      assertThat(accounts.guild("broken", guild.id())).isEmpty();
      assertThat(slots.accounts(guild.id())).containsExactlyInAnyOrder("bell", "gong");
      assertThat(errors()).singleElement().satisfies(e -> assertThat(e)
          .isEqualTo("Bot account 'broken' could not log in: Discord refused its token; check CARILLON_ACCOUNTS_BROKEN_TOKEN")
          .doesNotContain("not.a.token"));
      assertThat(accounts.allClosed()).isNotDone();
    }
  }

  @Test
  void anAccountDiscordClosesForGoodIsReportedAndTheLastOneEndsTheProcess(DiscordEmulator discord) throws Exception {
    GuildHandle guild = discord.createGuild("Sangha");
    BotAccount bell = discord.createBot("Bell");
    BotAccount gong = discord.createBot("Gong");
    guild.addMember(bell);
    guild.addMember(gong);
    Slots slots = new Slots();
    try (Database db = Database.openSqlite(dir.resolve("c.db"));
         BotAccounts accounts = BotAccounts.login(List.of(
                 new BotAccounts.Login("bell", new Secret(bell.token()), 1),
                 new BotAccounts.Login("gong", new Secret(gong.token()), 1)),
             discord::configure,
             name -> List.of(new GuildCacheSync(name, new GuildDirectory(db), slots)), Duration.ofSeconds(30))) {
      discord.closeGateway(bell, 4014);
      await().atMost(Duration.ofSeconds(20)).until(() -> !accounts.names().contains("bell"));
      assertThat(accounts.names()).containsExactly("gong");
      assertThat(slots.accounts(guild.id())).containsExactly("gong");
      assertThat(accounts.allClosed()).isNotDone();
      assertThat(errors()).singleElement().satisfies(e -> assertThat(e).startsWith("Bot account 'bell' is disconnected for good")
          .contains("4014"));

      discord.closeGateway(gong, 4004);
      accounts.allClosed().get(20, TimeUnit.SECONDS);
      assertThat(accounts.names()).isEmpty();
    }
  }

  @Test
  void noAccountAtAllMeansClosedAtOnce(DiscordEmulator discord) throws Exception {
    try (BotAccounts accounts = BotAccounts.login(List.of(new BotAccounts.Login("x", new Secret("bad"), 1)),
        discord::configure, name -> List.of(), Duration.ofSeconds(30))) {
      assertThat(accounts.names()).isEmpty();
      assertThat(accounts.allClosed()).isDone();
    }
  }
}
