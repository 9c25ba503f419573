/*
 * memtrack.h — the exported C ABI of libmemtrack, called from Java through JNA.
 *
 * Everything else in the library is hidden (-fvisibility=hidden). Every function here may be
 * called from any thread unless stated otherwise; none of them may be called from inside an
 * allocation hook or a signal handler. Errors are reported as const char* (NULL = success).
 */
#ifndef MEMTRACK_H
#define MEMTRACK_H

#include <stdint.h>

#define MEMTRACK_API __attribute__((visibility("default")))
#define MEMTRACK_ABI_VERSION 6

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version of this build; the Java side refuses a library with another one. */
MEMTRACK_API int memtrack_abi_version(void);

/*
 * Installs the allocation hooks in every loaded object (idempotent, thread-safe; the first
 * call does the work). Returns NULL on success or a static message saying what is missing.
 * Flags: MEMTRACK_INIT_* below.
 */
#define MEMTRACK_INIT_INCLUDE_JVM_INTERNAL 1
MEMTRACK_API const char *memtrack_init(int flags);

/* A human-readable, static-lifetime line about the hooks: objects and slots patched, JVMTI. */
MEMTRACK_API const char *memtrack_status(void);

/*
 * Scopes. A scope collects the allocations of the threads attributed to it. Scopes nest: an
 * allocation in a child scope counts in every ancestor too.
 *
 * memtrack_scope_begin: creates a scope whose parent is the calling thread's current scope and
 * makes it current on this thread. Returns its id (> 0), or 0 when no slot is free.
 * memtrack_scope_end: stops attribution to the scope on the calling thread and restores its
 * parent as current (idempotent). The scope's figures stay queryable: frees that happen later
 * (cleaners, other threads) still lower its live figures, which is how leaks settle.
 * memtrack_scope_release: forgets the scope's figures. Live allocations stay in the table.
 */
MEMTRACK_API int64_t memtrack_scope_begin(void);
MEMTRACK_API void memtrack_scope_end(int64_t scope);
MEMTRACK_API void memtrack_scope_release(int64_t scope);

/*
 * Attributes the calling thread to `scope` (0: to none) and returns the previous scope id.
 * Used for worker threads and to suspend recording while the tracker itself works.
 */
MEMTRACK_API int64_t memtrack_thread_attach(int64_t scope);
MEMTRACK_API int64_t memtrack_thread_scope(void);

/*
 * Process-wide mode: every thread that has no scope of its own records into `scope` (0 turns
 * the mode off). JVM internals stay excluded. Meant for sequential test runs only.
 */
MEMTRACK_API void memtrack_process_scope(int64_t scope);

/*
 * Figures of a scope, written to out[0..MEMTRACK_FIGURES_LEN-1] in the order of the
 * MEMTRACK_FIG_* indices. Returns 0, or -1 for an unknown (released) scope.
 */
enum {
    MEMTRACK_FIG_ALLOCATED_BYTES = 0,
    MEMTRACK_FIG_ALLOCATED_COUNT = 1,
    MEMTRACK_FIG_FREED_BYTES = 2,
    MEMTRACK_FIG_FREED_COUNT = 3,
    MEMTRACK_FIG_LIVE_BYTES = 4,
    MEMTRACK_FIG_LIVE_COUNT = 5,
    MEMTRACK_FIG_PEAK_BYTES = 6,
    /* Largest native live + managed held bytes at one instant (docs/peak-algorithm.md): the
     * combined peak. The native peak while the managed heap is not tracked. */
    MEMTRACK_FIG_COMBINED_PEAK_BYTES = 7,
    MEMTRACK_FIGURES_LEN = 8
};
MEMTRACK_API int memtrack_scope_figures(int64_t scope, int64_t *out);

/*
 * The largest native live + managed held bytes the scope reached since the previous call (since
 * the scope began, for the first): the timeline's poll reads it so that every point carries the
 * highest total of its interval, and the timeline's maximum is the combined peak. Resets the
 * interval to the current total. One caller per scope. Returns -1 for an unknown scope.
 */
