package dev.memtrack.internal.agent;

import com.sun.jna.Pointer;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;

/** The real tracker: every call goes straight to libmemtrack through JNA. */
final class NativeTrackerJna implements NativeTracker {

    private final MemtrackLibrary lib;

    NativeTrackerJna(MemtrackLibrary lib) {
        this.lib = lib;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public boolean propagatesAcrossThreads() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return "";
    }

    @Override
    public String unseenNotice() {
        int unseen = lib.memtrack_unseen_slots();
        return unseen == 0 ? "" : unseen + " import slot" + (unseen == 1 ? "" : "s") + " of allocation functions held by"
                + " another tool's hooks could not be chained through: native allocations through "
                + (unseen == 1 ? "it are" : "them are") + " not seen, and native figures and verdicts rest on the rest ("
                + lib.memtrack_status() + ")";
    }

    @Override
    public boolean classInitialisedIn(long scope, String binaryName) {
        return scope > 0 && lib.memtrack_class_prepared_in(scope, binaryName) == 1;
    }

    @Override
    public String status() {
        return lib.memtrack_status();
    }

    @Override
    public long beginScope() {
        return lib.memtrack_scope_begin();
    }

    @Override
    public void endScope(long scope) {
        lib.memtrack_scope_end(scope);
    }

    @Override
    public void releaseScope(long scope) {
        lib.memtrack_scope_release(scope);
    }

    @Override
    public long attachThread(long scope) {
        return lib.memtrack_thread_attach(scope);
    }

    @Override
    public void setProcessScope(long scope) {
        lib.memtrack_process_scope(scope);
    }

    @Override
    public long currentScope() {
        return lib.memtrack_thread_scope();
    }

    @Override
    public Figures figures(long scope) {
        long[] out = new long[MemtrackLibrary.FIGURES_LEN];
        if (lib.memtrack_scope_figures(scope, out) != 0) {
            return Figures.ZERO;
        }
        return new Figures(out[0], out[1], out[2], out[3], out[4], out[5], out[6]);
    }

    @Override
    public int blocksLive(long[] scopeAndAddress) {
        return scopeAndAddress.length < 2 ? 0 : lib.memtrack_blocks_live(scopeAndAddress, scopeAndAddress.length / 2);
    }

    @Override
    public long takePeak(long scope) {
        return lib.memtrack_scope_take_peak(scope);
    }

    @Override
    public long combinedPeak(long scope) {
        long[] out = new long[MemtrackLibrary.FIGURES_LEN];
        return lib.memtrack_scope_figures(scope, out) != 0 ? -1 : out[MemtrackLibrary.FIG_COMBINED_PEAK_BYTES];
    }

    @Override
    public ScopeReport report(long scope) {
        Pointer text = lib.memtrack_scope_report(scope);
        if (text == null) {
            return ScopeReport.empty(Domain.NATIVE);
        }
        try {
            return NativeReportParser.parse(text.getString(0, "UTF-8"));
        } finally {
            lib.memtrack_free(text);
        }
    }

    @Override
    public ScopeReport reportWithOwners(long scope, Object testInstance, Thread testThread) {
        String text;
        long previous = lib.memtrack_thread_attach(0); // the walk's own objects are not the test's
        try {
            text = HeapWalker.nativeReportWithOwners0(scope, testInstance, testThread);
        } catch (UnsatisfiedLinkError notBound) {
            return report(scope); // the library was loaded by another class loader than HeapWalker's
        } finally {
            lib.memtrack_thread_attach(previous);
        }
        return text == null ? ScopeReport.empty(Domain.NATIVE) : NativeReportParser.parse(text);
    }

    @Override
    public long trackerMemory() {
        return lib.memtrack_tracker_memory();
    }

    @Override
    public long liveEntries() {
        return lib.memtrack_live_entries();
    }

    @Override
    public void forceGc() {
        if (lib.memtrack_force_gc() != 0) {
            System.gc();
        }
    }

    @Override
    public int referencesQuiet(long[] workNanos) {
        return lib.memtrack_references_quiet(workNanos);
    }
}
