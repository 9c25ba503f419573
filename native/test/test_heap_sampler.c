/*
 * Unit tests for heap_sampler against a JVMTI stub (no JVM): set-up asks for the capabilities and
 * events it needs; a sampled allocation is weighed, tagged and recorded in the thread's recording
 * scope (large objects held at once, small ones once they survive a GC), an ObjectFree lowers
 * the figures, a sample the JVM will not tag is undone, and small samples of a scope that ended
 * before a GC never count as held. The stub implements only the JVMTI functions these paths call.
 */
#include <stdlib.h>

#include "heap_records.h"
#include "heap_sampler.h"
#include "heap_stats.h"
#include "jvm_bridge.h"
#include "mt_test.h"
#include "scopes.h"

#define ONE HEAP_COUNT_ONE

/* ---- the stub JVM ------------------------------------------------------------------------------ */

static jvmtiEventCallbacks installed;
static int sampling_interval = -1;
static int enabled_events[JVMTI_MAX_EVENT_TYPE_VAL + 1];
static jlong last_tag;
static int refuse_tags;
static jvmtiFrameInfo stub_frames[3];
static jint stub_depth;

static jvmtiError JNICALL add_capabilities(jvmtiEnv *env, const jvmtiCapabilities *caps) { return JVMTI_ERROR_NONE; }
static jvmtiError JNICALL set_event_callbacks(jvmtiEnv *env, const jvmtiEventCallbacks *cb, jint size) {
    memcpy(&installed, cb, sizeof installed < (size_t)size ? sizeof installed : (size_t)size);
    return JVMTI_ERROR_NONE;
}
static jvmtiError JNICALL set_event_notification_mode(jvmtiEnv *env, jvmtiEventMode mode, jvmtiEvent event, jthread t, ...) {
    if (event >= 0 && event <= JVMTI_MAX_EVENT_TYPE_VAL) enabled_events[event] = mode == JVMTI_ENABLE;
    return JVMTI_ERROR_NONE;
}
static jvmtiError JNICALL set_heap_sampling_interval(jvmtiEnv *env, jint every) {
    sampling_interval = every;
    return JVMTI_ERROR_NONE;
}
static jvmtiError JNICALL get_stack_trace(jvmtiEnv *env, jthread t, jint start, jint max, jvmtiFrameInfo *out, jint *n) {
    *n = stub_depth < max ? stub_depth : max;
    memcpy(out, stub_frames, sizeof *out * (size_t)*n);
    return JVMTI_ERROR_NONE;
}
static jvmtiError JNICALL set_tag(jvmtiEnv *env, jobject object, jlong tag) {
    if (refuse_tags) return JVMTI_ERROR_INVALID_OBJECT;
    last_tag = tag;
    return JVMTI_ERROR_NONE;
}

static struct jvmtiInterface_1_ stub_functions = {
    .AddCapabilities = add_capabilities,
    .SetEventCallbacks = set_event_callbacks,
    .SetEventNotificationMode = set_event_notification_mode,
    .SetHeapSamplingInterval = set_heap_sampling_interval,
    .GetStackTrace = get_stack_trace,
    .SetTag = set_tag,
};
static const struct jvmtiInterface_1_ *stub_env = &stub_functions;

static jint JNICALL get_env(JavaVM *vm, void **penv, jint version) {
    if (version != JVMTI_VERSION_11) return JNI_EVERSION;
    *penv = (void *)&stub_env;
    return JNI_OK;
}
static struct JNIInvokeInterface_ stub_vm_functions = {.GetEnv = get_env};
static const struct JNIInvokeInterface_ *stub_vm = &stub_vm_functions;

static jvmtiEnv *env(void) { return (jvmtiEnv *)&stub_env; }

/* ---- events as the JVM posts them -------------------------------------------------------------- */

static jlong sampled(jlong size) {
    last_tag = 0;
    installed.SampledObjectAlloc(env(), NULL, NULL, (jobject)&last_tag, NULL, size);
    return last_tag;
}
static void freed(jlong tag) { installed.ObjectFree(env(), tag); }
static void gc(void) {
    installed.GarbageCollectionStart(env());
    installed.GarbageCollectionFinish(env());
}