MEMTRACK_API int64_t memtrack_scope_take_peak(int64_t scope);

/*
 * How many of the n blocks are still live and attributed to the same scope: blocks[2i] is a scope
 * id, blocks[2i+1] an address, as the owner check's `held` lines list them (docs/
 * native-report-format.md). A block freed, or freed and its address reused by another allocation,
 * is not (scope ids are never reused).
 */
MEMTRACK_API int memtrack_blocks_live(const int64_t *blocks, int n);

/*
 * The scope's sites, symbolized, as text (format in docs/native-report-format.md). Returns a
 * NUL-terminated buffer to release with memtrack_free, or NULL for an unknown scope. Must be
 * called while the libraries and classes involved are still loaded (at scope end).
 */
MEMTRACK_API char *memtrack_scope_report(int64_t scope);
MEMTRACK_API void memtrack_free(char *buffer);

/* Process-wide figures for diagnostics: live table entries and tracker memory in bytes. */
MEMTRACK_API int64_t memtrack_tracker_memory(void);
MEMTRACK_API int64_t memtrack_live_entries(void);
/* A full collection through JVMTI ForceGarbageCollection, which -XX:+DisableExplicitGC does not
 * turn off (System.gc() then does nothing). 0, or the JVMTI error (no JVMTI environment: -1). */
MEMTRACK_API int memtrack_force_gc(void);
/* Whether the JVM has finished acting on the references its collections found
 * (reference_quiet.h): 1 the Reference Handler is idle with nothing pending and every thread
 * draining a ReferenceQueue waits with nothing to do; 0 the Reference Handler has references to
 * process; 2 a cleaner's or the finalizer's queue holds one or its thread runs an action; -1 it
 * cannot tell (no JVMTI, or a JDK without the members it reads). `cpu_ns` (may be NULL) gets the
 * CPU time used so far by the threads that drain reference queues (-1 unknown): an action too
 * short to be seen running still moves it. Settling after memtrack_force_gc
 * asks it instead of waiting a fixed quiet time. */
MEMTRACK_API int memtrack_references_quiet(int64_t *cpu_ns);
/* Import slots of hooked functions that another tool's hook held and memtrack could not chain
 * through: calls through them are not seen (said once on stderr; memtrack_status names them). */
MEMTRACK_API int memtrack_unseen_slots(void);
/* 1 when the class `binary_name` ("io.netty.buffer.PooledByteBufAllocator", nested classes with
 * '$') was prepared, so initialised, while `scope` or a scope nested in it recorded on the
 * preparing thread; 0 when before, never, or unknown (class_log.h). */
MEMTRACK_API int memtrack_class_prepared_in(int64_t scope, const char *binary_name);


/* ==== managed heap ========================================================================
 * Java-heap objects through JVMTI heap sampling (docs/managed-heap.md). Managed figures use the
 * same scope ids as the native ones: a sample is attributed to the allocating thread's scope.
 * All functions: any Java thread, not from inside a JVMTI callback or an allocation hook.
 */

/* Enables heap sampling every `interval_bytes` on average (0 = every object, < 0 = default
 * 256 KiB) with object tags, ObjectFree and GC events. Idempotent: later calls return the first
 * result. NULL when everything works, otherwise a static text; when only sampling is refused
 * (another JVMTI agent holds it) memtrack_heap_available() stays 0 while exact allocated bytes
 * keep working through memtrack_heap_add_exact. */
MEMTRACK_API const char *memtrack_heap_init(int interval_bytes);
/* 1 when stacks, peak and leaks work (sampling is ours). */
MEMTRACK_API int memtrack_heap_available(void);
/* New sampling interval (0 = exact mode: every object); each thread switches after its next
 * sample. Returns 0 or a JVMTI error code. */
