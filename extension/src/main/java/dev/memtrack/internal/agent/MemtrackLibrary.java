package dev.memtrack.internal.agent;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** JNA mapping of native/src/memtrack.h. Keep the two in sync (ABI version check on load). */
interface MemtrackLibrary extends Library {

    int memtrack_abi_version();

    String memtrack_init(int flags);

    String memtrack_status();

    long memtrack_scope_begin();

    void memtrack_scope_end(long scope);

    void memtrack_scope_release(long scope);

    long memtrack_thread_attach(long scope);

    long memtrack_thread_scope();

    void memtrack_process_scope(long scope);

    int memtrack_scope_figures(long scope, long[] out);

    Pointer memtrack_scope_report(long scope);

    long memtrack_scope_take_peak(long scope);

    int memtrack_blocks_live(long[] blocks, int n);

    void memtrack_free(Pointer buffer);

    long memtrack_tracker_memory();

    long memtrack_live_entries();

    int memtrack_force_gc();

    int memtrack_references_quiet(long[] cpuNs);

    int memtrack_unseen_slots();

    int memtrack_class_prepared_in(long scope, String binaryName);

    int ABI_VERSION = 6;
    int INIT_INCLUDE_JVM_INTERNAL = 1;
    int FIGURES_LEN = 8;
    /** Index in memtrack_scope_figures' output: largest native live + managed held at one instant. */
    int FIG_COMBINED_PEAK_BYTES = 7;

    // ---- managed heap (memtrack.h "managed heap" section; ManagedTracker) ----

    String memtrack_heap_init(int intervalBytes);

    int memtrack_heap_available();

    int memtrack_heap_set_interval(int intervalBytes);

    int memtrack_heap_interval();

    void memtrack_heap_set_large_object_bytes(long bytes);

    void memtrack_heap_add_exact(long scope, long bytes);

    void memtrack_heap_set_metered(int metered);

    long memtrack_heap_frees();

    long memtrack_heap_gcs();

    long memtrack_heap_thread_samples();

    long memtrack_heap_dropped();

    int memtrack_heap_figures(long scope, long[] out);

    Pointer memtrack_heap_report(long scope);

    /** For tests: another JVMTI environment takes heap sampling, as a foreign agent would. */
    String memtrack_heap_test_occupy_sampling();

    int HEAP_FIGURES_LEN = 12;
}
