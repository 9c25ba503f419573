package dev.memtrack.internal.tracking;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A NativeTracker for unit tests that behaves like the agent's contract: nested scopes per thread,
 * allocations recorded in the calling thread's scope and its enclosing scopes (ended scopes stop
 * recording), frees counted wherever they happen, per-site figures with the bytes live at the
 * scope's peak. {@link #allocateOwned} models JNA Memory / direct buffers: the fake memory is freed
 * by a Cleaner thread after the owner is collected, which is what GC settling must wait for.
 */
public final class FakeNativeTracker implements NativeTracker {

    private static final Cleaner CLEANER = Cleaner.create();

    private final String unavailableReason;
    private final Map<Long, Scope> scopes = new HashMap<>();
    private final Map<Long, Allocation> live = new HashMap<>();
    private final ThreadLocal<Long> current = ThreadLocal.withInitial(() -> 0L);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile RuntimeException reportFailure;
    private final AtomicInteger timelineReads = new AtomicInteger();
    private volatile String unseenNotice = "";
    private volatile java.util.function.IntSupplier referencesQuiet = () -> -1;
    private final java.util.concurrent.atomic.AtomicLong referenceWork = new java.util.concurrent.atomic.AtomicLong();
    private long nextScope = 1;
    private long nextAddress = 0x1000;

    private FakeNativeTracker(String unavailableReason) {
        this.unavailableReason = unavailableReason;
    }

    public static FakeNativeTracker available() {
        return new FakeNativeTracker(null);
    }

    public static FakeNativeTracker unavailable(String reason) {
        return new FakeNativeTracker(reason);
    }

    /** The fake the running engine test installed through {@link Backends}. */
    public static FakeNativeTracker installed() {
        return (FakeNativeTracker) Backends.tracker();
    }

    // ---- what fixtures do -------------------------------------------------------------------

    /** As if another tool's hooks held import slots memtrack could not chain through. */
    public void holdSlotsElsewhere(String notice) {
        unseenNotice = notice;
    }

    @Override
    public String unseenNotice() {
        return unseenNotice;
    }

