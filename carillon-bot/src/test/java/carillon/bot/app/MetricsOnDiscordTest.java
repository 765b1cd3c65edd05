package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.library.AudioItem;
import carillon.bot.queue.CommandKind;
import carillon.bot.queue.CommandRecord;
import carillon.bot.queue.CommandRequest;
import carillon.bot.queue.CommandSource;
import carillon.bot.run.RunOutcome;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus scrapes /metrics after a session has played on the emulator, through real JDA. */
class MetricsOnDiscordTest {
  @TempDir Path dir;
  private DiscordWorld world;

  @AfterEach
  void tearDown() {
    world.close();
  }

  @Test
  void afterASessionPlaysTheScrapeShowsItsRunItsTimingsACommandTheGatewayAndTheJvm() throws Exception {
    world = new DiscordWorld(dir, 1, Map.of("CARILLON_METRICS_ADDRESS", "127.0.0.1:0"));
    AudioItem tone = world.audio("Tone", DemoAudio.tone(440, 1));
    Instant start = world.carillon.time().now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    Session session = world.session(SessionSpec.builder(world.guild.id(), "Metered").voiceChannel(world.hall)
        .schedule("once " + start).playlist(List.of(tone.id())).lateGrace(Duration.ofMinutes(5)).build());
    await().atMost(Duration.ofSeconds(40)).until(() -> world.carillon.runs().forSession(session.id()).stream()
        .anyMatch(r -> r.outcome() == RunOutcome.COMPLETED));
    CommandRecord accepted = world.carillon.commands().submit(new CommandRequest(CommandKind.STOP, session.id(), null,
        CommandSource.API, "test"));
    CommandRecord stop = world.carillon.commands().completion(accepted.id()).get(20, TimeUnit.SECONDS);

    InetSocketAddress at = world.carillon.metricsAddress().orElseThrow();
    String scrape = await().atMost(Duration.ofSeconds(10)).until(() -> scrape(at),
        text -> text.contains("carillon_commands_seconds_count"));

    assertThat(value(scrape, "carillon_runs_total{outcome=\"COMPLETED\"}")).isEqualTo(1.0);
    assertThat(value(scrape, "carillon_run_start_lateness_seconds_count")).isEqualTo(1.0);
    // Started on its scheduled second (bots join ahead), give or take the machine's load.
    assertThat(value(scrape, "carillon_run_start_lateness_seconds_sum")).isLessThan(2.0);
    assertThat(value(scrape, "carillon_run_first_audio_seconds_count")).isEqualTo(1.0);
    assertThat(value(scrape, "carillon_commands_seconds_count{kind=\"STOP\",status=\"" + stop.status() + "\"}"))
        .isEqualTo(1.0);
    assertThat(value(scrape, "carillon_voice_connections")).isZero();
    assertThat(value(scrape, "carillon_gateway_ping_seconds{account=\"bell\"}")).isGreaterThanOrEqualTo(-0.001);
    assertThat(value(scrape, "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}")).isPositive();
  }

  private static String scrape(InetSocketAddress at) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + at.getPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The value of the sample named (with its labels, as Prometheus writes them), or a failure naming it. */
  private static double value(String scrape, String sample) {
    Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    assertThat(m.find()).as("%s in:%n%s", sample, scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
