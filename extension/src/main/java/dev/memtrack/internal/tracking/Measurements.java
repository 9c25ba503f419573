package dev.memtrack.internal.tracking;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.List;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.OneTimeInitialisation;
import dev.memtrack.internal.verdict.StateChurn;

/**
 * Reads a scope's {@link Measurement}: the native report and, when the heap is measured, the
 * managed one. For a leak verdict the managed report comes from the engine's leak check (live
 * figures = leaked ones, leaked sites with their reference path); the check walks the heap only
 * when objects sampled in the scope are still alive. Call after settling. Sites of memtrack's own
 * code are left out, and its frames cut out of the others ({@link OwnFrames}).
 */
final class Measurements {

    /** Whether, and how strictly, the managed leak check runs. */
    enum LeakMode {
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
    static Measurement read(NativeTracker tracker, ManagedTracker managed, long scope, LeakMode check,
                            Object testInstance, Thread testThread) {
        return read(tracker, managed, scope, check, testInstance, testThread, 0);
    }

    /**
     * @param nativeLeakAllowed the native bytes that may stay live without failing a verdict
     *                          ({@link Long#MAX_VALUE}: no native leak verdict is to be judged):
     *                          the owner walk runs only when more is live, so only when a native
     *                          leak is about to be reported (a walk of the heap; issue 13's cost bound)
     */
    static Measurement read(NativeTracker tracker, ManagedTracker managed, long scope, LeakMode check,
                            Object testInstance, Thread testThread, long nativeLeakAllowed) {
        // Native memory kept by a class initialiser or by class or library loading is one-time
        // initialisation, in every mode: its sites stay in the report but hold nothing leaked.
        ScopeReport nativeReport = OneTimeInitialisation.setAside(OwnFrames.strip(tracker.report(scope)));
        if (check != LeakMode.NONE && scope != 0 && nativeReport.figures().liveBytes() > nativeLeakAllowed
                && !managed.measuresNothing() && managed.isAvailable()) {
            // a native leak is to be reported: who owns its blocks (a heap walk with the managed
            // tracker's JVMTI environment, only now)
            nativeReport = OneTimeInitialisation.setAside(OwnFrames.strip(tracker.reportWithOwners(scope, testInstance, testThread)));
            if (check != LeakMode.STRICT) {
                nativeReport = setAsideLibraryFirstUse(nativeReport, tracker, scope, testInstance);
                nativeReport = StateChurn.setAside(nativeReport, loaderOf(testInstance),
                        testInstance != null ? testInstance.getClass().getName() : null, tracker::blocksLive);
            }
        }
        if (scope == 0 || managed.measuresNothing()) {
            return Measurement.ofNative(nativeReport);
        }
        ScopeReport managedReport;
        if (check != LeakMode.NONE && managed.isAvailable()) {
            // No heap walk when no site could be judged a leak (the resolution rule below): it
            // costs a walk of the whole heap, and every site it found would be set aside
            ManagedTracker.LeakCheck leaks = check != LeakMode.STRICT && managedBelowResolution(managed, scope)
                    ? ManagedTracker.LeakCheck.NOTHING_JUDGED
                    : managed.checkLeaks(scope, testInstance, testThread, check == LeakMode.STRICT);
            managedReport = OwnFrames.strip(managed.report(scope, leaks));
            if (check != LeakMode.STRICT) {
                // The engine recognises most one-time initialisation by the path that retains an
                // object; an object allocated while a class or library was being loaded or
                // initialised (its stack says so) is one too, whatever retains it: a JDK cache
                // filled on first use. Outside the strict repeat mode it is no leak.
                managedReport = OneTimeInitialisation.setAside(managedReport);
                managedReport = setAsideLibraryFirstUse(managedReport, tracker, scope, testInstance);
                if (isEstimated(managed)) {
                    // In sampled mode a site estimated below 1.6 sampling intervals rests on one
                    // sampled small object (Horvitz-Thompson weights it 1 to 1/(1 - e^-1) = 1.58
                    // intervals): as likely noise as a leak. Below that resolution managed leaks
                    // are judged by the exact or the repeat mode (docs/managed-heap.md).
                    long resolution = ManagedTracker.resolution(managed.samplingInterval());
                    managedReport = OneTimeInitialisation.setAside(managedReport, site -> site.liveBytes() < resolution);
                }
            }
        } else {
            managedReport = OwnFrames.strip(managed.report(scope));
        }
        return Measurement.ofBoth(nativeReport, managedReport, isEstimated(managed), tracker.combinedPeak(scope));
    }

    /** A library's state first set up during the test: {@link OneTimeInitialisation#setAsideLibraryFirstUse}. */
    private static ScopeReport setAsideLibraryFirstUse(ScopeReport report, NativeTracker tracker, long scope,
                                                       Object testInstance) {
        if (report.figures().liveBytes() == 0) {
            return report;
        }
        return OneTimeInitialisation.setAsideLibraryFirstUse(report, name -> tracker.classInitialisedIn(scope, name),
                loaderOf(testInstance));
    }

    /**
     * After a test's final verdict: the library roots holding what it judged, so that more held by
     * them in a later test is a leak ({@link OneTimeInitialisation#rememberLibraryRoots}).
     */
    static void rememberLibraryRoots(Measurement measurement, Object testInstance, NativeTracker tracker) {
        OneTimeInitialisation.rememberLibraryRoots(measurement.sites(DomainSelection.ANY), loaderOf(testInstance));
        StateChurn.remember(measurement.sites(DomainSelection.ANY), loaderOf(testInstance), tracker::blocksLive);
    }

    private static ClassLoader loaderOf(Object testInstance) {
        return testInstance != null ? testInstance.getClass().getClassLoader() : Thread.currentThread().getContextClassLoader();
    }

    /** Above this many resolutions live, {@link #managedBelowResolution} does not read the report. */
    private static final int SITES_CHECKED_UP_TO = 16;

    /**
     * Sampled mode, outside the repeat mode: whether every managed site of the scope still live
     * weighs less than the resolution, as the verdict groups sites (memtrack's own frames left
     * out; sites whose stacks are then the same added together). No site can then be judged a
     * leak, whether its objects survive a collection or not: settling needs no collection and
     * the leak check no walk. Reads the scope's managed report when the total is between one and
     * {@link #SITES_CHECKED_UP_TO} resolutions (a few samples of different sites: a JDBC test's
     * statement cache and result buffers).
     */
    static boolean managedBelowResolution(ManagedTracker managed, long scope) {
        if (!isEstimated(managed)) {
            return false;
        }
        long resolution = ManagedTracker.resolution(managed.samplingInterval());
        long live = managed.figures(scope).liveBytes();
        if (live < resolution) {
            return true;
        }
        if (live >= SITES_CHECKED_UP_TO * resolution) {
            return false;
        }
        java.util.Map<List<Frame>, Long> bySite = new java.util.HashMap<>();
        for (Site site : OwnFrames.strip(managed.report(scope)).sites()) {
            if (bySite.merge(site.frames(), site.liveBytes(), Long::sum) >= resolution) {
                return false;
            }
        }
        return true;
    }

    /** Sampled mode: counts, live, peak and sites are estimates; exact mode (interval 0) counts every object. */
    static boolean isEstimated(ManagedTracker managed) {
        return managed.isAvailable() && managed.samplingInterval() != 0;
    }
}
