package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.config.ConfigLoader;
import carillon.bot.run.Run;
import carillon.bot.run.RunOutcome;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The demo as ./carillon runs it, with the session starting in seconds instead of a minute. */
class DemoTest {
  @TempDir Path dir;

  @Test
  void theDemoSessionRemindsStartsIsHeardEndsAndShutsDownCleanly() throws Exception {
    // Anything logged at ERROR (by Carillon, JDA or LavaPlayer) is a bug the demo would show a user.
    ListAppender<ILoggingEvent> errors = new ListAppender<>();
    errors.addFilter(new Filter<>() {
      @Override
      public FilterReply decide(ILoggingEvent event) {
        return event.getLevel().isGreaterOrEqual(Level.ERROR)
            ? FilterReply.NEUTRAL : FilterReply.DENY;
      }
    });
    errors.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(errors);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    Demo demo = Demo.start(ConfigLoader.load(Optional.empty(), Map.of("CARILLON_DATA_DIR", dir.toString(),
        "CARILLON_WEB_ADDRESS", "127.0.0.1:0")), out, Duration.ofSeconds(3));
    try {
      // While it plays, the panel shows the notices and a level meter of the bot.
      var http = HttpClient.newHttpClient();
      var panel = URI.create("http://127.0.0.1:" + demo.discord.port() + "/_emulator/panel");
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        String state = http.send(HttpRequest.newBuilder(panel.resolve("panel/state")).build(),
            BodyHandlers.ofString()).body();
        return state.contains("\"levelDbfs\":-") && state.contains("Morning meditation has started");
      });
      assertThat(http.send(HttpRequest.newBuilder(panel).build(),
          BodyHandlers.ofString()).body()).contains("What Discord would show");
      await().atMost(Duration.ofSeconds(60)).until(() -> demo.carillon.runs().forSession(demo.session.id()).stream()
          .anyMatch(r -> r.outcome() == RunOutcome.COMPLETED));
      Run run = demo.carillon.runs().forSession(demo.session.id()).getFirst();
      assertThat(run.tracksPlayed()).isEqualTo(3);
      // Chime 3 s, tone 4 s, chime 3 s.
      assertThat(demo.discord.voiceConnections().getFirst().decodedAudio())
          .isBetween(Duration.ofMillis(9_900), Duration.ofMillis(10_100));
      await().atMost(Duration.ofSeconds(10)).until(() -> printed.toString(StandardCharsets.UTF_8).contains("the bot left"));
    } finally {
      demo.close();
      root.detachAppender(errors);
    }
    assertThat(errors.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("Carillon demo", "Morning meditation starts soon", "Morning meditation has started",
        "Morning meditation has ended", "a bot joined Meditation Hall");
    assertThat(demo.carillon.tasks().isShutdown()).isTrue();
  }
}
