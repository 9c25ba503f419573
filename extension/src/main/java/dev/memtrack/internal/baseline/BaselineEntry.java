package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One test in the baseline file.
 *
 * @param test            {@code com.acme.StoreTest.writesKeys} ({@code [n]} appended for repeated
 *                        and parameterized invocations): the key, as messages name the test
 * @param capture         the capture the figures came from, relative to the baseline file's
 *                        directory with {@code /} separators; empty when none was kept
 * @param nativeFigures   empty when the native domain was not measured
 * @param managedFigures  empty when the managed domain was not measured
 * @param managedSampling the heap sampling interval in bytes when the managed peak and leaked
 *                        figures are estimates; 0 when they are exact (exact mode)
 * @param combined        both domains: the combined peak, allocated and leaked sums
 */
@API(status = INTERNAL, since = "0.1")
public record BaselineEntry(String test, String capture, Optional<FigureSet> nativeFigures, Optional<FigureSet> managedFigures,
                            long managedSampling, FigureSet combined) {

    public BaselineEntry {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(capture, "capture");
    }

    /** The key of a test: {@code class.method}, as messages name it. */
    public static String key(String testClass, String testMethod) {
        return testClass + "." + testMethod;
    }

    /**
     * The figures of a capture. Leaked bytes are the bytes of sites still live after the test,
     * as the published {@code memtrack.<domain>.leaked} figures count them.
     *
     * @param managedSampling the interval in force when managed figures are estimates, 0 when exact
     */
    public static BaselineEntry of(TestCapture capture, String capturePath, long managedSampling) {
        Optional<FigureSet> nat = figures(capture, Domain.NATIVE);
        Optional<FigureSet> managed = figures(capture, Domain.MANAGED);
        FigureSet n = nat.orElse(new FigureSet(0, 0, 0));
        FigureSet m = managed.orElse(new FigureSet(0, 0, 0));
        FigureSet combined = new FigureSet(capture.peakBytes(), n.allocated() + m.allocated(), n.leaked() + m.leaked());
        return new BaselineEntry(key(capture.testClass(), capture.testMethod()), capturePath, nat, managed,
                managed.isPresent() ? managedSampling : 0, combined);
    }

    public Optional<FigureSet> figures(Domain domain) {
        return domain == Domain.NATIVE ? nativeFigures : managedFigures;
    }

    private static Optional<FigureSet> figures(TestCapture capture, Domain domain) {
        return capture.reports().stream().filter(r -> r.domain() == domain).findFirst().map(BaselineEntry::figures);
    }

    private static FigureSet figures(ScopeReport report) {
        long leaked = 0;
        for (Site site : report.sites()) {
            leaked += site.liveBytes();
        }
        return new FigureSet(report.figures().peakBytes(), report.figures().allocatedBytes(), leaked);
    }
}
