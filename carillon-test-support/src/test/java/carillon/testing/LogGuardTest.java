package carillon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs small test classes through JUnit with the guard auto-detected and checks what passes and fails. */
@ExpectedLog(logger = "carillon.testing.sample")
class LogGuardTest {

    private static final Logger SAMPLE = LoggerFactory.getLogger("carillon.testing.sample");

    @Test
    void anUndeclaredErrorFailsTheTestThatLoggedIt() {
        Events tests = run(LogsAnError.class);

        assertThat(tests.failed().count()).isEqualTo(1);
        assertThat(tests.succeeded().count()).isEqualTo(1);
        assertThat(failureMessage(tests.failed().list().getFirst()))
                .contains("1 unexpected ERROR line(s) while the test ran")
                .contains("carillon.testing.sample")
                .contains("handler threw")
                .contains("IllegalStateException: boom");
    }

    @Test
    void aDeclaredErrorPassesAndAnotherMessageDoesNot() {
        Events tests = run(DeclaresItsError.class);

        assertThat(tests.succeeded().count()).isEqualTo(1);
        assertThat(tests.failed().count()).isEqualTo(1);
        assertThat(failureMessage(tests.failed().list().getFirst())).contains("something else");
    }

    @Test
    void aFewWarningsPassAndMoreFail() {
        Events tests = run(Warns.class);

        assertThat(tests.succeeded().count()).isEqualTo(1);
        assertThat(tests.failed().count()).isEqualTo(1);
        assertThat(failureMessage(tests.failed().list().getFirst()))
                .contains((LogGuard.ALLOWED_WARNINGS + 1) + " unexpected WARN lines");
    }

    @Test
    void anErrorInAfterAllFailsTheClass() {
        Events all = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(ErrsInAfterAll.class)).execute().containerEvents();

        assertThat(all.failed().count()).isEqualTo(1);
        assertThat(failureMessage(all.failed().list().getFirst())).contains("in @AfterAll").contains("closing");
    }

    @Test
    void outputPastTheBoundIsDroppedAfterOneNotice() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        BoundedOutput bounded = new BoundedOutput(target, 3L * 1024 * 1024);
        byte[] line = "Exception handler for NullPointerException threw an error\n".getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < 200_000; i++) {
            bounded.write(line, 0, line.length);
        }

        assertThat(bounded.exceeded()).isTrue();
        assertThat(bounded.written()).isEqualTo(200_000L * line.length);
        assertThat(target.size()).isLessThanOrEqualTo(3 * 1024 * 1024 + BoundedOutput.notice(3L * 1024 * 1024).length());
        assertThat(target.toString(StandardCharsets.UTF_8)).endsWith(BoundedOutput.notice(3L * 1024 * 1024));
    }

    @Test
    void aCaptureSeesDebugLinesOfTheLoggersItOpens() {
        try (LogCapture capture = LogCapture.from(Level.DEBUG, "carillon.testing.sample")) {
            SAMPLE.debug("client hung up");
            LoggerFactory.getLogger("carillon.testing.other").debug("not opened");

            assertThat(capture.events()).extracting(LoggedEvent::message).containsExactly("client hung up");
            assertThat(capture.atLeast(Level.INFO)).isEmpty();
            assertThat(capture.bytesAtLeast(Level.DEBUG)).isEqualTo("client hung up".length() + 1);
        }
        assertThat(LoggerFactory.getLogger("carillon.testing.sample").isDebugEnabled()).isFalse();
    }

    private static Events run(Class<?> type) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(type)).execute().testEvents();
    }

    private static String failureMessage(Event event) {
        return event.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .map(Throwable::getMessage).orElse("");
    }

    static class LogsAnError {
        @Test
        void logs() {
            SAMPLE.error("handler threw", new IllegalStateException("boom"));
        }

        @Test
        void quiet() {
            SAMPLE.info("fine");
        }
    }

    static class DeclaresItsError {
        @Test
        @ExpectedLog(logger = "carillon.testing.sample", message = "handler threw")
        void declared() {
            SAMPLE.error("handler threw", new IllegalStateException("boom"));
        }

        @Test
        @ExpectedLog(logger = "carillon.testing.sample", message = "handler threw")
        void declaresAnother() {
            SAMPLE.error("something else");
        }
    }

    static class Warns {
        @Test
        void few() {
            for (int i = 0; i < LogGuard.ALLOWED_WARNINGS; i++) {
                SAMPLE.warn("retrying");
            }
        }

        @Test
        void many() {
            for (int i = 0; i <= LogGuard.ALLOWED_WARNINGS; i++) {
                SAMPLE.warn("retrying");
            }
        }
    }

    static class ErrsInAfterAll {
        @AfterAll
        static void close() {
            SAMPLE.error("closing failed");
        }

        @Test
        void quiet() {
            assertThat(List.of()).isEmpty();
        }
    }
}
