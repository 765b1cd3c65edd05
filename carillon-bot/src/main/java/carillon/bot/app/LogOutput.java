package carillon.bot.app;

import carillon.bot.config.LogFormat;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Puts {@code log.format} into effect once the configuration is read: {@code text} keeps logback.xml's
 * pattern; {@code json} gives every console appender Logback's own {@link JsonEncoder}, one JSON object
 * per line. Logging started before that (the configuration's own problems) stays text. Call it before
 * anything else logs from other threads.
 */
public final class LogOutput {
  private LogOutput() {}

  /** Applies {@code format} to the running Logback; does nothing where SLF4J is bound to another backend. */
  public static void use(LogFormat format) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      use(context, format);
    }
  }

  static void use(LoggerContext context, LogFormat format) {
    if (format == LogFormat.TEXT) {
      return;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender
          && !(appender.getEncoder() instanceof JsonEncoder)) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithFormattedMessage(true); // the message as a person reads it, beside its pattern and arguments
        json.start();
        // Swapped in place, before Carillon starts its threads: stopping a console appender would close
        // standard output.
        appender.setEncoder(json);
      }
    }
  }
}
