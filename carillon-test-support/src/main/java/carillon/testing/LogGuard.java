package carillon.testing;

import ch.qos.logback.classic.Level;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when the code it runs logs an ERROR, or more than {@value #ALLOWED_WARNINGS} WARNs, that the
 * test did not declare with {@link ExpectedLog}; fails every test once the JVM's output passed its bound
 * ({@value Recorder#DEFAULT_MAX_OUTPUT} bytes unless {@code -Dcarillon.testing.maxOutputBytes} says otherwise).
 *
 * <p>Registered for every test through JUnit's extension auto-detection ({@code META-INF/services}, enabled by
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in the build). Tests of one JVM run one after
 * another, so an event belongs to the window it was logged in: a test's window runs from before its
 * {@code @BeforeEach} to after its {@code @AfterEach}; what is logged outside any test's window (in
 * {@code @BeforeAll}, {@code @AfterAll}, or by a background task that outlived an earlier class) is judged
 * against the class's declarations and fails the class.
 */
public final class LogGuard implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** Unexpected WARNs a window may log before the guard fails it. */
    public static final int ALLOWED_WARNINGS = 3;
    private static final int SHOWN = 10;

    private final Recorder recorder = Recorder.installed();

    /** Called by JUnit through auto-detection. */
    public LogGuard() {}

    @Override
    public void beforeAll(ExtensionContext context) {
        judge("before " + context.getDisplayName() + " started (logged after the previous class ended)",
                declared(context.getTestClass(), context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        judge("in @BeforeAll or between tests of " + context.getRequiredTestClass().getSimpleName(),
                declared(context.getTestClass(), context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ExpectedLog> expected = new ArrayList<>(declared(context.getTestMethod(), context));
        expected.addAll(declared(context.getTestClass(), context));
        judge("while the test ran", expected);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        judge("in @AfterAll of " + context.getDisplayName(), declared(context.getTestClass(), context));
    }

    private void judge(String when, List<ExpectedLog> expected) {
        Recorder.Drained drained = recorder.drain();
        List<String> problems = new ArrayList<>();
        if (recorder.takeOutputExceeded()) {
            problems.add("this test JVM wrote more than " + recorder.outputLimit()
                    + " bytes of output; the rest was dropped (see the LOG GUARD line in the output)");
        } else if (recorder.outputExceeded()) {
            problems.add("an earlier test passed the output bound; the log of this one was dropped");
        }
        List<LoggedEvent> errors = new ArrayList<>();
        List<LoggedEvent> warnings = new ArrayList<>();
        for (LoggedEvent event : drained.events()) {
            if (expected.stream().anyMatch(e -> matches(e, event))) {
                continue;
            }
            (event.level().isGreaterOrEqual(Level.ERROR) ? errors : warnings).add(event);
        }
        if (!errors.isEmpty()) {
            problems.add(errors.size() + " unexpected ERROR line(s) " + when + ":" + shown(errors));
        }
        if (warnings.size() > ALLOWED_WARNINGS) {
            problems.add(warnings.size() + " unexpected WARN lines " + when + " (at most " + ALLOWED_WARNINGS
                    + " pass):" + shown(warnings));
        }
        if (drained.dropped() > 0 && !problems.isEmpty()) {
            problems.add(drained.dropped() + " more WARN/ERROR lines were logged and not kept");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Log guard: " + String.join("; ", problems) + System.lineSeparator()
                    + "Fix the code that logs, or declare the lines with @ExpectedLog if logging them is the"
                    + " behaviour under test.");
        }
    }

    private static String shown(List<LoggedEvent> events) {
        StringBuilder text = new StringBuilder();
        events.stream().limit(SHOWN).forEach(e -> text.append(System.lineSeparator()).append("  ").append(e.summary()));
        if (events.size() > SHOWN) {
            text.append(System.lineSeparator()).append("  ... and ").append(events.size() - SHOWN).append(" more");
        }
        return text.toString();
    }

    static boolean matches(ExpectedLog expected, LoggedEvent event) {
        Level most = expected.level() == ExpectedLog.Severity.ERROR ? Level.ERROR : Level.WARN;
        return most.isGreaterOrEqual(event.level())
                && event.logger().startsWith(expected.logger())
                && event.mentions(expected.message());
    }

    /** The declarations on an element and, for a class, on its enclosing classes (for {@code @Nested}). */
    private static List<ExpectedLog> declared(Optional<? extends AnnotatedElement> element, ExtensionContext context) {
        List<ExpectedLog> found = new ArrayList<>();
        element.ifPresent(e -> found.addAll(List.of(e.getAnnotationsByType(ExpectedLog.class))));
        if (element.isPresent() && element.get() instanceof Class<?> type) {
            for (Class<?> inner = type; isNested(inner); inner = inner.getEnclosingClass()) {
                found.addAll(List.of(inner.getEnclosingClass().getAnnotationsByType(ExpectedLog.class)));
            }
        }
        return found;
    }

    private static boolean isNested(Class<?> type) {
        return type.isMemberClass() && !Modifier.isStatic(type.getModifiers());
    }
}
