package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.TestCapture;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * One test in the suite summary: where its files are and its figures per domain. Keeps no
 * sites or frames, so a summary of thousands of tests stays small in memory.
 *
 * @param capture the capture file the entry was read from
 * @param html    the HTML report beside it
 * @param peakBytes the combined peak ({@link TestCapture#peakBytes()})
 * @param peakUpperBound the capture measured both domains but holds no combined peak (written
 *                       before memtrack recorded it): {@code peakBytes} is native peak + managed
 *                       peak, an upper bound, and the summary says so
 * @param runId     the run that wrote the capture ({@link TestCapture#runId()}, empty when unknown)
 * @param startEpochMillis when the test started
 */
@API(status = INTERNAL, since = "0.1")
public record SuiteEntry(Path capture, Path html, String testId, String testClass, String testMethod,
                         String displayName, boolean failed, Figures nativeFigures, Figures managedFigures,
                         long peakBytes, boolean peakUpperBound, String runId, long startEpochMillis) {

    static SuiteEntry of(Path captureFile, TestCapture capture) {
        return new SuiteEntry(captureFile, ReportFileNames.htmlBeside(captureFile), capture.testId(),
                capture.testClass(), capture.testMethod(), capture.displayName(), !capture.failures().isEmpty(),
                figures(capture, Domain.NATIVE), figures(capture, Domain.MANAGED), capture.peakBytes(),
                capture.combinedPeakBytes() < 0 && capture.reports().size() > 1, capture.runId(), capture.startEpochMillis());
    }

    private static Figures figures(TestCapture capture, Domain domain) {
        return capture.reports().stream()
                .filter(r -> r.domain() == domain)
                .map(ScopeReport::figures)
                .findFirst()
                .orElse(Figures.ZERO);
    }

    /** {@code a.b.C.method}, as the console and the index name a test. */
    public String testName() {
        return testClass + "." + testMethod;
    }

    /** Bytes still live after the test and GC settling, both domains. */
    public long leakedBytes() {
        return nativeFigures.liveBytes() + managedFigures.liveBytes();
    }

    public long allocatedBytes() {
        return nativeFigures.allocatedBytes() + managedFigures.allocatedBytes();
    }
}
