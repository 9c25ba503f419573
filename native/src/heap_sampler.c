/*
 * heap_sampler.c — JVMTI heap sampling, object tags, ObjectFree and GC events (heap_sampler.h).
 *
 * The heap engine has a JVMTI environment of its own (not jvm_bridge's), for two reasons:
 *  - JDK 17 deadlock: SetEventCallbacks and SetEventNotificationMode(ObjectFree) flush the
 *    environment's pending ObjectFree events, and in JDK 17 (JvmtiTagMap::flush_object_free_events)
 *    that flush waits, without a safepoint check, for the Service Thread to finish posting them;
 *    if a safepoint starts meanwhile, the Service Thread blocks on it and the VM hangs (seen here:
 *    a flush after each GC hung a test JVM within minutes). With its own environment the engine's
 *    tag map is never flushed by anybody: it sets its callbacks once, before anything is tagged,
 *    and never calls either function again; other code's SetEventCallbacks on jvm_bridge's
 *    environment flushes that environment's tag map, which is empty.
 *  - Its tags are its own: nobody else's tags can be mistaken for records.
 *
 * Rules that keep the JVM safe here:
 *  - heap_lock is never held across a JNI or JVMTI call: ObjectFree and GarbageCollectionStart
 *    run on the VM thread inside a safepoint and take the lock, while a JVMTI call made under the
 *    lock could wait for that safepoint. Holders are threads in native state, which a safepoint
 *    does not stop.
 *  - ObjectFree and the GC callbacks call nothing but our own code (no JNI/JVMTI allowed there).
 *  - SampledObjectAlloc mallocs nothing itself: frames on the stack, records in raw_alloc chunks,
 *    stacks in the stack table. What JVMTI mallocs inside GetStackTrace/SetTag is hidden from the
 *    native hooks by mt_enter().
 */
#include "heap_sampler.h"

#include <jvmti.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "heap_records.h"
#include "heap_stats.h"
#include "jvm_bridge.h"
#include "stack_capture.h"
#include "stack_table.h"
#include "thread_state.h"
#include "scopes.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int initialized;
static const char *init_error;
static _Atomic int sampling_ok;
static jvmtiEnv *heap_env;
static char error_text[320];

static _Atomic int interval = HEAP_DEFAULT_INTERVAL;
static _Atomic int64_t large_bytes = HEAP_DEFAULT_LARGE_BYTES;
static _Atomic uint32_t gc_epoch; /* GCs finished */
static _Atomic uint64_t frees, gcs, dropped;

static __thread int metered_thread __attribute__((tls_model("initial-exec")));
static __thread uint64_t thread_samples __attribute__((tls_model("initial-exec")));

#define MAX_JAVA_FRAMES STACK_MAX_FRAMES
#define STACK_WALK_MAX 256 /* the learning walk of stack_capture_java_frames is this deep */

jvmtiEnv *heap_sampler_env(void) { return heap_env; }

/* ---- sample weights ------------------------------------------------------------------------- */

/* exp(-x) for x in [0, 40] without libm (the library links no libm): halve x until the Taylor
 * series is accurate, then square back. Relative error ~1e-12, plenty for weights. */
static double exp_neg(double x) {
    int halvings = 0;
    while (x > 0.01) {
        x *= 0.5;
        halvings++;
    }
    double e = 1 - x * (1 - x / 2 * (1 - x / 3 * (1 - x / 4 * (1 - x / 5))));
    while (halvings-- > 0) e *= e;
    return e;
}

/* The probability that the sampler picks an object of `size` bytes when it samples once every
 * `interval` bytes on average (exponential distance between samples): 1 - exp(-size/interval). */
static double sample_probability(uint64_t size, int every) {
    if (every <= 0) return 1;
    double x = (double)size / (double)every;
    if (x > 40) return 1;
    if (x < 0.01) return x * (1 - x / 2 * (1 - x / 3 * (1 - x / 4 * (1 - x / 5))));
    return 1 - exp_neg(x);
}

static void weigh(uint64_t size, uint64_t *weight, uint64_t *count_fp) {
    double p = sample_probability(size, atomic_load_explicit(&interval, memory_order_relaxed));
    if (p <= 0) p = 1e-12;
    *weight = (uint64_t)((double)size / p + 0.5);
    *count_fp = (uint64_t)((double)HEAP_COUNT_ONE / p + 0.5);
}

/* ---- events ----------------------------------------------------------------------------------- */

/* The allocating thread's Java frames through JVMTI, in the stack table's form: the walk that
 * stack_capture_java_frames cuts at the scope's entry (its frames below the entry, JUnit's and
 * the build tool's, are the same for every sample of the scope). GetStackTrace walks only the
 * frames it is asked for. */
