package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;

/** Stands in where the agent cannot run (other OS, musl, load failure): records nothing. */
final class NativeTrackerUnavailable implements NativeTracker {

    private final String reason;

    NativeTrackerUnavailable(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public String unavailableReason() {
        return reason;
    }

    @Override
    public String status() {
        return "native tracking unavailable: " + reason;
    }

    @Override
    public long beginScope() {
        return 0;
    }

    @Override
    public void endScope(long scope) {
    }

    @Override
    public void releaseScope(long scope) {
    }

    @Override
    public long attachThread(long scope) {
        return 0;
    }

    @Override
    public void setProcessScope(long scope) {
    }

    @Override
    public long currentScope() {
        return 0;
    }

    @Override
    public Figures figures(long scope) {
        return Figures.ZERO;
    }

    @Override
    public ScopeReport report(long scope) {
        return ScopeReport.empty(Domain.NATIVE);
    }

    @Override
    public long trackerMemory() {
        return 0;
    }

    @Override
    public long liveEntries() {
        return 0;
    }
}
