package dev.memtrack.internal.agent;

import com.sun.jna.Pointer;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The real managed tracker: libmemtrack's "managed heap" functions through JNA, the leak walk
 * through JNI ({@link HeapWalker}), exact bytes through {@link ManagedTrackerMeter}.
 */
final class ManagedTrackerJna implements ManagedTracker {

    /**
     * System property, the engine's sampling interval in bytes (0 = exact mode): an alias of
     * {@code memtrack.managed.samplingInterval}, kept for one release (docs/configuration.md).
     */
    static final String INTERVAL_PROPERTY = "memtrack.heap.interval";
    /**
     * System property, the engine's large-object threshold of the managed peak in bytes: an alias
     * of {@code memtrack.managed.peakResolution}, kept for one release (docs/configuration.md).
     */
    static final String LARGE_OBJECT_PROPERTY = "memtrack.heap.largeObject";
    static final int MAX_SITES = 64;
    static final java.time.Duration SETTLE_POLL = java.time.Duration.ofMillis(3);
    static final int SETTLE_STABLE_POLLS = 3;
    static final java.time.Duration SETTLE_MAX = java.time.Duration.ofMillis(500);

    private static final Logger LOG = Logger.getLogger("dev.memtrack");
    /** Keeps the allocations that make a thread take its next sample from being optimised away. */
    @SuppressWarnings("unused")
    private static volatile Object sink;

    private final MemtrackLibrary lib;
    private final ManagedTrackerMeter meter;
    private final boolean sampling;
    private final String reason;

    private ManagedTrackerJna(MemtrackLibrary lib, ManagedTrackerMeter meter, boolean sampling, String reason) {
        this.lib = lib;
        this.meter = meter;
        this.sampling = sampling;
        this.reason = reason;
    }

    static ManagedTrackerJna create(MemtrackLibrary lib) {
        int interval = Integer.getInteger(INTERVAL_PROPERTY, -1);
        String error = lib.memtrack_heap_init(interval);
        boolean sampling = lib.memtrack_heap_available() == 1;
        ManagedTrackerMeter meter = ManagedTrackerMeter.create(lib);
        String reason = error == null ? "" : error;
        if (!sampling) {
            LOG.warning("memtrack: " + reason + (meter.exact() ? "" : "; managed allocated bytes are unavailable too"));
        }
        Long large = Long.getLong(LARGE_OBJECT_PROPERTY);
        if (large != null) {
            lib.memtrack_heap_set_large_object_bytes(large);
        }
        ManagedTrackerJna tracker = new ManagedTrackerJna(lib, meter, sampling, reason);
        tracker.warmUp();
        if (sampling) {
            // the creating thread (usually the first test's) drew its next sample point from the
            // JVM's default interval before memtrack set its own: switch it now, so that exact
            // mode (-Dmemtrack.heap.interval=0) sees the first test's objects too
            tracker.outsideScope(() -> {
                tracker.takeOneSample();
                return null;
            });
        }
        return tracker;
    }

    /**
     * JNA binds each function on its first call and caches what it allocates for it; calling
     * every function once now, outside any scope, keeps those objects out of the first test's
     * allocations (and out of its leak check).
     */
    private void warmUp() {
        long previous = lib.memtrack_thread_attach(0);
        try {
            lib.memtrack_heap_interval();
            lib.memtrack_heap_thread_samples();
            lib.memtrack_heap_frees();
            lib.memtrack_heap_gcs();
            lib.memtrack_heap_dropped();
            lib.memtrack_heap_add_exact(0, 0);
            lib.memtrack_heap_set_metered(0);
            lib.memtrack_heap_figures(0, new long[MemtrackLibrary.HEAP_FIGURES_LEN]);
            Pointer none = lib.memtrack_heap_report(0);
            if (none != null) {
                lib.memtrack_free(none);
            }
            HeapWalker.findLeaks0(0, null, null, 0);
            HeapWalker.nativeReportWithOwners0(0, null, null); // links the owner check's JNI method too
            HeapWalkerParser.parse(NativeTextFormat.header(NativeTextFormat.HEAP_LEAKS) + "\nend\n", false, MAX_SITES);
            meter.pending(0);
        } finally {
            lib.memtrack_thread_attach(previous);
        }
    }

    @Override
    public boolean isAvailable() {
        return sampling;
    }

    @Override
    public boolean hasExactTotals() {
        return meter.exact();
    }

    @Override
    public String unavailableReason() {
        return sampling ? "" : reason;
    }

    @Override
    public int samplingInterval() {
        return lib.memtrack_heap_interval();
    }

