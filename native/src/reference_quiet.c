/*
 * reference_quiet.c — has the JVM finished acting on the references a collection found?
 * (reference_quiet.h)
 *
 * Memory a collection makes unreachable is freed after it, on other threads: the Reference
 * Handler takes the pending list the GC left and runs the JDK's internal cleaners itself (direct
 * buffers), or puts each reference on its queue; a thread draining that queue runs the action
 * (java.lang.ref.Cleaner's threads, the finalizer thread, JNA's cleaner, a library's own). The
 * settling that follows a collection asks this instead of waiting a fixed quiet time:
 *  1. the Reference Handler: Reference.processPendingActive is false and hasReferencePendingList()
 *     says no, both read holding Reference.processPendingLock (the handler takes the list and
 *     sets the flag in one critical section under that lock, so no reference is in flight when
 *     both are false) -> otherwise REFERENCES_PENDING;
 *  2. the queues of the JDK's common cleaner and of the finalizer are empty (their heads read
 *     directly: a thread told of a new reference but not yet running still shows as waiting);
 *  3. every other thread in ReferenceQueue.remove, or seen in it before, or that runs a
 *     cleaner's or the finalizer's loop, is waiting (JVMTI state WAITING): not running an action
 *     -> otherwise, and for 2, REFERENCES_ACTING: an action ran or is about to, so what it
 *     released may need another collection (a finalizer that drops an object with a cleaner).
 *     The CPU time these threads have used (the Reference Handler's left out) is summed as well:
 *     an action too short to be seen running (a finalize() that only drops a reference) still
 *     moves it, and the Java side compares it with its value before the collection.
 *     A thread waiting elsewhere (a library thread that polls a queue between other work) is not
 *     busy with a reference either, nor is the calling thread; a thread seen in a queue once that
 *     is then found running elsewhere MAX_STRIKES times in a row is forgotten (a test's worker
 *     that once waited in a queue of its own must not hold every later settling up).
 * A thread woken on a queue not named in 2 keeps the JVMTI state WAITING until it has taken its
 * queue's lock back: it looks idle for that moment. The Java side asks twice, a millisecond
 * apart, with the scope's live bytes unchanged between the two answers.
 *
 * Private members are read through JNI, which applies no access or module checks. A JDK without
 * them (renamed fields) makes the answer -1, and the Java side falls back to its fixed schedule.
 */
#include "reference_quiet.h"

#include <jni.h>
#include <jvmti.h>
#include <pthread.h>
#include <string.h>

#include "jvm_bridge.h"
#include "thread_state.h"

#define MAX_FRAMES 64
#define MAX_REMEMBERED 32
#define MAX_KNOWN_QUEUES 2
#define MAX_RUNNERS 2
#define MAX_STRIKES 8

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int ready; /* 0 not tried, 1 ready, -1 cannot tell */

static jclass reference_class;
static jobject pending_lock; /* Reference.processPendingLock; NULL: read the two without it */
static jfieldID pending_active;
static jmethodID has_pending;
static jfieldID queue_head;
#define MAX_QUEUE_METHODS 8
static jmethodID queue_methods[MAX_QUEUE_METHODS]; /* ReferenceQueue's blocking remove methods */
static int n_queue_methods;
static jobject known_queues[MAX_KNOWN_QUEUES];
static int n_known_queues;
static jmethodID runners[MAX_RUNNERS]; /* CleanerImpl.run, Finalizer$FinalizerThread.run */
static int n_runners;
static jweak remembered[MAX_REMEMBERED]; /* threads seen at a queue */
static int strikes[MAX_REMEMBERED];      /* checks in a row that found it running elsewhere */
static int n_remembered;
static int cpu_time_ok; /* can_get_thread_cpu_time granted */

static int cleared(JNIEnv *jni) {
    if ((*jni)->ExceptionCheck(jni)) {
        (*jni)->ExceptionClear(jni);
        return 1;
    }
    return 0;
}

/* A static object field of a class, or NULL (exceptions cleared). */
static jobject static_object(JNIEnv *jni, const char *class_name, const char *field, const char *type) {
    jclass k = (*jni)->FindClass(jni, class_name);
    if (cleared(jni) || !k) return NULL;
    jfieldID id = (*jni)->GetStaticFieldID(jni, k, field, type);
    jobject value = (cleared(jni) || !id) ? NULL : (*jni)->GetStaticObjectField(jni, k, id);
    if (cleared(jni)) value = NULL;
    (*jni)->DeleteLocalRef(jni, k);
    return value;
}

/* An instance object field, or NULL. */
static jobject object_field(JNIEnv *jni, jobject o, const char *class_name, const char *field, const char *type) {
    if (!o) return NULL;
    jclass k = (*jni)->FindClass(jni, class_name);
    if (cleared(jni) || !k) return NULL;
    jfieldID id = (*jni)->GetFieldID(jni, k, field, type);
    jobject value = (cleared(jni) || !id) ? NULL : (*jni)->GetObjectField(jni, o, id);
    if (cleared(jni)) value = NULL;
    (*jni)->DeleteLocalRef(jni, k);
    return value;
}

