package carillon.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the {@link Recorder} before the first test class loads, and fails the JVM at the end when its
 * output passed the bound after the last test could report it (a loop started by the last class's shutdown).
 */
public final class LogGuardSession implements LauncherSessionListener {

    /** Called by the JUnit launcher through {@code META-INF/services}. */
    public LogGuardSession() {}

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Recorder.installed();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Recorder recorder = Recorder.installed();
        if (recorder.takeOutputExceeded()) {
            System.err.flush();
            // No test is left to fail; ending the JVM makes the build report a crashed fork.
            Runtime.getRuntime().halt(70);
        }
    }
}
