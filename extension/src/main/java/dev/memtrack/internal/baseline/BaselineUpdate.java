package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureReader;
import dev.memtrack.internal.report.CaptureWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * {@code ReportCli baseline update}: rebuilds a baseline file from a directory of captures — a
 * report directory, or the captures of several CI shards copied into one. Every capture of a test
 * that passed becomes an entry and is copied beside the file; tests that failed are left out, as
 * record mode leaves them out; captures in the baseline's capture directory that no entry refers
 * to any more are deleted. The file is replaced, not merged: it then holds exactly the tests found.
 *
 * <p>A capture does not say whether its managed figures were sampled; entries built from captures
 * assume the default sampling interval (256 KiB), which makes the check tolerate sampling error
 * — record mode writes the interval actually in force.
 */
@API(status = INTERNAL, since = "0.1")
public final class BaselineUpdate {

    /** The engine's default heap sampling interval (docs/managed-heap.md). */
    static final long DEFAULT_SAMPLING = 256 * 1024;

    /** What an update did, for the command line. */
    public record Result(int recorded, List<String> skipped, int removedCaptures) {
    }

    private BaselineUpdate() {
    }

    public static Result update(Path capturesDir, BaselineFile file) throws IOException {
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(capturesDir)) {
            captures = walk.filter(p -> p.getFileName().toString().endsWith(CaptureWriter.CAPTURE_EXTENSION))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Map<String, TestCapture> byTest = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        for (Path path : captures) {
            TestCapture capture = CaptureReader.read(path);
            String test = BaselineEntry.key(capture.testClass(), capture.testMethod());
            if (!capture.failures().isEmpty()) {
                skipped.add(test + " (failed)");
                continue;
            }
            if (byTest.put(test, capture) != null) {
                skipped.add(test + " (a second capture of it, " + path + ", replaced the first)");
            }
        }
        List<BaselineEntry> entries = new ArrayList<>();
        for (TestCapture capture : byTest.values()) {
            Path target = file.captureFile(capture.testClass(), capture.testMethod());
            CaptureWriter.writeCapture(capture, target);
            boolean managed = capture.reports().stream().anyMatch(r -> r.domain() == dev.memtrack.internal.model.Domain.MANAGED);
            entries.add(BaselineEntry.of(capture, file.relative(target), managed ? DEFAULT_SAMPLING : 0));
        }
        file.replace(entries);
        return new Result(entries.size(), skipped, removeUnreferenced(file, entries));
    }

    private static int removeUnreferenced(BaselineFile file, List<BaselineEntry> entries) throws IOException {
        Path dir = file.captureDirectory();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Set<Path> kept = entries.stream().map(e -> file.path().getParent().resolve(e.capture()).normalize())
                .collect(Collectors.toSet());
        List<Path> stale;
        try (Stream<Path> walk = Files.walk(dir)) {
            stale = walk.filter(p -> p.getFileName().toString().endsWith(CaptureWriter.CAPTURE_EXTENSION))
                    .filter(p -> !kept.contains(p.toAbsolutePath().normalize())).toList();
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
        return stale.size();
    }
}