static void add_known_queue(JNIEnv *jni, jobject queue) {
    if (queue && n_known_queues < MAX_KNOWN_QUEUES) known_queues[n_known_queues++] = (*jni)->NewGlobalRef(jni, queue);
    if (queue) (*jni)->DeleteLocalRef(jni, queue);
}

static void add_runner(JNIEnv *jni, const char *class_name) {
    jclass k = (*jni)->FindClass(jni, class_name);
    if (cleared(jni) || !k) return;
    jmethodID run = (*jni)->GetMethodID(jni, k, "run", "()V");
    if (!cleared(jni) && run && n_runners < MAX_RUNNERS) runners[n_runners++] = run;
    (*jni)->DeleteLocalRef(jni, k);
}

static int init(JNIEnv *jni, jvmtiEnv *jvmti) {
    jclass ref = (*jni)->FindClass(jni, "java/lang/ref/Reference");
    if (cleared(jni) || !ref) return -1;
    reference_class = (jclass)(*jni)->NewGlobalRef(jni, ref);
    (*jni)->DeleteLocalRef(jni, ref);
    pending_active = (*jni)->GetStaticFieldID(jni, reference_class, "processPendingActive", "Z");
    if (cleared(jni) || !pending_active) return -1;
    has_pending = (*jni)->GetStaticMethodID(jni, reference_class, "hasReferencePendingList", "()Z");
    if (cleared(jni) || !has_pending) return -1;
    jobject lock_object = static_object(jni, "java/lang/ref/Reference", "processPendingLock", "Ljava/lang/Object;");
    if (lock_object) {
        pending_lock = (*jni)->NewGlobalRef(jni, lock_object);
        (*jni)->DeleteLocalRef(jni, lock_object);
    }
    jclass queue = (*jni)->FindClass(jni, "java/lang/ref/ReferenceQueue");
    if (cleared(jni) || !queue) return -1;
    queue_head = (*jni)->GetFieldID(jni, queue, "head", "Ljava/lang/ref/Reference;");
    jint n_methods = 0;
    jmethodID *methods = NULL;
    int ok = !cleared(jni) && queue_head &&
             (*jvmti)->GetClassMethods(jvmti, queue, &n_methods, &methods) == JVMTI_ERROR_NONE;
    (*jni)->DeleteLocalRef(jni, queue);
    if (!ok) return -1;
    /* remove(), remove(long) and, on later JDKs, remove0(...): where a draining thread blocks.
     * Not poll(): a WeakHashMap expunging its entries polls a queue from any thread. */
    for (jint i = 0; i < n_methods && n_queue_methods < MAX_QUEUE_METHODS; i++) {
        char *name = NULL;
        if ((*jvmti)->GetMethodName(jvmti, methods[i], &name, NULL, NULL) != JVMTI_ERROR_NONE || !name) continue;
        if (strcmp(name, "remove") == 0 || strcmp(name, "remove0") == 0) queue_methods[n_queue_methods++] = methods[i];
        (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
    }
    (*jvmti)->Deallocate(jvmti, (unsigned char *)methods);
    if (n_queue_methods == 0) return -1;
    /* the two queues most memory goes through; either may be missing on some JDK */
    add_known_queue(jni, static_object(jni, "java/lang/ref/Finalizer", "queue", "Ljava/lang/ref/ReferenceQueue;"));
    jobject common = static_object(jni, "jdk/internal/ref/CleanerFactory", "commonCleaner", "Ljava/lang/ref/Cleaner;");
    jobject impl = object_field(jni, common, "java/lang/ref/Cleaner", "impl", "Ljdk/internal/ref/CleanerImpl;");
    add_known_queue(jni, object_field(jni, impl, "jdk/internal/ref/CleanerImpl", "queue", "Ljava/lang/ref/ReferenceQueue;"));
    if (impl) (*jni)->DeleteLocalRef(jni, impl);
    if (common) (*jni)->DeleteLocalRef(jni, common);
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof caps);
    caps.can_get_thread_cpu_time = 1;
    cpu_time_ok = (*jvmti)->AddCapabilities(jvmti, &caps) == JVMTI_ERROR_NONE;
    add_runner(jni, "jdk/internal/ref/CleanerImpl");
    add_runner(jni, "java/lang/ref/Finalizer$FinalizerThread");
    return 1;
}

static int is_queue_method(jmethodID m) {
    for (int i = 0; i < n_queue_methods; i++)
        if (queue_methods[i] == m) return 1;
    return 0;
}

static int is_runner(jmethodID m) {
    for (int i = 0; i < n_runners; i++)
        if (runners[i] == m) return 1;
    return 0;
}

/* The slot of a remembered thread, or -1. */
static int remembered_slot(JNIEnv *jni, jthread t) {
    for (int i = 0; i < n_remembered; i++)
        if (remembered[i] && (*jni)->IsSameObject(jni, remembered[i], t)) return i;
    return -1;
}

