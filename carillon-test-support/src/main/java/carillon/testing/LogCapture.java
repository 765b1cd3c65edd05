package carillon.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The events logged while it is open, for tests whose subject is what gets logged (how many bytes a flood of
 * bad requests costs, that a shutdown says nothing worse than INFO).
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.from(Level.DEBUG, "carillon", "io.javalin", "org.eclipse.jetty")) {
 *     ... act ...
 *     assertThat(log.atLeast(Level.INFO)).isEmpty();
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    private final List<LoggedEvent> events = new CopyOnWriteArrayList<>();
    private final AutoCloseable registration;
    private final List<Logger> loggers;
    private final List<Level> previousLevels;

    private LogCapture(Level level, List<String> loggerNames) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.loggers = loggerNames.stream().map(context::getLogger).toList();
        this.previousLevels = loggers.stream().map(Logger::getLevel).toList();
        registration = Recorder.installed().capture(events::add);
        loggers.forEach(logger -> logger.setLevel(level));
    }

    /**
     * Captures every event that reaches the root logger, with the given loggers (and those below them without
     * a level of their own) lowered or raised to {@code level} until closed.
     */
    public static LogCapture from(Level level, String... loggerNames) {
        return new LogCapture(level, List.of(loggerNames));
    }

    /** Every event captured so far. */
    public List<LoggedEvent> events() {
        return List.copyOf(events);
    }

    /** The events at {@code level} or more severe. */
    public List<LoggedEvent> atLeast(Level level) {
        return events.stream().filter(e -> e.level().isGreaterOrEqual(level)).toList();
    }

    /** The bytes of message and stack trace of the events at {@code level} or more severe. */
    public long bytesAtLeast(Level level) {
        return atLeast(level).stream().mapToLong(LoggedEvent::bytes).sum();
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).setLevel(previousLevels.get(i));
        }
        try {
            registration.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
