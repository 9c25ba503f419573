package dev.memtrack.internal.tracking;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A ManagedTracker for unit tests over a {@link FakeNativeTracker}'s scopes: {@link #allocate}
 * records a managed site in the calling thread's current fake scope, as "held" (peak) and, when
 * given a reference path, as still reachable (a leak the check reports with that path). Records
 * the calls the extension makes (meter, checks with their strict flag and test instance).
 */
public final class FakeManagedTracker implements ManagedTracker {

    private final FakeNativeTracker nativeTracker;
    private final boolean sampling;
    private volatile int interval;
    private final Map<Long, List<Allocation>> byScope = new HashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Object> checkedInstances = new CopyOnWriteArrayList<>();

    private FakeManagedTracker(FakeNativeTracker nativeTracker, boolean sampling, int interval) {
        this.nativeTracker = nativeTracker;
        this.sampling = sampling;
        this.interval = interval;
    }

    /** Sampled mode (256 KiB): figures other than allocated bytes are estimates. */
    public static FakeManagedTracker sampled(FakeNativeTracker nativeTracker) {
        return new FakeManagedTracker(nativeTracker, true, 256 * 1024);
    }

    /** Exact mode: every object sampled. */
    public static FakeManagedTracker exact(FakeNativeTracker nativeTracker) {
        return new FakeManagedTracker(nativeTracker, true, 0);
    }

    /** Heap sampling held by another agent: exact allocated bytes only. */
    public static FakeManagedTracker samplingHeld(FakeNativeTracker nativeTracker) {
        return new FakeManagedTracker(nativeTracker, false, -1);
    }

    public static FakeManagedTracker installed() {
        return (FakeManagedTracker) Backends.managedTracker();
    }

    /**
     * Heap objects allocated on the calling thread, in its current scope and the scopes it is
     * nested in; {@code retainedBy} non-empty: still reachable after the scope (a leak).
     */
    public synchronized void allocate(long bytes, long count, List<Frame> frames, List<String> retainedBy) {
        long scope = nativeTracker.currentScope();
        for (long s : nativeTracker.scopeChain(scope)) {
            List<Allocation> sites = byScope.computeIfAbsent(s, k -> new ArrayList<>());
            // one site per stack, as the engine reports them
            int same = -1;
            for (int i = 0; i < sites.size(); i++) {
                if (sites.get(i).frames.equals(frames)) {
                    same = i;
                }
            }
            if (same < 0) {
                sites.add(new Allocation(bytes, count, frames, retainedBy));
            } else {
                Allocation a = sites.get(same);
                sites.set(same, new Allocation(a.bytes + bytes, a.count + count, frames, retainedBy));
            }
        }
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    public List<Object> checkedInstances() {
        return List.copyOf(checkedInstances);
    }

    @Override
    public boolean isAvailable() {
        return sampling;
    }

    @Override
    public boolean hasExactTotals() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return sampling ? "" : "managed-heap sampling is held by another JVMTI agent in this JVM";
    }

    @Override
    public int samplingInterval() {
        return interval;
    }

    @Override
    public void setSamplingInterval(int bytes) {
        calls.add("interval " + bytes);
        interval = bytes;
    }

    @Override
    public void setLargeObjectThreshold(long bytes) {
        calls.add("largeObject " + bytes);
    }

    @Override
    public void meterEnter(long scope) {
        calls.add("meterEnter " + scope);
    }

    @Override
    public <T> T unmetered(java.util.function.Supplier<T> work) {
        calls.add("unmetered");
        return work.get();
    }

    @Override
    public void meterExit(long scope) {
        calls.add("meterExit " + scope);
    }

    @Override
    public long settle() {
        return 0;
    }

    @Override
    public long freedCount() {
        return 0;
    }

    @Override
    public synchronized Figures figures(long scope) {
        long bytes = 0;
        long count = 0;
        for (Allocation a : byScope.getOrDefault(scope, List.of())) {
            bytes += a.bytes;
            count += a.count;
        }
        return sampling ? new Figures(bytes, count, 0, 0, bytes, count, bytes) : new Figures(bytes, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public synchronized ScopeReport report(long scope) {
        if (!sampling) {
            return new ScopeReport(Domain.MANAGED, figures(scope), List.of());
        }
        List<Site> sites = new ArrayList<>();
        for (Allocation a : byScope.getOrDefault(scope, List.of())) {
            sites.add(new Site(Domain.MANAGED, Origin.JAVA_HEAP, a.bytes, a.count, a.bytes, a.count, a.bytes, a.count, a.frames));
        }
        return new ScopeReport(Domain.MANAGED, figures(scope), sites);
    }

    @Override
    public synchronized LeakCheck checkLeaks(long scope, Object testInstance, Thread testThread, boolean strict) {
        calls.add("checkLeaks " + scope + (strict ? " strict" : ""));
        checkedInstances.add(testInstance == null ? "null" : testInstance);
        List<Site> leaked = new ArrayList<>();
        long bytes = 0;
        long count = 0;
        for (Allocation a : byScope.getOrDefault(scope, List.of())) {
            if (!a.retainedBy.isEmpty()) {
                leaked.add(new Site(Domain.MANAGED, Origin.JAVA_HEAP, a.bytes, a.count, a.bytes, a.count, 0, 0, a.frames,
                        a.retainedBy));
                bytes += a.bytes;
                count += a.count;
            }
        }
        ScopeReport leaks = new ScopeReport(Domain.MANAGED, new Figures(0, 0, 0, 0, bytes, count, 0), leaked);
        return new LeakCheck(leaks, ScopeReport.empty(Domain.MANAGED), List.of(), leaked.size(), 0, false, "");
    }

    private record Allocation(long bytes, long count, List<Frame> frames, List<String> retainedBy) {
    }
}
