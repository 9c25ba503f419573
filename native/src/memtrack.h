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
#define MEMTRACK_ABI_VERSION 1

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
    MEMTRACK_FIGURES_LEN = 8
};
MEMTRACK_API int memtrack_scope_figures(int64_t scope, int64_t *out);

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

#ifdef __cplusplus
}
#endif
#endif
