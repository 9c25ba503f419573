/*
 * heap_walker.c — the managed leak check (heap_walker.h, docs/managed-heap.md).
 *
 * 1. Candidates: records (sampled objects) of the scope or its descendants that are still alive
 *    after GC and settling. None: done, no walk.
 * 2. One FollowReferences from the heap roots. Stack and JNI-local roots of the test thread (and
 *    of the calling thread) are not followed, the test instance is never entered, and
 *    Reference.referent is not followed (weak, soft and phantom references do not keep objects
 *    alive). Every object reached gets a node {parent, depth, edge}: objects without a tag get a
 *    temporary HEAP_TAG_WALK tag that encodes the node, tagged ones (records, class mirrors,
 *    threads) a hash entry. Primitive arrays that are not candidates get no node: nothing is
 *    reached through them. The parent is the first referrer seen, replaced by any referrer
 *    with a smaller depth seen before the object's own references are reported — the walk
 *    order is depth-first, so paths are short, not guaranteed shortest.
 * 3. The temporary tags are removed (IterateThroughHeap over tagged objects).
 * 4. Reached candidates are grouped by allocation stack and the facts of what holds them (the
 *    root's kind, the class of a static root, the object's class, a path through class
 *    metadata), each group described with the path of its shallowest object, cut at the static
 *    field nearest to the object: "static com.acme.Cache.ENTRIES -> java.util.HashMap.table ->
 *    [3] -> java.util.HashMap$Node.value". Which groups are leaks and which one-time
 *    initialisation is decided in Java (OneTimeInitialisation), not here.
 *
 * The reference callback runs on the VM thread inside a safepoint: it touches only our memory
 * (raw_alloc, no malloc) and takes heap_lock briefly, never calling JNI or JVMTI.
 */
#include "heap_walker.h"

#include <stdatomic.h>
#include <sys/uio.h>
#include <unistd.h>

#include <jvmti.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heap_names.h"
#include "heap_records.h"
#include "report_text.h"
#include "heap_sampler.h"
#include "heap_stats.h"
#include "jvm_bridge.h"
#include "live_table.h"
#include "raw_memory.h"
#include "stack_table.h"
#include "scopes.h"

/* ---- walk state (callback side) -------------------------------------------------------------- */

#define NODE_CHUNK_SHIFT 16
#define NODE_CHUNK (1u << NODE_CHUNK_SHIFT)
#define MAX_NODE_CHUNKS 128 /* 8M objects per walk; beyond it the walk is cut short */

typedef struct {
    uint32_t parent; /* node + 1; 0: reached from a root */
    uint32_t depth;
    uint64_t tag;       /* the object's own tag (0 if it had none) */
    uint64_t class_tag; /* tag of the object's class */
    uint64_t info;      /* field, array or constant-pool index; the method of a stack root */
    uint64_t thread_tag;
    uint32_t kind; /* jvmtiHeapReferenceKind of the edge that reached the object */
} walk_node;

typedef struct {
    uint64_t *keys;
    uint32_t *vals;
    uint32_t cap, used;
} tag_map;

typedef struct {
    walk_node *chunks[MAX_NODE_CHUNKS];
    uint32_t count;
    int truncated;
    tag_map by_tag;   /* node + 1 of objects that have a tag of their own */
    tag_map referent; /* class tag -> index of Reference.referent + 1 */
    tag_map phantom;  /* class tags of PhantomReference subclasses (owner check only) */
    uint64_t excluded[2];
    uint64_t prim_arrays[8];
    struct owner_search *owners; /* the owner check: primitive values are looked up (NULL: leak check) */
} walk;

static inline uint32_t slot_of(uint64_t key, uint32_t cap) {
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static uint32_t map_get(const tag_map *m, uint64_t key) {
    if (!m->cap) return 0;
    for (uint32_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) return m->vals[i];
        if (m->keys[i] == 0) return 0;
    }
}

static void map_free(tag_map *m) {
    if (m->cap) {
        raw_free(m->keys, (size_t)m->cap * sizeof(uint64_t));
        raw_free(m->vals, (size_t)m->cap * sizeof(uint32_t));
    }
    *m = (tag_map){0};
}

