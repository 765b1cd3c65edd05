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
}