MEMTRACK_API int memtrack_heap_set_interval(int interval_bytes);
MEMTRACK_API int memtrack_heap_interval(void);
/* Objects at least this large count as held from allocation until freed; smaller ones once
 * they survived a GC (the managed peak's resolution, default 1 MiB). */
MEMTRACK_API void memtrack_heap_set_large_object_bytes(int64_t bytes);

/* Exact allocated bytes measured by the Java side on one thread (ThreadMXBean), credited to
 * `scope` and its ancestors. memtrack_heap_set_metered tells whether the calling thread's
 * allocations are so measured (its samples are then not added as estimates). */
MEMTRACK_API void memtrack_heap_add_exact(int64_t scope, int64_t bytes);
MEMTRACK_API void memtrack_heap_set_metered(int metered);

/* ObjectFree events of sampled objects so far. The JVM posts them some milliseconds after the GC
 * that reclaimed the objects: after System.gc(), wait until this stops changing to settle. */
MEMTRACK_API int64_t memtrack_heap_frees(void);
/* GC pauses seen, samples on the calling thread, samples dropped (no memory / tag refused). */
MEMTRACK_API int64_t memtrack_heap_gcs(void);
MEMTRACK_API int64_t memtrack_heap_thread_samples(void);
MEMTRACK_API int64_t memtrack_heap_dropped(void);

/* Managed figures of a scope into out[0..MEMTRACK_HEAP_FIGURES_LEN-1]. 0, or -1 when the scope
 * has no managed figures (nothing sampled or credited, or released). */
enum {
    MEMTRACK_HEAP_FIG_ALLOCATED_BYTES = 0, /* exact when metered (+ estimate of other threads) */
    MEMTRACK_HEAP_FIG_ALLOCATED_COUNT = 1, /* estimated; every object in exact mode */
    MEMTRACK_HEAP_FIG_FREED_BYTES = 2,     /* estimated from the samples freed */
    MEMTRACK_HEAP_FIG_FREED_COUNT = 3,
    MEMTRACK_HEAP_FIG_LIVE_BYTES = 4,      /* estimated: sampled, not yet reclaimed */
    MEMTRACK_HEAP_FIG_LIVE_COUNT = 5,
    MEMTRACK_HEAP_FIG_PEAK_BYTES = 6,      /* high-water mark of held bytes */
    MEMTRACK_HEAP_FIG_HELD_BYTES = 7,      /* held now */
    MEMTRACK_HEAP_FIG_SAMPLES = 8,
    MEMTRACK_HEAP_FIG_EXACT_BYTES = 9,     /* credited by memtrack_heap_add_exact */
    MEMTRACK_HEAP_FIG_ESTIMATED_BYTES = 10,/* estimate from all samples */
    MEMTRACK_HEAP_FIG_FLAGS = 11,          /* MEMTRACK_HEAP_FLAG_* */
    MEMTRACK_HEAP_FIGURES_LEN = 12
};
#define MEMTRACK_HEAP_FLAG_METERED 1
MEMTRACK_API int memtrack_heap_figures(int64_t scope, int64_t *out);
/* The scope's managed sites as text (docs/native-report-format.md, origin `heap`); release
 * with memtrack_free. NULL for a scope without managed figures. */
MEMTRACK_API char *memtrack_heap_report(int64_t scope);
/* The leak check itself is a JNI method (it needs object references):
 * dev.memtrack.internal.agent.HeapWalker.findLeaks0(long scope, Object testInstance,
 * Thread testThread, long below) -> String (docs/managed-heap.md): no walk when the scope's
 * sampled objects still alive weigh less than `below` bytes in all. */
/* For tests: takes heap sampling in a second JVMTI environment, as another agent would; call
 * before memtrack_heap_init to see the degraded mode. NULL on success. */
MEMTRACK_API const char *memtrack_heap_test_occupy_sampling(void);
/* ==== end of managed heap ================================================================= */

#ifdef __cplusplus
}
#endif
#endif
