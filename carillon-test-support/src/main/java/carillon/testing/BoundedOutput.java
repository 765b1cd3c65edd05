package carillon.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An output stream that counts what passes through to {@code target} and, once more than {@code limit} bytes
 * were written, writes one notice and drops the rest. A test JVM whose code logs in a loop (4.9 GB in one run,
 * issue 15) then fails instead of filling the disk.
 */
final class BoundedOutput extends OutputStream {

    private final OutputStream target;
    private final long limit;
    private final AtomicLong written = new AtomicLong();
    private final AtomicBoolean exceeded = new AtomicBoolean();

    BoundedOutput(OutputStream target, long limit) {
        this.target = target;
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        if (admit(1)) {
            target.write(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (admit(length)) {
            target.write(bytes, offset, length);
        }
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    /** Bytes written so far, including dropped ones. */
    long written() {
        return written.get();
    }

    /** Whether the limit was passed. */
    boolean exceeded() {
        return exceeded.get();
    }

    private boolean admit(int length) throws IOException {
        long total = written.addAndGet(length);
        if (total <= limit) {
            return true;
        }
        if (exceeded.compareAndSet(false, true)) {
            target.write(notice(limit).getBytes(StandardCharsets.UTF_8));
            target.flush();
        }
        return false;
    }

    static String notice(long limit) {
        return System.lineSeparator() + "LOG GUARD: this test JVM wrote more than " + limit / (1024 * 1024)
                + " MB of output; the rest is dropped and the run fails. Look at the last lines above for the "
                + "code that logs in a loop." + System.lineSeparator();
    }
}
