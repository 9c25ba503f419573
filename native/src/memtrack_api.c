/*
 * memtrack_api.c — the exported functions of memtrack.h. Each one holds the recursion guard
 * while it runs, so that what the tracker allocates for itself is never recorded.
 */
#include "memtrack.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_log.h"
#include "got_patcher.h"
#include "heap_api.h"
#include "hooks.h"
#include "jvm_bridge.h"
#include "live_table.h"
#include "raw_memory.h"
#include "reference_quiet.h"
#include "report.h"
#include "stack_capture.h"
#include "stack_table.h"
#include "symbolizer.h"
#include "thread_state.h"
#include "tracker.h"

void stack_capture_add_jvm_range(int unsafe, uint64_t start, uint64_t end);

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int initialized;
static const char *init_error;
static char status_text[512];

/* The entry layer wires the layers below together: releasing a scope (core) forgets its managed
 * figures too (heap engine), without the core calling up. At load, before any scope exists. */
__attribute__((constructor)) static void connect_layers(void) { scopes_on_release(heap_scope_released); }

int memtrack_abi_version(void) { return MEMTRACK_ABI_VERSION; }

/* A forked child runs no tests: nothing it does is recorded. */
static void after_fork_in_child(void) {
    /* The child has only the forking thread; the tracker's locks are as they were at the fork,
     * possibly held by threads it does not have. So it must take none: no scope of its own, none
     * of the process (process-wide mode: 6 of 24 children forked beside a storming thread hung in
     * FaultsTests before), and frees never look the table up (no recheck in progress either). */
    mt_thread.scope_id = 0;
    atomic_store(&tracker_process_scope, 0);
    atomic_store(&tracker_has_live, 0);
    atomic_store(&tracker_live_seq, 0);
    atomic_store(&tracker_has_regions, 0);
}

static void find_jvm_entry_points(void) {
    /* Exact mangled names differ between JDK 17 (MEMFLAGS) and JDK 21+ (MemTag). */
    static const char *os_alloc[] = {
        "_ZN2os6mallocEm8MEMFLAGSRK15NativeCallStack", "_ZN2os6mallocEm8MEMFLAGS",
        "_ZN2os7reallocEPvm8MEMFLAGSRK15NativeCallStack", "_ZN2os7reallocEPvm8MEMFLAGS",
        "_ZN2os6mallocEm6MemTagRK15NativeCallStack", "_ZN2os6mallocEm6MemTag",
        "_ZN2os7reallocEPvm6MemTagRK15NativeCallStack", "_ZN2os7reallocEPvm6MemTag",
        "_ZN2os4freeEPv"};
    static const char *unsafe[] = {"Unsafe_AllocateMemory0", "Unsafe_ReallocateMemory0", "Unsafe_FreeMemory0"};
    uint64_t start, end;
    for (size_t i = 0; i < sizeof os_alloc / sizeof os_alloc[0]; i++)
        if (symbolizer_function_range("libjvm.so", os_alloc[i], &start, &end)) stack_capture_add_jvm_range(0, start, end);
    for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
        if (symbolizer_function_range("libjvm.so", unsafe[i], &start, &end)) stack_capture_add_jvm_range(1, start, end);
}

const char *memtrack_init(int flags) {
    pthread_mutex_lock(&init_lock);
    if (!initialized) {
        mt_enter();
        tracker_include_jvm_internal = (flags & MEMTRACK_INIT_INCLUDE_JVM_INTERNAL) != 0;
        if (live_table_init() != 0) {
            init_error = "memtrack: could not reserve memory for the live table";
        } else {
            stack_capture_refresh_objects();
            find_jvm_entry_points();
            init_error = hooks_install();
            if (!init_error) {
                stack_capture_refresh_objects();
                pthread_atfork(NULL, NULL, after_fork_in_child);
            }
        }
        initialized = 1;
        mt_leave();
    }
    pthread_mutex_unlock(&init_lock);
    return init_error;
}

const char *memtrack_status(void) {
    mt_enter();
    snprintf(status_text, sizeof status_text,
             "hooks: %d slots in %d objects (%d chained through another tool's hooks, %d held by another tool and not "
             "seen); %s; live entries %zu; tracker memory %zu bytes",
             got_slots_patched(), got_objects_patched(), got_slots_chained(), got_slots_foreign(), jvm_status(),
             live_table_count(), raw_bytes_in_use());
    mt_leave();
    return status_text;
}

int64_t memtrack_scope_begin(void) {
    mt_enter();
    uint32_t id = tracker_scope_begin(mt_thread.scope_id);
    if (id) {
        mt_thread.scope_id = id;
        stack_capture_scope_begun(id);
    }
    mt_leave();
    return id;
}

void memtrack_scope_end(int64_t scope) {
    mt_enter();
    uint32_t id = (uint32_t)scope;
    scope_slot *s = tracker_scope(id);
    if (s) {
        tracker_scope_end(id);
        if (mt_thread.scope_id == id) mt_thread.scope_id = atomic_load(&s->parent);
    } else if (mt_thread.scope_id == id) {
        mt_thread.scope_id = 0;
    }
    mt_leave();
}

