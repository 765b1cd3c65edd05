package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events gated by the intents a session identified with, message content blanked without MESSAGE_CONTENT. */
@ExtendWith(EmulatorExtension.class)
class IntentsTest {
  private static final long GUILDS = 1;
  private static final long GUILD_MEMBERS = 1 << 1;
  private static final long GUILD_MESSAGES = 1 << 9;
  private static final long MESSAGE_CONTENT = 1 << 15;

  private final DiscordEmulator discord;
  private final RawDiscord raw;
  private final Sangha sangha;

  IntentsTest(DiscordEmulator discord) {
    this.discord = discord;
    raw = new RawDiscord(discord);
    sangha = Sangha.in(discord);
  }

  @Test
  void messageContentOnlyWithTheIntentOrWhenTheBotIsConcerned() throws Exception {
    try (RawDiscord.Gateway blind = raw.gateway(sangha.bot(), GUILDS | GUILD_MESSAGES);
        RawDiscord.Gateway reading = raw.gateway(sangha.bot(), GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT);
        RawDiscord.Gateway deaf = raw.gateway(sangha.bot(), GUILDS)) {
      sangha.alice().sendMessage(sangha.notices(), "hello");
      sangha.alice().sendMessage(sangha.notices(), "<@" + sangha.bot().id() + "> ring the bell");
      raw.rest("POST", "/channels/" + sangha.notices() + "/messages", sangha.bot(), "{\"content\":\"rung\"}");
      sangha.guild().createTextChannel("marker");
      for (RawDiscord.Gateway gateway : List.of(blind, reading, deaf)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.types().contains("CHANNEL_CREATE"));
      }

      assertThat(contents(blind)).containsExactly("", "<@" + sangha.bot().id() + "> ring the bell", "rung");
      assertThat(messages(blind).getFirst().get("embeds")).isEmpty();
      assertThat(messages(blind).get(1).get("mentions").get(0).get("id").asText())
          .isEqualTo(Long.toString(sangha.bot().id()));
      assertThat(contents(reading)).containsExactly("hello", "<@" + sangha.bot().id() + "> ring the bell", "rung");
      assertThat(deaf.types()).doesNotContain("MESSAGE_CREATE");
      // what is stored is the whole message: only what the bot is sent is blanked
      assertThat(discord.messages(sangha.notices()).getFirst().content()).isEqualTo("hello");
    }
  }

  @Test
  void memberEventsNeedGuildMembersExceptAboutTheBotItself() throws Exception {
    try (RawDiscord.Gateway without = raw.gateway(sangha.bot(), GUILDS);
        RawDiscord.Gateway with = raw.gateway(sangha.bot(), GUILDS | GUILD_MEMBERS)) {
      long role = sangha.guild().createRole("bell ringers", 0);
      sangha.guild().giveRole(sangha.alice().id(), role);
      sangha.guild().giveRole(sangha.bot().id(), role);
      sangha.guild().createTextChannel("marker");
      for (RawDiscord.Gateway gateway : List.of(without, with)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.types().contains("CHANNEL_CREATE"));
      }
      assertThat(memberUpdates(with)).containsExactly(Long.toString(sangha.alice().id()),
          Long.toString(sangha.bot().id()));
      assertThat(memberUpdates(without)).containsExactly(Long.toString(sangha.bot().id()));
      assertThat(without.types()).contains("GUILD_ROLE_CREATE");
    }
  }

  private static List<JsonNode> messages(RawDiscord.Gateway gateway) {
    return gateway.dispatches.stream().filter(d -> d.get("t").asText().equals("MESSAGE_CREATE"))
        .map(d -> d.get("d")).toList();
  }

  private static List<String> contents(RawDiscord.Gateway gateway) {
    return messages(gateway).stream().map(m -> m.get("content").asText()).toList();
  }

  private static List<String> memberUpdates(RawDiscord.Gateway gateway) {
    return gateway.dispatches.stream().filter(d -> d.get("t").asText().equals("GUILD_MEMBER_UPDATE"))
        .map(d -> d.get("d").get("user").get("id").asText()).toList();
  }
}