static heap_totals totals_of(uint32_t scope) {
    heap_totals t = {0};
    spin_lock_acquire(&heap_lock);
    heap_stats_totals(scope, &t);
    spin_lock_release(&heap_lock);
    return t;
}

static void finish(uint32_t id) {
    tracker_scope_end(id);
    tracker_scope_release(id);
    heap_stats_release(id);
}

static void setup_once(void) {
    static int done;
    if (done) return;
    done = 1;
    jvm_attach((JavaVM *)&stub_vm, 0, NULL); /* as Agent_OnLoad: nothing loaded to look at yet */
    stub_frames[0] = (jvmtiFrameInfo){(jmethodID)0x1001, 7};
    stub_frames[1] = (jvmtiFrameInfo){(jmethodID)0x1002, -1};
    stub_frames[2] = (jvmtiFrameInfo){(jmethodID)0x1003, 30};
    stub_depth = 3;
}

TEST(set_up_asks_for_the_events_and_the_interval) {
    setup_once();
    int ok = 0;
    const char *error = heap_sampler_init(0, &ok);
    CHECK_TRUE(error == NULL);
    CHECK_EQ(ok, 1);
    CHECK_EQ(heap_sampler_available(), 1);
    CHECK_EQ(sampling_interval, 0);
    CHECK_EQ(heap_sampler_interval(), 0);
    CHECK_TRUE(heap_sampler_env() == env());
    CHECK_TRUE(installed.SampledObjectAlloc != NULL && installed.ObjectFree != NULL);
    CHECK_EQ(enabled_events[JVMTI_EVENT_SAMPLED_OBJECT_ALLOC], 1);
    CHECK_EQ(enabled_events[JVMTI_EVENT_OBJECT_FREE], 1);
    CHECK_EQ(enabled_events[JVMTI_EVENT_GARBAGE_COLLECTION_START], 1);
    CHECK_EQ(enabled_events[JVMTI_EVENT_GARBAGE_COLLECTION_FINISH], 1);
}

TEST(a_large_sample_is_held_at_once_and_a_free_lowers_it) {
    setup_once();
    heap_sampler_set_large_bytes(1 << 20);
    uint32_t s = tracker_scope_begin(0);
    mt_thread.scope_id = s;
    jlong tag = sampled(3 << 20); /* interval 0: every object is sampled, weight == size */
    mt_thread.scope_id = 0;
    ASSERT_NE(tag, 0);
    heap_totals t = totals_of(s);
    CHECK_EQ(t.samples, 1);
    CHECK_EQ(t.est_bytes, 3 << 20);
    CHECK_EQ(t.est_count_fp, ONE);
    CHECK_EQ(t.held_bytes, 3 << 20);
    CHECK_EQ(t.peak_bytes, 3 << 20);
    /* Its stack: the stub's Java frames, a native method's location as -3. */
    heap_site_figures site;
    spin_lock_acquire(&heap_lock);
    int n = heap_stats_sites(s, &site, 1);
    spin_lock_release(&heap_lock);
    ASSERT_EQ(n, 1);
    const stack_frame *frames;
    int depth;
    ASSERT_EQ(stack_table_get(site.stack_id, &frames, &depth, NULL), 0);
    ASSERT_TRUE(depth >= 1);
    CHECK_EQ(frames[0].pc, 0x1001);
    CHECK_EQ(frames[0].bci, 7);
    CHECK_EQ(frames[0].kind, FRAME_JAVA);
    if (depth >= 2) CHECK_EQ(frames[1].bci, -3);
    uint64_t frees = heap_sampler_frees();
    freed(tag);
    CHECK_EQ(heap_sampler_frees(), frees + 1);
    t = totals_of(s);
    CHECK_EQ(t.held_bytes, 0);
    CHECK_EQ(t.live_bytes, 0);
    CHECK_EQ(t.freed_bytes, 3 << 20);
    CHECK_EQ(t.peak_bytes, 3 << 20);
    finish(s);
}

