package carillon.bot.metrics;

import carillon.bot.discord.BotAccounts;
import carillon.bot.events.DirectReminders;
import carillon.bot.discord.JdaVoicePort;
import carillon.bot.playback.ActiveRun;
import carillon.bot.playback.Playback;
import carillon.bot.queue.CommandQueue;
import carillon.bot.queue.CommandRecord;
import carillon.bot.store.Database;
import carillon.bot.store.StoreHealth;
import carillon.tasks.TimeSource;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carillon's figures in Prometheus's text format, at {@code http://metrics.address/metrics} (off unless
 * {@code metrics.address} is set; bind it to loopback or a network only Prometheus reaches: the page needs
 * no credentials). Micrometer names, as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code carillon_runs_total{outcome}}: runs that ended, by outcome (COMPLETED, FAILED, INTERRUPTED, …)
 *   <li>{@code carillon_run_start_lateness_seconds}: how long after its scheduled instant a run started
 *   <li>{@code carillon_run_first_audio_seconds}: from the scheduled instant to the first track playing
 *   <li>{@code carillon_commands_seconds{kind,status}}: commands by kind and final status, and how long each
 *       took from being accepted to being carried out
 *   <li>{@code carillon_voice_connections}: runs playing now, each one voice connection
 *   <li>{@code carillon_voice_packets_sent_total}: 20 ms Opus packets handed to Discord
 *   <li>{@code carillon_store_available}, {@code carillon_store_outages_total}: the store's state and outages
 *   <li>{@code carillon_gateway_ping_seconds{account}}: each logged-in account's gateway heartbeat round trip
 *   <li>the JVM's memory, GC, threads, class loading, CPU and uptime ({@code jvm_*}, {@code process_*},
 *       {@code system_*})
 * </ul>
 *
 * Everything is fed from the listeners Playback and the command queue already have: nothing on the
 * playback path waits for a metric.
 */
public final class Metrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Metrics.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Set<Long> started = ConcurrentHashMap.newKeySet();
  private final Set<Long> playing = ConcurrentHashMap.newKeySet();
  private final Timer lateness;
  private final Timer firstAudio;
  private HttpServer server;

  public Metrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    lateness = Timer.builder("carillon.run.start.lateness")
        .description("how long after its scheduled instant a run started").publishPercentileHistogram()
        .register(registry);
    firstAudio = Timer.builder("carillon.run.first.audio")
        .description("from a run's scheduled instant to its first track playing").publishPercentileHistogram()
        .register(registry);
  }

  /**
   * Follows runs: their start lateness, first audio, outcome, and how many play now. Only from what the run
   * itself knows: the listener runs on the playback path (200 sessions starting at one instant each waited
   * for a store read here, 0.4 s at the p50, before this was so).
   */
  public void watch(Playback playback, TimeSource time) {
    Gauge.builder("carillon.voice.connections", playback, p -> p.all().size())
        .description("runs playing now, each one voice connection").register(registry);
    playback.onChange(run -> runChanged(run, playback, time));
  }

  /** Follows commands: by kind and final status, with the time from accepted to carried out. */
  public void watch(CommandQueue commands) {
    commands.onFinished(this::commandFinished);
  }

  /** Voice packets sent, from the voice port's count of Opus frames handed to Discord. */
  public void watch(JdaVoicePort voice) {
    FunctionCounter.builder("carillon.voice.packets.sent", voice, JdaVoicePort::framesSent)
        .description("20 ms Opus voice packets handed to Discord").register(registry);
  }

  /** Reminder direct messages, by result: delivered, refused (the member's DMs are closed: 50007), failed. */
  public void watch(DirectReminders reminders) {
    FunctionCounter.builder("carillon.reminder.dms", reminders, DirectReminders::sent).tag("result", "delivered")
        .description("reminder direct messages, by result").register(registry);
    FunctionCounter.builder("carillon.reminder.dms", reminders, DirectReminders::refused).tag("result", "refused")
        .description("reminder direct messages, by result").register(registry);
    FunctionCounter.builder("carillon.reminder.dms", reminders, DirectReminders::failed).tag("result", "failed")
        .description("reminder direct messages, by result").register(registry);
  }

  /** The store: whether it takes work now, and how many outages it has had. */
  public void watch(Database db) {
    Gauge.builder("carillon.store.available", db, d -> d.health().isAvailable() ? 1 : 0)
        .description("1 while the store takes work, 0 during an outage").register(registry);
    Counter outages = Counter.builder("carillon.store.outages").description("times the store became unavailable")
        .register(registry);
    db.health().onChange(state -> {
      if (state instanceof StoreHealth.Unavailable) {
        outages.increment();
      }
    });
  }

  /** Each logged-in account's gateway ping. */
  public void watch(BotAccounts accounts) {
    // Every configured account, also one still logging in (Discord unreachable at start): no figure until it connects.
    for (String account : accounts.gateways().keySet()) {
      Gauge.builder("carillon.gateway.ping", accounts, a -> a.gatewayPingMillis(account).orElse(Double.NaN) / 1000)
          .description("the account's gateway heartbeat round trip").baseUnit("seconds").tag("account", account)
          .register(registry);
    }
  }

  private void runChanged(ActiveRun run, Playback playback, TimeSource time) {
    long runId = run.runId();
    if (playback.active(run.session().id()).filter(a -> a == run).isEmpty()) {
      // Ended here, or handed over to another process (no outcome: it goes on there).
      started.remove(runId);
      playing.remove(runId);
      run.outcome().ifPresent(outcome -> Counter.builder("carillon.runs").description("runs that ended, by outcome")
          .tag("outcome", outcome.name()).register(registry).increment());
      return;
    }
    if (run.resumed()) {
      return; // picks up a run whose start was measured when it began
    }
    Optional<Instant> startedAt = run.startedAt();
    if (startedAt.isPresent() && started.add(runId)) {
      lateness.record(nonNegative(Duration.between(run.scheduledAt(), startedAt.get())));
    }
    if (run.currentTrack().isPresent() && playing.add(runId)) {
      firstAudio.record(nonNegative(Duration.between(run.scheduledAt(), time.now())));
    }
  }

  private void commandFinished(CommandRecord command) {
    Duration took = command.finishedAt().map(at -> Duration.between(command.requestedAt(), at)).orElse(Duration.ZERO);
    Timer.builder("carillon.commands").description("commands by kind and final status, accepted to carried out")
        .tag("kind", command.kind().name()).tag("status", command.status().name()).register(registry)
        .record(nonNegative(took));
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** The registry, for tests and for meters of other parts. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Serves {@code /metrics} on {@code address} (port 0: a free one).
   *
   * @return the address it listens on
   * @throws IOException if it cannot listen there
   */
  public InetSocketAddress serve(InetSocketAddress address) throws IOException {
    server = HttpServer.create(new InetSocketAddress(address.getHostString(), address.getPort()), 0);
    server.createContext("/metrics", exchange -> {
      try (exchange) {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    InetSocketAddress bound = server.getAddress();
    log.info("Metrics for Prometheus at http://{}:{}/metrics", address.getHostString(), bound.getPort());
    return bound;
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    registry.close();
  }
}
