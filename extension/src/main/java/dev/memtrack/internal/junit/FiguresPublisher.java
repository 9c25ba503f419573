package dev.memtrack.internal.junit;

import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.report.CaptureSink;
import dev.memtrack.internal.tracking.ReportPaths;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.Total;
import dev.memtrack.internal.verdict.VerdictKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Publishes a tracked test's figures as one JUnit report entry, so IDEs and Surefire's XML show
 * them for passing tests too. Keys are {@code memtrack.<domain>.<figure>} for each measured domain
 * ({@code native}, {@code managed}); values are plain numbers (bytes or counts) so the suite
 * summary can add them up. Managed figures other than allocated bytes are estimates in sampled mode.
 */
final class FiguresPublisher {

    static final String UNAVAILABLE = "memtrack.unavailable";
    /** Why managed stacks, peak and leaks are not measured (another agent holds heap sampling...). */
    static final String MANAGED_UNAVAILABLE = "memtrack.managed.unavailable";
    /** Why some native allocations are not seen (another tool's hooks memtrack could not chain through). */
    static final String NATIVE_PARTIAL = "memtrack.native.partial";

    private FiguresPublisher() {
    }

    static void publish(ExtensionContext context, Measurement measurement, Optional<CaptureSink.WrittenFiles> files) {
        context.publishReportEntry(entries(measurement, files));
    }

    static Map<String, String> entries(Measurement measurement, Optional<CaptureSink.WrittenFiles> files) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (ScopeReport report : measurement.reports()) {
            String prefix = "memtrack." + report.domain().label() + ".";
            Figures figures = report.figures();
            Total leaked = measurement.total(VerdictKind.LEAK, DomainSelection.of(report.domain()));
            entries.put(prefix + "peak", Long.toString(figures.peakBytes()));
            entries.put(prefix + "leaked", Long.toString(leaked.bytes()));
            entries.put(prefix + "leakedAllocations", Long.toString(leaked.count()));
            entries.put(prefix + "allocated", Long.toString(figures.allocatedBytes()));
            entries.put(prefix + "allocations", Long.toString(figures.allocatedCount()));
        }
        files.ifPresent(written -> entries.put("memtrack.report", ReportPaths.display(written.report())));
        return entries;
    }
}
