package dev.memtrack.internal.extension;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.OneTimeInitialisation;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a scope's {@link Measurement}: the native report and, when the heap is measured, the
 * managed one. For a leak verdict the managed report comes from the engine's leak check (live
 * figures = leaked ones, leaked sites with their reference path); the check walks the heap only
 * when objects sampled in the scope are still alive. Call after settling.
 */
final class Measurements {

    /** Whether, and how strictly, the managed leak check runs. */
    enum LeakCheck {
        /** No walk: for peak checks, whose figures do not depend on it. */
        NONE,
        /** One-time initialisation (class initialisers, JDK caches) is reported apart, not as a leak. */
        SINGLE,
        /** Repeat mode: everything the repetitions left reachable counts. */
        STRICT
    }

    private Measurements() {
    }

    /**
     * @param testInstance objects it holds are not leaks (may be null)
     * @param testThread   objects on its stack are not leaks (the running test's locals)
     */
    static Measurement read(NativeTracker tracker, ManagedTracker managed, long scope, LeakCheck check,
                            Object testInstance, Thread testThread) {
        ScopeReport nativeReport = tracker.report(scope);
        if (scope == 0 || NoManagedTracker.measuresNothing(managed)) {
            return Measurement.ofNative(nativeReport);
        }
        ScopeReport managedReport;
        if (check != LeakCheck.NONE && managed.isAvailable()) {
            ManagedTracker.LeakCheck leaks = managed.checkLeaks(scope, testInstance, testThread, check == LeakCheck.STRICT);
            managedReport = managed.report(scope, leaks);
            if (check != LeakCheck.STRICT) {
                managedReport = without(managedReport, OneTimeInitialisation::matches);
                if (isEstimated(managed)) {
                    // one sampled object smaller than the interval is weighted between 1 and
                    // 1/(1 - e^-1) = 1.58 intervals (Horvitz-Thompson): below 1.6 it is one sample
                    long resolution = managed.samplingInterval() * 8L / 5L;
                    managedReport = without(managedReport, site -> site.liveBytes() < resolution);
                }
            }
        } else {
            managedReport = managed.report(scope);
        }
        return Measurement.ofBoth(nativeReport, managedReport, isEstimated(managed));
    }

    /**
     * The engine's leak check recognises most one-time initialisation by the path that retains an
     * object; a sampled object allocated while a class or library was being loaded or initialised
     * (its allocation stack says so) is one-time initialisation too, whatever retains it — a JDK
     * cache filled on first use. Outside the strict repeat mode it is not a leak.
     */
    /**
     * In sampled mode a site whose leak estimate is below 1.6 sampling intervals rests on a
     * single sampled small object: statistical noise as likely as a leak (a JDK or framework
     * object that happened to be sampled and outlived the test by a moment). Below that
     * resolution managed leaks are judged by the exact or the repeat mode (docs/managed-heap.md).
     */
    static ScopeReport without(ScopeReport report, java.util.function.Predicate<Site> notALeak) {
        long bytes = 0;
        long count = 0;
        List<Site> sites = new ArrayList<>(report.sites().size());
        for (Site site : report.sites()) {
            if (site.liveBytes() > 0 && notALeak.test(site)) {
                bytes += site.liveBytes();
                count += site.liveCount();
                sites.add(new Site(site.domain(), site.origin(), site.allocatedBytes(), site.allocatedCount(), 0, 0,
                        site.peakBytes(), site.peakCount(), site.frames(), List.of()));
            } else {
                sites.add(site);
            }
        }
        if (bytes == 0) {
            return report;
        }
        Figures f = report.figures();
        return new ScopeReport(report.domain(), new Figures(f.allocatedBytes(), f.allocatedCount(), f.freedBytes(),
                f.freedCount(), Math.max(0, f.liveBytes() - bytes), Math.max(0, f.liveCount() - count), f.peakBytes()), sites);
    }

    /** Sampled mode: counts, live, peak and sites are estimates; exact mode (interval 0) counts every object. */
    static boolean isEstimated(ManagedTracker managed) {
        return managed.isAvailable() && managed.samplingInterval() != 0;
    }
}
