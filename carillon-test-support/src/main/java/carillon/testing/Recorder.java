package carillon.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The one recorder of a test JVM: a Logback appender on the root logger that keeps the WARN and ERROR events
 * not yet judged, feeds every event to open {@link LogCapture}s, and bounds the JVM's standard output and
 * error. Logback and {@code System.out} are global, so this is the one piece of global state in the tests.
 */
final class Recorder extends AppenderBase<ILoggingEvent> {

    /** Default bound on a test JVM's output: 20 MB, set with {@code -Dcarillon.testing.maxOutputBytes}. */
    static final long DEFAULT_MAX_OUTPUT = 20L * 1024 * 1024;
    /** Events kept between two checks; more are counted, not kept. */
    private static final int KEPT = 200;

    private static final Recorder INSTANCE = new Recorder();

    private final Queue<LoggedEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicInteger droppedCount = new AtomicInteger();
    private final List<Consumer<LoggedEvent>> captures = new CopyOnWriteArrayList<>();
    private volatile BoundedOutput out;
    private volatile BoundedOutput err;
    private volatile boolean outputExceededReported;

    private Recorder() {
        setName("carillon-log-guard");
    }

    /** The recorder, attached to Logback's root logger and bounding the JVM's output. */
    static Recorder installed() {
        INSTANCE.install();
        return INSTANCE;
    }

    private synchronized void install() {
        if (out == null) {
            long limit = Long.getLong("carillon.testing.maxOutputBytes", DEFAULT_MAX_OUTPUT);
            // One budget shared by both streams would be fairer, but each alone must already stay below it.
            out = new BoundedOutput(System.out, limit);
            err = new BoundedOutput(System.err, limit);
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!root.isAttached(this)) {
            // Also after a test reconfigured Logback, which detaches every appender.
            setContext(context);
            start();
            root.addAppender(this);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        LoggedEvent logged = null;
        if (!captures.isEmpty()) {
            logged = LoggedEvent.of(event);
            for (Consumer<LoggedEvent> capture : captures) {
                capture.accept(logged);
            }
        }
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        if (pendingCount.incrementAndGet() > KEPT) {
            pendingCount.decrementAndGet();
            droppedCount.incrementAndGet();
            return;
        }
        pending.add(logged != null ? logged : LoggedEvent.of(event));
    }

    /** The WARN and ERROR events since the last call, and how many more were not kept. */
    synchronized Drained drain() {
        install();
        List<LoggedEvent> events = new ArrayList<>();
        LoggedEvent event;
        while ((event = pending.poll()) != null) {
            pendingCount.decrementAndGet();
            events.add(event);
        }
        return new Drained(events, droppedCount.getAndSet(0));
    }

    /** Feeds every event reaching the root logger to {@code capture} until the returned handle is closed. */
    AutoCloseable capture(Consumer<LoggedEvent> capture) {
        install();
        captures.add(capture);
        return () -> captures.remove(capture);
    }

    /** Whether the output passed its bound and no test failed for it yet; marks it reported. */
    synchronized boolean takeOutputExceeded() {
        if (outputExceeded() && !outputExceededReported) {
            outputExceededReported = true;
            return true;
        }
        return false;
    }

    boolean outputExceeded() {
        return (out != null && out.exceeded()) || (err != null && err.exceeded());
    }

    long outputLimit() {
        return Long.getLong("carillon.testing.maxOutputBytes", DEFAULT_MAX_OUTPUT);
    }

    /** Events drained in one check. */
    record Drained(List<LoggedEvent> events, int dropped) {}
}
