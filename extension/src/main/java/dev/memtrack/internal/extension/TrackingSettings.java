package dev.memtrack.internal.extension;

import dev.memtrack.internal.message.MessageContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything configured for one tracked test, resolved and validated before the tracker is
 * touched.
 *
 * @param enabled       false when {@code memtrack.enabled=false}: the annotation is a no-op
 * @param reportDir     {@code memtrack.report.dir}
 * @param settleTimeout bound of the GC settling wait, {@code memtrack.settle.timeout}
 * @param sitesShown    sites listed in a failure message, {@code memtrack.sites.shown}
 * @param limits        limits in force, in evaluation order
 */
record TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits,
                        boolean processWide) {

    TrackingSettings {
        limits = List.copyOf(limits);
    }

    TrackingSettings(boolean enabled, Path reportDir, Duration settleTimeout, int sitesShown, List<DeclaredLimit> limits) {
        this(enabled, reportDir, settleTimeout, sitesShown, limits, false);
    }

    static TrackingSettings disabled() {
        return new TrackingSettings(false, ConfigurationReader.DEFAULT_REPORT_DIR, ConfigurationReader.DEFAULT_SETTLE_TIMEOUT,
                MessageContext.DEFAULT_SITES_SHOWN, List.of());
    }
}