void memtrack_scope_release(int64_t scope) {
    mt_enter();
    tracker_scope_release((uint32_t)scope);
    tracker_recheck_live();
    mt_leave();
}

int64_t memtrack_thread_attach(int64_t scope) {
    uint32_t previous = mt_thread.scope_id;
    mt_thread.scope_id = (uint32_t)scope;
    return previous;
}

int64_t memtrack_thread_scope(void) { return mt_thread.scope_id; }

void memtrack_process_scope(int64_t scope) {
    atomic_store(&tracker_process_scope, (uint32_t)scope);
}

int memtrack_scope_figures(int64_t scope, int64_t *out) {
    mt_enter();
    int r = -1;
    scope_slot *s = tracker_scope((uint32_t)scope);
    scope_totals t;
    if (s && scope_stats_totals(&s->stats, (uint32_t)scope, &t) == 0) {
        out[MEMTRACK_FIG_ALLOCATED_BYTES] = (int64_t)t.allocated_bytes;
        out[MEMTRACK_FIG_ALLOCATED_COUNT] = (int64_t)t.allocated_count;
        out[MEMTRACK_FIG_FREED_BYTES] = (int64_t)t.freed_bytes;
        out[MEMTRACK_FIG_FREED_COUNT] = (int64_t)t.freed_count;
        out[MEMTRACK_FIG_LIVE_BYTES] = (int64_t)t.live_bytes;
        out[MEMTRACK_FIG_LIVE_COUNT] = (int64_t)t.live_count;
        out[MEMTRACK_FIG_PEAK_BYTES] = (int64_t)t.peak_bytes;
        out[MEMTRACK_FIG_COMBINED_PEAK_BYTES] = (int64_t)t.combined_peak_bytes;
        r = 0;
    }
    mt_leave();
    return r;
}

int64_t memtrack_scope_take_peak(int64_t scope) {
    mt_enter();
    int64_t r = -1;
    scope_slot *s = tracker_scope((uint32_t)scope);
    uint64_t peak;
    if (s && scope_stats_take_interval_peak(&s->stats, (uint32_t)scope, &peak) == 0) r = (int64_t)peak;
    mt_leave();
    return r;
}

int memtrack_blocks_live(const int64_t *blocks, int n) {
    mt_enter();
    int live = 0;
    for (int i = 0; blocks && i < n; i++) {
        live_entry e;
        if (live_table_find((uint64_t)blocks[2 * i + 1], &e) && (int64_t)e.scope_id == blocks[2 * i]) live++;
    }
    mt_leave();
    return live;
}

char *memtrack_scope_report(int64_t scope) {
    mt_enter();
    char *text = report_build((uint32_t)scope);
    mt_leave();
    return text;
}

void memtrack_free(char *buffer) {
    mt_enter();
    free(buffer);
    mt_leave();
}

int memtrack_unseen_slots(void) { return got_slots_foreign(); }

int memtrack_class_prepared_in(int64_t scope, const char *binary_name) {
    char signature[1024];
    size_t n = binary_name ? strlen(binary_name) : 0;
    if (scope <= 0 || n == 0 || n + 3 > sizeof signature) return 0;
    signature[0] = 'L';
    for (size_t i = 0; i < n; i++) signature[i + 1] = binary_name[i] == '.' ? '/' : binary_name[i];
    signature[n + 1] = ';';
    signature[n + 2] = '\0';
    return class_log_prepared_in((uint32_t)scope, signature);
}

int64_t memtrack_tracker_memory(void) { return (int64_t)raw_bytes_in_use(); }
int64_t memtrack_live_entries(void) { return (int64_t)live_table_count(); }

/* The Java methods of every stack interned since the last forced GC, described now: the GC about
 * to run may unload their classes (a plugin's loader the test dropped) before a report names
 * them (jvm_keep_method_names). Stack ids are dense, so a high-water mark says what is new. */
static void keep_new_method_names(void) {
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static uint32_t kept; /* stacks 1..kept are described */
    mt_enter();
    pthread_mutex_lock(&lock);
    uint32_t last = stack_table_count();
    for (uint32_t id = kept + 1; id <= last; id++) {
        const stack_frame *frames;
        int n;
        if (stack_table_get(id, &frames, &n, NULL) == 0) jvm_keep_method_names(frames, n);
    }
    kept = last;
    pthread_mutex_unlock(&lock);
    mt_leave();
}

int memtrack_references_quiet(int64_t *cpu_ns) { return reference_quiet(cpu_ns); }

int memtrack_force_gc(void) {
    jvmtiEnv *env = jvm_jvmti();
    if (!env) return -1;
    keep_new_method_names();
    return (int)(*env)->ForceGarbageCollection(env);
}
