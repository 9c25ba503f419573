package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import java.util.List;

/**
 * The managed heap as the rest of memtrack sees it (docs/managed-heap.md). Thread-safe. Scopes
 * are the native tracker's: a Java allocation is attributed to the scope of the thread that makes
 * it, so {@link NativeTracker#beginScope()} starts both.
 *
 * <p>What it measures: exact allocated bytes per scope (the JVM's per-thread allocated-bytes
 * counter, read by {@link #meterEnter}/{@link #meterExit} on each thread); allocation stacks,
 * counts, live and peak bytes estimated from JVMTI heap samples (every object in exact mode,
 * interval 0); leaked objects with the reference path that keeps them alive.
 *
 * <p>Integration (the extension), per tracked scope:
 * <ol>
 *   <li>{@code scope = native.beginScope(); managed.meterEnter(scope);} on the test thread
 *       (and on each worker thread when it is attached to the scope);</li>
 *   <li>run the test;</li>
 *   <li>{@code managed.meterExit(scope); native.endScope(scope);}</li>
 *   <li>GC and settle: {@code System.gc()}, then {@link #settle()} (waits until the JVM's
 *       ObjectFree events, posted a few ms after the GC, stop arriving);</li>
 *   <li>{@link #figures}, {@link #report} and {@link #checkLeaks} (after the GC, while the test
 *       instance is still alive);</li>
 *   <li>{@code native.releaseScope(scope)} forgets both domains' figures.</li>
 * </ol>
 */
public interface ManagedTracker {

    /** The process-wide tracker over the agent that {@link NativeTracker#instance()} loaded. */
    static ManagedTracker instance() {
        return ManagedTrackerLoader.tracker();
    }

    /** A tracker that measures nothing and says why (the agent is not loaded, or failed to start). */
    static ManagedTracker unavailable(String reason) {
        return new ManagedTrackerUnavailable(reason);
    }

    /**
     * The tracker of a test that does not measure the heap on purpose ({@code memtrack.enabled=false},
     * {@code memtrack.managed.enabled=false}, or a fake native tracker in unit tests): no figures,
     * no sites, no warning, and no managed report in a measurement, so verdicts judge native memory alone.
     */
    static ManagedTracker switchedOff() {
        return ManagedTrackerUnavailable.SWITCHED_OFF;
    }

    /** True for {@link #switchedOff()}: the heap is left out on purpose, so nothing is said about it. */
    default boolean isSwitchedOff() {
        return this == ManagedTrackerUnavailable.SWITCHED_OFF;
    }

    /** True for a tracker that measures nothing at all: a measurement then leaves the domain out. */
    default boolean measuresNothing() {
        return !isAvailable() && !hasExactTotals();
    }

    /** Stacks, live and peak figures and leak checks work (heap sampling is ours). */
    boolean isAvailable();

    /** Allocated bytes are exact (the JVM offers per-thread allocated-bytes counters). */
    boolean hasExactTotals();

    /** Why managed stacks, peak and leaks are off ("" when available), said once in the log too. */
    String unavailableReason();

    /** Average bytes between samples; 0 = exact mode (every object). */
    int samplingInterval();

    /**
     * The sampled mode's resolution: a site estimated below 1.6 sampling intervals rests on one
     * sampled small object (Horvitz-Thompson weights it 1 to 1/(1 - e^-1) = 1.58 intervals), as
     * likely noise as a leak; outside the repeat mode such a site is not judged a leak
     * (docs/managed-heap.md).
     */
    static long resolution(long samplingInterval) {
        return samplingInterval * 8L / 5L;
    }

    /**
     * Changes the sampling interval (0 = exact mode). Each thread switches after its next
     * sample; the calling thread is made to switch before this returns.
     */
    void setSamplingInterval(int bytes);

    /** Objects at least this large count as held from allocation on (the peak's resolution). */
    void setLargeObjectThreshold(long bytes);

