/*
 * jvm_bridge.c — JavaVM and JVMTI handed over by the load entry points (agent_load.c: JNI_OnLoad
 * or Agent_OnLoad), Java frames through AsyncGetCallTrace, and names of
 * Java frames at report time.
 *
 * AsyncGetCallTrace (ASGCT) needs two things the JVM does not do by default: a jmethodID for
 * every method that may appear (it only looks ids up, never creates them), hence
 * GetClassMethods on every loaded and every newly prepared class; and ClassLoad events
 * enabled, without which it answers "no class load" (-1) for every call.
 */
#include "jvm_bridge.h"

#include <dlfcn.h>
#include <pthread.h>
#include <jni.h>
#include <jvmti.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class_log.h"
#include "heap_names.h"
#include "memtrack.h"
#include "thread_state.h"

typedef struct {
    jint lineno; /* bci for Java frames, -3 for native methods */
    jmethodID method_id;
} asgct_frame;

typedef struct {
    JNIEnv *env;
    jint num_frames;
    asgct_frame *frames;
} asgct_trace;

typedef void (*asgct_fn)(asgct_trace *, jint, void *);

static JavaVM *vm;
static jvmtiEnv *jvmti;
/* One set of callbacks for the environment: SetEventCallbacks replaces them all. */
static jvmtiEventCallbacks callbacks;
static pthread_mutex_t callbacks_lock = PTHREAD_MUTEX_INITIALIZER;
static asgct_fn asgct;
static char status_line[256] = "JVM: not attached";

const char *jvm_status(void) { return status_line; }

static void create_method_ids(jvmtiEnv *env, jclass klass) {
    jint count = 0;
    jmethodID *methods = NULL;
    if ((*env)->GetClassMethods(env, klass, &count, &methods) == JVMTI_ERROR_NONE)
        (*env)->Deallocate(env, (unsigned char *)methods);
}

static void JNICALL on_class_load(jvmtiEnv *env, JNIEnv *jni, jthread thread, jclass klass) {}

static void JNICALL on_class_prepare(jvmtiEnv *env, JNIEnv *jni, jthread thread, jclass klass) {
    mt_enter(); /* the JVM's own allocations for the ids are not the test's */
    create_method_ids(env, klass);
    char *signature = NULL;
    /* which classes a test initialised (class_log.h): only while a scope records */
    if (class_log_wanted() && (*env)->GetClassSignature(env, klass, &signature, NULL) == JVMTI_ERROR_NONE && signature) {
        class_log_note(signature);
        (*env)->Deallocate(env, (unsigned char *)signature);
    }
    mt_leave();
}

static void prepare_loaded_classes(void) {
    jint count = 0;
    jclass *classes = NULL;
    if ((*jvmti)->GetLoadedClasses(jvmti, &count, &classes) != JVMTI_ERROR_NONE) return;
    for (jint i = 0; i < count; i++) create_method_ids(jvmti, classes[i]);
    JNIEnv *jni = NULL;
    if ((*vm)->GetEnv(vm, (void **)&jni, JNI_VERSION_1_6) == JNI_OK)
        for (jint i = 0; i < count; i++) (*jni)->DeleteLocalRef(jni, classes[i]);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)classes);
}

static asgct_fn find_asgct(void) {
    void *f = dlsym(RTLD_DEFAULT, "AsyncGetCallTrace");
    if (f) return (asgct_fn)f;
    /* libjvm loaded RTLD_LOCAL (embedded JVMs): open it by the path of a symbol we know. */
    Dl_info info;
    void *probe = dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
    if (!probe && vm) probe = (void *)(*vm)->GetEnv;
    if (probe && dladdr(probe, &info) && info.dli_fname) {
        void *h = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
        if (h) f = dlsym(h, "AsyncGetCallTrace");
    }
    return (asgct_fn)f;
}

static void JNICALL on_vm_init(jvmtiEnv *env, JNIEnv *jni, jthread thread);
static void (*vm_ready)(void); /* set by jvm_attach: the entry layer's init */

jvmtiEnv *jvm_jvmti(void) { return jvmti; }
JavaVM *jvm_vm(void) { return vm; }

int jvm_enable_event(int event, void (*install)(jvmtiEventCallbacks *)) {
    if (!jvmti) return JVMTI_ERROR_NOT_AVAILABLE;
    pthread_mutex_lock(&callbacks_lock);
    install(&callbacks);
    jvmtiError err = (*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof callbacks);
    pthread_mutex_unlock(&callbacks_lock);
    if (err == JVMTI_ERROR_NONE) err = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, (jvmtiEvent)event, NULL);
    return err;
}