static void forget(JNIEnv *jni, int i) {
    (*jni)->DeleteWeakGlobalRef(jni, remembered[i]);
    remembered[i] = NULL;
    strikes[i] = 0;
}

static void remember(JNIEnv *jni, jthread t) {
    int slot = remembered_slot(jni, t);
    if (slot >= 0) {
        strikes[slot] = 0;
        return;
    }
    for (int i = 0; i < n_remembered; i++) {
        if (remembered[i] && (*jni)->IsSameObject(jni, remembered[i], NULL)) forget(jni, i); /* ended */
        if (!remembered[i]) {
            remembered[i] = (*jni)->NewWeakGlobalRef(jni, t);
            return;
        }
    }
    if (n_remembered < MAX_REMEMBERED) remembered[n_remembered++] = (*jni)->NewWeakGlobalRef(jni, t);
}

/* The Reference Handler's state: 1 busy or something pending, 0 idle, -1 unknown. */
static int handler_busy(JNIEnv *jni) {
    int locked = pending_lock && (*jni)->MonitorEnter(jni, pending_lock) == JNI_OK;
    jboolean pending = (*jni)->CallStaticBooleanMethod(jni, reference_class, has_pending);
    int failed = cleared(jni);
    jboolean active = (*jni)->GetStaticBooleanField(jni, reference_class, pending_active);
    if (locked) (*jni)->MonitorExit(jni, pending_lock);
    return failed ? -1 : (pending || active);
}

static int check(JNIEnv *jni, jvmtiEnv *jvmti, int64_t *cpu_ns) {
    int handler = handler_busy(jni);
    if (handler < 0) return -1;
    int queued = 0;
    for (int i = 0; i < n_known_queues; i++) {
        jobject head = (*jni)->GetObjectField(jni, known_queues[i], queue_head);
        if (head) {
            (*jni)->DeleteLocalRef(jni, head);
            queued = 1;
        }
    }
    jthread self = NULL;
    if ((*jvmti)->GetCurrentThread(jvmti, &self) != JVMTI_ERROR_NONE) self = NULL;
    jvmtiStackInfo *infos = NULL;
    jint n = 0;
    if ((*jvmti)->GetAllStackTraces(jvmti, MAX_FRAMES, &infos, &n) != JVMTI_ERROR_NONE) return -1;
    int busy = 0;
    int64_t cpu = cpu_time_ok ? 0 : -1;
    for (jint i = 0; i < n; i++) {
        jvmtiStackInfo *s = &infos[i];
        if (self && (*jni)->IsSameObject(jni, s->thread, self)) {
            (*jni)->DeleteLocalRef(jni, s->thread);
            continue;
        }
        int at_queue = 0, runner = 0;
        for (jint f = 0; f < s->frame_count; f++) {
            jmethodID m = s->frame_buffer[f].method;
            if (is_queue_method(m)) at_queue = 1;
            if (is_runner(m)) runner = 1;
        }
        int waiting = (s->state & JVMTI_THREAD_STATE_WAITING) != 0;
        if (at_queue) remember(jni, s->thread);
        int slot = remembered_slot(jni, s->thread);
        if (cpu >= 0 && (at_queue || runner || slot >= 0)) {
            jlong t = 0;
            if ((*jvmti)->GetThreadCpuTime(jvmti, s->thread, &t) == JVMTI_ERROR_NONE) cpu += t;
        }
        if (waiting) {
            if (slot >= 0) strikes[slot] = 0;
        } else if (at_queue || runner) {
            busy = 1;
        } else if (slot >= 0) {
            if (++strikes[slot] > MAX_STRIKES) forget(jni, slot);
            else busy = 1;
        }
        (*jni)->DeleteLocalRef(jni, s->thread);
    }
    (*jvmti)->Deallocate(jvmti, (unsigned char *)infos);
    if (self) (*jni)->DeleteLocalRef(jni, self);
    if (cpu_ns) *cpu_ns = cpu;
    if (handler) return REFERENCES_PENDING;
    return busy || queued ? REFERENCES_ACTING : REFERENCES_QUIET;
}

int reference_quiet(int64_t *cpu_ns) {
    if (cpu_ns) *cpu_ns = -1;
    JavaVM *vm = jvm_vm();
    jvmtiEnv *jvmti = jvm_jvmti();
    JNIEnv *jni = NULL;
    if (!vm || !jvmti || (*vm)->GetEnv(vm, (void **)&jni, JNI_VERSION_1_6) != JNI_OK || !jni) return -1;
    mt_enter();
    pthread_mutex_lock(&lock);
    if (ready == 0) {
        (*jni)->PushLocalFrame(jni, 32);
        ready = init(jni, jvmti);
        (*jni)->PopLocalFrame(jni, NULL);
    }
    int quiet = -1;
    if (ready > 0) {
        (*jni)->PushLocalFrame(jni, 16);
        quiet = check(jni, jvmti, cpu_ns);
        (*jni)->PopLocalFrame(jni, NULL);
    }
    pthread_mutex_unlock(&lock);
    mt_leave();
    return quiet;
}
