package dev.memtrack.internal.report;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The captures a JVM wrote since its last suite summary, per report directory: what the summary
 * printed at the end of a test plan ranks on the console when other JVMs of the same run share
 * the directory. Thread-safe (parallel tests record concurrently).
 */
final class JvmCaptures {

    /** This JVM's: {@link CaptureWriter} records every capture it writes here. */
    static final JvmCaptures THIS_JVM = new JvmCaptures();

    private final Map<Path, Set<Path>> byDir = new ConcurrentHashMap<>();

    synchronized void written(Path reportDir, Path capture) {
        byDir.computeIfAbsent(normalize(reportDir), d -> ConcurrentHashMap.newKeySet()).add(normalize(capture));
    }

    /** Removes and returns everything recorded so far: report directory to its captures. */
    synchronized Map<Path, Set<Path>> drain() {
        Map<Path, Set<Path>> copy = Map.copyOf(byDir);
        byDir.keySet().removeAll(copy.keySet());
        return copy;
    }

    static Path normalize(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
