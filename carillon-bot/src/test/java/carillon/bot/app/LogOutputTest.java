package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.config.LogFormat;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** log.format on a Logback of the test's own, configured like logback.xml: one console appender. */
class LogOutputTest {
  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  LogOutputTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern("%-5level %logger - %msg%n");
    pattern.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("CONSOLE");
    appender.setEncoder(pattern);
    appender.setOutputStream(console);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    context.start();
  }

  @Test
  void jsonWritesOneObjectPerLineWithLevelLoggerMessageAndStackTrace() throws IOException {
    LogOutput.use(context, LogFormat.JSON);
    Logger log = context.getLogger("carillon.bot.playback.Playback");
    log.info("Run {} of '{}' ended {}", 7, "Morning \"meditation\"", "COMPLETED");
    log.warn("Notice failed", new IOException("closed"));

    List<String> lines = console.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.path("level").asText()).isEqualTo("INFO");
    assertThat(first.path("loggerName").asText()).isEqualTo("carillon.bot.playback.Playback");
    assertThat(first.path("formattedMessage").asText()).isEqualTo("Run 7 of 'Morning \"meditation\"' ended COMPLETED");
    JsonNode second = json.readTree(lines.get(1));
    assertThat(second.path("level").asText()).isEqualTo("WARN");
    assertThat(second.path("throwable").path("className").asText()).isEqualTo("java.io.IOException");
  }

  @Test
  void textKeepsThePattern() {
    LogOutput.use(context, LogFormat.TEXT);
    context.getLogger("carillon.x").info("hello");
    assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("INFO  carillon.x - hello" + System.lineSeparator());
  }
}
