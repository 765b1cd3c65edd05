package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discord's interaction deadlines on the emulator's clock (a test clock here, so nothing sleeps): 3 seconds
 * to acknowledge, then {@code 10062 Unknown interaction}; a token good for 15 minutes of follow-ups and edits,
 * then {@code 50027 Invalid Webhook Token}.
 */
class InteractionDeadlineTest {
  final ManualClock clock = new ManualClock();
  DiscordEmulator discord;
  RawDiscord raw;
  long notices;
  BotAccount bot;
  UserHandle alice;

  @BeforeEach
  void start() throws Exception {
    discord = DiscordEmulator.builder().clock(clock).start();
    raw = new RawDiscord(discord);
    Sangha sangha = Sangha.in(discord);
    notices = sangha.notices();
    bot = sangha.bot();
    alice = sangha.alice();
    raw.rest("PUT", "/applications/" + bot.applicationId() + "/commands", bot, "[{\"name\":\"ping\",\"description\":\"pong\"}]");
  }

  @AfterEach
  void stop() {
    discord.close();
  }

  String callback(Interaction run) {
    return "/interactions/" + run.id + "/" + run.token + "/callback";
  }

  @Test
  void anInteractionNotAcknowledgedWithin3SecondsExpires() throws Exception {
    Interaction run = alice.runSlashCommand(notices, bot, "ping", Map.of());
    clock.advance(Duration.ofMillis(3000));
    assertThat(run.expired()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(run.expired()).isTrue();
    assertThat(raw.control("GET", "/interactions/" + run.id, null).body().get("expired").asBoolean()).isTrue();
    RawDiscord.Answer late = raw.rest("POST", callback(run), null, "{\"type\":4,\"data\":{\"content\":\"pong\"}}");
    assertThat(late.status()).isEqualTo(404);
    assertThat(late.body().get("code").asInt()).isEqualTo(10062);
    assertThat(late.body().get("message").asText()).isEqualTo("Unknown interaction");
    assertThat(discord.messages(notices)).isEmpty();
  }

  @Test
  void anAnswerWithinTheDeadlineStands() throws Exception {
    Interaction run = alice.runSlashCommand(notices, bot, "ping", Map.of());
    clock.advance(Duration.ofMillis(2900));
    assertThat(raw.rest("POST", callback(run), null, "{\"type\":4,\"data\":{\"content\":\"pong\"}}").status())
        .isEqualTo(204);
    clock.advance(Duration.ofSeconds(10));
    assertThat(run.expired()).isFalse();
    assertThat(raw.control("GET", "/interactions/" + run.id, null).body().get("expired").asBoolean()).isFalse();
  }

  @Test
  void afterADeferralTheTokenServesFollowUpsFor15Minutes() throws Exception {
    Interaction run = alice.runSlashCommand(notices, bot, "ping", Map.of());
    assertThat(raw.rest("POST", callback(run), null, "{\"type\":5}").status()).isEqualTo(204);
    clock.advance(Duration.ofMinutes(14));
    String webhook = "/webhooks/" + bot.applicationId() + "/" + run.token;
    assertThat(raw.rest("POST", webhook, null, "{\"content\":\"done\"}").status()).isEqualTo(200);
    assertThat(raw.rest("PATCH", webhook + "/messages/@original", null, "{\"content\":\"edited\"}").status())
        .isEqualTo(200);
    clock.advance(Duration.ofMinutes(1).plusMillis(1));
    RawDiscord.Answer expired = raw.rest("POST", webhook, null, "{\"content\":\"too late\"}");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.body().get("code").asInt()).isEqualTo(50027);
    assertThat(raw.rest("PATCH", webhook + "/messages/%40original", null, "{\"content\":\"x\"}").body().get("code")
        .asInt()).isEqualTo(50027);
  }

  @Test
  void theDeadlineIsConfigurable() throws Exception {
    try (DiscordEmulator patient = DiscordEmulator.builder().clock(clock).interactionDeadline(Duration.ofMinutes(1))
        .start()) {
      Sangha there = Sangha.in(patient);
      new RawDiscord(patient).rest("PUT", "/applications/" + there.bot().applicationId() + "/commands", there.bot(),
          "[{\"name\":\"ping\",\"description\":\"pong\"}]");
      Interaction run = there.alice().runSlashCommand(there.notices(), there.bot(), "ping", Map.of());
      clock.advance(Duration.ofSeconds(59));
      assertThat(run.expired()).isFalse();
      clock.advance(Duration.ofSeconds(2));
      assertThat(run.expired()).isTrue();
    }
  }
}
