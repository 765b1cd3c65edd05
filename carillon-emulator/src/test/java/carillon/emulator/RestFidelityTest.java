package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Small REST and control API details clients other than JDA rely on (issue 16). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestFidelityTest {
  DiscordEmulator discord;
  RawDiscord raw;
  BotAccount bot;
  GuildHandle guild;
  long notices;

  @BeforeAll
  void start() {
    discord = DiscordEmulator.start();
    raw = new RawDiscord(discord);
    bot = discord.createBot("Carillon");
    guild = discord.createGuild("Sangha");
    notices = guild.createTextChannel("notices");
    guild.addMember(bot);
  }

  @AfterAll
  void stop() {
    discord.close();
  }

  @Test
  void theBotsApplicationObject() throws Exception {
    RawDiscord.Answer app = raw.rest("GET", "/oauth2/applications/@me", bot, null);
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.body().get("id").asText()).isEqualTo(Long.toString(bot.applicationId()));
    assertThat(app.body().get("name").asText()).isEqualTo("Carillon");
    assertThat(app.body().get("bot").get("id").asText()).isEqualTo(Long.toString(bot.id()));
    assertThat(raw.rest("GET", "/oauth2/applications/@me", null, null).status()).isEqualTo(401);
  }

  @Test
  void percentEncodedAtSignsAreTakenLikeRawOnes() throws Exception {
    assertThat(raw.rest("GET", "/users/%40me", bot, null).body().get("id").asText()).isEqualTo(Long.toString(bot.id()));
    assertThat(raw.rest("GET", "/oauth2/applications/%40me", bot, null).status()).isEqualTo(200);
  }

  @Test
  void unknownRoutesAnswerDiscordsJson404() throws Exception {
    for (String path : new String[] {"/nothing/here", "/users/12345", "/channels/" + notices + "/pins/x/y"}) {
      RawDiscord.Answer missing = raw.rest("GET", path, bot, null);
      assertThat(missing.status()).as(path).isEqualTo(404);
      assertThat(missing.body().get("message").asText()).isEqualTo("404: Not Found");
      assertThat(missing.body().get("code").asInt()).isZero();
    }
  }

  @Test
  void theControlApiWritesIdsAsStrings() throws Exception {
    UserHandle alice = discord.createUser("alice");
    guild.addMember(alice);
    alice.sendMessage(notices, "hello");
    var message = raw.control("GET", "/channels/" + notices + "/messages", null).body().get(0);
    assertThat(message.get("id").isTextual()).isTrue();
    assertThat(message.get("channelId").asText()).isEqualTo(Long.toString(notices));
    assertThat(message.get("authorId").asText()).isEqualTo(Long.toString(alice.id()));
  }
}