static int jvmti_walk(stack_frame *out, int max, void *arg) {
    jvmtiEnv *env = arg;
    jvmtiFrameInfo info[STACK_WALK_MAX];
    jint n = 0;
    if (max > STACK_WALK_MAX) max = STACK_WALK_MAX;
    if ((*env)->GetStackTrace(env, NULL, 0, max, info, &n) != JVMTI_ERROR_NONE) return 0;
    for (jint i = 0; i < n; i++)
        out[i] = (stack_frame){(uint64_t)(uintptr_t)info[i].method,
                               /* -1: native method, shown as such (-3) like AsyncGetCallTrace */
                               info[i].location < 0 ? -3 : (int32_t)info[i].location, FRAME_JAVA};
    return n;
}

static void JNICALL on_sampled_alloc(jvmtiEnv *env, JNIEnv *jni, jthread thread, jobject object,
                                     jclass klass, jlong size) {
    thread_samples++;
    if (mt_thread.in_hook > 0) return; /* the tracker's own work */
    uint32_t scope = scopes_recording_scope();
    if (scope == 0 || size <= 0) return;
    mt_enter();
    stack_frame frames[MAX_JAVA_FRAMES];
    int n = stack_capture_java_frames(scope, frames, MAX_JAVA_FRAMES, jvmti_walk, env);
    if (n < 0) n = 0;
    uint32_t stack = stack_table_intern(frames, n, HEAP_STACK_ORIGIN);

    uint64_t weight, count_fp;
    weigh((uint64_t)size, &weight, &count_fp);
    int large = (int64_t)size >= atomic_load_explicit(&large_bytes, memory_order_relaxed);
    uint32_t epoch = atomic_load_explicit(&gc_epoch, memory_order_acquire);

    uint32_t index;
    spin_lock_acquire(&heap_lock);
    heap_record *r = heap_record_alloc(&index);
    if (r) {
        *r = (heap_record){.size = (uint64_t)size, .weight = weight, .count_fp = count_fp,
                           .stack_id = stack, .scope_id = scope, .epoch = epoch,
                           .state = large ? REC_HELD : REC_PENDING};
        heap_stats_on_sample(scope, stack, weight, count_fp, metered_thread);
        if (large) heap_stats_on_hold(scope, stack, weight, count_fp);
        else heap_pending_append(index);
    }
    spin_lock_release(&heap_lock);
    if (!r) {
        atomic_fetch_add(&dropped, 1);
        mt_leave();
        return;
    }
    if ((*env)->SetTag(env, object, (jlong)heap_record_tag(index)) != JVMTI_ERROR_NONE) {
        /* Untracked from here on: undo as if freed at once. */
        spin_lock_acquire(&heap_lock);
        if (r->state == REC_PENDING) heap_pending_unlink(index);
        heap_stats_on_free(scope, stack, weight, count_fp, r->state == REC_HELD);
        heap_record_release(index);
        spin_lock_release(&heap_lock);
        atomic_fetch_add(&dropped, 1);
    }
    mt_leave();
}

/* No JNI here (the spec forbids it) and possibly on the VM thread at a safepoint. */
static void JNICALL on_object_free(jvmtiEnv *env, jlong tag) {
    if (!heap_tag_is_record((uint64_t)tag)) return; /* class, thread or walk tags */
    spin_lock_acquire(&heap_lock);
    heap_record *r = heap_record_for_tag((uint64_t)tag);
    if (r) {
        uint32_t index = (uint32_t)(tag - 1);
        if (r->state == REC_PENDING) heap_pending_unlink(index);
        heap_stats_on_free(r->scope_id, r->stack_id, r->weight, r->count_fp, r->state == REC_HELD);
        heap_record_release(index);
    }
    spin_lock_release(&heap_lock);
    atomic_fetch_add_explicit(&frees, 1, memory_order_release);
}

/* heap_lock held. Small samples allocated before the last finished GC and not freed survived it:
 * they count as held from now on. The ObjectFree events of that GC were posted by the Service
 * Thread right after it, long before this next GC starts (a miss only makes a dead object count
 * as held until its ObjectFree arrives). Samples of scopes no longer active leave the queue: a
 * scope's peak is what it held while it ran. */
static void promote(uint32_t finished) {
    for (uint32_t head = heap_pending_head(); head != 0; head = heap_pending_head()) {
        heap_record *r = heap_record_at(head - 1);
        if ((int32_t)(r->epoch - finished) >= 0) break;
        heap_pending_unlink(head - 1);
        if (scopes_active(r->scope_id)) {
            r->state = REC_HELD;
            heap_stats_on_hold(r->scope_id, r->stack_id, r->weight, r->count_fp);
        } else {
            r->state = REC_IDLE;
        }
    }
}

/* Inside the GC pause, on the VM thread: only our own memory and the lock. */
static void JNICALL on_gc_start(jvmtiEnv *env) {
    spin_lock_acquire(&heap_lock);
    promote(atomic_load_explicit(&gc_epoch, memory_order_acquire));
    spin_lock_release(&heap_lock);
}