    /**
     * Starts measuring the calling thread's allocated bytes for {@code scope}: call right after
     * the thread begins or attaches to the scope. Nests: a scope begun inside another pauses the
     * outer measurement on this thread, and both receive the inner bytes.
     */
    void meterEnter(long scope);

    /** Stops measuring the calling thread for {@code scope}: call right before it ends or detaches. */
    void meterExit(long scope);

    /** Runs memtrack's own work with the calling thread's open meter paused: its bytes are credited to no scope. */
    default <T> T unmetered(java.util.function.Supplier<T> work) {
        return work.get();
    }

    /**
     * Waits (a few ms, at most 500 ms) until the JVM's ObjectFree events of the last GC have
     * arrived: its Service Thread posts them some milliseconds after the GC. Call after
     * {@code System.gc()}. Returns {@link #freedCount()}.
     */
    long settle();

    /** ObjectFree events of tracked objects so far; settled when it stops changing after a GC. */
    long freedCount();

    /**
     * Managed figures of the scope: allocated bytes exact when metered (plus estimates for
     * threads that were not), counts estimated (exact in exact mode), live = sampled objects
     * not yet reclaimed, peak = high-water mark of held bytes. {@link Figures#ZERO} if none.
     */
    Figures figures(long scope);

    /**
     * Bytes the scope holds on the heap now — what its managed peak is the high-water mark of
     * (large objects from allocation, smaller ones once they survived a GC): the timeline's
     * managed line, so that it agrees with the peak. Live sampled bytes also count garbage not
     * yet collected.
     */
    default long heldBytes(long scope) {
        return figures(scope).liveBytes();
    }

    /** Figures and allocation sites (origin heap, estimated per site); call at scope end. */
    ScopeReport report(long scope);

    /**
     * The report to judge and record once the leak check ran: {@link #report}'s sites and figures,
     * except that live bytes/counts are the leaked ones (0 for sites that leaked nothing, one-time
     * initialisation included) and leaked sites carry their {@code retainedBy} path. One managed
     * {@code ScopeReport} then serves the budget (allocated), peak (peak) and leak (live) verdicts.
     */
    default ScopeReport report(long scope, LeakCheck leaks) {
        return ManagedTrackerReports.withLeaks(report(scope), leaks);
    }

    /**
     * Which sampled objects allocated in the scope (or its children) are still reachable from GC
     * roots other than {@code testThread}'s stack and {@code testInstance}. Call after GC and
     * {@link #settle()}. A site's {@code liveBytes}/{@code liveCount} are the estimated leaked
     * bytes/objects, its {@code retainedBy} the path of its shallowest leaked object.
     *
     * @param strict count one-time initialisation (class initialisers, JDK caches) as leaks too:
     *               the repeat mode, where the block already ran once before the scope
     */
    LeakCheck checkLeaks(long scope, Object testInstance, Thread testThread, boolean strict);

    /**
     * Result of a leak check.
     *
     * @param leaks                 leaked sites, largest first; figures' liveBytes/liveCount are
     *                              the leaked totals
     * @param oneTimeInitialisation retained objects judged one-time initialisation, largest first
     * @param reasons               why each one-time site was so judged, parallel to its sites
     * @param candidates            tracked objects of the scope alive before the walk
     * @param walkMicros            time of the heap walk (0 when nothing had to be walked)
     * @param note                  why the check could not run, or "" when it ran
     */
    record LeakCheck(ScopeReport leaks, ScopeReport oneTimeInitialisation, List<String> reasons,
                     long candidates, long walkMicros, boolean truncated, String note) {

        /** No walk ran because no site could be judged a leak (below the sampled resolution): nothing leaked. */
        public static final LeakCheck NOTHING_JUDGED = new LeakCheck(ScopeReport.empty(dev.memtrack.internal.model.Domain.MANAGED),
                ScopeReport.empty(dev.memtrack.internal.model.Domain.MANAGED), List.of(), 0, 0, false, "");

        public LeakCheck {
            reasons = List.copyOf(reasons);
        }

        public boolean hasLeaks() {
            return !leaks.sites().isEmpty();
        }
    }
}
