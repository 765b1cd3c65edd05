package carillon.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a test (on a method) or every test of a class (on the class, including its {@code @BeforeAll}
 * and {@code @AfterAll} work) logs a WARN or ERROR on purpose, so that the {@link LogGuard} lets it pass.
 *
 * <p>An event matches when its level is {@link #level()} or lower, its logger name starts with
 * {@link #logger()} and its formatted message, or the message of its exception or a cause, contains
 * {@link #message()}. Matching events are allowed, not required: assert on them with {@link LogCapture} where
 * the log line is the behaviour under test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(ExpectedLogs.class)
public @interface ExpectedLog {

    /** The most severe level allowed. */
    Severity level() default Severity.ERROR;

    /** A logger name prefix, e.g. {@code "carillon.bot.web"}; empty matches every logger. */
    String logger() default "";

    /** Text the message (or an exception's message) contains; empty matches every message. */
    String message() default "";

    /** The levels the guard judges. */
    enum Severity { WARN, ERROR }
}
