package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import carillon.testing.ExpectedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.session.SessionRecreateEvent;
import net.dv8tion.jda.api.events.session.SessionResumeEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.GatewayIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Faults on demand, and JDA recovering from them as it would with Discord. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdaRecoveryTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  DiscordEmulator discord;
  long notices;
  BotAccount bot;
  UserHandle alice;
  JDA jda;
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    discord = DiscordEmulator.start();
    GuildHandle guild = discord.createGuild("Sangha");
    notices = guild.createTextChannel("notices");
    bot = discord.createBot("Carillon");
    alice = discord.createUser("alice");
    guild.addMember(bot);
    guild.addMember(alice);
    jda = discord.configure(JDABuilder.createDefault(bot.token()).enableIntents(GatewayIntent.MESSAGE_CONTENT))
        .addEventListeners(new ListenerAdapter() {
          @Override
          public void onMessageReceived(MessageReceivedEvent event) {
            events.add("message " + event.getMessage().getContentRaw());
          }

          @Override
          public void onSessionResume(SessionResumeEvent event) {
            events.add("resumed");
          }

          @Override
          public void onSessionRecreate(SessionRecreateEvent event) {
            events.add("recreated");
          }
        })
        .build();
    jda.awaitReady();
  }

  @AfterAll
  void stop() {
    if (jda != null) {
      Jdas.stop(jda);
    }
    discord.close();
  }

  private void awaitConnected() {
    await().atMost(WAIT).until(() -> jda.getStatus() == JDA.Status.CONNECTED);
  }

  // JDA logs the close the test provokes as an ERROR, then resumes.
  @ExpectedLog(logger = "net.dv8tion.jda.internal.requests.WebSocketClient", message = "closed by the emulator")
  @Test
  void aClosedGatewayIsResumedAndTheEventSentMeanwhileIsReplayed() {
    awaitConnected();
    discord.closeGateway(bot, 4000);
    alice.sendMessage(notices, "while you were away");
    await().atMost(WAIT).until(() -> events.contains("message while you were away") && events.contains("resumed"));
    awaitConnected();
  }

  @Test
  void reconnectRequestIsResumedWithoutLosingEvents() {
    awaitConnected();
    int resumes = (int) events.stream().filter("resumed"::equals).count();
    discord.requestReconnect(bot);
    alice.sendMessage(notices, "after reconnect");
    await().atMost(WAIT).until(() -> events.contains("message after reconnect")
        && events.stream().filter("resumed"::equals).count() > resumes);
  }

  @Test
  void anInvalidatedSessionIsIdentifiedAnew() {
    awaitConnected();
    discord.invalidateSession(bot, false);
    await().atMost(WAIT).until(() -> events.contains("recreated"));
    awaitConnected();
    alice.sendMessage(notices, "after a new session");
    await().atMost(WAIT).until(() -> events.contains("message after a new session"));
  }

  @Test
  void aRateLimitIsWaitedOutAndTheRequestSucceeds() {
    awaitConnected();
    discord.failRoute("POST", "/channels/\\d+/messages", 429, 1);
    jda.getTextChannelById(notices).sendMessage("after the rate limit").complete();
    assertThat(discord.messages(notices)).extracting(SentMessage::content).contains("after the rate limit");
  }

  @Test
  void aForbiddenRouteSurfacesAsJdasMissingPermissionsError() {
    awaitConnected();
    discord.failRoute("POST", "/channels/\\d+/messages", 403, 1);
    assertThatThrownBy(() -> jda.getTextChannelById(notices).sendMessage("not allowed").complete())
        .isInstanceOf(ErrorResponseException.class)
        .satisfies(e -> assertThat(((ErrorResponseException) e).getErrorResponse())
            .isEqualTo(ErrorResponse.MISSING_PERMISSIONS));
    assertThat(discord.messages(notices)).extracting(SentMessage::content).doesNotContain("not allowed");
  }
}
