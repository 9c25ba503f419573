/*
 * heap_api.c — the exported managed-heap functions of memtrack.h ("managed heap" section) and the
 * JNI method of dev.memtrack.internal.agent.HeapWalker. Each holds the recursion guard while it
 * runs, so that what the tracker allocates for itself is never recorded, natively or on the heap.
 */
#include <jni.h>
#include <jvmti.h>
#include <stdlib.h>
#include <string.h>

#include "heap_api.h"
#include "heap_records.h"
#include "heap_report.h"
#include "heap_sampler.h"
#include "heap_stats.h"
#include "heap_walker.h"
#include "jvm_bridge.h"
#include "report.h"
#include "report_text.h"
#include "memtrack.h"
#include "thread_state.h"

const char *memtrack_heap_init(int interval_bytes) {
    int ok = 0;
    return heap_sampler_init(interval_bytes < 0 ? HEAP_DEFAULT_INTERVAL : interval_bytes, &ok);
}

int memtrack_heap_available(void) { return heap_sampler_available(); }
int memtrack_heap_set_interval(int interval_bytes) { return heap_sampler_set_interval(interval_bytes); }
int memtrack_heap_interval(void) { return heap_sampler_interval(); }
void memtrack_heap_set_large_object_bytes(int64_t bytes) { heap_sampler_set_large_bytes(bytes); }

void memtrack_heap_add_exact(int64_t scope, int64_t bytes) {
    if (scope <= 0 || bytes <= 0) return;
    mt_enter();
    spin_lock_acquire(&heap_lock);
    heap_stats_add_exact((uint32_t)scope, (uint64_t)bytes);
    spin_lock_release(&heap_lock);
    mt_leave();
}

void memtrack_heap_set_metered(int metered) { heap_sampler_set_metered(metered != 0); }

int64_t memtrack_heap_frees(void) { return (int64_t)heap_sampler_frees(); }
int64_t memtrack_heap_gcs(void) { return (int64_t)heap_sampler_gcs(); }
int64_t memtrack_heap_thread_samples(void) { return (int64_t)heap_sampler_thread_samples(); }
int64_t memtrack_heap_dropped(void) { return (int64_t)heap_sampler_dropped(); }

int memtrack_heap_figures(int64_t scope, int64_t *out) {
    heap_totals t;
    mt_enter();
    spin_lock_acquire(&heap_lock);
    int r = scope > 0 ? heap_stats_totals((uint32_t)scope, &t) : -1;
    spin_lock_release(&heap_lock);
    if (r == 0) heap_report_figures(&t, out);
    mt_leave();
    return r;
}

char *memtrack_heap_report(int64_t scope) {
    if (scope <= 0) return NULL;
    mt_enter();
    char *text = heap_report_build((uint32_t)scope);
    mt_leave();
    return text;
}

const char *memtrack_heap_test_occupy_sampling(void) {
    /* What another agent does: its own JVMTI environment holding the solo capability. */
    JavaVM *vm = jvm_vm();
    jvmtiEnv *other = NULL;
    if (!vm || (*vm)->GetEnv(vm, (void **)&other, JVMTI_VERSION_11) != JNI_OK || !other) return "no JVMTI environment";
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof caps);
    caps.can_generate_sampled_object_alloc_events = 1;
    return (*other)->AddCapabilities(other, &caps) == JVMTI_ERROR_NONE ? NULL : "the capability is already held";
}

/* The scope release listener (scopes.h), set by memtrack_api.c: memtrack_scope_release forgets
 * the managed figures too. */
void heap_scope_released(uint32_t scope) {
    spin_lock_acquire(&heap_lock);
    heap_stats_release(scope);
    spin_lock_release(&heap_lock);
}

JNIEXPORT jstring JNICALL Java_dev_memtrack_internal_agent_HeapWalker_findLeaks0(JNIEnv *jni, jclass cls, jlong scope,
                                                                                  jobject test_instance,
                                                                                  jthread test_thread,
                                                                                  jlong below) {
    if (scope <= 0) return NULL;
    mt_enter();
    char *text = heap_walker_find_leaks(jni, (uint32_t)scope, test_instance, test_thread, below);
    jstring result = text ? (*jni)->NewStringUTF(jni, text) : NULL;
    free(text);
    mt_leave();
    return result;
}

typedef struct {
    heap_owner_site *sites;
    int n;
    uint32_t scope;
    report_figures *figures; /* read with the blocks the check judges */
} owner_lines;

/* The scope's figures, read right after the owner check collected its blocks and before its walk:
 * a block allocated while the walk runs (seconds on a large heap; any thread without a scope
 * records into the test's in process-wide mode) is in neither, instead of being reported live
 * without having been judged (a JDK per-thread buffer cache filled meanwhile read as a leak). A
 * site none of whose blocks the check collected (all allocated while it collected) is written
 * without live blocks: judged by the next look, not reported unjudged. */
static void take_figures(void *arg) {
    owner_lines *o = arg;
    o->figures = report_figures_take(o->scope);
}

/* Whether the owner check saw blocks of this site. */
static int judged(uint32_t stack_id, void *arg) {
    owner_lines *o = arg;
    for (int i = 0; i < o->n; i++)
        if (o->sites[i].stack_id == stack_id) return 1;
    return 0;
}

static void append_owner(void *text, uint32_t stack_id, void *arg) {
    owner_lines *o = arg;
    for (int i = 0; i < o->n; i++)
        if (o->sites[i].stack_id == stack_id && o->sites[i].lines) {
            report_text_append(text, "%s", o->sites[i].lines);
            return;
        }
}

JNIEXPORT jstring JNICALL Java_dev_memtrack_internal_agent_HeapWalker_nativeReportWithOwners0(JNIEnv *jni, jclass cls,
                                                                                             jlong scope,
                                                                                             jobject test_instance,
                                                                                             jthread test_thread) {
    if (scope <= 0) return NULL;
    mt_enter();
    owner_lines owners = {NULL, 0, (uint32_t)scope, NULL};
    int64_t walk_us = 0;
    owners.n = heap_walker_find_owners(jni, (uint32_t)scope, test_instance, test_thread, &owners.sites, &walk_us,
                                       take_figures, &owners);
    if (owners.figures && owners.n >= 0) report_figures_drop_unjudged(owners.figures, judged, &owners);
    char *text = owners.figures ? report_figures_format(owners.figures, owners.n > 0 ? append_owner : NULL, &owners)
                                : report_build((uint32_t)scope); /* the check could not start */
    for (int i = 0; i < owners.n; i++) free(owners.sites[i].lines);
    free(owners.sites);
    jstring result = text ? (*jni)->NewStringUTF(jni, text) : NULL;
    free(text);
    mt_leave();
    return result;
}
