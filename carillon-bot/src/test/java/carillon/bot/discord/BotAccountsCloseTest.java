package carillon.bot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.config.Secret;
import carillon.emulator.BotAccount;
import carillon.emulator.DiscordEmulator;
import carillon.emulator.EmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.events.StatusChangeEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Closing the bot accounts at shutdown says nothing worse than DEBUG about it (the log guard fails on an ERROR). */
@ExtendWith(EmulatorExtension.class)
class BotAccountsCloseTest {

  @Test
  void eachShardShutsDownBeforeTheGatewayPoolItsSenderUsesCloses(DiscordEmulator discord) throws Exception {
    BotAccount bell = discord.createBot("Bell");
    discord.createGuild("Sangha").addMember(bell);
    BotAccounts accounts = BotAccounts.login(List.of(new BotAccounts.Login("bell", new Secret(bell.token()), 2)),
        discord::configure, name -> List.of(), Duration.ofSeconds(30));
    // Whether the shard's gateway pool was already closed when the shard began to shut down. Before, it was:
    // JDA's ShardManager.shutdown() closes the pool at once and its shards later, on another thread, and a
    // shard's gateway sender refused by the closed pool while the shard was still CONNECTED logged
    // "Was unable to schedule next packet due to rejected execution by threadpool" at ERROR (seen in CI).
    // Per shard, at the first SHUTTING_DOWN it reports (JDA may report it again once ShardManager.shutdown()
    // reaches a shard already shut down, after the pool closed: that shard no longer sends).
    Map<Integer, Boolean> poolClosedAtShutdown = new ConcurrentHashMap<>();
    accounts.listen(new ListenerAdapter() {
      @Override
      public void onStatusChange(StatusChangeEvent event) {
        if (event.getNewStatus() == JDA.Status.SHUTTING_DOWN) {
          poolClosedAtShutdown.putIfAbsent(event.getJDA().getShardInfo().getShardId(),
              event.getJDA().getGatewayPool().isShutdown());
        }
      }
    });

    accounts.close();

    assertThat(poolClosedAtShutdown).containsOnlyKeys(0, 1).containsValues(false).doesNotContainValue(true);
  }
}
