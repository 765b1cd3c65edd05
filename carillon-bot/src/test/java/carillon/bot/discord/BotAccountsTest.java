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
import java.util.Set;
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

  /**
   * Issue 13: a process of a cluster that holds none of an account's shards connects none (JDA's login alone
   * would connect shard 0, beside the process that holds it), and connects a shard once it takes it.
   */
  @Test
  void aProcessHoldingNoShardConnectsNoneAndConnectsTheShardsItTakes(DiscordEmulator discord) throws Exception {
    BotAccount bell = discord.createBot("Bell");
    GuildHandle[] onShard = new GuildHandle[2];
    for (int i = 0; (onShard[0] == null || onShard[1] == null) && i < 100; i++) {
      GuildHandle guild = discord.createGuild("Sangha " + i);
      int shard = (int) ((guild.id() >>> 22) % 2);
      if (onShard[shard] == null) {
        guild.addMember(bell);
        onShard[shard] = guild;
      }
      Thread.sleep(1); // a new millisecond for the next snowflake (not synchronisation: a different id)
    }
    Slots slots = new Slots();
    try (Database db = Database.openSqlite(dir.resolve("c.db"));
         BotAccounts accounts = BotAccounts.login(List.of(new BotAccounts.Login("bell", new Secret(bell.token()), 2)),
             discord::configure, name -> List.of(new GuildCacheSync(name, new GuildDirectory(db), slots)),
             Duration.ofSeconds(30), Set.of())) {
      assertThat(accounts.names()).containsExactly("bell");
      accounts.startShards(Set.of(1));
      await().atMost(Duration.ofSeconds(30)).until(() -> accounts.connected(Set.of(1)));
      assertThat(accounts.guild("bell", onShard[1].id())).as("the guild on the shard taken").isPresent();
      // Shard 0 would have been connected (first) by JDA's login before shard 1 was.
      assertThat(accounts.guild("bell", onShard[0].id())).as("the guild on shard 0, held by another process").isEmpty();
      assertThat(slots.accounts(onShard[0].id())).isEmpty();
    }
  }
}