/* Callable inside the safepoint: raw_alloc is an mmap syscall. */
static int map_put(tag_map *m, uint64_t key, uint32_t val) {
    if ((m->used + 1) * 2 > m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 4096;
        tag_map grown = {raw_alloc((size_t)cap * sizeof(uint64_t)), raw_alloc((size_t)cap * sizeof(uint32_t)), cap, 0};
        if (!grown.keys || !grown.vals) {
            raw_free(grown.keys, (size_t)cap * sizeof(uint64_t));
            raw_free(grown.vals, (size_t)cap * sizeof(uint32_t));
            return -1;
        }
        for (uint32_t i = 0; i < m->cap; i++)
            if (m->keys[i]) map_put(&grown, m->keys[i], m->vals[i]);
        map_free(m);
        *m = grown;
    }
    uint32_t i = slot_of(key, m->cap);
    while (m->keys[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) m->used++;
    m->keys[i] = key;
    m->vals[i] = val;
    return 0;
}

static inline walk_node *node_at(walk *w, uint32_t node /* + 1 */) {
    uint32_t i = node - 1;
    return &w->chunks[i >> NODE_CHUNK_SHIFT][i & (NODE_CHUNK - 1)];
}

static uint32_t node_new(walk *w) {
    uint32_t i = w->count;
    if ((i >> NODE_CHUNK_SHIFT) >= MAX_NODE_CHUNKS) return 0;
    if (!w->chunks[i >> NODE_CHUNK_SHIFT]) {
        w->chunks[i >> NODE_CHUNK_SHIFT] = raw_alloc((size_t)NODE_CHUNK * sizeof(walk_node));
        if (!w->chunks[i >> NODE_CHUNK_SHIFT]) return 0;
    }
    w->count++;
    return i + 1;
}

/* In the owner check, a temporary tag with this bit marks an object that holds an address but that
 * the walk did not reach; the low bits are its first owner hit, not a node. */
#define WALK_LOST 0x80000000u

static uint32_t node_of_tag(walk *w, uint64_t tag) {
    if (!tag) return 0;
    if (tag & HEAP_TAG_WALK) return (tag & WALK_LOST) ? 0 : (uint32_t)(tag & 0xFFFFFFFFu);
    return map_get(&w->by_tag, tag);
}

static int is_prim_array_class(const walk *w, uint64_t class_tag) {
    for (int i = 0; i < 8; i++)
        if (w->prim_arrays[i] && w->prim_arrays[i] == class_tag) return 1;
    return 0;
}

static void mark_reached(uint64_t tag, uint32_t node) {
    spin_lock_acquire(&heap_lock);
    heap_record *r = heap_record_for_tag(tag);
    if (r && (r->flags & REC_CANDIDATE)) {
        r->flags |= REC_REACHED;
        r->walk_node = node;
    }
    spin_lock_release(&heap_lock);
}

static jint JNICALL on_reference(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info, jlong class_tag,
                                 jlong referrer_class_tag, jlong size, jlong *tag_ptr, jlong *referrer_tag_ptr,
                                 jint length, void *user_data) {
    walk *w = user_data;
    uint64_t tag = (uint64_t)*tag_ptr;
    if (tag == HEAP_TAG_SPECIAL) return 0; /* the test instance: what only it holds is not leaked */
    uint32_t parent = 0;
    uint64_t index = 0, thread_tag = 0;
    if (!referrer_tag_ptr) {
        if (kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL && info) {
            thread_tag = (uint64_t)info->stack_local.thread_tag;
            index = (uint64_t)(uintptr_t)info->stack_local.method;
        } else if (kind == JVMTI_HEAP_REFERENCE_JNI_LOCAL && info) {
            thread_tag = (uint64_t)info->jni_local.thread_tag;
            index = (uint64_t)(uintptr_t)info->jni_local.method;
        }
        if (thread_tag && (thread_tag == w->excluded[0] || thread_tag == w->excluded[1])) return 0;
    } else {
        parent = node_of_tag(w, (uint64_t)*referrer_tag_ptr);
        switch (kind) {
        case JVMTI_HEAP_REFERENCE_FIELD: {
            uint32_t referent = map_get(&w->referent, (uint64_t)referrer_class_tag);
            if (info && referent && (uint32_t)info->field.index + 1 == referent) return 0;
            /* The owner check does not go through a phantom reference's fields: a cleaner's
             * action holds the address to free it once the owner is gone, it does not own it. */
            if (w->owners && map_get(&w->phantom, (uint64_t)referrer_class_tag)) return 0;
            if (info) index = (uint64_t)info->field.index;
            break;
        }
        case JVMTI_HEAP_REFERENCE_STATIC_FIELD:
            if (info) index = (uint64_t)info->field.index;
            break;
        case JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT:
            if (info) index = (uint64_t)info->array.index;
            break;
        case JVMTI_HEAP_REFERENCE_CONSTANT_POOL:
            if (info) index = (uint64_t)info->constant_pool.index;
            break;
        default:
            break;
        }
    }
    uint32_t depth = parent ? node_at(w, parent)->depth + 1 : 0;
    uint32_t node = node_of_tag(w, tag);
    if (node) {
        walk_node *n = node_at(w, node);
        if (depth < n->depth && node != parent) {
            n->parent = parent;
            n->depth = depth;
            n->kind = (uint32_t)kind;
            n->info = index;
            n->thread_tag = thread_tag;
        }
        return JVMTI_VISIT_OBJECTS;
    }
    /* the owner check reads long[] values: such arrays need a node (a path) */
    if (!tag && length >= 0 && is_prim_array_class(w, (uint64_t)class_tag) &&
        !(w->owners && (uint64_t)class_tag == w->prim_arrays[5])) return 0;
    node = node_new(w);
    if (!node || (tag && map_put(&w->by_tag, tag, node) != 0)) {
        w->truncated = 1;
        return 0;
    }
    *node_at(w, node) = (walk_node){parent, depth, tag, (uint64_t)class_tag, index, thread_tag, (uint32_t)kind};
    if (!tag) *tag_ptr = (jlong)(HEAP_TAG_WALK | node);
    else if (heap_tag_is_record(tag)) mark_reached(tag, node);
    return JVMTI_VISIT_OBJECTS;
}

static jint JNICALL on_untag(jlong class_tag, jlong size, jlong *tag_ptr, jint length, void *user_data) {
    if ((uint64_t)*tag_ptr & HEAP_TAG_WALK) *tag_ptr = 0;
    return 0;
}

/* ---- the JVM's classes and threads, named by tag --------------------------------------------- */

static _Atomic uint64_t next_tag_seq;

typedef struct {
    jclass *classes;
    jint n_classes;
    tag_map class_by_tag; /* tag -> class index + 1 */
    uint64_t class_class_tag;
    jthread *threads;
    jint n_threads;
    uint64_t *thread_tags;
    char (*thread_names)[80];
} jvm_names;

static uint64_t ensure_tag(jvmtiEnv *jvmti, jobject o, uint64_t kind) {
    jlong tag = 0;
    if ((*jvmti)->GetTag(jvmti, o, &tag) != JVMTI_ERROR_NONE) return 0;
    if (tag) return (uint64_t)tag;
    uint64_t fresh = kind | (atomic_fetch_add(&next_tag_seq, 1) + 1);
    return (*jvmti)->SetTag(jvmti, o, (jlong)fresh) == JVMTI_ERROR_NONE ? fresh : 0;
}

static void prepare_classes(jvmtiEnv *jvmti, JNIEnv *jni, jvm_names *names, walk *w) {
    if ((*jvmti)->GetLoadedClasses(jvmti, &names->n_classes, &names->classes) != JVMTI_ERROR_NONE) {
        names->n_classes = 0;
        names->classes = NULL;
        return;
    }
    jclass reference = (*jni)->FindClass(jni, "java/lang/ref/Reference");
    if (!reference) (*jni)->ExceptionClear(jni);
    jclass phantom = w->owners ? (*jni)->FindClass(jni, "java/lang/ref/PhantomReference") : NULL;
    if (w->owners && !phantom) (*jni)->ExceptionClear(jni);
    for (jint i = 0; i < names->n_classes; i++) {
        uint64_t tag = ensure_tag(jvmti, names->classes[i], HEAP_TAG_CLASS);
        if (!tag) continue;
        map_put(&names->class_by_tag, tag, (uint32_t)i + 1);
        if (reference && (*jni)->IsAssignableFrom(jni, names->classes[i], reference)) {
            jint referent = heap_names_field_index(jvmti, jni, names->classes[i], reference, "referent");
            if (referent >= 0) map_put(&w->referent, tag, (uint32_t)referent + 1);
            if (phantom && (*jni)->IsAssignableFrom(jni, names->classes[i], phantom)) map_put(&w->phantom, tag, 1);
        }
    }
    static const char *prims[8] = {"[Z", "[B", "[C", "[S", "[I", "[J", "[F", "[D"};
    for (int i = 0; i < 8; i++) {
        jclass k = (*jni)->FindClass(jni, prims[i]);
        if (!k) {
            (*jni)->ExceptionClear(jni);
            continue;
        }
        w->prim_arrays[i] = ensure_tag(jvmti, k, HEAP_TAG_CLASS);
        (*jni)->DeleteLocalRef(jni, k);
    }
    jclass cls = (*jni)->FindClass(jni, "java/lang/Class");
    if (cls) {
        names->class_class_tag = ensure_tag(jvmti, cls, HEAP_TAG_CLASS);
        (*jni)->DeleteLocalRef(jni, cls);
    } else {
        (*jni)->ExceptionClear(jni);
    }
    if (reference) (*jni)->DeleteLocalRef(jni, reference);
    if (phantom) (*jni)->DeleteLocalRef(jni, phantom);
}

static void prepare_threads(jvmtiEnv *jvmti, JNIEnv *jni, jvm_names *names) {
    if ((*jvmti)->GetAllThreads(jvmti, &names->n_threads, &names->threads) != JVMTI_ERROR_NONE) {
        names->n_threads = 0;
        names->threads = NULL;
        return;
    }
    names->thread_tags = calloc((size_t)names->n_threads + 1, sizeof(uint64_t));
    names->thread_names = calloc((size_t)names->n_threads + 1, sizeof *names->thread_names);
    if (!names->thread_tags || !names->thread_names) {
        names->n_threads = 0;
        return;
    }
    for (jint i = 0; i < names->n_threads; i++) {
        names->thread_tags[i] = ensure_tag(jvmti, names->threads[i], HEAP_TAG_THREAD);
        jvmtiThreadInfo ti;
        memset(&ti, 0, sizeof ti);
        if ((*jvmti)->GetThreadInfo(jvmti, names->threads[i], &ti) == JVMTI_ERROR_NONE) {
            snprintf(names->thread_names[i], sizeof names->thread_names[i], "%s", ti.name ? ti.name : "?");
            if (ti.name) (*jvmti)->Deallocate(jvmti, (unsigned char *)ti.name);
            if (ti.thread_group) (*jni)->DeleteLocalRef(jni, ti.thread_group);
            if (ti.context_class_loader) (*jni)->DeleteLocalRef(jni, ti.context_class_loader);
        }
    }
}

static void release_names(jvmtiEnv *jvmti, JNIEnv *jni, jvm_names *names) {
    for (jint i = 0; i < names->n_classes; i++) (*jni)->DeleteLocalRef(jni, names->classes[i]);
    if (names->classes) (*jvmti)->Deallocate(jvmti, (unsigned char *)names->classes);
    for (jint i = 0; i < names->n_threads; i++) (*jni)->DeleteLocalRef(jni, names->threads[i]);
    if (names->threads) (*jvmti)->Deallocate(jvmti, (unsigned char *)names->threads);
    free(names->thread_tags);
    free(names->thread_names);
    map_free(&names->class_by_tag);
}

static jclass class_for_tag(jvm_names *names, uint64_t tag) {
    uint32_t i = map_get(&names->class_by_tag, tag);
    return i ? names->classes[i - 1] : NULL;
}

static void class_name(jvmtiEnv *jvmti, jvm_names *names, uint64_t tag, char *out, size_t len) {
    jclass k = class_for_tag(names, tag);
    if (k) heap_names_class(jvmti, k, out, len);
    else snprintf(out, len, "?");
}

static const char *thread_name(jvm_names *names, uint64_t tag) {
    for (jint i = 0; i < names->n_threads; i++)
        if (names->thread_tags[i] == tag) return names->thread_names[i];
    return "?";
}

/* ---- classification -------------------------------------------------------------------------- */

/* What holds an object, for Java's verdict (OneTimeInitialisation decides what is a leak; the walk
 * only states facts: docs/managed-heap.md, "The leak text"). */
enum holder { H_OTHER = 0, H_STATIC = 1, H_THREAD_LOCALS = 2, H_JVM = 3 };
static const char *holder_name[] = {"other", "static", "thread-locals", "jvm"};

/* The path of a node, root first, as steps; also what classification needs. */
typedef struct {
    char root[600];
    int root_kind;          /* jvmtiHeapReferenceKind of the root, or -1 for a static field */
    uint64_t static_owner;  /* tag of the class mirror whose static field the path starts at */
    int metadata_edge;      /* the path goes through class metadata (constant pool, class, loader) */
    int thread_locals;      /* the path starts at a thread and goes through its ThreadLocal map */
    int is_class_mirror;
    int object_public;      /* the object's class is public */
    int depth;
} path_facts;

#define MAX_PATH 4096
#define SHOWN_STEPS 24

static int is_metadata_kind(uint32_t kind) {
    switch (kind) {
    case JVMTI_HEAP_REFERENCE_CLASS:
    case JVMTI_HEAP_REFERENCE_CLASS_LOADER:
    case JVMTI_HEAP_REFERENCE_SIGNERS:
    case JVMTI_HEAP_REFERENCE_PROTECTION_DOMAIN:
    case JVMTI_HEAP_REFERENCE_INTERFACE:
    case JVMTI_HEAP_REFERENCE_SUPERCLASS:
    case JVMTI_HEAP_REFERENCE_CONSTANT_POOL:
        return 1;
    default:
        return 0;
    }
}

typedef struct {
    jvmtiEnv *jvmti;
    JNIEnv *jni;
    walk *w;
    jvm_names *names;
} walk_view;

/* The step that reached `child` from its parent. */
static void describe_edge(walk_view *v, walk_node *child, char *out, size_t len) {
    walk_node *parent = child->parent ? node_at(v->w, child->parent) : NULL;
    char owner[400] = "?", field[200];
    if (parent) class_name(v->jvmti, v->names, parent->class_tag, owner, sizeof owner);
    switch (child->kind) {
    case JVMTI_HEAP_REFERENCE_FIELD:
    case JVMTI_HEAP_REFERENCE_STATIC_FIELD: {
        jclass k = NULL;
        /* static: the referrer is the class mirror itself */
        if (parent) k = class_for_tag(v->names, child->kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD ? parent->tag : parent->class_tag);
        if (child->kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD) {
            if (k) heap_names_class(v->jvmti, k, owner, sizeof owner);
        }
        if (!k || heap_names_field(v->jvmti, v->jni, k, (jint)child->info, field, sizeof field) != 0)
            snprintf(field, sizeof field, "<field %d>", (int)child->info);
        snprintf(out, len, "%s%s.%s", child->kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD ? "static " : "", owner, field);
        break;
    }
    case JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT: snprintf(out, len, "[%d]", (int)child->info); break;
    case JVMTI_HEAP_REFERENCE_CONSTANT_POOL: snprintf(out, len, "%s <constant pool #%d>", owner, (int)child->info); break;
    case JVMTI_HEAP_REFERENCE_CLASS: snprintf(out, len, "%s <class>", owner); break;
    case JVMTI_HEAP_REFERENCE_CLASS_LOADER: snprintf(out, len, "%s <class loader>", owner); break;
    case JVMTI_HEAP_REFERENCE_SIGNERS: snprintf(out, len, "%s <signers>", owner); break;
    case JVMTI_HEAP_REFERENCE_PROTECTION_DOMAIN: snprintf(out, len, "%s <protection domain>", owner); break;
    case JVMTI_HEAP_REFERENCE_INTERFACE: snprintf(out, len, "%s <interface>", owner); break;
    case JVMTI_HEAP_REFERENCE_SUPERCLASS: snprintf(out, len, "%s <superclass>", owner); break;
    default: snprintf(out, len, "%s <reference kind %u>", owner, child->kind); break;
    }
}

static void describe_root(walk_view *v, walk_node *n, char *out, size_t len) {
    char what[400];
    switch (n->kind) {
    case JVMTI_HEAP_REFERENCE_JNI_GLOBAL: snprintf(out, len, "JNI global"); break;
    case JVMTI_HEAP_REFERENCE_SYSTEM_CLASS:
        if (!class_for_tag(v->names, n->tag)) {
            /* not a class mirror: an object the class-loader data holds itself (a class's
             * resolved references, its loader) */
            snprintf(out, len, "class loader data");
            break;
        }
        class_name(v->jvmti, v->names, n->tag, what, sizeof what);
        snprintf(out, len, "system class %s", what);
        break;
    case JVMTI_HEAP_REFERENCE_MONITOR: snprintf(out, len, "monitor"); break;
    case JVMTI_HEAP_REFERENCE_THREAD: snprintf(out, len, "thread \"%s\"", thread_name(v->names, n->tag)); break;
    case JVMTI_HEAP_REFERENCE_STACK_LOCAL:
        heap_names_method(v->jvmti, v->jni, (jmethodID)(uintptr_t)n->info, what, sizeof what, NULL, 0);
        snprintf(out, len, "thread \"%s\" local in %s", thread_name(v->names, n->thread_tag), what);
        break;
    case JVMTI_HEAP_REFERENCE_JNI_LOCAL:
        snprintf(out, len, "thread \"%s\" JNI local", thread_name(v->names, n->thread_tag));
        break;
    case JVMTI_HEAP_REFERENCE_OTHER: snprintf(out, len, "JVM internal root"); break;
    default: snprintf(out, len, "unknown referrer"); break;
    }
}

/* Facts about the path to `node`; with `text`, also its steps as "retained" lines. */
static void path_of(walk_view *v, uint32_t node, path_facts *pf, report_text *text) {
    static uint32_t chain[MAX_PATH]; /* under walk_lock */
    int n = 0;
    for (uint32_t c = node; c && n < MAX_PATH; c = node_at(v->w, c)->parent) chain[n++] = c;
    memset(pf, 0, sizeof *pf);
    pf->depth = n;
    pf->is_class_mirror = node_at(v->w, node)->class_tag == v->names->class_class_tag;
    jclass object_class = class_for_tag(v->names, node_at(v->w, node)->class_tag);
    jint modifiers = 0;
    if (object_class && (*v->jvmti)->GetClassModifiers(v->jvmti, object_class, &modifiers) == JVMTI_ERROR_NONE)
        pf->object_public = (modifiers & 0x0001 /* ACC_PUBLIC */) != 0;
    /* Cut at the static field nearest to the object: that field is what holds it. */
    int top = n - 1;
    for (int i = 0; i < n; i++)
        if (node_at(v->w, chain[i])->kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD) {
            top = i;
            break;
        }
    walk_node *first = node_at(v->w, chain[top]);
    if (first->kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD) {
        pf->root_kind = -1;
        describe_edge(v, first, pf->root, sizeof pf->root);
        if (first->parent) pf->static_owner = node_at(v->w, first->parent)->tag;
    } else {
        pf->root_kind = (int)first->kind;
        describe_root(v, first, pf->root, sizeof pf->root);
        /* held by class-loader data: through a class (a mirror's fields, its loader) or
         * directly (resolved references of a linked class) */
        if (first->kind == JVMTI_HEAP_REFERENCE_SYSTEM_CLASS) pf->metadata_edge = 1;
    }
    for (int i = top - 1; i >= 0; i--)
        if (is_metadata_kind(node_at(v->w, chain[i])->kind)) pf->metadata_edge = 1;
    if (pf->root_kind == JVMTI_HEAP_REFERENCE_THREAD && top > 0) {
        char step[700];
        describe_edge(v, node_at(v->w, chain[top - 1]), step, sizeof step);
        if (strstr(step, "java.lang.Thread.threadLocals") || strstr(step, ".inheritableThreadLocals"))
            pf->thread_locals = 1;
    }
    if (!text) return;
    report_text_append(text, "retained\t%s\n", report_text_clean(pf->root));
    int steps = top;
    for (int i = top - 1; i >= 0; i--) {
        int shown = top - 1 - i;
        if (steps > SHOWN_STEPS && shown == SHOWN_STEPS / 3) {
            report_text_append(text, "retained\t... %d more ...\n", steps - SHOWN_STEPS);
            i -= steps - SHOWN_STEPS - 1;
            continue;
        }
        char step[700];
        describe_edge(v, node_at(v->w, chain[i]), step, sizeof step);
        report_text_append(text, "retained\t%s\n", report_text_clean(step));
    }
}

static enum holder holder_of(const path_facts *pf) {
    if (pf->root_kind == -1) return H_STATIC;
    if (pf->thread_locals) return H_THREAD_LOCALS;
    /* The JVM's own strong handles (HotSpot's vm_global roots: the method types and handles it
     * interned while linking call sites, the system class loader and its class-loading locks,
     * preallocated objects). */
    if (pf->root_kind == JVMTI_HEAP_REFERENCE_OTHER) return H_JVM;
    return H_OTHER;
}

/* ---- the check ------------------------------------------------------------------------------- */

/* A reached object and the facts Java judges it by (objects with equal facts and stack are one
 * site of the text). */
typedef struct {
    uint32_t record, node, stack, depth;
    uint64_t weight, count_fp;
    uint64_t static_owner, object_class;
    uint8_t holder, metadata, object_public;
} reached_object;

typedef struct {
    reached_object facts; /* of its first object */
    uint64_t bytes, count_fp, samples;
    uint32_t best_node, best_depth;
} leak_group;

static pthread_mutex_t walk_lock = PTHREAD_MUTEX_INITIALIZER;
static walk the_walk;

static int in_subtree(uint32_t scope, uint32_t root) {
    for (int depth = 0; scope != 0 && depth < 64; depth++) {
        if (scope == root) return 1;
        uint32_t parent;
        scope = scopes_parent_of(&scope_slots[scope % MAX_SCOPES], scope, &parent) ? parent : 0;
    }
    return 0;
}

/* At most this many candidates are checked alive before the walk: GetObjectsWithTags compares
 * every tag-map entry with every tag asked for. */
#define MAX_ALIVE_CHECK 256
#define MAX_RECORDS_FOR_ALIVE_CHECK 65536

static int compare_tags(const void *a, const void *b) {
    jlong x = *(const jlong *)a, y = *(const jlong *)b;
    return x < y ? -1 : x > y;
}

/*
 * Candidates whose object a collection already reclaimed but whose ObjectFree event the JVM has
 * not posted yet (its Service Thread posts them some milliseconds after the GC) are dropped, so
 * that a scope whose sampled objects all died needs no walk. GetObjectsWithTags hands out live
 * objects only and, unlike a flush of the events, waits for nobody (no safepoint-check hazard,
 * heap_sampler.c). Returns the candidates left.
 */
static uint32_t drop_dead_candidates(jvmtiEnv *jvmti, uint32_t n) {
    if (n == 0 || n > MAX_ALIVE_CHECK) return n;
    /* It holds the tag map's lock, without safepoint checks, for entries x tags compares: not
     * over the tag map of the exact mode, where every object of every scope is a record. */
    spin_lock_acquire(&heap_lock);
    uint64_t records = heap_record_in_use();
    spin_lock_release(&heap_lock);
    if (records > MAX_RECORDS_FOR_ALIVE_CHECK) return n;
    jlong tags[MAX_ALIVE_CHECK];
    jint asked = 0;
    spin_lock_acquire(&heap_lock);
    uint32_t high = heap_record_high_water();
    for (uint32_t i = 0; i < high && asked < MAX_ALIVE_CHECK; i++) {
        heap_record *r = heap_record_at(i);
        if (r && (r->flags & REC_CANDIDATE) && r->state != REC_FREE) tags[asked++] = (jlong)heap_record_tag(i);
    }
    spin_lock_release(&heap_lock);
    jint found = 0;
    jlong *alive = NULL;
    if (asked == 0 || (*jvmti)->GetObjectsWithTags(jvmti, asked, tags, &found, NULL, &alive) != JVMTI_ERROR_NONE)
        return n;
    qsort(alive, (size_t)found, sizeof *alive, compare_tags);
    uint32_t left = 0;
    spin_lock_acquire(&heap_lock);
    for (jint k = 0; k < asked; k++) {
        uint32_t i = (uint32_t)(tags[k] - 1);
        heap_record *r = heap_record_at(i);
        if (!r || !(r->flags & REC_CANDIDATE) || r->state == REC_FREE) continue;
        if (bsearch(&tags[k], alive, (size_t)found, sizeof *alive, compare_tags)) {
            left++;
        } else {
            r->flags = 0; /* dead: its ObjectFree is on its way */
        }
    }
    spin_lock_release(&heap_lock);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)alive);
    return left;
}

