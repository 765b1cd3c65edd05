package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Small REST and control API details clients other than JDA rely on (issue 16). */
@ExtendWith(EmulatorExtension.class)
class RestFidelityTest {
  private final RawDiscord raw;
  private final Sangha sangha;

  RestFidelityTest(DiscordEmulator discord) {
    raw = new RawDiscord(discord);
    sangha = Sangha.in(discord);
  }

  @Test
  void theBotsApplicationObject() throws Exception {
    RawDiscord.Answer app = raw.rest("GET", "/oauth2/applications/@me", sangha.bot(), null);
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.body().get("id").asText()).isEqualTo(Long.toString(sangha.bot().applicationId()));
    assertThat(app.body().get("name").asText()).isEqualTo("Carillon");
    assertThat(app.body().get("bot").get("id").asText()).isEqualTo(Long.toString(sangha.bot().id()));
    assertThat(raw.rest("GET", "/oauth2/applications/@me", null, null).status()).isEqualTo(401);
  }

  @Test
  void percentEncodedAtSignsAreTakenLikeRawOnes() throws Exception {
    assertThat(raw.rest("GET", "/users/%40me", sangha.bot(), null).body().get("id").asText())
        .isEqualTo(Long.toString(sangha.bot().id()));
    assertThat(raw.rest("GET", "/oauth2/applications/%40me", sangha.bot(), null).status()).isEqualTo(200);
  }

  @Test
  void unknownRoutesAnswerDiscordsJson404() throws Exception {
    for (String path : new String[] {"/nothing/here", "/users/12345", "/channels/" + sangha.notices() + "/pins/x/y"}) {
      RawDiscord.Answer missing = raw.rest("GET", path, sangha.bot(), null);
      assertThat(missing.status()).as(path).isEqualTo(404);
      assertThat(missing.body().get("message").asText()).isEqualTo("404: Not Found");
      assertThat(missing.body().get("code").asInt()).isZero();
    }
  }

  @Test
  void theControlApiWritesIdsAsStrings() throws Exception {
    UserHandle alice = sangha.alice();
    alice.sendMessage(sangha.notices(), "hello");
    var message = raw.control("GET", "/channels/" + sangha.notices() + "/messages", null).body().get(0);
    assertThat(message.get("id").isTextual()).isTrue();
    assertThat(message.get("channelId").asText()).isEqualTo(Long.toString(sangha.notices()));
    assertThat(message.get("authorId").asText()).isEqualTo(Long.toString(alice.id()));
  }

  @Test
  void channelHistoryIsNewestFirstPagedAndNeedsReadMessageHistory() throws Exception {
    String path = "/channels/" + sangha.notices() + "/messages";
    for (String text : new String[] {"one", "two", "three"}) {
      sangha.alice().sendMessage(sangha.notices(), text);
    }
    RawDiscord.Answer all = raw.rest("GET", path, sangha.bot(), null);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body()).extracting(m -> m.get("content").asText()).containsExactly("three", "two", "one");
    String two = all.body().get(1).get("id").asText();
    assertThat(raw.rest("GET", path + "?before=" + two, sangha.bot(), null).body())
        .extracting(m -> m.get("content").asText()).containsExactly("one");
    assertThat(raw.rest("GET", path + "?after=" + two + "&limit=1", sangha.bot(), null).body())
        .extracting(m -> m.get("content").asText()).containsExactly("three");
    assertThat(raw.rest("GET", path + "?limit=2", sangha.bot(), null).body()).hasSize(2);
    assertThat(raw.rest("GET", "/channels/" + sangha.notices(), sangha.bot(), null).body().get("last_message_id").asText())
        .isEqualTo(all.body().get(0).get("id").asText());

    RawDiscord.Answer tooMany = raw.rest("GET", path + "?limit=101", sangha.bot(), null);
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.body().get("code").asInt()).isEqualTo(50035);
    assertThat(tooMany.body().at("/errors/limit/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_MAX");

    // without Read Message History the answer is an empty list, not an error (Discord's documentation);
    // overwrites bind an ordinary member, not an administrator
    sangha.guild().setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    sangha.guild().overwriteForMember(sangha.notices(), sangha.bot().id(), 0, World.READ_MESSAGE_HISTORY);
    RawDiscord.Answer hidden = raw.rest("GET", path, sangha.bot(), null);
    assertThat(hidden.status()).isEqualTo(200);
    assertThat(hidden.body()).isEmpty();
    sangha.guild().overwriteForMember(sangha.notices(), sangha.bot().id(), 0, World.VIEW_CHANNEL);
    RawDiscord.Answer noAccess = raw.rest("GET", path, sangha.bot(), null);
    assertThat(noAccess.status()).isEqualTo(403);
    assertThat(noAccess.body().get("code").asInt()).isEqualTo(50001);
  }

  @Test
  void typingIsAcknowledgedWhereTheBotMaySpeak() throws Exception {
    sangha.guild().setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
    assertThat(raw.rest("POST", "/channels/" + sangha.notices() + "/typing", sangha.bot(), null).status()).isEqualTo(204);
    sangha.guild().overwriteForMember(sangha.notices(), sangha.bot().id(), 0, World.SEND_MESSAGES);
    assertThat(raw.rest("POST", "/channels/" + sangha.notices() + "/typing", sangha.bot(), null).body().get("code").asInt())
        .isEqualTo(50013);
  }

  @Test
  void usersHaveTheMigratedDiscriminatorBotsAFourDigitOne() throws Exception {
    assertThat(raw.rest("GET", "/guilds/" + sangha.guild().id() + "/members/" + sangha.alice().id(), sangha.bot(), null)
        .body().at("/user/discriminator").asText())
        .isEqualTo("0");
    assertThat(raw.rest("GET", "/users/@me", sangha.bot(), null).body().get("discriminator").asText()).isEqualTo("0000");
  }

  @Test
  void aGatewayFaultForABotWithoutASessionIsRefused() throws Exception {
    RawDiscord.Answer answer = raw.control("POST", "/faults/gateway",
        "{\"botId\":\"" + sangha.bot().id() + "\",\"action\":\"close\",\"code\":4000}");
    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.body().get("error").asText()).contains("no open gateway connection");
  }
}
