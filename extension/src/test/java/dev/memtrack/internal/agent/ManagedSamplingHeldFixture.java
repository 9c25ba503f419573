package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Figures;

/**
 * Run in a fresh JVM by {@link ManagedSamplingHeldTests}: another JVMTI environment holds heap
 * sampling before the managed tracker starts. Prints what the tracker says and measures.
 */
public final class ManagedSamplingHeldFixture {

    static volatile Object sink;

    private ManagedSamplingHeldFixture() {
    }

    public static void main(String[] args) {
        NativeTracker nativeTracker = NativeTracker.instance();
        String occupied = NativeAgentLoader.library().memtrack_heap_test_occupy_sampling();
        System.out.println("occupied=" + (occupied == null ? "yes" : occupied));
        ManagedTracker managed = ManagedTracker.instance();
        System.out.println("available=" + managed.isAvailable() + " exact=" + managed.hasExactTotals());
        System.out.println("reason=" + managed.unavailableReason());
        long scope = nativeTracker.beginScope();
        managed.meterEnter(scope);
        for (int i = 0; i < 1000; i++) {
            sink = new byte[10_000];
        }
        managed.meterExit(scope);
        nativeTracker.endScope(scope);
        Figures figures = managed.figures(scope);
        System.out.println("allocated=" + figures.allocatedBytes() + " peak=" + figures.peakBytes());
        System.out.println("leaks=" + managed.checkLeaks(scope, null, Thread.currentThread(), false).note());
    }
}