/* The bytes the candidates stand for. */
static uint64_t candidates_weight(void) {
    uint64_t bytes = 0;
    spin_lock_acquire(&heap_lock);
    uint32_t high = heap_record_high_water();
    for (uint32_t i = 0; i < high; i++) {
        heap_record *r = heap_record_at(i);
        if (r && (r->flags & REC_CANDIDATE) && r->state != REC_FREE) bytes += r->weight;
    }
    spin_lock_release(&heap_lock);
    return bytes;
}

static void clear_candidates(void) {
    spin_lock_acquire(&heap_lock);
    uint32_t high = heap_record_high_water();
    for (uint32_t i = 0; i < high; i++) {
        heap_record *r = heap_record_at(i);
        if (r) r->flags = 0;
    }
    spin_lock_release(&heap_lock);
}

static uint32_t mark_candidates(jvmtiEnv *jvmti, uint32_t scope) {
    uint32_t n = 0;
    spin_lock_acquire(&heap_lock);
    uint32_t high = heap_record_high_water();
    for (uint32_t i = 0; i < high; i++) {
        heap_record *r = heap_record_at(i);
        if (!r) continue;
        r->flags = 0;
        r->walk_node = 0;
        if (r->state != REC_FREE && in_subtree(r->scope_id, scope)) {
            r->flags = REC_CANDIDATE;
            n++;
        }
    }
    spin_lock_release(&heap_lock);
    return drop_dead_candidates(jvmti, n);
}

