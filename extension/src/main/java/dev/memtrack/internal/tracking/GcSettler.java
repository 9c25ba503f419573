package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Figures;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.apiguardian.api.API;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until what a collection makes unreachable in a scope has been freed, so that memory freed
 * by cleaners (JNA {@code Memory}, {@code Deflater}, direct buffers) on their own thread after a
 * collection is not judged a leak. The only user of Awaitility.
 *
 * <p>Settles only what can still change (issue 9: a test that ends with memory live used to pay
 * two collections and 30 ms of quiet polls, whatever held the memory):
 * <ul>
 *   <li>nothing live: no collection;
 *   <li>only sampled heap objects live, each site of them weighing less than the sampled mode's
 *       resolution, outside the repeat mode: no collection (no site of them could be judged a
 *       leak; {@link Measurements#managedBelowResolution});
 *   <li>otherwise one collection, then the agent is asked when the JVM's reference processing is
 *       done ({@link NativeTracker#referencesQuiet()}; {@link #settleByReferences}): another
 *       collection only when a cleaner freed some of the scope's native memory or a cleaner's or
 *       the finalizer's action ran (it may have dropped an owner the next one frees). The managed
 *       domain's ObjectFree events are not awaited: the leak check asks the JVM which sampled
 *       objects are still alive;
 *   <li>the exact mode (whose verdicts read figures that move with the ObjectFree events), and an
 *       agent that cannot tell, keep the fixed schedule ({@link Probe}): polls every 10 ms, a
 *       collection again every ~100 ms while live memory keeps falling, settled when at least 2
 *       collections ran (1 when only sampled heap objects are live) and the scope's live native
 *       and managed bytes did not change for 3 polls in a row after the last one.
 * </ul>
 * Memory that fell after the last collection calls for one more before settling, because what a
 * cleaner released may own native memory of its own (a chain). Counting the scope's own figures
 * rather than process-wide ones keeps concurrent tests from stalling each other. The wait is
 * bounded by {@code memtrack.settle.timeout}; reaching the bound is not an error, the verdict then
 * judges what is live. Collections go through {@link NativeTracker#forceGc()} (JVMTI), which
 * {@code -XX:+DisableExplicitGC} does not turn off.
 *
 * <p>While it waits, the calling thread is detached from every scope, so what GC and Awaitility
 * allocate is not charged to the test.
 *
 * <p>Each call builds its own Awaitility condition with every setting explicit, so global
 * Awaitility defaults changed by a test do not leak in (thread-safe).
 */
@API(status = INTERNAL, since = "0.1")
public final class GcSettler {

    static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    static final long GC_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();
    static final int STABLE_POLLS = 3;
    static final int MIN_GCS = 2;
    static final Duration QUIET_POLL = Duration.ofNanos(500_000);
    static final Duration QUIET_POLL_LATER = Duration.ofMillis(2);
    static final int FAST_POLLS = 8;
    static final Duration COLLECTION_SPACING = Duration.ofMillis(10);
    static final int MAX_IDLE_ACTIONS = 2;
    static final Duration QUIET_CONFIRM = Duration.ofMillis(1);
    static final Duration QUIET_BOUND = Duration.ofMillis(250);

    private final Duration timeout;
    private final Runnable gc;

    GcSettler(Duration timeout) {
        this(timeout, null);
    }

    /** @param gc what a GC request does (null: the tracker's forceGc); tests count calls or free fake memory in it */
    GcSettler(Duration timeout, Runnable gc) {
        this.timeout = timeout;
        this.gc = gc;
    }

    /** Settles the native domain alone, then returns the scope's native figures. */
    Figures settle(NativeTracker tracker, long scope) {
        return settle(tracker, ManagedTracker.switchedOff(), scope);
    }

    /** Settles both domains for a verdict outside the repeat mode, then returns the scope's native figures. */
    Figures settle(NativeTracker tracker, ManagedTracker managed, long scope) {
        return settle(tracker, managed, scope, false);
    }

    /** Settles both domains of an ended scope, then returns the scope's native figures ({@code strict}: repeat mode). */
    Figures settle(NativeTracker tracker, ManagedTracker managed, long scope, boolean strict) {
        return settle(tracker, managed, scope, strict, false);
    }

    /**
     * Settles both domains, then returns the scope's native figures.
     *
     * @param strict  for the repeat mode's verdict, where every managed site counts however small
     * @param running the scope still records (an assertion inside the test): its collections are
     *                spaced, see {@link #settleByReferences}
     */
    Figures settle(NativeTracker tracker, ManagedTracker managed, long scope, boolean strict, boolean running) {
        Figures now = tracker.figures(scope);
        boolean managedLive = managed.figures(scope).liveBytes() != 0;
        if (now.liveBytes() == 0 && !managedLive) {
            return now; // nothing live: nothing a collection or a cleaner could still free
        }
        long previous = ThreadsAndTasks.attach(tracker, 0);
        try {
            if (now.liveBytes() == 0 && !strict && walkJudgesReachability(managed)
                    && Measurements.managedBelowResolution(managed, scope)) {
                // Only sampled heap objects live, each site of them weighing less than the sampled
                // mode's resolution: whether they survive a collection or not, no site of them can
                // be judged a leak outside the repeat mode (Measurements): no collection needed.
                return now;
            }
            if (timeout.compareTo(POLL_INTERVAL) <= 0) {
                // too short to poll at all: one collection, then judge what is live
                collect(tracker);
                managed.settle();
                return tracker.figures(scope);
            }
            // The exact mode's verdicts read its figures, which move with the JVM's ObjectFree
            // events: it keeps the schedule that waits for them.
            boolean exactFigures = managedLive && !walkJudgesReachability(managed) && managed.isAvailable();
            long[] work = {-1};
            if (!exactFigures && tracker.referencesQuiet(work) >= 0) {
                Figures settled = settleByReferences(tracker, scope, work[0], running);
                if (settled != null) {
                    return settled;
                }
            }
            // Nothing native live: no cleaner can free anything of the scope, so one collection
            // does (its ObjectFree events awaited as below; survivors are judged by the leak
            // check's walk, which reaches only what is reachable). Without any collection the
            // walk itself would run, which costs more than one (B6, 2026-12-04).
            int minGcs = now.liveBytes() == 0 && walkJudgesReachability(managed) ? 1 : MIN_GCS;
            Probe probe = new Probe(tracker, managed, scope, minGcs);
            try {
                Awaitility.await("memtrack GC settling of native scope " + scope)
                        .pollInSameThread()
                        .dontCatchUncaughtExceptions()
                        .ignoreNoExceptions()
                        .pollDelay(POLL_INTERVAL)
                        .pollInterval(POLL_INTERVAL)
                        .atMost(timeout)
                        .until(probe::settled);
            } catch (ConditionTimeoutException e) {
                // bounded on purpose: judge with what is live now
            }
            return tracker.figures(scope);
        } finally {
            ThreadsAndTasks.attach(tracker, previous);
        }
    }

    /**
     * Settling that asks the JVM when its reference processing is done instead of waiting a
     * fixed quiet time: a collection, then polls ({@link #QUIET_POLL} apart, {@link #QUIET_POLL_LATER}
     * after the first {@link #FAST_POLLS}) until the Reference Handler and every thread draining a
     * reference queue are idle twice in a row, at least {@link #QUIET_CONFIRM} apart, with the
     * scope's live bytes unchanged between the two (a thread woken on a queue the tracker does not
     * read looks idle until it runs). Then another collection when a cleaner freed some of the
     * scope's memory (what it released may own memory of its own: a chain), or when a cleaner's or
     * the finalizer's action ran (a finalizer that drops an object with a cleaner frees nothing
     * itself: the next collection frees it), at most {@link #MAX_IDLE_ACTIONS} times in a row
     * without anything freed; otherwise settled. One collection and about 2 ms for a scope whose
     * live memory no collection frees (a pool the test instance holds), and no wait for the
     * managed domain's ObjectFree events: the leak check asks the JVM which sampled objects are
     * still alive.
     *
     * <p>For a scope still running (an assertion inside the test), collections follow each other
     * at least {@link #COLLECTION_SPACING} apart: a collection before the JVM posted the previous
     * one's ObjectFree events would count that one's dead small samples as held for it
     * (docs/managed-heap.md). An ended scope holds no more samples.
     *
     * <p>A library thread that keeps working between its waits in a queue may never look idle:
     * after {@link #QUIET_BOUND} the scope's live bytes unchanged for {@link #STABLE_POLLS} polls
     * of {@link #POLL_INTERVAL} settle it, as the fixed schedule would.
     *
     * @return the settled figures, or null when the tracker stopped being able to tell (the
     *         caller then runs the fixed schedule)
     */
    private Figures settleByReferences(NativeTracker tracker, long scope, long workBefore, boolean running) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long work = workBefore;
        long lastCollection = 0;
        int idleActions = 0;
        for (int round = 0; ; round++) {
            long spaced = running ? Math.min(lastCollection + COLLECTION_SPACING.toNanos(), deadline) : 0;
            for (long now = System.nanoTime(); round > 0 && now < spaced; now = System.nanoTime()) {
                LockSupport.parkNanos(spaced - now); // may return early: waits again
            }
            long before = tracker.figures(scope).liveBytes();
            collect(tracker);
            lastCollection = System.nanoTime();
            Wait waited = awaitQuiet(tracker, scope, deadline, lastCollection, work);
            if (waited == null) {
                return null;
            }
            work = waited.work();
            Figures figures = tracker.figures(scope);
            if (figures.liveBytes() == 0 || !waited.quiet()) {
                return figures; // nothing left, or out of time
            }
            if (figures.liveBytes() < before) {
                idleActions = 0; // a cleaner freed some: what it released may own more
            } else if (waited.acted() && ++idleActions <= MAX_IDLE_ACTIONS) {
                continue; // an action ran and freed nothing of the scope yet: it may have dropped an owner
            } else {
                return figures; // nothing this collection made unreachable is left to free
            }
        }
    }

    /**
     * How a wait after a collection ended: quiet (or out of time), whether a reference action ran
     * meanwhile (seen running, or the reference threads' CPU time moved), and that CPU time last.
     */
    private record Wait(boolean quiet, boolean acted, long work) {
    }

    /** The wait after one collection (see above); null when the tracker cannot tell. */
    private static Wait awaitQuiet(NativeTracker tracker, long scope, long deadline, long collected, long workBefore) {
        long lastLive = -1;
        long unchangedSince = collected;
        long quietSince = -1;
        boolean acted = false;
        long[] work = {workBefore};
        for (int poll = 0; ; poll++) {
            long previousWork = work[0];
            int answer = tracker.referencesQuiet(work);
            if (answer < 0) {
                return null;
            }
            acted |= answer == NativeTracker.REFERENCES_ACTING || (previousWork >= 0 && work[0] > previousWork);
            if (work[0] < 0) {
                work[0] = previousWork; // unknown this time: keep the last known
            }
            long now = System.nanoTime();
            long live = tracker.figures(scope).liveBytes();
            if (live == 0) {
                return new Wait(true, acted, work[0]);
            }
            if (live != lastLive) {
                unchangedSince = now;
                quietSince = -1;
            }
            lastLive = live;
            if (answer != NativeTracker.REFERENCES_QUIET) {
                quietSince = -1;
            } else if (quietSince < 0) {
                quietSince = now;
            } else if (now - quietSince >= QUIET_CONFIRM.toNanos()) {
                return new Wait(true, acted, work[0]);
            }
            if (now - collected >= QUIET_BOUND.toNanos()
                    && now - unchangedSince >= POLL_INTERVAL.toNanos() * STABLE_POLLS) {
                return new Wait(true, acted, work[0]);
            }
            if (now >= deadline) {
                return new Wait(false, acted, work[0]);
            }
            LockSupport.parkNanos((poll < FAST_POLLS ? QUIET_POLL : QUIET_POLL_LATER).toNanos());
        }
    }

    /**
     * Sampled mode: the leak check that follows every settling walks the heap from its roots, so
     * a sampled object that survived a collection only because its ObjectFree event is late, or
     * that a cleaner's owner keeps for one more cycle, is not reported. The exact mode keeps the
     * whole schedule: its figures count every object, and they are what its verdicts read.
     */
    private static boolean walkJudgesReachability(ManagedTracker managed) {
        return managed.isAvailable() && managed.samplingInterval() != 0;
    }

    /** A GC that -XX:+DisableExplicitGC does not turn off, through the agent. */
    private void collect(NativeTracker tracker) {
        if (gc != null) {
            gc.run();
        } else {
            tracker.forceGc();
        }
    }

    /** The settling rule, one poll at a time. */
    private final class Probe {
        private final NativeTracker tracker;
        private final ManagedTracker managed;
        private final long scope;
        private long lastLive;
        private long lastManagedLive;
        private long lastGcNanos;
        private int gcs;
        private int unchangedPolls;
        private boolean fellSinceGc;
        private final int minGcs;

        Probe(NativeTracker tracker, ManagedTracker managed, long scope, int minGcs) {
            this.minGcs = minGcs;
            this.tracker = tracker;
            this.managed = managed;
            this.scope = scope;
            this.lastLive = tracker.figures(scope).liveBytes();
            this.lastManagedLive = managed.figures(scope).liveBytes();
            collect();
        }

        boolean settled() {
            long live = tracker.figures(scope).liveBytes();
            if (live < lastLive) {
                fellSinceGc = true;
            }
            long managedLive = managed.figures(scope).liveBytes();
            unchangedPolls = live == lastLive && managedLive == lastManagedLive ? unchangedPolls + 1 : 0;
            lastLive = live;
            lastManagedLive = managedLive;
            if (live == 0 && managedLive == 0) {
                return true; // nothing left that could still be freed
            }
            if (gcs < minGcs || (fellSinceGc && System.nanoTime() - lastGcNanos >= GC_INTERVAL_NANOS)) {
                collect();
                return false;
            }
            return unchangedPolls >= STABLE_POLLS && !fellSinceGc;
        }

        private void collect() {
            GcSettler.this.collect(tracker);
            gcs++;
            lastGcNanos = System.nanoTime();
            fellSinceGc = false;
            unchangedPolls = 0;
        }
    }
}
