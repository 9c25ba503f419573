package dev.memtrack.internal.extension;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;

/**
 * The tracker of a test whose tracking is switched off ({@code memtrack.enabled=false}): it never
 * loads the agent and records nothing, so the test and its assertions run as if nothing were
 * allocated.
 */
final class NoNativeTracker implements NativeTracker {

    static final NoNativeTracker INSTANCE = new NoNativeTracker();

    private NoNativeTracker() {
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public String unavailableReason() {
        return "memtrack.enabled is false";
    }

    @Override
    public String status() {
        return "native tracking switched off (memtrack.enabled=false)";
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
