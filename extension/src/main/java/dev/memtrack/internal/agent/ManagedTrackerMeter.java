package dev.memtrack.internal.agent;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Exact managed allocated bytes: the JVM's per-thread allocated-bytes counter
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}, exact to the byte,
 * TLAB included) read when a thread enters and leaves a scope, the difference credited to the
 * scope and its ancestors in the agent.
 *
 * <p>Each thread keeps a stack of open segments, one per scope it entered: entering a nested
 * scope closes the outer segment (crediting it) and opens one for the inner scope, whose bytes
 * the agent also credits to the outer one; leaving reopens the outer segment. Counter reads are
 * placed so that the meter's own allocations (the JNA call crediting a segment) fall outside
 * every segment.
 */
final class ManagedTrackerMeter {

    private static final class Segment {
        final long scope;
        long start;

        Segment(long scope) {
            this.scope = scope;
        }
    }

    private final MemtrackLibrary lib;
    private final com.sun.management.ThreadMXBean threads;
    private final ThreadLocal<ArrayDeque<Segment>> segments = ThreadLocal.withInitial(() -> new ArrayDeque<>(4));

    private ManagedTrackerMeter(MemtrackLibrary lib, com.sun.management.ThreadMXBean threads) {
        this.lib = lib;
        this.threads = threads;
    }

    /** A meter; without per-thread allocation counters in this JVM, one that measures nothing. */
    static ManagedTrackerMeter create(MemtrackLibrary lib) {
        com.sun.management.ThreadMXBean threads = null;
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                    && bean.isThreadAllocatedMemorySupported()) {
                if (!bean.isThreadAllocatedMemoryEnabled()) {
                    bean.setThreadAllocatedMemoryEnabled(true);
                }
                bean.getCurrentThreadAllocatedBytes();
                threads = bean;
            }
        } catch (RuntimeException | LinkageError e) {
            threads = null;
        }
        ManagedTrackerMeter meter = new ManagedTrackerMeter(lib, threads);
        meter.segments.get();
        return meter;
    }

    boolean exact() {
        return threads != null;
    }

    private long now() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    void enter(long scope) {
        if (threads == null || scope <= 0) {
            return;
        }
        ArrayDeque<Segment> stack = segments.get();
        Segment fresh = new Segment(scope);
        long now = now();
        Segment open = stack.peek();
        if (open != null) {
            credit(open.scope, now - open.start);
        } else {
            lib.memtrack_heap_set_metered(1);
        }
        stack.push(fresh);
        fresh.start = now();
    }

    void exit(long scope) {
        if (threads == null || scope <= 0) {
            return;
        }
        long now = now();
        ArrayDeque<Segment> stack = segments.get();
        // A plain loop, not a stream with a lambda: this runs inside the scope, and the first
        // linkage of a lambda defines a class, whose native memory would be charged to it.
        boolean open = false;
        for (Segment segment : stack) {
            open |= segment.scope == scope;
        }
        if (!open) {
            return;
        }
        Segment top = stack.pop();
        credit(top.scope, now - top.start);
        // a scope left without its inner ones: they end with it
        while (top.scope != scope && !stack.isEmpty()) {
            top = stack.pop();
        }
        Segment outer = stack.peek();
        if (outer == null) {
            lib.memtrack_heap_set_metered(0);
        } else {
            outer.start = now();
        }
    }

    /** Bytes of this thread's open segment that belong to {@code scope} but are not credited yet. */
    long pending(long scope) {
        if (threads == null) {
            return 0;
        }
        ArrayDeque<Segment> stack = segments.get();
        Segment top = stack.peek();
        if (top == null) {
            return 0;
        }
        for (Iterator<Segment> it = stack.iterator(); it.hasNext(); ) {
            if (it.next().scope == scope) {
                return Math.max(0, now() - top.start);
            }
        }
        return 0;
    }

    /** Runs the tracker's own work outside this thread's open segment (its bytes are not the test's). */
    <T> T paused(Supplier<T> work) {
        if (threads == null) {
            return work.get();
        }
        ArrayDeque<Segment> stack = segments.get();
        Segment top = stack.peek();
        if (top == null) {
            return work.get();
        }
        credit(top.scope, now() - top.start);
        try {
            return work.get();
        } finally {
            top.start = now();
        }
    }

    private void credit(long scope, long bytes) {
        if (bytes > 0) {
            lib.memtrack_heap_add_exact(scope, bytes);
        }
    }
}
