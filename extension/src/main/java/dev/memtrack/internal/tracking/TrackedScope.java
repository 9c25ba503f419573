package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.attribution.ProcessWideMode;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.verdict.Measurement;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * The lifecycle of one scope, the same for a tracked test ({@link TestTracking}) and an
 * {@code assertAllocations} block ({@link BlockTracking}): {@link #begin} and {@link #end} on the
 * scope's thread, then {@link #settle}, {@link #read} and {@link #release}. Both domains: the
 * native scope, the threads and tasks it propagates to, and the managed meter of its thread.
 * Not thread-safe: its owner orders the calls.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrackedScope {

    private final NativeTracker tracker;
    private final ManagedTracker managed;
    private final boolean processWide;
    private final long id;
    private volatile boolean ended;

    private TrackedScope(NativeTracker tracker, ManagedTracker managed, boolean processWide, long id) {
        this.tracker = tracker;
        this.managed = managed;
        this.processWide = processWide;
        this.id = id;
    }

    /**
     * Begins a scope on the calling thread, nested in the scope the thread is in (if any). The
     * propagation is prepared first, outside every scope (installing it is memtrack's own work);
     * the managed meter is entered last, so that nothing memtrack does is charged to the scope.
     *
     * @param processWide every unscoped thread records into the scope ({@link ProcessWideMode})
     */
    static TrackedScope begin(NativeTracker tracker, ManagedTracker managed, boolean processWide) {
        OwnWork.outsideScopes(tracker, managed, () -> {
            ThreadsAndTasks.prepare(tracker);
            return null;
        });
        long id = tracker.beginScope();
        ThreadsAndTasks.entered(tracker, id);
        if (processWide) {
            ProcessWideMode.begin(tracker, id);
        }
        managed.meterEnter(id);
        return new TrackedScope(tracker, managed, processWide, id);
    }

    /** Ends recording on the thread that began the scope, in the reverse order of {@link #begin}. */
    void end() {
        ended = true;
        managed.meterExit(id);
        if (processWide) {
            ProcessWideMode.end(tracker);
        }
        tracker.endScope(id);
        ThreadsAndTasks.exited(tracker);
    }

    /** Whether the agent records this scope (false for an unavailable tracker). */
    boolean isMeasuring() {
        return id != 0 && tracker.isAvailable();
    }

    /** Waits, at most {@code timeout}, for GC, cleaners and the JVM's ObjectFree events to settle. */
    void settle(Duration timeout) {
        settle(timeout, false);
    }

    /** The same, for a verdict in the repeat mode ({@code strict}: every site counts, however small). */
    void settle(Duration timeout, boolean strict) {
        if (isMeasuring()) {
            new GcSettler(timeout).settle(tracker, managed, id, strict, !ended);
        }
    }

    /** The scope's measurement, see {@link Measurements#read}: call after settling. */
    Measurement read(Measurements.LeakMode check, Object testInstance, Thread testThread) {
        return Measurements.read(tracker, managed, id, check, testInstance, testThread);
    }

    /** The same, the owner walk run only when more than {@code nativeLeakAllowed} native bytes are live. */
    Measurement read(Measurements.LeakMode check, Object testInstance, Thread testThread, long nativeLeakAllowed) {
        return Measurements.read(tracker, managed, id, check, testInstance, testThread, nativeLeakAllowed);
    }

    /** Native figures so far. */
    Figures nativeFigures() {
        return tracker.figures(id);
    }

    /** Managed figures so far (call only when the heap is measured). */
    Figures managedFigures() {
        return managed.figures(id);
    }

    /** The managed bytes held now, for the timeline. */
    long managedHeldBytes() {
        return managed.heldBytes(id);
    }

    /** The scope's id in the agent (0 for an unavailable tracker). */
    long id() {
        return id;
    }

    /** Releases both domains' figures in the agent. Once, after the last read. */
    void release() {
        if (id != 0) {
            tracker.releaseScope(id);
        }
    }
}
