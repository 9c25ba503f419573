package dev.memtrack.internal.extension;

import dev.memtrack.internal.baseline.BaselineSettings;
import dev.memtrack.internal.message.MessageContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything configured for one tracked test, resolved and validated before the tracker is
 * touched.
 *
 * @param enabled       false when {@code memtrack.enabled=false}: the annotation is a no-op
 * @param reportDir     {@code memtrack.report.dir}
 * @param settleTimeout bound of the GC settling wait, {@code memtrack.settle.timeout}
 * @param sitesShown    sites listed in a failure message, {@code memtrack.sites.shown}
 * @param limits        limits in force, in evaluation order
 * @param managed       the {@code memtrack.managed.*} settings
 * @param baseline      the {@code memtrack.baseline.*} settings (issue 14)
 * @param reportHtml    which tests get the HTML report, {@code memtrack.report.html}
 * @param reportJson    which tests get their JSON results, {@code memtrack.report.json}
 */
record TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                        boolean processWide, Managed managed, BaselineSettings baseline, ReportHtml reportHtml,
                        ReportHtml reportJson) {

    /**
     * The managed-heap settings.
     *
     * @param enabled          {@code memtrack.managed.enabled}
     * @param samplingInterval {@code memtrack.managed.samplingInterval} in bytes, 0 = exact; empty = the engine's
     * @param peakResolution   {@code memtrack.managed.peakResolution} in bytes; empty = the engine's
     */
    record Managed(boolean enabled, OptionalInt samplingInterval, OptionalLong peakResolution) {
        static final Managed DEFAULT = new Managed(true, OptionalInt.empty(), OptionalLong.empty());
        static final Managed OFF = new Managed(false, OptionalInt.empty(), OptionalLong.empty());
    }

    TrackingSettings {
        limits = List.copyOf(limits);
    }

    /** JSON results for the tests that get the HTML report. */
    TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                     boolean processWide, Managed managed, BaselineSettings baseline, ReportHtml reportHtml) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, processWide, managed, baseline, reportHtml, reportHtml);
    }

    TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                     boolean processWide, Managed managed, BaselineSettings baseline) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, processWide, managed, baseline, ReportHtml.FAILED);
    }

    TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                     boolean processWide, Managed managed) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, processWide, managed, BaselineSettings.OFF);
    }

    TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                     boolean processWide) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, processWide, Managed.DEFAULT);
    }

    TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, false);
    }

    static TrackingSettings disabled() {
        return new TrackingSettings(false, ConfigurationReader.DEFAULT_REPORT_DIR, ConfigurationReader.DEFAULT_SETTLE_TIMEOUT,
                MessageContext.DEFAULT_SITES_SHOWN, List.of(), false, Managed.OFF);
    }
}
