package dev.memtrack.internal.report;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The captures a JVM wrote, per report directory: what its suite summary ranks on the console
 * when other JVMs of the same run share the directory, and which directories a test plan wrote
 * to since the last summary. Every plan of the JVM counts (a launcher run nested in a test, a
 * harness running one plan per class), so a later plan's table holds the earlier plans' tests
 * too: the part printed is the JVM's. Thread-safe (parallel tests record concurrently).
 */
final class JvmCaptures {

    /** This JVM's: {@link CaptureWriter} records every capture it writes here. */
    static final JvmCaptures THIS_JVM = new JvmCaptures();

    private final Map<Path, Set<Path>> byDir = new HashMap<>();
    private final Set<Path> writtenSinceSummary = new LinkedHashSet<>();

    synchronized void written(Path reportDir, Path capture) {
        Path dir = normalize(reportDir);
        byDir.computeIfAbsent(dir, d -> new HashSet<>()).add(normalize(capture));
        writtenSinceSummary.add(dir);
    }

    /** The directories written to since the last call, which this call forgets. */
    synchronized Set<Path> drainDirectories() {
        Set<Path> dirs = Set.copyOf(writtenSinceSummary);
        writtenSinceSummary.clear();
        return dirs;
    }

    /** Every capture this JVM wrote under {@code reportDir}. */
    synchronized Set<Path> of(Path reportDir) {
        return Set.copyOf(byDir.getOrDefault(normalize(reportDir), Set.of()));
    }

    static Path normalize(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
