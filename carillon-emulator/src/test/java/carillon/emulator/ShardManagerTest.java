package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.sharding.DefaultShardManagerBuilder;
import net.dv8tion.jda.api.sharding.ShardManager;
import org.junit.jupiter.api.Test;

class ShardManagerTest {
  @Test
  void twoShardsEachSeeTheGuildsRoutedToThem() throws Exception {
    try (DiscordEmulator discord = DiscordEmulator.start()) {
      BotAccount bot = discord.createBot("Carillon");
      List<GuildHandle> guilds = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        GuildHandle guild = discord.createGuild("guild " + i);
        guild.addMember(bot);
        guilds.add(guild);
      }
      ShardManager shards = discord.configure(DefaultShardManagerBuilder.createDefault(bot.token()).setShardsTotal(2))
          .build();
      try {
        // The manager builds shards one after the other: wait until both exist and are connected.
        await().atMost(Duration.ofSeconds(30)).until(() -> shards.getShards().size() == 2
            && shards.getShards().stream().allMatch(shard -> shard.getStatus() == JDA.Status.CONNECTED));
        for (GuildHandle guild : guilds) {
          int expectedShard = (int) ((guild.id() >> 22) % 2);
          JDA shard = shards.getShardById(expectedShard);
          assertThat(shard.getGuildById(guild.id())).as("guild %s on shard %d", guild.name(), expectedShard).isNotNull();
          assertThat(shards.getShardById(1 - expectedShard).getGuildById(guild.id())).isNull();
        }
        assertThat(shards.getGuilds()).hasSize(6);
      } finally {
        shards.shutdown();
      }
    }
  }
}
