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
}
