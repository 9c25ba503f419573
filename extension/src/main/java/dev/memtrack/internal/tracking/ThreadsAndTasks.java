package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.attribution.ScopeContext;
import dev.memtrack.internal.attribution.ScopePropagation;
import org.apiguardian.api.API;

/**
 * Carries a scope to the work its thread hands over — executor tasks, CompletableFuture stages,
 * virtual threads — through {@code internal.attribution}. Only for the real agent: a fake or
 * unavailable tracker has nothing to carry.
 */
@API(status = INTERNAL, since = "0.1")
public final class ThreadsAndTasks {

    private ThreadsAndTasks() {
    }

    /**
     * Before a scope begins (installing rewrites JDK classes: not the test's allocations). Also
     * makes sure the calling thread has talked to the agent before: a thread's first JNA call
     * allocates JNA's per-thread state (a calloc kept until the thread ends), and if that first
     * call were {@code beginScope} itself, the state would be allocated after the agent attached
     * the thread to the new scope — a leak of the test on every fresh thread, e.g. the workers of
     * JUnit's parallel execution. {@link ScopeContext#current()} asks the agent once per thread.
     */
    public static void prepare(NativeTracker tracker) {
        if (tracker.propagatesAcrossThreads()) {
            ScopePropagation.ensureInstalled();
            ScopeContext.current();
        }
    }

    /** Right after {@code beginScope}, on the same thread. */
    static void entered(NativeTracker tracker, long scope) {
        if (tracker.propagatesAcrossThreads()) {
            ScopeContext.enter(scope);
        }
    }

    /** Right after {@code endScope}, on the same thread. */
    static void exited(NativeTracker tracker) {
        if (tracker.propagatesAcrossThreads()) {
            ScopeContext.exit();
        }
    }

    /** Sets the calling thread's scope in the agent and in the propagation view; returns the previous. */
    static long attach(NativeTracker tracker, long scope) {
        return tracker.propagatesAcrossThreads() ? ScopeContext.attach(scope) : tracker.attachThread(scope);
    }
}
