package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Runs memtrack's own work on a thread that is inside a scope — reading and parsing reports,
 * settling, the leak walk, building a failure message — outside every scope: the thread is
 * detached in the agent (no native allocation, no heap sample is recorded) and its managed meter
 * is paused (no allocated bytes are credited), then both are restored. memtrack's own
 * allocations never count in any figure (docs/attribution.md).
 */
@API(status = INTERNAL, since = "0.1")
public final class OwnWork {

    private OwnWork() {
    }

    /** The work of {@code MemoryAssertions} and the assert classes, for the tracked test running on this thread. */
    public static <T> T outsideScopes(Supplier<T> work) {
        TestTracking test = ActiveTests.current().orElse(null);
        return test == null ? work.get() : outsideScopes(test.tracker(), test.managed(), work);
    }

    static <T> T outsideScopes(NativeTracker tracker, ManagedTracker managed, Supplier<T> work) {
        if (!tracker.isAvailable()) {
            return work.get();
        }
        return managed.unmetered(() -> {
            long previous = ThreadsAndTasks.attach(tracker, 0);
            try {
                return work.get();
            } finally {
                ThreadsAndTasks.attach(tracker, previous);
            }
        });
    }
}