/* Reached candidates, and every flag cleared. */
static reached_object *collect_reached(uint32_t *count) {
    uint32_t cap = 256, n = 0;
    reached_object *out = malloc(cap * sizeof *out);
    spin_lock_acquire(&heap_lock);
    uint32_t high = heap_record_high_water();
    for (uint32_t i = 0; i < high; i++) {
        heap_record *r = heap_record_at(i);
        if (!r) continue;
        if ((r->flags & REC_REACHED) && r->state != REC_FREE && r->walk_node && out) {
            if (n == cap) {
                reached_object *grown = realloc(out, (size_t)cap * 2 * sizeof *out);
                if (!grown) {
                    r->flags = 0;
                    continue;
                }
                out = grown;
                cap *= 2;
            }
            out[n++] = (reached_object){.record = i, .node = r->walk_node, .stack = r->stack_id,
                                        .weight = r->weight, .count_fp = r->count_fp};
        }
        r->flags = 0;
        r->walk_node = 0;
    }
    spin_lock_release(&heap_lock);
    *count = n;
    return out;
}

static void walk_release(walk *w) {
    for (int i = 0; i < MAX_NODE_CHUNKS; i++)
        if (w->chunks[i]) raw_free(w->chunks[i], (size_t)NODE_CHUNK * sizeof(walk_node));
    map_free(&w->by_tag);
    map_free(&w->referent);
    map_free(&w->phantom);
    memset(w, 0, sizeof *w);
}

static int cmp_u64(uint64_t x, uint64_t y) { return x < y ? -1 : x > y; }

static int by_stack_then_facts(const void *a, const void *b) {
    const reached_object *x = a, *y = b;
    int c = cmp_u64(x->stack, y->stack);
    if (!c) c = cmp_u64(x->holder, y->holder);
    if (!c) c = cmp_u64(x->static_owner, y->static_owner);
    if (!c) c = cmp_u64(x->object_class, y->object_class);
    if (!c) c = cmp_u64(x->metadata, y->metadata);
    if (!c) c = cmp_u64(x->object_public, y->object_public);
    return c;
}

static int by_bytes(const void *a, const void *b) {
    const leak_group *x = a, *y = b;
    return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : cmp_u64(x->facts.stack, y->facts.stack);
}

static int64_t objects(uint64_t count_fp) { return (int64_t)((count_fp + HEAP_COUNT_ONE / 2) / HEAP_COUNT_ONE); }

static int64_t micros_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000;
}

/* The site's allocation figures in the scope (estimates), 0 when unknown. */
static void site_allocated(const heap_site_figures *sites, int n, uint32_t stack, uint64_t *bytes, int64_t *count) {
    *bytes = 0;
    *count = 0;
    for (int i = 0; i < n; i++)
        if (sites[i].stack_id == stack) {
            *bytes = sites[i].est_bytes;
            *count = objects(sites[i].est_count_fp);
            return;
        }
}

