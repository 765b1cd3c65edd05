package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.utils.Compression;
import org.junit.jupiter.api.Test;

/** JDA's default transport compression: one zlib stream per connection, binary frames. */
class ZlibGatewayTest {
  @Test
  void jdaWithZlibStreamCompressionLogsInAndReceivesEvents() throws Exception {
    try (DiscordEmulator discord = DiscordEmulator.start()) {
      Sangha sangha = Sangha.in(discord);
      long channel = sangha.notices();
      UserHandle alice = sangha.alice();
      List<String> received = new CopyOnWriteArrayList<>();
      JDA jda = discord.configure(JDABuilder.createDefault(sangha.bot().token()).enableIntents(GatewayIntent.MESSAGE_CONTENT))
          .setCompression(Compression.ZLIB)
          .addEventListeners(new ListenerAdapter() {
            @Override
            public void onMessageReceived(MessageReceivedEvent event) {
              received.add(event.getMessage().getContentRaw());
            }
          })
          .build();
      try {
        jda.awaitReady();
        assertThat(jda.getGuildById(sangha.guild().id()).getTextChannelById(channel)).isNotNull();
        for (int i = 0; i < 20; i++) {
          alice.sendMessage(channel, "message " + i + " " + "x".repeat(i * 50));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 20);
        assertThat(received.getLast()).startsWith("message 19 ");
      } finally {
        Jdas.stop(jda);
      }
    }
  }
}