static void JNICALL on_gc_finish(jvmtiEnv *env) {
    atomic_fetch_add_explicit(&gc_epoch, 1, memory_order_release);
    atomic_fetch_add_explicit(&gcs, 1, memory_order_relaxed);
}

/* ---- setup ---------------------------------------------------------------------------------- */

static const char *fail(const char *what, int err) {
    snprintf(error_text, sizeof error_text, "%s (JVMTI error %d)", what, err);
    return error_text;
}

static const char *setup(int every) {
    JavaVM *vm = jvm_vm();
    if (!vm || (*vm)->GetEnv(vm, (void **)&heap_env, JVMTI_VERSION_11) != JNI_OK || !heap_env) {
        heap_env = NULL;
        return "managed-heap tracking needs a JVMTI 11 environment, and the JVM gave none";
    }
    jvmtiEnv *jvmti = heap_env;
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof caps);
    caps.can_tag_objects = 1;
    caps.can_generate_object_free_events = 1;
    caps.can_generate_garbage_collection_events = 1;
    jvmtiError err = (*jvmti)->AddCapabilities(jvmti, &caps);
    if (err != JVMTI_ERROR_NONE)
        return fail("managed-heap tracking is off: the JVM refused object tagging and GC events", err);

    memset(&caps, 0, sizeof caps);
    caps.can_generate_sampled_object_alloc_events = 1;
    err = (*jvmti)->AddCapabilities(jvmti, &caps);
    if (err != JVMTI_ERROR_NONE) {
        jvmtiCapabilities potential;
        memset(&potential, 0, sizeof potential);
        (*jvmti)->GetPotentialCapabilities(jvmti, &potential);
        /* The capability is "always solo": one environment at a time may hold it. */
        return fail(potential.can_generate_sampled_object_alloc_events
                        ? "managed-heap sampling is unavailable: this JVM does not offer it"
                        : "managed-heap sampling is held by another JVMTI agent in this JVM (only one may "
                          "hold it); managed allocated bytes stay exact, but managed stacks, peak and "
                          "leaks are off",
                    err);
    }
    if ((err = (*jvmti)->SetHeapSamplingInterval(jvmti, every)) != JVMTI_ERROR_NONE)
        return fail("managed-heap tracking: SetHeapSamplingInterval failed", err);
    atomic_store(&interval, every);
    /* The one and only SetEventCallbacks of this environment, before anything is tagged. */
    jvmtiEventCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.SampledObjectAlloc = on_sampled_alloc;
    callbacks.ObjectFree = on_object_free;
    callbacks.GarbageCollectionStart = on_gc_start;
    callbacks.GarbageCollectionFinish = on_gc_finish;
    if ((err = (*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof callbacks)) != JVMTI_ERROR_NONE)
        return fail("managed-heap tracking: SetEventCallbacks failed", err);
    static const jvmtiEvent events[] = {JVMTI_EVENT_OBJECT_FREE, JVMTI_EVENT_GARBAGE_COLLECTION_START,
                                        JVMTI_EVENT_GARBAGE_COLLECTION_FINISH, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC};
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        if ((err = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, events[i], NULL)) != JVMTI_ERROR_NONE)
            return fail("managed-heap tracking: the JVM refused an event", err);
    atomic_store(&sampling_ok, 1);
    return NULL;
}

const char *heap_sampler_init(int every, int *ok) {
    pthread_mutex_lock(&init_lock);
    if (!initialized) {
        mt_enter();
        init_error = setup(every < 0 ? HEAP_DEFAULT_INTERVAL : every);
        mt_leave();
        initialized = 1;
    }
    if (ok) *ok = atomic_load(&sampling_ok);
    pthread_mutex_unlock(&init_lock);
    return init_error;
}

int heap_sampler_available(void) { return atomic_load(&sampling_ok); }

int heap_sampler_set_interval(int every) {
    if (!atomic_load(&sampling_ok) || every < 0) return JVMTI_ERROR_NOT_AVAILABLE;
    mt_enter();
    jvmtiError err = (*heap_env)->SetHeapSamplingInterval(heap_env, every);
    mt_leave();
    if (err == JVMTI_ERROR_NONE) atomic_store(&interval, every);
    return err;
}

int heap_sampler_interval(void) { return atomic_load(&interval); }
void heap_sampler_set_large_bytes(int64_t bytes) { atomic_store(&large_bytes, bytes < 0 ? 0 : bytes); }
uint64_t heap_sampler_frees(void) { return atomic_load_explicit(&frees, memory_order_acquire); }
uint64_t heap_sampler_gcs(void) { return atomic_load(&gcs); }
uint64_t heap_sampler_dropped(void) { return atomic_load(&dropped); }
uint64_t heap_sampler_thread_samples(void) { return thread_samples; }
void heap_sampler_set_metered(int metered) { metered_thread = metered; }