static void emit(walk_view *v, report_text *t, uint32_t scope, reached_object *objs, uint32_t n_objs,
                 uint32_t candidates, int64_t walk_us) {
    /* The facts of each reached object, then one site per stack and facts, largest first. */
    for (uint32_t i = 0; i < n_objs; i++) {
        path_facts pf;
        path_of(v, objs[i].node, &pf, NULL);
        objs[i].depth = (uint32_t)pf.depth;
        objs[i].holder = (uint8_t)holder_of(&pf);
        objs[i].static_owner = pf.static_owner;
        objs[i].object_class = node_at(v->w, objs[i].node)->class_tag;
        objs[i].metadata = (uint8_t)(pf.is_class_mirror || pf.metadata_edge);
        objs[i].object_public = (uint8_t)pf.object_public;
    }
    qsort(objs, n_objs, sizeof *objs, by_stack_then_facts);
    leak_group *groups = calloc(n_objs ? n_objs : 1, sizeof *groups);
    uint32_t n_groups = 0;
    for (uint32_t i = 0; groups && i < n_objs; i++) {
        leak_group *g = n_groups ? &groups[n_groups - 1] : NULL;
        if (!g || by_stack_then_facts(&g->facts, &objs[i]) != 0) {
            g = &groups[n_groups++];
            *g = (leak_group){objs[i], 0, 0, 0, objs[i].node, objs[i].depth};
        }
        g->bytes += objs[i].weight;
        g->count_fp += objs[i].count_fp;
        g->samples++;
        if (objs[i].depth < g->best_depth) {
            g->best_depth = objs[i].depth;
            g->best_node = objs[i].node;
        }
    }
    if (groups) qsort(groups, n_groups, sizeof *groups, by_bytes);

    heap_site_figures *sites = NULL;
    int n_sites = 0;
    for (int max = 256;;) {
        free(sites);
        sites = malloc(sizeof *sites * (size_t)max);
        if (!sites) break;
        spin_lock_acquire(&heap_lock);
        n_sites = heap_stats_sites(scope, sites, max);
        spin_lock_release(&heap_lock);
        if (n_sites <= max) break;
        max = n_sites + 256;
    }
    if (n_sites < 0) n_sites = 0;

    report_text_append(t, "summary\t%u\t%u\t%u\t%d\t%lld\t%u\n", candidates, n_objs, v->w->count, v->w->truncated,
                       (long long)walk_us, HEAP_COUNT_ONE);
    for (uint32_t i = 0; groups && i < n_groups; i++) {
        leak_group *g = &groups[i];
        uint64_t alloc_bytes;
        int64_t alloc_count;
        site_allocated(sites, n_sites, g->facts.stack, &alloc_bytes, &alloc_count);
        char owner[400] = "-", object[400] = "?";
        if (g->facts.holder == H_STATIC && g->facts.static_owner)
            class_name(v->jvmti, v->names, g->facts.static_owner, owner, sizeof owner);
        class_name(v->jvmti, v->names, g->facts.object_class, object, sizeof object);
        report_text_append(t, "site\t%llu\t%llu\t%llu\t%llu\t%lld\t%s\t%s\t%s\t%d\t%d\t%u\n",
                           (unsigned long long)g->bytes, (unsigned long long)g->count_fp, (unsigned long long)g->samples,
                           (unsigned long long)alloc_bytes, (long long)alloc_count, holder_name[g->facts.holder],
                           report_text_clean(owner), report_text_clean(object), g->facts.object_public, g->facts.metadata,
                           g->best_depth);
        report_text_java_stack(t, g->facts.stack);
        path_facts pf;
        path_of(v, g->best_node, &pf, t);
    }
    free(sites);
    free(groups);
}

/* Steps 2 and 3 for both checks: names of classes and threads, the FollowReferences walk with
 * `callbacks` (the test thread's stack and the test instance left out), then `after` (while the
 * walk's tags still mark what was reached), then the temporary tags removed. */
static jvmtiError walk_heap(jvmtiEnv *jvmti, JNIEnv *jni, jvm_names *names, walk *w, jobject test_instance,
                            jthread test_thread, const jvmtiHeapCallbacks *callbacks,
                            void (*after)(jvmtiEnv *jvmti, walk *w)) {
    prepare_classes(jvmti, jni, names, w);
    prepare_threads(jvmti, jni, names);
    jthread current = NULL;
    if ((*jvmti)->GetCurrentThread(jvmti, &current) == JVMTI_ERROR_NONE && current)
        w->excluded[1] = ensure_tag(jvmti, current, HEAP_TAG_THREAD);
    if (test_thread) w->excluded[0] = ensure_tag(jvmti, test_thread, HEAP_TAG_THREAD);
    jlong instance_tag = 0;
    int instance_marked = test_instance && (*jvmti)->GetTag(jvmti, test_instance, &instance_tag) == JVMTI_ERROR_NONE &&
                          (*jvmti)->SetTag(jvmti, test_instance, (jlong)HEAP_TAG_SPECIAL) == JVMTI_ERROR_NONE;

    jvmtiError err = (*jvmti)->FollowReferences(jvmti, 0, NULL, NULL, callbacks, w);

    if (instance_marked) (*jvmti)->SetTag(jvmti, test_instance, instance_tag);
    if (err == JVMTI_ERROR_NONE && after) after(jvmti, w);
    jvmtiHeapCallbacks untag;
    memset(&untag, 0, sizeof untag);
    untag.heap_iteration_callback = on_untag;
    (*jvmti)->IterateThroughHeap(jvmti, JVMTI_HEAP_FILTER_UNTAGGED, NULL, &untag, NULL);
    return err;
}

char *heap_walker_find_leaks(JNIEnv *jni, uint32_t scope, jobject test_instance, jthread test_thread, int64_t below) {
    jvmtiEnv *jvmti = heap_sampler_env();
    report_text t = {0};
    report_text_header(&t, REPORT_TEXT_HEAP_LEAKS);
    if (!jvmti || !heap_sampler_available()) {
        report_text_append(&t, "unavailable\tmanaged-heap sampling is not active\nend\n");
        return report_text_finish(&t);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_mutex_lock(&walk_lock);
    uint32_t candidates = mark_candidates(jvmti, scope);
    if (candidates != 0 && below > 0 && candidates_weight() < (uint64_t)below) {
        /* too little alive for any site to be judged (the sampled mode's resolution): no walk */
        clear_candidates();
        report_text_append(&t, "summary\t%u\t0\t0\t0\t%lld\t%u\nend\n", candidates, (long long)micros_since(&t0),
                           HEAP_COUNT_ONE);
        pthread_mutex_unlock(&walk_lock);
        return report_text_finish(&t);
    }
    if (candidates == 0) {
        report_text_append(&t, "summary\t0\t0\t0\t0\t%lld\t%u\nend\n", (long long)micros_since(&t0), HEAP_COUNT_ONE);
        pthread_mutex_unlock(&walk_lock);
        return report_text_finish(&t);
    }
    if ((*jni)->PushLocalFrame(jni, 64) != JNI_OK) {
        (*jni)->ExceptionClear(jni);
        pthread_mutex_unlock(&walk_lock);
        free(t.data);
        return NULL;
    }
    walk *w = &the_walk;
    memset(w, 0, sizeof *w);
    jvm_names names;
    memset(&names, 0, sizeof names);
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.heap_reference_callback = on_reference;
    jvmtiError err = walk_heap(jvmti, jni, &names, w, test_instance, test_thread, &callbacks, NULL);
    int64_t walk_us = micros_since(&t0);

    uint32_t n_objs = 0;
    reached_object *objs = collect_reached(&n_objs);
    if (err != JVMTI_ERROR_NONE) {
        report_text_append(&t, "unavailable\tFollowReferences failed (JVMTI error %d)\n", (int)err);
    } else {
        walk_view v = {jvmti, jni, w, &names};
        emit(&v, &t, scope, objs ? objs : (reached_object[1]){{0}}, objs ? n_objs : 0, candidates, walk_us);
    }
    report_text_append(&t, "end\n");
    free(objs);
    release_names(jvmti, jni, &names);
    walk_release(w);
    (*jni)->PopLocalFrame(jni, NULL);
    pthread_mutex_unlock(&walk_lock);
    return report_text_finish(&t);
}

/* ---- the native owner check (heap_walker_find_owners) ----------------------------------------
 *
 * The same walk, with the primitive values of every object reached looked up among the scope's
 * live native blocks (sorted by address): a long field or long[] element inside a block makes its
 * object an owner of the block. The values callbacks run inside the safepoint like on_reference
 * (raw_alloc only). Blocks no reached object holds are looked up once more among the objects the
 * walk did not reach (IterateThroughHeap, before the walk's tags are removed): an unreachable
 * owner whose cleaner has not run yet — or, when a reached cleaner holds it and that cleaner's
 * referent was reached, owned by the referent (find_cleaner_referents). */

typedef struct {
    uint64_t addr, size;
    uint32_t stack_id;
    uint32_t scope_id; /* the scope it is attributed to (ids are never reused) */
    uint32_t best;  /* hit + 1 of the reachable owner with the shortest path; 0 none */
    uint32_t lost;  /* hit + 1 of an owner the walk did not reach; 0 none */
    uint32_t via;   /* block + 1 whose memory holds this block's address (no Java owner of its own) */
    uint32_t hops;  /* native pointers between the Java owner and this block */
    int jdk;        /* the best owner lies in a JDK cache */
    int test_held;  /* no owner reached, and one only the test's stack or instance holds */
    int per_thread; /* no Java owner: a thread-specific value of the judging thread holds it */
} owned_block;

typedef struct {
    uint32_t block, node; /* node 0: an object the walk did not reach */
    uint64_t class_tag;   /* the owner's class; for a static field, tag of the class itself */
    uint32_t kind, index; /* FIELD, STATIC_FIELD or ARRAY_ELEMENT, and its index */
    uint32_t first;       /* unreached objects: the object's first hit + 1 (one object, several hits) */
    int by_test;          /* (on an object's first hit) only the test's stack or instance holds it */
    uint32_t cleaner;     /* (on an unreached object's first hit) node of a reached phantom reference
                           * (a cleaner) that holds it in a field other than its referent; 0 none */
    uint64_t through;     /* the owner is a cleaner's referent (node set to it): class tag of the
                           * cleaner's action the hit was found in, which class_tag/kind/index name */
    uint64_t referent_class; /* with through: the referent's class */
} owner_hit;

#define MAX_OWNER_HITS (1u << 24)

struct owner_search {
    owned_block *blocks;
    uint32_t n_blocks;
    owner_hit *hits;
    uint32_t n_hits, cap;
    int unreached_pass;
    int truncated;
    uint64_t jdk_caches[3];
    uint64_t boxed_long; /* a java.lang.Long holding an address is a copy of it (a map key), no owner */
    jvm_names *names;
    tag_map lost_by_tag; /* unreached owners that have a tag of their own -> first hit + 1 */
    tag_map referent_of; /* node of a reached phantom reference -> node of its reached referent */
    jobject test_instance;
};

static int64_t block_containing(const struct owner_search *o, uint64_t value) {
    if (!value || !o->n_blocks || value < o->blocks[0].addr) return -1;
    uint32_t lo = 0, hi = o->n_blocks; /* last block with addr <= value */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (o->blocks[mid].addr <= value) lo = mid;
        else hi = mid;
    }
    return value - o->blocks[lo].addr < o->blocks[lo].size ? (int64_t)lo : -1;
}

