package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;

/**
 * Measures nothing and says why: where the agent is not loaded or failed to start
 * ({@link ManagedTracker#unavailable}), and where the heap is not measured on purpose
 * ({@link ManagedTracker#switchedOff}).
 */
final class ManagedTrackerUnavailable implements ManagedTracker {

    static final ManagedTrackerUnavailable SWITCHED_OFF = new ManagedTrackerUnavailable("managed-heap tracking is switched off");

    private final String reason;

    ManagedTrackerUnavailable(String reason) {
        this.reason = reason;
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
        return reason;
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
        return HeapWalkerParser.unavailable(reason);
    }
}
