package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;

/**
 * The native agent as the rest of memtrack sees it. Thread-safe. Obtain it with
 * {@link #instance()}; when the platform or JVM cannot be tracked it is an unavailable tracker
 * whose {@link #unavailableReason()} says why (once, clearly) and whose scopes record nothing.
 */
public interface NativeTracker {

    /** The process-wide tracker; loads and initialises the agent on first use. */
    static NativeTracker instance() {
        return NativeAgentLoader.tracker();
    }

    /** A tracker that records nothing and says why: tracking switched off, unsupported platform. */
    static NativeTracker unavailable(String reason) {
        return new NativeTrackerUnavailable(reason);
    }

    boolean isAvailable();

    /** True for the real agent: scopes can then be carried to executor tasks and virtual threads. */
    default boolean propagatesAcrossThreads() {
        return false;
    }

    /** Why native tracking is off ("" when available). */
    String unavailableReason();

    /** One line about the hooks (objects and slots patched); for diagnostics. */
    String status();

    /**
     * Why native allocations may be partly unseen, or "" when every hooked import slot is
     * memtrack's: another tool's hooks held some slots and could not be chained through
     * (docs/native-engine.md, "Beside other hookers"). A verdict then rests on what was seen.
     */
    default String unseenNotice() {
        return "";
    }

    /** Begins a scope nested in the calling thread's current one and makes it current. 0 if unavailable. */
    long beginScope();

    /** Stops attributing the calling thread to the scope and restores its parent. */
    void endScope(long scope);

    /** Forgets the scope's figures. */
    void releaseScope(long scope);

    /** Attributes the calling thread to {@code scope} (0: none); returns the previous scope. */
    long attachThread(long scope);

    /** Process-wide mode: threads without a scope of their own record into {@code scope} (0: off). */
    void setProcessScope(long scope);

    /** The calling thread's current scope, 0 if none. */
    long currentScope();

    /** Totals of the scope now; {@link Figures#ZERO} for an unknown scope. */
    Figures figures(long scope);

    /** Totals and symbolized sites; call at scope end while libraries are still loaded. */
    ScopeReport report(long scope);

    /**
     * {@link #report} with the owner of each site that has live blocks (docs/native-engine.md,
     * "Owners"): the Java object holding an address inside them and its path from a GC root
     * ({@code testThread}'s stack and {@code testInstance} left out), or that none does; blocks a
     * JDK cache owns do not count as live. Walks the heap: call only when a leak is to be reported,
     * after settling. The plain report where no owner check can run.
     */
    default ScopeReport reportWithOwners(long scope, Object testInstance, Thread testThread) {
        return report(scope);
    }

    /**
     * The scope's combined peak: the largest native live + managed held bytes at one instant
     * (the engine updates it on every native allocation and every change of the heap's held
     * bytes); the native peak when the heap is not tracked. -1 when this tracker cannot tell,
     * and then only the upper bound native peak + managed peak is known.
     */
    default long combinedPeak(long scope) {
        return -1;
    }

    /**
     * The largest native live + managed held bytes the scope reached since the previous call
     * (since it began, for the first), then the next interval starts at the current total: what
     * the timeline's poll reads so that every point carries its interval's highest total and the
     * timeline's maximum is the combined peak. One caller per scope. -1 when this tracker cannot
     * tell.
     */
    default long takePeak(long scope) {
        return -1;
    }

    /**
     * Whether the class {@code binaryName} was prepared, so first initialised, while {@code scope}
     * (or a scope nested in it) recorded on the thread that prepared it: a fact the one-time
     * initialisation rule asks for ({@code OneTimeInitialisation}). False when it was prepared
     * before the scope began, never, or when this tracker cannot tell.
     */
    default boolean classInitialisedIn(long scope, String binaryName) {
        return false;
    }

    /**
     * How many of the blocks are still live and attributed to the same scope ({@code
     * scopeAndAddress}: a scope id then an address for each, as {@link
     * dev.memtrack.internal.model.HeldBlocks} lists them). -1 when this tracker cannot tell.
     */
    default int blocksLive(long[] scopeAndAddress) {
        return -1;
    }

    /** Bytes the tracker itself holds (tables), for the B5 benchmark. */
    long trackerMemory();

    /** Number of live allocations in the tracker's table (all scopes). */
    long liveEntries();

    /**
     * A full garbage collection that {@code -XX:+DisableExplicitGC} does not turn off (JVMTI
     * {@code ForceGarbageCollection}); {@code System.gc()} where the agent cannot.
     */
    default void forceGc() {
        System.gc();
    }

    /** {@link #referencesQuiet()}: the Reference Handler and every queue-draining thread idle. */
    int REFERENCES_QUIET = 1;
    /** {@link #referencesQuiet()}: the Reference Handler has references to process. */
    int REFERENCES_PENDING = 0;
    /** {@link #referencesQuiet()}: a cleaner's or the finalizer's queue holds a reference, or its thread runs an action. */
    int REFERENCES_ACTING = 2;

    /**
     * Whether the JVM has finished acting on the references its collections found:
     * {@link #REFERENCES_QUIET} when the Reference Handler has nothing pending and every thread
     * that drains a reference queue (cleaners, the finalizer, a library's own) waits with nothing
     * to do; {@link #REFERENCES_PENDING} or {@link #REFERENCES_ACTING} while some of it still
     * runs; -1 when this tracker cannot tell (settling then waits a fixed quiet time).
     *
     * @param workNanos {@code [0]} gets the CPU time the threads that drain reference queues
     *                  have used so far (the Reference Handler's left out), -1 when unknown: an
     *                  action too short to be seen running (a finalizer that only drops an
     *                  object) still moves it
     */
    default int referencesQuiet(long[] workNanos) {
        workNanos[0] = -1;
        return -1;
    }

    /** {@link #referencesQuiet(long[])} without the CPU time. */
    default int referencesQuiet() {
        return referencesQuiet(new long[1]);
    }
}
