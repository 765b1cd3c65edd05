package carillon.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;

/**
 * One event as the guard recorded it.
 *
 * @param level the event's level
 * @param logger the logger name
 * @param thread the thread name
 * @param message the formatted message
 * @param throwable the exception with its stack trace as the console would print it, or empty
 * @param at when it was logged
 */
public record LoggedEvent(Level level, String logger, String thread, String message, String throwable, Instant at) {

    static LoggedEvent of(ILoggingEvent event) {
        IThrowableProxy proxy = event.getThrowableProxy();
        return new LoggedEvent(event.getLevel(), event.getLoggerName(), event.getThreadName(),
                event.getFormattedMessage(), proxy == null ? "" : ThrowableProxyUtil.asString(proxy),
                Instant.ofEpochMilli(event.getTimeStamp()));
    }

    /** The size in bytes (UTF-8, roughly as written) of the message and stack trace, without the pattern. */
    public long bytes() {
        return utf8Length(message) + utf8Length(throwable) + 1;
    }

    /** Whether the message or the stack trace text contains {@code text}. */
    boolean mentions(String text) {
        return message.contains(text) || throwable.contains(text);
    }

    /** One line for a failure message: level, logger, thread, message and the exception's first line. */
    String summary() {
        String firstLine = throwable.isEmpty() ? "" : " | " + throwable.lines().findFirst().orElse("").strip();
        String text = message.length() > 300 ? message.substring(0, 300) + "..." : message;
        return level + " " + logger + " [" + thread + "] " + text + firstLine;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