/* The first hit + 1 of an object the unreached pass marked, 0 for any other. */
static uint32_t lost_hit(struct owner_search *o, uint64_t tag) {
    if (!tag) return 0;
    if (tag & HEAP_TAG_WALK) return (tag & WALK_LOST) ? (uint32_t)(tag & (WALK_LOST - 1)) + 1 : 0;
    return map_get(&o->lost_by_tag, tag);
}

static void add_hit(walk *w, uint32_t block, jlong *tag_ptr, uint64_t class_tag, uint32_t kind, uint32_t index) {
    struct owner_search *o = w->owners;
    uint64_t object_tag = (uint64_t)*tag_ptr;
    uint32_t node = node_of_tag(w, object_tag);
    if (o->unreached_pass && (node || o->blocks[block].best)) return; /* reached: seen by the walk */
    if (o->n_hits == o->cap) {
        uint32_t cap = o->cap ? o->cap * 2 : 1024;
        owner_hit *grown = cap <= MAX_OWNER_HITS ? raw_alloc((size_t)cap * sizeof *grown) : NULL;
        if (!grown) {
            o->truncated = 1;
            return;
        }
        if (o->hits) {
            memcpy(grown, o->hits, (size_t)o->n_hits * sizeof *grown);
            raw_free(o->hits, (size_t)o->cap * sizeof *grown);
        }
        o->hits = grown;
        o->cap = cap;
    }
    if (kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD) class_tag = object_tag;
    uint32_t first = 0;
    if (o->unreached_pass) {
        first = lost_hit(o, object_tag);
        if (!first) {
            first = o->n_hits + 1;
            if (!object_tag) *tag_ptr = (jlong)(HEAP_TAG_WALK | WALK_LOST | o->n_hits);
            else if (map_put(&o->lost_by_tag, object_tag, first) != 0) o->truncated = 1;
        }
    }
    o->hits[o->n_hits++] = (owner_hit){block, node, class_tag, kind, index, first, 0, 0, 0, 0};
}

static jint JNICALL on_primitive_field(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info,
                                       jlong object_class_tag, jlong *object_tag_ptr, jvalue value,
                                       jvmtiPrimitiveType value_type, void *user_data) {
    walk *w = user_data;
    if (value_type != JVMTI_PRIMITIVE_TYPE_LONG) return 0; /* an address needs 64 bits */
    int64_t b = block_containing(w->owners, (uint64_t)value.j);
    if (b >= 0)
        add_hit(w, (uint32_t)b, object_tag_ptr, (uint64_t)object_class_tag, (uint32_t)kind,
                info ? (uint32_t)info->field.index : 0);
    return 0;
}

static jint JNICALL on_array_values(jlong class_tag, jlong size, jlong *tag_ptr, jint element_count,
                                    jvmtiPrimitiveType element_type, const void *elements, void *user_data) {
    walk *w = user_data;
    if (element_type != JVMTI_PRIMITIVE_TYPE_LONG) return 0;
    const jlong *values = elements;
    for (jint i = 0; i < element_count; i++) {
        int64_t b = block_containing(w->owners, (uint64_t)values[i]);
        if (b >= 0) add_hit(w, (uint32_t)b, tag_ptr, (uint64_t)class_tag, JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT, (uint32_t)i);
    }
    return 0;
}

/* A JDK cache keeps the block for reuse (docs/native-engine.md, "Owners"): the path from the root
 * to its owner passes through the per-thread temporary direct-buffer cache of NIO or the
 * inflater cache of a (jar) file the JDK keeps open. */
static int in_jdk_cache(walk *w, uint32_t node) {
    for (int steps = 0; node && steps < MAX_PATH; steps++, node = node_at(w, node)->parent) {
        walk_node *n = node_at(w, node);
        for (int i = 0; i < 3; i++)
            if (w->owners->jdk_caches[i] && n->class_tag == w->owners->jdk_caches[i]) return 1;
    }
    return 0;
}

