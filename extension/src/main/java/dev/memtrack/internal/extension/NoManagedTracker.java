package dev.memtrack.internal.extension;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import java.util.List;

/**
 * The managed tracker of a test that does not measure the heap ({@code memtrack.enabled=false},
 * {@code memtrack.managed.enabled=false}, or a fake native tracker in unit tests): no figures, no
 * sites, and no managed report in the measurement at all, so verdicts judge native memory alone.
 */
final class NoManagedTracker implements ManagedTracker {

    static final NoManagedTracker INSTANCE = new NoManagedTracker();

    private NoManagedTracker() {
    }

    /** True for a tracker that measures nothing at all: the measurement then leaves the domain out. */
    static boolean measuresNothing(ManagedTracker managed) {
        return !managed.isAvailable() && !managed.hasExactTotals();
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public boolean hasExactTotals() {
        return false;
    }

    @Override
    public String unavailableReason() {
        return "managed-heap tracking is switched off";
    }

    @Override
    public int samplingInterval() {
        return -1;
    }

    @Override
    public void setSamplingInterval(int bytes) {
    }

    @Override
    public void setLargeObjectThreshold(long bytes) {
    }

    @Override
    public void meterEnter(long scope) {
    }

    @Override
    public void meterExit(long scope) {
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
    public Figures figures(long scope) {
        return Figures.ZERO;
    }

    @Override
    public ScopeReport report(long scope) {
        return ScopeReport.empty(Domain.MANAGED);
    }

    @Override
    public LeakCheck checkLeaks(long scope, Object testInstance, Thread testThread, boolean strict) {
        return new LeakCheck(ScopeReport.empty(Domain.MANAGED), ScopeReport.empty(Domain.MANAGED), List.of(), 0, 0, false,
                unavailableReason());
    }

    @Override
    public long trackedObjects() {
        return 0;
    }
}