TEST(a_small_sample_is_held_once_it_survives_a_gc) {
    setup_once();
    uint32_t s = tracker_scope_begin(0);
    mt_thread.scope_id = s;
    jlong tag = sampled(4000);
    CHECK_EQ(totals_of(s).live_bytes, 4000);
    CHECK_EQ(totals_of(s).held_bytes, 0);
    gc(); /* allocated before this GC finished; counted as held at the next GC's start */
    CHECK_EQ(totals_of(s).held_bytes, 0);
    gc();
    CHECK_EQ(totals_of(s).held_bytes, 4000);
    CHECK_EQ(totals_of(s).peak_bytes, 4000);
    freed(tag);
    CHECK_EQ(totals_of(s).held_bytes, 0);
    mt_thread.scope_id = 0;
    finish(s);
}

TEST(small_samples_of_a_scope_that_ended_before_a_gc_never_count_as_held) {
    setup_once();
    uint32_t s = tracker_scope_begin(0);
    mt_thread.scope_id = s;
    jlong tag = sampled(5000);
    mt_thread.scope_id = 0;
    gc();
    tracker_scope_end(s);
    gc();
    CHECK_EQ(totals_of(s).held_bytes, 0);
    CHECK_EQ(totals_of(s).peak_bytes, 0);
    CHECK_EQ(totals_of(s).live_bytes, 5000);
    freed(tag);
    CHECK_EQ(totals_of(s).live_bytes, 0);
    tracker_scope_release(s);
    heap_stats_release(s);
}

TEST(a_sample_the_jvm_will_not_tag_is_undone_and_counted_as_dropped) {
    setup_once();
    uint32_t s = tracker_scope_begin(0);
    mt_thread.scope_id = s;
    sampled(2 << 20); /* claims the scope's managed figures */
    uint64_t dropped = heap_sampler_dropped();
    uint64_t in_use = heap_record_in_use();
    refuse_tags = 1;
    sampled(6 << 20);
    refuse_tags = 0;
    mt_thread.scope_id = 0;
    CHECK_EQ(heap_sampler_dropped(), dropped + 1);
    CHECK_EQ(heap_record_in_use(), in_use);
    heap_totals t = totals_of(s);
    CHECK_EQ(t.held_bytes, 2 << 20);
    CHECK_EQ(t.live_bytes, 2 << 20);
    CHECK_EQ(t.peak_bytes, 8 << 20); /* counted, then undone as if freed at once */
    finish(s);
}

TEST(a_thread_without_a_recording_scope_records_nothing) {
    setup_once();
    uint64_t samples = heap_sampler_thread_samples();
    uint64_t in_use = heap_record_in_use();
    mt_thread.scope_id = 0;
    CHECK_EQ(sampled(1 << 20), 0);
    CHECK_EQ(heap_record_in_use(), in_use);
    CHECK_EQ(heap_sampler_thread_samples(), samples + 1); /* seen, not recorded */
    /* The tracker's own allocations (inside a hook) are not samples of the test either. */
    uint32_t s = tracker_scope_begin(0);
    mt_thread.scope_id = s;
    mt_enter();
    CHECK_EQ(sampled(1 << 20), 0);
    mt_leave();
    mt_thread.scope_id = 0;
    CHECK_EQ(heap_record_in_use(), in_use);
    finish(s);
}

TEST(with_an_interval_a_sample_stands_for_the_objects_it_was_picked_from) {
    setup_once();
    CHECK_EQ(heap_sampler_set_interval(1024), 0);
    CHECK_EQ(sampling_interval, 1024);
    uint32_t s = tracker_scope_begin(0);
    mt_thread.scope_id = s;
    sampled(1024); /* picked with probability 1 - e^-1 = 0.632: stands for 1620 bytes, 1.58 objects */
    mt_thread.scope_id = 0;
    heap_totals t = totals_of(s);
    CHECK_EQ(t.est_bytes, 1620);
    CHECK_EQ(t.est_count_fp, 1620);
    CHECK_EQ(heap_sampler_set_interval(0), 0);
    finish(s);
}

MT_TEST_MAIN(set_up_asks_for_the_events_and_the_interval,
             a_large_sample_is_held_at_once_and_a_free_lowers_it,
             a_small_sample_is_held_once_it_survives_a_gc,
             small_samples_of_a_scope_that_ended_before_a_gc_never_count_as_held,
             a_sample_the_jvm_will_not_tag_is_undone_and_counted_as_dropped,
             a_thread_without_a_recording_scope_records_nothing,
             with_an_interval_a_sample_stands_for_the_objects_it_was_picked_from)