    /**
     * Waits (at most 10 s) until the timeline sampler has read figures {@code reads} times: a
     * fixture that needs timeline points between its first and last mark waits for them instead
     * of sleeping and hoping the sampler's thread was scheduled meanwhile.
     */
    public void awaitTimelineReads(int reads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (timelineReads.get() < reads) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the timeline sampler read figures " + timelineReads.get() + " times in 10 s, expected " + reads);
            }
            Thread.sleep(1);
        }
    }

    /** malloc on the calling thread; returns the fake address. */
    public synchronized long malloc(long bytes, List<Frame> frames) {
        if (unavailableReason != null) {
            return 0;
        }
        long address = nextAddress;
        nextAddress += Math.max(bytes, 16);
        List<Scope> recordedIn = new ArrayList<>();
        for (Scope s = scopes.get(current.get()); s != null; s = s.parent) {
            if (!s.ended) {
                recordedIn.add(s);
                s.allocate(frames, bytes);
            }
        }
        live.put(address, new Allocation(bytes, frames, recordedIn));
        return address;
    }

    public synchronized void free(long address) {
        Allocation allocation = live.remove(address);
        if (allocation != null) {
            for (Scope s : allocation.recordedIn) {
                s.free(allocation.frames, allocation.bytes);
            }
        }
    }

    /** Native memory owned by the returned object and freed by a Cleaner once it is unreachable. */
    public Object allocateOwned(long bytes, List<Frame> frames) {
        long address = malloc(bytes, frames);
        Object owner = new Object();
        CLEANER.register(owner, () -> free(address));
        return owner;
    }

    /** From now on {@link #report} throws {@code failure}, as a broken agent might. */
    public FakeNativeTracker failReportsWith(RuntimeException failure) {
        reportFailure = failure;
        return this;
    }

    /** Calls made to the tracker ("begin 1", "end 1", "attach 0", "release 1"), in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized boolean isReleased(long scope) {
        Scope s = scopes.get(scope);
        return s != null && s.released;
    }

    /** {@code scope} and the scopes it is nested in, innermost first; ended scopes left out. */
    synchronized List<Long> scopeChain(long scope) {
        List<Long> chain = new ArrayList<>();
        for (Scope s = scopes.get(scope); s != null; s = s.parent) {
            if (!s.ended) {
                chain.add(idOf(s));
            }
        }
        return chain;
    }

    public synchronized List<Long> scopeIds() {
        return List.copyOf(scopes.keySet());
    }

    // ---- NativeTracker ----------------------------------------------------------------------

    @Override
    public boolean isAvailable() {
        return unavailableReason == null;
    }

    @Override
    public String unavailableReason() {
        return unavailableReason == null ? "" : unavailableReason;
    }

    @Override
    public String status() {
        return "fake";
    }

    @Override
    public synchronized long beginScope() {
        if (unavailableReason != null) {
            return 0;
        }
        long id = nextScope++;
        scopes.put(id, new Scope(scopes.get(current.get())));
        current.set(id);
        calls.add("begin " + id);
        return id;
    }

    @Override
    public synchronized void endScope(long scope) {
        calls.add("end " + scope);
        Scope s = scopes.get(scope);
        if (s != null) {
            s.ended = true;
            current.set(s.parent == null ? 0L : idOf(s.parent));
        }
    }

    @Override
    public synchronized void releaseScope(long scope) {
        calls.add("release " + scope);
        Scope s = scopes.get(scope);
        if (s != null) {
            s.released = true;
        }
    }

    @Override
    public long attachThread(long scope) {
        calls.add("attach " + scope);
        long previous = current.get();
        current.set(scope);
        return previous;
    }

    @Override
    public void setProcessScope(long scope) {
        calls.add("process " + scope);
    }

    @Override
    public long currentScope() {
        return current.get();
    }

    @Override
    public synchronized Figures figures(long scope) {
        if (Thread.currentThread().getName().equals("memtrack-timeline")) {
            timelineReads.incrementAndGet();
        }
        Scope s = scopes.get(scope);
        return s == null || s.released ? Figures.ZERO : s.figures();
    }

    @Override
    public synchronized ScopeReport report(long scope) {
        if (reportFailure != null) {
            throw reportFailure;
        }
        Scope s = scopes.get(scope);
        if (s == null || s.released) {
            return ScopeReport.empty(Domain.NATIVE);
        }
        return new ScopeReport(Domain.NATIVE, s.figures(), s.sites());
    }

    @Override
    public long trackerMemory() {
        return 0;
    }

    /** What {@link #referencesQuiet()} answers (by default -1: cannot tell, as an agent without JVMTI). */
    public FakeNativeTracker referencesQuietWith(java.util.function.IntSupplier answer) {
        this.referencesQuiet = answer;
        return this;
    }

    /** What {@link #referencesQuiet(long[])} says the reference threads' CPU time is (a test moves it). */
    public java.util.concurrent.atomic.AtomicLong referenceWork() {
        return referenceWork;
    }

    @Override
    public int referencesQuiet(long[] workNanos) {
        workNanos[0] = referenceWork.get();
        return referencesQuiet.getAsInt();
    }

    @Override
    public synchronized long liveEntries() {
        return live.size();
    }

    private long idOf(Scope scope) {
        return scopes.entrySet().stream().filter(e -> e.getValue() == scope).findFirst().orElseThrow().getKey();
    }

    private record Allocation(long bytes, List<Frame> frames, List<Scope> recordedIn) {
    }

    /** Figures of one scope; sites keyed by stack, in first-allocation order. */
    private static final class Scope {
        final Scope parent;
        boolean ended;
        boolean released;
        long allocatedBytes;
        long allocatedCount;
        long freedBytes;
        long freedCount;
        long liveBytes;
        long peakBytes;
        final Map<List<Frame>, long[]> sites = new LinkedHashMap<>();     // allocB, allocN, liveB, liveN
        Map<List<Frame>, long[]> atPeak = new HashMap<>();               // liveB, liveN at the peak

        Scope(Scope parent) {
            this.parent = parent;
        }

        void allocate(List<Frame> frames, long bytes) {
            long[] site = sites.computeIfAbsent(frames, k -> new long[4]);
            site[0] += bytes;
            site[1]++;
            site[2] += bytes;
            site[3]++;
            allocatedBytes += bytes;
            allocatedCount++;
            liveBytes += bytes;
            if (liveBytes > peakBytes) {
                peakBytes = liveBytes;
                atPeak = new HashMap<>();
                sites.forEach((k, v) -> atPeak.put(k, new long[] {v[2], v[3]}));
            }
        }

    public     void free(List<Frame> frames, long bytes) {
            long[] site = sites.get(frames);
            site[2] -= bytes;
            site[3]--;
            freedBytes += bytes;
            freedCount++;
            liveBytes -= bytes;
        }

        Figures figures() {
            return new Figures(allocatedBytes, allocatedCount, freedBytes, freedCount, liveBytes, allocatedCount - freedCount, peakBytes);
        }

        List<Site> sites() {
            List<Site> out = new ArrayList<>();
            sites.forEach((frames, v) -> {
                long[] peak = atPeak.getOrDefault(frames, new long[2]);
                out.add(new Site(Domain.NATIVE, Origin.JNI_LIBRARY, v[0], v[1], v[2], v[3], peak[0], peak[1], frames));
            });
            return out;
        }
    }
}