static void find_jdk_caches(jvmtiEnv *jvmti, jvm_names *names, struct owner_search *o) {
    static const char *caches[3] = {"Lsun/nio/ch/Util$BufferCache;", "Ljava/util/zip/ZipFile$Source;",
                                     "Ljava/util/zip/ZipFile$CleanableResource;"};
    for (jint i = 0; i < names->n_classes; i++) {
        char *sig = NULL;
        if ((*jvmti)->GetClassSignature(jvmti, names->classes[i], &sig, NULL) != JVMTI_ERROR_NONE || !sig) continue;
        for (int k = 0; k < 3; k++) {
            jlong tag = 0;
            if (strcmp(sig, caches[k]) == 0 && (*jvmti)->GetTag(jvmti, names->classes[i], &tag) == JVMTI_ERROR_NONE)
                o->jdk_caches[k] = (uint64_t)tag;
        }
        jlong tag = 0;
        if (strcmp(sig, "Ljava/lang/Long;") == 0 && (*jvmti)->GetTag(jvmti, names->classes[i], &tag) == JVMTI_ERROR_NONE)
            o->boxed_long = (uint64_t)tag;
        (*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
    }
}

/* Blocks owned through native memory: a block with a Java owner (z_stream of a Deflater, a
 * RocksDB Options) holds pointers to the blocks its library allocated for it (zlib's state and
 * window, RocksDB's table factory). Breadth first from the Java-owned blocks, each block's first
 * NATIVE_SCAN_BYTES read as aligned pointers; read with process_vm_readv, which fails instead of
 * faulting should a block be freed meanwhile. */
#define NATIVE_SCAN_BYTES 65536
#define NATIVE_SCAN_TOTAL (64u << 20)
#define NATIVE_MAX_HOPS 8

static void follow_native_pointers(struct owner_search *o, int from_thread) {
    uint32_t *queue = malloc((size_t)o->n_blocks * sizeof *queue);
    uint64_t *words = malloc(NATIVE_SCAN_BYTES);
    if (!queue || !words) {
        free(queue);
        free(words);
        return;
    }
    uint32_t head = 0, tail = 0;
    for (uint32_t i = 0; i < o->n_blocks; i++)
        if (from_thread ? o->blocks[i].per_thread && !o->blocks[i].via : o->blocks[i].best != 0) queue[tail++] = i;
    uint64_t scanned = 0;
    pid_t self = getpid();
    while (head < tail && scanned < NATIVE_SCAN_TOTAL) {
        uint32_t from = queue[head++];
        owned_block *b = &o->blocks[from];
        if (b->hops >= NATIVE_MAX_HOPS) continue;
        size_t len = b->size < NATIVE_SCAN_BYTES ? (size_t)b->size : NATIVE_SCAN_BYTES;
        len &= ~(size_t)7;
        struct iovec local = {words, len}, remote = {(void *)(uintptr_t)b->addr, len};
        if (!len || process_vm_readv(self, &local, 1, &remote, 1, 0) != (ssize_t)len) continue;
        scanned += len;
        for (size_t k = 0; k < len / 8; k++) {
            int64_t t = block_containing(o, words[k]);
            if (t < 0 || (uint32_t)t == from) continue;
            owned_block *target = &o->blocks[t];
            if (target->best || target->via || target->per_thread) continue;
            target->via = from + 1;
            target->hops = b->hops + 1;
            target->jdk = b->jdk;
            target->per_thread = b->per_thread;
            queue[tail++] = (uint32_t)t;
        }
    }
    free(queue);
    free(words);
}

/* Per-thread state of a native library (RocksDB's thread-local slots, an allocator's thread
 * cache): a block no Java object owns whose address a thread-specific value (pthread_setspecific)
 * of the judging thread holds, and the blocks reached from it through native pointers. Such a
 * block lives as long as the thread and is made once per thread, not per call: not the test's
 * leak (docs/native-engine.md, "Owners"). Only the judging thread's values can be read (the test's
 * own thread when it runs on the thread that judges it); glibc answers NULL for keys never made. */
static void find_thread_specific(struct owner_search *o) {
    int any = 0;
    for (pthread_key_t k = 0; k < PTHREAD_KEYS_MAX; k++) {
        void *value = pthread_getspecific(k);
        if (!value) continue;
        int64_t b = block_containing(o, (uint64_t)(uintptr_t)value);
        if (b < 0) continue;
        owned_block *block = &o->blocks[b];
        if (block->best || block->via) continue;
        block->per_thread = 1;
        any = 1;
    }
    if (any) follow_native_pointers(o, 1);
}

/* The block whose Java owner owns `b` (itself when it has one). */
static const owned_block *owning_block(const struct owner_search *o, const owned_block *b) {
    for (int i = 0; i <= NATIVE_MAX_HOPS && !b->best && b->via; i++) b = &o->blocks[b->via - 1];
    return b;
}

/* Which unreached owners only the test holds: a walk from the test thread's stack and from the test
 * instance (the roots the owner walk leaves out) through fields and array elements, not into what
 * the owner walk reached. What only the test holds is not leaked (the rule of the leak check). */
static jint JNICALL on_test_reference(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info, jlong class_tag,
                                      jlong referrer_class_tag, jlong size, jlong *tag_ptr, jlong *referrer_tag_ptr,
                                      jint length, void *user_data) {
    walk *w = user_data;
    struct owner_search *o = w->owners;
    if (!referrer_tag_ptr) {
        uint64_t thread_tag = 0;
        if (kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL && info) thread_tag = (uint64_t)info->stack_local.thread_tag;
        else if (kind == JVMTI_HEAP_REFERENCE_JNI_LOCAL && info) thread_tag = (uint64_t)info->jni_local.thread_tag;
        if (!thread_tag || (thread_tag != w->excluded[0] && thread_tag != w->excluded[1])) return 0;
    } else if (kind != JVMTI_HEAP_REFERENCE_FIELD && kind != JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT) {
        return 0;
    } else if (kind == JVMTI_HEAP_REFERENCE_FIELD && map_get(&w->phantom, (uint64_t)referrer_class_tag)) {
        return 0;
    }
    uint64_t tag = (uint64_t)*tag_ptr;
    uint32_t hit = lost_hit(o, tag);
    if (hit && hit <= o->n_hits) o->hits[hit - 1].by_test = 1;
    return node_of_tag(w, tag) ? 0 : JVMTI_VISIT_OBJECTS;
}

static void find_test_held(jvmtiEnv *jvmti, walk *w) {
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.heap_reference_callback = on_test_reference;
    (*jvmti)->FollowReferences(jvmti, 0, NULL, NULL, &callbacks, w);
    if (w->owners->test_instance) (*jvmti)->FollowReferences(jvmti, 0, NULL, w->owners->test_instance, &callbacks, w);
}

/* Unreached owners held by a cleaner whose referent is alive: a cleaner's action (a
 * DirectByteBuffer's Deallocator, JNA's MemoryDisposer) holds the address to free it once the
 * referent is gone, so the owner walk does not go through a phantom reference's fields. When the
 * referent is still reached — a pool that overwrote a direct buffer's own address (lmdbjava points
 * it into its memory map) keeps the buffer, and only its Deallocator holds the malloc'd address —
 * the cleaner never runs: the referent is the owner, through its cleaner. A walk over what the owner
 * walk reached (its tags still mark it) notes, for each reached phantom reference, its referent's
 * node and the unreached owners its other fields hold. */
static jint JNICALL on_cleaner_reference(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info,
                                         jlong class_tag, jlong referrer_class_tag, jlong size, jlong *tag_ptr,
                                         jlong *referrer_tag_ptr, jint length, void *user_data) {
    walk *w = user_data;
    struct owner_search *o = w->owners;
    uint64_t tag = (uint64_t)*tag_ptr;
    if (!referrer_tag_ptr || kind != JVMTI_HEAP_REFERENCE_FIELD || !map_get(&w->phantom, (uint64_t)referrer_class_tag))
        return node_of_tag(w, tag) ? JVMTI_VISIT_OBJECTS : 0;
    uint32_t reference = node_of_tag(w, (uint64_t)*referrer_tag_ptr);
    if (!reference) return 0;
    uint32_t referent = map_get(&w->referent, (uint64_t)referrer_class_tag);
    if (info && referent && (uint32_t)info->field.index + 1 == referent) {
        uint32_t node = node_of_tag(w, tag);
        if (node && map_put(&o->referent_of, reference, node) != 0) o->truncated = 1;
        return 0;
    }
    uint32_t hit = lost_hit(o, tag);
    if (hit && hit <= o->n_hits && !o->hits[hit - 1].cleaner) o->hits[hit - 1].cleaner = reference;
    return node_of_tag(w, tag) ? JVMTI_VISIT_OBJECTS : 0;
}

/* Blocks whose unreached owner a cleaner with a reached referent holds get that referent as their
 * owner (its node, so its path and the owner-based rules apply); 1 when any did. */
static int find_cleaner_referents(jvmtiEnv *jvmti, walk *w, uint32_t reached_hits) {
    struct owner_search *o = w->owners;
    int any = 0;
    for (uint32_t i = reached_hits; i < o->n_hits && !any; i++)
        if (!o->hits[i].by_test) any = 1;
    if (!any) return 0;
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.heap_reference_callback = on_cleaner_reference;
    if ((*jvmti)->FollowReferences(jvmti, 0, NULL, NULL, &callbacks, w) != JVMTI_ERROR_NONE) return 0;
    int found = 0;
    for (uint32_t i = reached_hits; i < o->n_hits; i++) {
        owner_hit *h = &o->hits[i];
        if (h->class_tag == o->boxed_long || !h->first) continue;
        const owner_hit *first = &o->hits[h->first - 1];
        if (first->by_test || !first->cleaner) continue;
        uint32_t referent = map_get(&o->referent_of, first->cleaner);
        if (!referent) continue; /* the referent is gone too: the cleaner is pending */
        owned_block *b = &o->blocks[h->block];
        if (b->per_thread) continue; /* per-thread state comes before an owner found this late, as before */
        if (b->best && node_at(w, o->hits[b->best - 1].node)->depth <= node_at(w, referent)->depth) continue;
        h->node = referent;
        h->through = h->class_tag;
        h->referent_class = node_at(w, referent)->class_tag;
        b->best = i + 1;
        b->jdk = in_jdk_cache(w, referent);
        found = 1;
    }
    return found;
}

/* Runs after FollowReferences, while the walk's tags still tell reached objects apart. */
static void choose_owners(jvmtiEnv *jvmti, walk *w) {
    struct owner_search *o = w->owners;
    find_jdk_caches(jvmti, o->names, o);
    for (uint32_t i = 0; i < o->n_hits; i++) {
        owner_hit *h = &o->hits[i];
        if (!h->node || h->class_tag == o->boxed_long) continue; /* out of nodes; a boxed copy */
        owned_block *b = &o->blocks[h->block];
        if (!b->best || node_at(w, h->node)->depth < node_at(w, o->hits[b->best - 1].node)->depth) b->best = i + 1;
    }
    for (uint32_t i = 0; i < o->n_blocks; i++) {
        owned_block *b = &o->blocks[i];
        if (b->best) b->jdk = in_jdk_cache(w, o->hits[b->best - 1].node);
    }
    follow_native_pointers(o, 0);
    find_thread_specific(o);
    int orphans = 0;
    for (uint32_t i = 0; i < o->n_blocks; i++)
        if (!o->blocks[i].best && !o->blocks[i].via && !o->blocks[i].per_thread) orphans = 1;
    if (!orphans) return;
    uint32_t reached_hits = o->n_hits;
    o->unreached_pass = 1;
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.primitive_field_callback = on_primitive_field;
    callbacks.array_primitive_value_callback = on_array_values;
    (*jvmti)->IterateThroughHeap(jvmti, 0, NULL, &callbacks, w);
    int lost = 0;
    for (uint32_t i = reached_hits; i < o->n_hits; i++) {
        owned_block *b = &o->blocks[o->hits[i].block];
        if (!b->lost && o->hits[i].class_tag != o->boxed_long) {
            b->lost = i + 1;
            lost = 1;
        }
    }
    if (!lost) return;
    find_test_held(jvmti, w);
    for (uint32_t i = reached_hits; i < o->n_hits; i++)
        if (o->hits[o->hits[i].first - 1].by_test) o->blocks[o->hits[i].block].test_held = 1;
    if (find_cleaner_referents(jvmti, w, reached_hits)) follow_native_pointers(o, 0);
}

static int by_address(const void *a, const void *b) {
    const owned_block *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

typedef struct {
    uint32_t scope;
    owned_block *blocks;
    uint32_t n, cap;
    int failed;
} block_list;

static int collect_block(const live_entry *e, void *arg) {
    block_list *l = arg;
    if (!in_subtree(e->scope_id, l->scope)) return 0;
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 256;
        owned_block *grown = realloc(l->blocks, (size_t)cap * sizeof *grown);
        if (!grown) {
            l->failed = 1;
            return 1;
        }
        l->blocks = grown;
        l->cap = cap;
    }
    l->blocks[l->n++] = (owned_block){.addr = e->addr, .size = e->size, .stack_id = e->stack_id, .scope_id = e->scope_id};
    return 0;
}

/* "org.rocksdb.Options (field nativeHandle_)", "long[] (element 3)", "com.acme.X (static field H)" */
static void describe_owner(walk_view *v, const owner_hit *h, char *out, size_t len) {
    char cls[400], field[200];
    if (h->through) { /* "java.nio.DirectByteBuffer, through its cleaner's java.nio.DirectByteBuffer$Deallocator (field address)" */
        char referent[400];
        class_name(v->jvmti, v->names, h->referent_class, referent, sizeof referent);
        int n = snprintf(out, len, "%s, through its cleaner's ", referent);
        if (n < 0 || (size_t)n >= len) return;
        out += n;
        len -= (size_t)n;
    }
    class_name(v->jvmti, v->names, h->class_tag, cls, sizeof cls);
    if (h->kind == JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT) {
        snprintf(out, len, "%s (element %u)", cls, h->index);
        return;
    }
    jclass k = class_for_tag(v->names, h->class_tag);
    if (!k || heap_names_field(v->jvmti, v->jni, k, (jint)h->index, field, sizeof field) != 0)
        snprintf(field, sizeof field, "<field %u>", h->index);
    snprintf(out, len, "%s (%sfield %s)", cls, h->kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD ? "static " : "", field);
}

static int by_stack(const void *a, const void *b) {
    const owned_block *x = *(owned_block *const *)a, *y = *(owned_block *const *)b;
    return x->stack_id < y->stack_id ? -1 : x->stack_id > y->stack_id;
}

static int same_owner(const owner_hit *a, const owner_hit *b) {
    return a->class_tag == b->class_tag && a->kind == b->kind && a->through == b->through &&
           a->referent_class == b->referent_class && (a->kind == JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT || a->index == b->index);
}

/* At most this many blocks are listed on a `held` line (a site with more lists none). */
enum { HELD_LISTED = 64 };

/* The owner lines of one site (format in docs/native-report-format.md). */
static void site_owner(walk_view *v, owned_block **blocks, uint32_t n, report_text *t) {
    struct owner_search *o = v->w->owners;
    const owner_hit *best = NULL, *lost = NULL;
    uint64_t jdk_bytes = 0, jdk_count = 0, test_bytes = 0, test_count = 0, thread_bytes = 0, thread_count = 0;
    uint32_t others = 0;
    const owner_hit *kinds[8];
    uint32_t n_kinds = 0;
    uint32_t through_native = 0;
    for (uint32_t i = 0; i < n; i++) {
        const owned_block *b = owning_block(o, blocks[i]);
        if (b != blocks[i] && b->best) through_native++;
        if (b->best && b->jdk) {
            jdk_bytes += blocks[i]->size;
            jdk_count++;
        } else if (b->best) {
            const owner_hit *h = &o->hits[b->best - 1];
            if (!best || node_at(v->w, h->node)->depth < node_at(v->w, best->node)->depth) best = h;
            uint32_t k = 0;
            while (k < n_kinds && !same_owner(kinds[k], h)) k++;
            if (k == n_kinds) {
                if (n_kinds < 8) kinds[n_kinds++] = h;
                else others++;
            }
        } else if (b->per_thread) {
            thread_bytes += blocks[i]->size; /* per-thread state of a native library */
            thread_count++;
        } else if (b->test_held) {
            test_bytes += blocks[i]->size; /* only the test's stack or instance holds its owner */
            test_count++;
        } else if (b->lost && !lost) {
            lost = &o->hits[b->lost - 1];
        }
    }
    others += n_kinds ? n_kinds - 1 : 0;
    char what[700] = "";
    const char *state;
    if (best) {
        state = through_native == n ? "native" : "held";
        describe_owner(v, best, what, sizeof what);
    } else if (lost) {
        state = "unreachable";
        describe_owner(v, lost, what, sizeof what);
    } else if (jdk_count + test_count + thread_count == n) {
        state = test_count ? "test" : thread_count ? "thread" : "jdk";
    } else {
        state = "none";
    }
    report_text_append(t, "owner\t%s\t%s\t%u\t%llu\t%llu\n", state, report_text_clean(what), others,
                       (unsigned long long)(jdk_bytes + test_bytes + thread_bytes),
                       (unsigned long long)(jdk_count + test_count + thread_count));
    if (best) {
        path_facts pf;
        path_of(v, best->node, &pf, t);
        /* the blocks a reachable Java object owns, so that Java can tell later which of them are
         * gone: whether a holder that replaces its blocks grows (OneTimeInitialisation's churn) */
        uint32_t held = 0;
        for (uint32_t i = 0; i < n; i++) {
            const owned_block *b = owning_block(o, blocks[i]);
            if (b->best && !b->jdk) held++;
        }
        report_text_append(t, "held\t%u\t", held);
        for (uint32_t i = 0, listed = 0; held <= HELD_LISTED && i < n; i++) {
            const owned_block *b = owning_block(o, blocks[i]);
            if (b->best && !b->jdk)
                report_text_append(t, "%s%u:%llx", listed++ ? "," : "", blocks[i]->scope_id,
                                   (unsigned long long)blocks[i]->addr);
        }
        report_text_append(t, "\n");
    }
}

int heap_walker_find_owners(JNIEnv *jni, uint32_t scope, jobject test_instance, jthread test_thread,
                            heap_owner_site **out, int64_t *walk_us, void (*collected)(void *arg), void *arg) {
    *out = NULL;
    *walk_us = 0;
    jvmtiEnv *jvmti = heap_sampler_env();
    if (!jvmti) return -1;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    block_list list = {scope, NULL, 0, 0, 0};
    live_table_foreach(collect_block, &list);
    if (collected) collected(arg);
    if (list.failed || !list.n) {
        free(list.blocks);
        return list.failed ? -1 : 0;
    }
    qsort(list.blocks, list.n, sizeof *list.blocks, by_address);
    pthread_mutex_lock(&walk_lock);
    if ((*jni)->PushLocalFrame(jni, 64) != JNI_OK) {
        (*jni)->ExceptionClear(jni);
        pthread_mutex_unlock(&walk_lock);
        free(list.blocks);
        return -1;
    }
    walk *w = &the_walk;
    memset(w, 0, sizeof *w);
    jvm_names names;
    memset(&names, 0, sizeof names);
    struct owner_search search = {.blocks = list.blocks, .n_blocks = list.n, .names = &names, .test_instance = test_instance};
    w->owners = &search;
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.heap_reference_callback = on_reference;
    callbacks.primitive_field_callback = on_primitive_field;
    callbacks.array_primitive_value_callback = on_array_values;
    jvmtiError err = walk_heap(jvmti, jni, &names, w, test_instance, test_thread, &callbacks, choose_owners);
    int sites = -1;
    if (err == JVMTI_ERROR_NONE) {
        walk_view v = {jvmti, jni, w, &names};
        owned_block **order = malloc((size_t)list.n * sizeof *order);
        heap_owner_site *result = calloc(list.n, sizeof *result);
        if (order && result) {
            for (uint32_t i = 0; i < list.n; i++) order[i] = &list.blocks[i];
            qsort(order, list.n, sizeof *order, by_stack);
            sites = 0;
            for (uint32_t i = 0; i < list.n;) {
                uint32_t j = i;
                while (j < list.n && order[j]->stack_id == order[i]->stack_id) j++;
                report_text t = {0};
                site_owner(&v, order + i, j - i, &t);
                result[sites].stack_id = order[i]->stack_id;
                result[sites].lines = report_text_finish(&t);
                sites++;
                i = j;
            }
            *out = result;
        } else {
            free(result);
        }
        free(order);
    }
    if (search.hits) raw_free(search.hits, (size_t)search.cap * sizeof *search.hits);
    map_free(&search.lost_by_tag);
    map_free(&search.referent_of);
    release_names(jvmti, jni, &names);
    walk_release(w);
    (*jni)->PopLocalFrame(jni, NULL);
    pthread_mutex_unlock(&walk_lock);
    free(list.blocks);
    *walk_us = micros_since(&t0);
    return sites;
}