int jvm_attach(JavaVM *java_vm, int live_phase, void (*on_vm_ready)(void)) {
    vm = java_vm;
    vm_ready = on_vm_ready;
    if ((*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_11) != JNI_OK &&
        (*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK) {
        snprintf(status_line, sizeof status_line, "JVM: no JVMTI environment; Java frames unavailable");
        jvmti = NULL;
        return 0;
    }
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof caps);
    caps.can_get_line_numbers = 1;
    caps.can_get_source_file_name = 1;
    (*jvmti)->AddCapabilities(jvmti, &caps);
    pthread_mutex_lock(&callbacks_lock);
    callbacks.ClassLoad = on_class_load;
    callbacks.ClassPrepare = on_class_prepare;
    if (!live_phase) callbacks.VMInit = on_vm_init;
    (*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof callbacks);
    pthread_mutex_unlock(&callbacks_lock);
    if (!live_phase) (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_INIT, NULL);
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_CLASS_LOAD, NULL);
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_CLASS_PREPARE, NULL);
    if (live_phase) prepare_loaded_classes();
    asgct = find_asgct();
    snprintf(status_line, sizeof status_line, "JVM: JVMTI attached, AsyncGetCallTrace %s",
             asgct ? "found" : "missing (Java frames unavailable)");
    return 1;
}

static void JNICALL on_vm_init(jvmtiEnv *env, JNIEnv *jni, jthread thread) {
    mt_enter();
    prepare_loaded_classes();
    mt_leave();
    if (vm_ready) vm_ready();
}

int jvm_java_frames(stack_frame *out, int max) {
    if (!asgct || max <= 0) return 0;
    JNIEnv *env = NULL;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK || !env) return 0;
    enum { MAX_JAVA = 256 };
    int depth = max < MAX_JAVA ? max : MAX_JAVA;
    asgct_frame frames[depth]; /* sized by the caller's limit: a hook's walk keeps a small frame */
    asgct_trace trace = {env, 0, frames};
    /* A zeroed context: for threads in native or VM state ASGCT walks from the last Java frame
     * and ignores it; for a thread still in Java state (a "critical" FFM downcall) it finds no
     * pc and gives up instead of reading garbage. */
    static char zero_context[1024] __attribute__((aligned(16)));
    asgct(&trace, depth, zero_context);
    int n = trace.num_frames;
    if (n <= 0) return 0;
    for (int i = 0; i < n; i++)
        out[i] = (stack_frame){(uint64_t)(uintptr_t)frames[i].method_id, frames[i].lineno, FRAME_JAVA};
    return n;
}

/* ---- Java methods, described once and kept -----------------------------------------------------
 * A report names its Java frames at scope end, after settling: a GC there (or one during the test)
 * may unload a class whose loader the test dropped (a plugin, a script engine), and JVMTI then
 * refuses its jmethodIDs. So a method is described once — name, source file, line table — and
 * kept by its jmethodID (HotSpot never gives a jmethodID to another method); scope end describes
 * every Java frame of the scope's sites before settling (jvm_keep_method_names). At most
 * METHOD_CACHE_MAX methods are kept; beyond that, methods are described each time. */

#define METHOD_CACHE_MAX 65536

typedef struct {
    jmethodID method; /* NULL: empty slot */
    char *symbol;
    char *file;
    jint lines;
    jvmtiLineNumberEntry *table; /* sorted as JVMTI gave it; NULL when none */
} method_entry;

static pthread_mutex_t method_lock = PTHREAD_MUTEX_INITIALIZER;
static method_entry *methods; /* open addressing, capacity a power of two */
static uint32_t method_capacity, method_count;

static uint32_t method_slot(jmethodID m, uint32_t capacity) {
    uint64_t h = (uint64_t)(uintptr_t)m * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32) & (capacity - 1);
}

/* method_lock held. */
static method_entry *method_find(jmethodID m) {
    if (!methods) return NULL;
    for (uint32_t i = method_slot(m, method_capacity);; i = (i + 1) & (method_capacity - 1)) {
        if (methods[i].method == m) return &methods[i];
        if (!methods[i].method) return NULL;
    }
}

/* method_lock held. Returns the new slot (its fields zero but `method`), or NULL when full. */
static method_entry *method_add(jmethodID m) {
    if (method_count >= METHOD_CACHE_MAX) return NULL;
    if (!methods || (method_count + 1) * 4 > method_capacity * 3) {
        uint32_t capacity = methods ? method_capacity * 2 : 1024;
        method_entry *grown = calloc(capacity, sizeof *grown);
        if (!grown) return NULL;
        for (uint32_t i = 0; methods && i < method_capacity; i++) {
            if (!methods[i].method) continue;
            uint32_t j = method_slot(methods[i].method, capacity);
            while (grown[j].method) j = (j + 1) & (capacity - 1);
            grown[j] = methods[i];
        }
        free(methods);
        methods = grown;
        method_capacity = capacity;
    }
    uint32_t i = method_slot(m, method_capacity);
    while (methods[i].method) i = (i + 1) & (method_capacity - 1);
    methods[i].method = m;
    method_count++;
    return &methods[i];
}

