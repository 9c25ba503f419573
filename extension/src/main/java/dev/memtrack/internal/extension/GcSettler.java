package dev.memtrack.internal.extension;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Figures;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until a scope's live native memory stops shrinking after GC, so that memory freed by
 * cleaners (JNA {@code Memory}, {@code Deflater}, direct buffers) on their own thread after a
 * collection is not judged a leak. The only user of Awaitility.
 *
 * <p>Polls every 10 ms; calls {@code System.gc()} again every ~100 ms while live memory keeps
 * falling; settled when at least 2 GCs ran and live bytes did not change for 3 polls in a row
 * after the last GC. A GC restarts the count because cleaners run a few milliseconds after it
 * (3–8 ms measured); memory that fell after the last GC calls for one more GC before settling,
 * because what a cleaner released may own native memory of its own (a chain).
 * The wait is bounded by {@code memtrack.settle.timeout}; reaching the bound is not an error,
 * the verdict then judges what is live. {@code -XX:+DisableExplicitGC} makes every GC call a
 * no-op: the wait then ends after ~50 ms with what is live.
 *
 * <p>While it waits, the calling thread is detached from every scope, so what GC and Awaitility
 * allocate is not charged to the test.
 *
 * <p>Each call builds its own Awaitility condition with every setting explicit, so global
 * Awaitility defaults changed by a test do not leak in (thread-safe).
 */
final class GcSettler {

    static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    static final long GC_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();
    static final int STABLE_POLLS = 3;
    static final int MIN_GCS = 2;

    private final Duration timeout;
    private final Runnable gc;

    GcSettler(Duration timeout) {
        this(timeout, System::gc);
    }

    /** @param gc what a GC request does; tests count calls or free fake memory in it */
    GcSettler(Duration timeout, Runnable gc) {
        this.timeout = timeout;
        this.gc = gc;
    }

    /** Settles, then returns the scope's figures. */
    Figures settle(NativeTracker tracker, long scope) {
        long previous = ThreadsAndTasks.attach(tracker, 0);
        try {
            if (timeout.compareTo(POLL_INTERVAL) <= 0) {
                // too short to poll at all: one collection, then judge what is live
                gc.run();
                return tracker.figures(scope);
            }
            Probe probe = new Probe(tracker, scope);
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

    /** The settling rule, one poll at a time. */
    private final class Probe {
        private final NativeTracker tracker;
        private final long scope;
        private long lastLive;
        private long lastGcNanos;
        private int gcs;
        private int unchangedPolls;
        private boolean fellSinceGc;

        Probe(NativeTracker tracker, long scope) {
            this.tracker = tracker;
            this.scope = scope;
            this.lastLive = tracker.figures(scope).liveBytes();
            collect();
        }

        boolean settled() {
            long live = tracker.figures(scope).liveBytes();
            if (live < lastLive) {
                fellSinceGc = true;
            }
            unchangedPolls = live == lastLive ? unchangedPolls + 1 : 0;
            lastLive = live;
            if (gcs < MIN_GCS || (fellSinceGc && System.nanoTime() - lastGcNanos >= GC_INTERVAL_NANOS)) {
                collect();
                return false;
            }
            return unchangedPolls >= STABLE_POLLS && !fellSinceGc;
        }

        private void collect() {
            gc.run();
            gcs++;
            lastGcNanos = System.nanoTime();
            fellSinceGc = false;
            unchangedPolls = 0;
        }
    }
}
