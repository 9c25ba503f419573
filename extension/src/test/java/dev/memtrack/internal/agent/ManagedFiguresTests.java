package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Managed allocated bytes, counts and peak through the real agent (docs/managed-heap.md). */
class ManagedFiguresTests {

    private static final long MIB = 1024 * 1024;
    /** Keeps allocations observable (no scalar replacement) without keeping them alive. */
    static volatile Object sink;

    private static long threadAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void allocatedBytesAreExactAgainstThreadMXBean() {
        try (ManagedScope scope = ManagedScope.begin()) {
            // GIVEN a known allocation pattern measured by the test itself
            long before = threadAllocatedBytes();
            byte[][] kept = new byte[1000][];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = new byte[1000 + i];
            }
            sink = kept;
            long measured = threadAllocatedBytes() - before;
            // WHEN the scope ends
            Figures figures = scope.endAndSettle().figures();
            // THEN the tracker's exact figure covers it, give or take the reads around it
            assertThat(figures.allocatedBytes()).isBetween(measured, measured + 4096);
            assertThat(measured).isGreaterThan(1_500_000);
        } finally {
            sink = null;
        }
    }

    @Test
    void largeArrayHeldBrieflyShowsInThePeak() {
        try (ManagedScope scope = ManagedScope.begin()) {
            byte[] big = new byte[32 * (int) MIB];
            big[big.length - 1] = 1;
            sink = big;
            sink = null;
            big = null;
            scope.endAndSettle();
            Figures figures = scope.figures();
            assertThat(figures.peakBytes()).isGreaterThanOrEqualTo(32 * MIB);
            assertThat(figures.liveBytes()).isLessThan(MIB);
            ScopeReport report = scope.managed.report(scope.id);
            Site top = report.sites().stream().max(java.util.Comparator.comparingLong(Site::peakBytes)).orElseThrow();
            assertThat(top.peakBytes()).isGreaterThanOrEqualTo(32 * MIB);
            assertThat(top.frames()).extracting(Frame::symbol)
                    .contains(ManagedFiguresTests.class.getName() + ".largeArrayHeldBrieflyShowsInThePeak");
        }
    }

    @Test
    void shortLivedGarbageDoesNotCountAsHeld() {
        try (ManagedScope scope = ManagedScope.begin()) {
            for (int i = 0; i < 200 * 1024; i++) {
                sink = new byte[1024 - 16];
            }
            sink = null;
            Figures figures = scope.endAndSettle().figures();
            assertThat(figures.allocatedBytes()).isGreaterThanOrEqualTo(200 * MIB);
            assertThat(figures.peakBytes()).isLessThan(64 * MIB);
        }
    }

    @Test
    void exactModeCountsEveryObjectOfALoop() {
        ManagedTracker managed = ManagedTracker.instance();
        int previous = managed.samplingInterval();
        managed.setSamplingInterval(0);
        try (ManagedScope scope = ManagedScope.begin()) {
            // stored, so that no allocation can be scalar-replaced (those would use no heap at all)
            Object[] kept = new Object[100_000];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = new byte[24 + (i & 7)];
            }
            sink = kept;
            scope.endAndSettle();
            Figures figures = scope.figures();
            Site loop = scope.managed.report(scope.id).sites().stream()
                    .filter(s -> s.frames().get(0).symbol().endsWith(".exactModeCountsEveryObjectOfALoop") && s.allocatedCount() > 1)
                    .findFirst().orElseThrow();
            assertThat(loop.allocatedCount()).isEqualTo(100_000);
            assertThat(loop.liveCount()).isEqualTo(100_000);
            assertThat(figures.allocatedCount()).isBetween(100_001L, 100_100L);
            // in exact mode the sampled bytes and the counter agree, but for the meter's own JNA
            // calls: sampled (the thread is still in the scope) but deliberately not metered
            long sampled = scope.managed.report(scope.id).sites().stream().mapToLong(Site::allocatedBytes).sum();
            assertThat(sampled).isBetween(figures.allocatedBytes() - 2048, figures.allocatedBytes() + 2048);
        } finally {
            sink = null;
            managed.setSamplingInterval(previous);
        }
    }

    @Test
    void smallObjectsHeldAcrossAGcCountInThePeak() {
        try (ManagedScope scope = ManagedScope.begin()) {
            java.util.List<byte[]> held = new java.util.ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                held.add(new byte[512 - 16]);
            }
            System.gc(); // they survive this one...
            System.gc(); // ...and are counted as held when the next one starts
            sink = held;
            held = null;
            sink = null;
            Figures figures = scope.endAndSettle().figures();
            // 20 MiB held, estimated from ~80 samples of ~256 KiB each
            assertThat(figures.peakBytes()).isBetween(8 * MIB, 40 * MIB);
        }
    }
}