    @Override
    public void setSamplingInterval(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("memtrack: the heap sampling interval must be >= 0 bytes (0 = every object), not " + bytes);
        }
        if (!sampling) {
            return;
        }
        outsideScope(() -> {
            int error = lib.memtrack_heap_set_interval(bytes);
            if (error != 0) {
                throw new IllegalStateException("memtrack: the JVM refused heap sampling interval " + bytes + " (JVMTI error " + error + ")");
            }
            takeOneSample();
            return null;
        });
    }

    /**
     * The JVM applies a new interval to a thread after that thread's next sample; allocating until
     * it takes one makes the calling thread (usually the test thread) switch now.
     */
    private void takeOneSample() {
        long before = lib.memtrack_heap_thread_samples();
        for (long allocated = 0; allocated < (256L << 20) && lib.memtrack_heap_thread_samples() == before; allocated += 16 << 10) {
            sink = new byte[16 << 10];
        }
        sink = null;
    }

    @Override
    public void setLargeObjectThreshold(long bytes) {
        lib.memtrack_heap_set_large_object_bytes(bytes);
    }

    @Override
    public void meterEnter(long scope) {
        meter.enter(scope);
    }

    @Override
    public void meterExit(long scope) {
        meter.exit(scope);
    }

    @Override
    public long settle() {
        // The JVM posts ObjectFree some milliseconds after a GC, from its Service Thread: settled
        // when the count has not moved for SETTLE_STABLE_POLLS polls (bounded by SETTLE_MAX).
        long deadline = System.nanoTime() + SETTLE_MAX.toNanos();
        long last = lib.memtrack_heap_frees();
        int stable = 0;
        while (stable < SETTLE_STABLE_POLLS && System.nanoTime() < deadline) {
            try {
                Thread.sleep(SETTLE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = lib.memtrack_heap_frees();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    @Override
    public long freedCount() {
        return lib.memtrack_heap_frees();
    }

    @Override
    public Figures figures(long scope) {
        long pending = meter.pending(scope);
        return outsideScope(() -> {
            long[] out = new long[MemtrackLibrary.HEAP_FIGURES_LEN];
            if (lib.memtrack_heap_figures(scope, out) != 0) {
                return pending > 0 ? new Figures(pending, 0, 0, 0, 0, 0, 0) : Figures.ZERO;
            }
            return new Figures(out[0] + pending, out[1], out[2], out[3], out[4], out[5], out[6]);
        });
    }

    /** MEMTRACK_HEAP_FIG_HELD_BYTES of memtrack.h. */
    private static final int HEAP_FIG_HELD_BYTES = 7;

    @Override
    public long heldBytes(long scope) {
        return outsideScope(() -> {
            long[] out = new long[MemtrackLibrary.HEAP_FIGURES_LEN];
            return lib.memtrack_heap_figures(scope, out) != 0 ? 0 : out[HEAP_FIG_HELD_BYTES];
        });
    }

    @Override
    public ScopeReport report(long scope) {
        Figures figures = figures(scope);
        return outsideScope(() -> {
            Pointer text = lib.memtrack_heap_report(scope);
            if (text == null) {
                return new ScopeReport(Domain.MANAGED, figures, java.util.List.of());
            }
            try {
                ScopeReport parsed = NativeReportParser.parse(text.getString(0, "UTF-8"));
                return new ScopeReport(Domain.MANAGED, figures, parsed.sites().stream().map(ManagedTrackerJna::managed).toList());
            } finally {
                lib.memtrack_free(text);
            }
        });
    }

    private static Site managed(Site s) {
        return new Site(Domain.MANAGED, s.origin(), s.allocatedBytes(), s.allocatedCount(), s.liveBytes(), s.liveCount(),
                s.peakBytes(), s.peakCount(), s.frames());
    }

    @Override
    public LeakCheck checkLeaks(long scope, Object testInstance, Thread testThread, boolean strict) {
        if (!sampling) {
            return HeapWalkerParser.unavailable(reason);
        }
        return outsideScope(() -> {
            // Outside the repeat mode a site below the sampled mode's resolution is no leak
            // (Measurements): when all the scope still holds weighs less, the walk is not needed.
            int interval = samplingInterval();
            long below = strict || interval == 0 ? 0 : ManagedTracker.resolution(interval);
            String text = HeapWalker.findLeaks0(scope, testInstance, testThread, below);
            return text == null ? HeapWalkerParser.unavailable("no such scope: " + scope)
                    : HeapWalkerParser.parse(text, strict, MAX_SITES);
        });
    }

    @Override
    public <T> T unmetered(Supplier<T> work) {
        return meter.paused(work);
    }

    /** The tracker's own work: not attributed to the calling thread's scope, not metered. */
    private <T> T outsideScope(Supplier<T> work) {
        return meter.paused(() -> {
            long previous = lib.memtrack_thread_attach(0);
            try {
                return work.get();
            } finally {
                lib.memtrack_thread_attach(previous);
            }
        });
    }
}