/* Describes m through JVMTI into a new entry (method_lock held). 0 when JVMTI refuses it. */
static int method_describe(jmethodID m, method_entry *out) {
    jclass klass = NULL;
    char *name = NULL, *class_sig = NULL, *source = NULL;
    if ((*jvmti)->GetMethodName(jvmti, m, &name, NULL, NULL) != JVMTI_ERROR_NONE ||
        (*jvmti)->GetMethodDeclaringClass(jvmti, m, &klass) != JVMTI_ERROR_NONE ||
        (*jvmti)->GetClassSignature(jvmti, klass, &class_sig, NULL) != JVMTI_ERROR_NONE) {
        if (name) (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
        return 0;
    }
    char cls[400], symbol[1024];
    heap_names_from_signature(class_sig, cls, sizeof cls);
    snprintf(symbol, sizeof symbol, "%s.%s", cls, name);
    out->symbol = strdup(symbol);
    if ((*jvmti)->GetSourceFileName(jvmti, klass, &source) == JVMTI_ERROR_NONE) {
        out->file = strdup(source);
        (*jvmti)->Deallocate(jvmti, (unsigned char *)source);
    }
    jint entries = 0;
    jvmtiLineNumberEntry *table = NULL;
    if ((*jvmti)->GetLineNumberTable(jvmti, m, &entries, &table) == JVMTI_ERROR_NONE && entries > 0) {
        out->table = malloc(sizeof *table * (size_t)entries);
        if (out->table) {
            memcpy(out->table, table, sizeof *table * (size_t)entries);
            out->lines = entries;
        }
    }
    if (table) (*jvmti)->Deallocate(jvmti, (unsigned char *)table);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)class_sig);
    JNIEnv *jni = NULL;
    if (klass && (*vm)->GetEnv(vm, (void **)&jni, JNI_VERSION_1_6) == JNI_OK) (*jni)->DeleteLocalRef(jni, klass);
    return out->symbol != NULL;
}

static void method_entry_free(method_entry *e) {
    free(e->symbol);
    free(e->file);
    free(e->table);
    memset(e, 0, sizeof *e);
}

/* method_lock held: the kept entry of m, described now if it is new; NULL if JVMTI refuses it
 * and it was never kept. *scratch receives a description that could not be kept (cache full). */
static const method_entry *method_of(jmethodID m, method_entry *scratch) {
    method_entry *e = method_find(m);
    if (e) return e;
    method_entry fresh;
    memset(&fresh, 0, sizeof fresh);
    fresh.method = m;
    if (!method_describe(m, &fresh)) {
        method_entry_free(&fresh);
        return NULL;
    }
    e = method_add(m);
    if (!e) {
        *scratch = fresh;
        return scratch;
    }
    *e = fresh;
    return e;
}

int jvm_describe_frame(const stack_frame *f, char *symbol, size_t symbol_len, char *file,
                       size_t file_len, int *line) {
    symbol[0] = 0;
    file[0] = 0;
    *line = 0;
    if (!jvmti || f->kind != FRAME_JAVA) return 0;
    jmethodID m = (jmethodID)(uintptr_t)f->pc;
    if (!m) {
        snprintf(symbol, symbol_len, "<unknown Java frame>");
        return 1;
    }
    method_entry scratch;
    memset(&scratch, 0, sizeof scratch);
    pthread_mutex_lock(&method_lock);
    const method_entry *e = method_of(m, &scratch);
    if (!e) {
        pthread_mutex_unlock(&method_lock);
        snprintf(symbol, symbol_len, "<unloaded Java method>");
        return 1;
    }
    snprintf(symbol, symbol_len, "%s", e->symbol);
    if (e->file) snprintf(file, file_len, "%s", e->file);
    if (f->bci == -3) {
        *line = -2;
    } else if (f->bci >= 0) {
        jlocation best = -1;
        for (jint i = 0; i < e->lines; i++)
            if (e->table[i].start_location <= f->bci && e->table[i].start_location > best) {
                best = e->table[i].start_location;
                *line = e->table[i].line_number;
            }
    }
    pthread_mutex_unlock(&method_lock);
    if (e == &scratch) method_entry_free(&scratch);
    return 1;
}

void jvm_keep_method_names(const stack_frame *frames, int n) {
    if (!jvmti) return;
    method_entry scratch;
    pthread_mutex_lock(&method_lock);
    for (int i = 0; i < n; i++) {
        if (frames[i].kind != FRAME_JAVA || !frames[i].pc) continue;
        memset(&scratch, 0, sizeof scratch);
        const method_entry *e = method_of((jmethodID)(uintptr_t)frames[i].pc, &scratch);
        if (e == &scratch) method_entry_free(&scratch);
        if (method_count >= METHOD_CACHE_MAX) break;
    }
    pthread_mutex_unlock(&method_lock);
}
