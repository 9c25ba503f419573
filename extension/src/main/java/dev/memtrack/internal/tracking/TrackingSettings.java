package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.baseline.BaselineSettings;
import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.report.ReportHtml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apiguardian.api.API;

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
@API(status = INTERNAL, since = "0.1")
public record TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                        boolean processWide, Managed managed, BaselineSettings baseline, ReportHtml reportHtml,
                        ReportHtml reportJson) {

    /**
     * The managed-heap settings.
     *
     * @param enabled          {@code memtrack.managed.enabled}
     * @param samplingInterval {@code memtrack.managed.samplingInterval} in bytes, 0 = exact; empty = the engine's
     * @param peakResolution   {@code memtrack.managed.peakResolution} in bytes; empty = the engine's
     */
    public record Managed(boolean enabled, OptionalInt samplingInterval, OptionalLong peakResolution) {
        static final Managed DEFAULT = new Managed(true, OptionalInt.empty(), OptionalLong.empty());
        public static final Managed OFF = new Managed(false, OptionalInt.empty(), OptionalLong.empty());
    }

    /** Where reports go unless {@code memtrack.report.dir} says otherwise. */
    public static final Path DEFAULT_REPORT_DIR = Path.of("target", "memtrack");
    /** The GC settling wait's bound unless {@code memtrack.settle.timeout} says otherwise. */
    public static final Duration DEFAULT_SETTLE_TIMEOUT = Duration.ofSeconds(5);

    public TrackingSettings {
        limits = List.copyOf(limits);
    }

    /** JSON results for the tests that get the HTML report. */
    public TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                     boolean processWide, Managed managed, BaselineSettings baseline, ReportHtml reportHtml) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, processWide, managed, baseline, reportHtml, reportHtml);
    }

    public TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                     boolean processWide, Managed managed, BaselineSettings baseline) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, processWide, managed, baseline, ReportHtml.FAILED);
    }

    public TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                     boolean processWide, Managed managed) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, processWide, managed, BaselineSettings.OFF);
    }

    public TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                     boolean processWide) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, processWide, Managed.DEFAULT);
    }

    public TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, false);
    }

    public static TrackingSettings disabled() {
        return new TrackingSettings(false, DEFAULT_REPORT_DIR, DEFAULT_SETTLE_TIMEOUT,
                MessageContext.DEFAULT_SITES_SHOWN, List.of(), false, Managed.OFF);
    }
}
