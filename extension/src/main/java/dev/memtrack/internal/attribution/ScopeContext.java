package dev.memtrack.internal.attribution;

import dev.memtrack.internal.agent.NativeTracker;

/**
 * Which scope the calling thread records into, as task propagation sees it, kept next to the
 * agent's own per-thread value so that the hooks inside the JDK's executors answer "does this
 * thread have a scope?" with a thread-local read instead of a native call.
 *
 * <p><b>Platform threads:</b> a thread-local copy of the agent's value, read from the agent once
 * per thread (that is how threads that inherited a scope natively, at {@code pthread_create},
 * are seen) and updated by every change made through this class. <b>Virtual threads:</b> their
 * scope is theirs, not their carrier's: it is kept in a weak map and applied to whichever
 * carrier mounts them, and taken off when they unmount.
 *
 * <p>The extension calls {@link #enter} right after {@code NativeTracker.beginScope()} and
 * {@link #exit} right after {@code NativeTracker.endScope(scope)}, on the thread that began the
 * scope. Code that changes a thread's scope for other reasons should use {@link #attach} rather
 * than {@code NativeTracker.attachThread}, or restore the previous scope before it submits work.
 *
 * <p>Thread-safe; every method acts on the calling thread only.
 */
public final class ScopeContext {

    private static final Class<?> VIRTUAL_THREAD = virtualThreadClass();
    private static final ThreadLocal<ThreadScope> PLATFORM = ThreadLocal.withInitial(ThreadScope::fromAgent);
    private static final WeakScopeMap VIRTUAL_SCOPES = new WeakScopeMap();

    private ScopeContext() {
    }

    /**
     * Records that {@code scope}, just begun with {@code NativeTracker.beginScope()} on this
     * thread, is the calling thread's scope now, and switches task propagation on while any
     * scope is entered.
     */
    public static void enter(long scope) {
        remember(scope);
        PropagationHooks.scopeEntered();
    }

    /**
     * Records that the calling thread left a scope: call it right after
     * {@code NativeTracker.endScope(scope)}. The thread's scope becomes what the agent restored
     * (the parent, for a nested scope), read from the agent rather than remembered, so that it is
     * right even for the first scope of a thread. Propagation switches off when the last entered
     * scope exits. Writes the one pending warning if a hook failed meanwhile.
     */
    public static void exit() {
        NativeTracker tracker = tracker();
        remember(tracker.isAvailable() ? tracker.currentScope() : 0);
        PropagationHooks.scopeExited();
        PropagationFailures.reportPending();
    }

    /** The calling thread's scope, 0 if none. */
    public static long current() {
        Thread thread = Thread.currentThread();
        if (thread.getClass() == VIRTUAL_THREAD) {
            return VIRTUAL_SCOPES.get(thread);
        }
        return PLATFORM.get().scope;
    }

    /**
     * Attributes the calling thread to {@code scope} (0: none) in the agent and here.
     *
     * @return the previous scope, to restore with another call
     */
    public static long attach(long scope) {
        Thread thread = Thread.currentThread();
        if (thread.getClass() == VIRTUAL_THREAD) {
            long previous = VIRTUAL_SCOPES.get(thread);
            // map first: should the thread move to another carrier meanwhile, the next mount applies it
            VIRTUAL_SCOPES.put(thread, scope);
            if (previous != scope) {
                tracker().attachThread(scope);
            }
            return previous;
        }
        ThreadScope local = PLATFORM.get();
        long previous = local.scope;
        if (previous != scope) {
            tracker().attachThread(scope);
            local.scope = scope;
        }
        return previous;
    }

    /** {@link #attach} for the hooks: failures are recorded, never thrown into the JDK's code. */
    static long attachQuietly(long scope) {
        try {
            return attach(scope);
        } catch (RuntimeException | Error e) {
            PropagationFailures.record("attaching a thread to scope " + scope, e);
            return 0;
        }
    }

    /**
     * A pool worker starting: it belongs to no test, whatever scope the thread that started it
     * had (workers are created lazily by the first submission, often from a test). Only the
     * tasks it runs carry scopes.
     */
    static void detachWorker() {
        try {
            Thread thread = Thread.currentThread();
            if (thread.getClass() != VIRTUAL_THREAD) {
                tracker().attachThread(0);
                PLATFORM.get().scope = 0;
            }
        } catch (RuntimeException | Error e) {
            PropagationFailures.record("detaching a pool worker", e);
        }
    }

    /** Records the scope a virtual thread starts in: the scope of the thread that starts it. */
    static void virtualThreadStarting(Thread virtualThread) {
        long scope = current();
        if (scope != 0) {
            VIRTUAL_SCOPES.put(virtualThread, scope);
        }
    }

    /**
     * On the carrier, before a virtual thread runs: applies the virtual thread's scope.
     *
     * @return the carrier's scope before, plus one (never 0), for {@link #unmounted}
     */
    static long mounting(Thread virtualThread) {
        ThreadScope carrier = PLATFORM.get();
        long before = carrier.scope;
        long scope = VIRTUAL_SCOPES.get(virtualThread);
        if (scope != before) {
            tracker().attachThread(scope);
            carrier.scope = scope;
        }
        return before + 1;
    }

    /** On the carrier, after the virtual thread yielded or ended: puts the carrier's scope back. */
    static void unmounted(Thread virtualThread, long token) {
        long before = token - 1;
        ThreadScope carrier = PLATFORM.get();
        // the virtual thread may have entered or attached another scope while mounted
        if (carrier.scope != before || VIRTUAL_SCOPES.get(virtualThread) != before) {
            tracker().attachThread(before);
            carrier.scope = before;
        }
    }

    private static void remember(long scope) {
        Thread thread = Thread.currentThread();
        if (thread.getClass() == VIRTUAL_THREAD) {
            VIRTUAL_SCOPES.put(thread, scope);
        } else {
            PLATFORM.get().scope = scope;
        }
    }

    private static NativeTracker tracker() {
        return NativeTracker.instance();
    }

    /** java.lang.VirtualThread on JDK 21+, null before; compared by identity, so never a subclass. */
    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.VirtualThread", false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** The calling platform thread's scope. */
    private static final class ThreadScope {
        long scope;

        private ThreadScope(long scope) {
            this.scope = scope;
        }

        static ThreadScope fromAgent() {
            NativeTracker tracker = tracker();
            return new ThreadScope(tracker.isAvailable() ? tracker.currentScope() : 0);
        }
    }
}
