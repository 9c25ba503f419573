/*
 * stack_capture.c — merged native + Java stacks for allocation records; see stack_capture.h.
 */
#include "stack_capture.h"
#include "symbolizer.h"

#include <link.h>
#include <pthread.h>
#include <string.h>
#include <unwind.h>

#include "hooks.h"
#include "jvm_bridge.h"
#include "raw_memory.h"
#include "spin_lock.h"
#include "stack_table.h"
#include "thread_state.h"

const char *origin_code(uint32_t origin) {
    switch (origin) {
    case ORIGIN_JDK: return "jdk";
    case ORIGIN_JVM: return "jvm";
    default: return "jni";
    }
}

/* ---- loaded objects ---------------------------------------------------------------------- */

enum { OBJ_PASSTHROUGH = 1, OBJ_JVM = 2, OBJ_SELF = 4, OBJ_TOOL = 8 };

typedef struct {
    uint64_t start, end;
    uint32_t flags;
} text_range;

typedef struct {
    uint32_t count;
    text_range ranges[];
} object_map;

/* Readers load the pointer without a lock; a replaced map is never unmapped (a few KB per
 * dlopen), so a hook that still reads an old one reads valid memory. */
static _Atomic(object_map *) current_map;
static spin_lock map_build_lock = SPIN_LOCK_INIT;

/* libjvm functions through which Java code asks for off-heap memory, and the os:: allocation
 * wrappers between them and malloc. JDK 17: malloc <- os::malloc <- Unsafe_AllocateMemory0 <-
 * wrapper; JDK 25 tail-calls: malloc <- os::malloc <- wrapper. */
#define MAX_JVM_RANGES 16
static uint64_t os_alloc_ranges[MAX_JVM_RANGES][2];
static int os_alloc_range_count;
static uint64_t unsafe_ranges[MAX_JVM_RANGES][2];
static int unsafe_range_count;

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static uint32_t classify_object(const char *name) {
    const char *b = base_name(name);
    if (strncmp(b, "libjvm.so", 9) == 0) return OBJ_JVM;
    /* Another tool inside the JVM (docs/native-engine.md, "Beside other hookers"): what it
     * allocates for itself is its bookkeeping, like the JVM's; a single frame of it between the
     * allocator and a caller is its hook, which the caller's allocation passes through. */
    if (strncmp(b, "libasyncProfiler", 16) == 0) return OBJ_TOOL;
    if (strncmp(b, "libc.so", 7) == 0 || strncmp(b, "libstdc++.so", 12) == 0 ||
        strncmp(b, "libgcc_s.so", 11) == 0 || strncmp(b, "libpthread.so", 13) == 0 ||
        strncmp(b, "ld-linux", 8) == 0 || strncmp(b, "libdl.so", 8) == 0)
        return OBJ_PASSTHROUGH;
    return 0;
}



typedef struct {
    object_map *map;
    uint32_t capacity;
} build_ctx;

static int collect_ranges(struct dl_phdr_info *info, size_t size, void *arg) {
    build_ctx *ctx = arg;
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    /* any function of ours marks our text range (the hook frames) */
    uint64_t self = (uint64_t)(uintptr_t)&stack_capture_refresh_objects;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
        if (ctx->map->count >= ctx->capacity) return 1;
        uint64_t start = info->dlpi_addr + ph->p_vaddr;
        text_range *r = &ctx->map->ranges[ctx->map->count++];
        r->start = start;
        r->end = start + ph->p_memsz;
        r->flags = classify_object(name);
    }
    for (uint32_t i = 0; i < ctx->map->count; i++)
        if (self >= ctx->map->ranges[i].start && self < ctx->map->ranges[i].end) ctx->map->ranges[i].flags |= OBJ_SELF;
    return 0;
}

static int by_start(const void *a, const void *b) {
    const text_range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void sort_ranges(text_range *r, uint32_t n) {
    /* insertion sort: a few dozen entries, and qsort may allocate */
    for (uint32_t i = 1; i < n; i++) {
        text_range v = r[i];
        uint32_t j = i;
        while (j > 0 && by_start(&r[j - 1], &v) > 0) { r[j] = r[j - 1]; j--; }
        r[j] = v;
    }
}

void stack_capture_refresh_objects(void) {
    symbolizer_note_objects(); /* so that frames of a library unloaded later are still named */
    spin_lock_acquire(&map_build_lock);
    uint32_t capacity = 4096;
    object_map *map = raw_alloc(sizeof(object_map) + capacity * sizeof(text_range));
    if (map) {
        build_ctx ctx = {map, capacity};
        dl_iterate_phdr(collect_ranges, &ctx);
        sort_ranges(map->ranges, map->count);
        atomic_store_explicit(&current_map, map, memory_order_release);
    }
    spin_lock_release(&map_build_lock);
}

static const text_range *find_range(uint64_t pc) {
    object_map *map = atomic_load_explicit(&current_map, memory_order_acquire);
    if (!map) return NULL;
    uint32_t lo = 0, hi = map->count;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (pc < map->ranges[mid].start) hi = mid;
        else if (pc >= map->ranges[mid].end) lo = mid + 1;
        else return &map->ranges[mid];
    }
    return NULL;
}

void stack_capture_add_jvm_range(int unsafe, uint64_t start, uint64_t end) {
    if (unsafe) {
        if (unsafe_range_count < MAX_JVM_RANGES) {
            unsafe_ranges[unsafe_range_count][0] = start;
            unsafe_ranges[unsafe_range_count++][1] = end;
        }
    } else if (os_alloc_range_count < MAX_JVM_RANGES) {
        os_alloc_ranges[os_alloc_range_count][0] = start;
        os_alloc_ranges[os_alloc_range_count++][1] = end;
    }
}

static int in_ranges(uint64_t pc, uint64_t (*ranges)[2], int n) {
    for (int i = 0; i < n; i++)
        if (pc >= ranges[i][0] && pc < ranges[i][1]) return 1;
    return 0;
}

/* ---- per-thread cache ---------------------------------------------------------------------- */

#define JAVA_WINDOW_WORDS 32

/* A JVM-internal verdict needs only the frames up to the first libjvm caller of os::malloc,
 * and the stack behind a dropped allocation is never used: a few such verdicts per thread are
 * kept beside the main cache, which holds one full merged stack. HotSpot's own mallocs inside a
 * scope (a JVMTI event being posted, a class being loaded) alternate between a handful of call
 * sites, each of which would otherwise be unwound every time (measured: 6 % of the CPU of B2's
 * default mode, every heap sample posting mallocs twice). A miss of both still unwinds into the
 * main cache's arrays, so it loses the main entry, as any miss does. */
#define JVM_DECISIONS 8
#define JVM_DECISION_SLOTS 4

typedef struct {
    void *hook_cfa;
    int nslots; /* 0: empty */
    uint64_t *slot_addr[JVM_DECISION_SLOTS];
    uint64_t slot_value[JVM_DECISION_SLOTS];
} jvm_decision;

/* The Java frames below a scope's entry are the same for every allocation the scope's own thread
 * makes in it (the test method's callers: JUnit, the build tool; most of a 70-100 frame stack),
 * while each JNI call (a driver's bind, step) is a new native call whose Java part the cache
 * above cannot reuse. So the thread that begins a scope records its Java stack then (B, top
 * first), and its first walk in the scope goes all the way down (F): the longest common bottom
 * part of F and B (exact frames: method and bci) is the tail T; the frame just above T in F is
 * the scope's entry (e.g. the extension's proceedInScope, at another bci than when it began the
 * scope). From then on a walk goes only `cap` frames deep: where it finds T's top frame right
 * below a frame of the entry's method, that is the same frame as at the scope's beginning (the
 * scope is active only while its entry has not returned) and T is appended instead of walked,
 * cut where a whole walk would be cut (JAVA_LIMIT). A walk that does not reach it within `cap`
 * frames walks the whole stack (and doubles cap for the scope). A stack deeper than JAVA_DEEP
 * at the beginning or in F has no comparable bottom: then every walk is whole, as before. */
#define JAVA_LIMIT 96  /* Java frames kept per allocation (the deepest are cut) */
#define JAVA_DEEP 256  /* frames walked once per scope to find T */

typedef struct {
    uint32_t scope_id;      /* 0: no scope begun on this thread */
    int begin_n;            /* frames in begin[], top first */
    int tail_start;         /* T = begin[tail_start .. begin_n) */
    int tail_n;             /* T's length; 0: not learnt yet; -1: none for this scope */
    uint64_t anchor_method; /* the method of the frame right above T */
    int cap;
    stack_frame begin[JAVA_DEEP];
    stack_frame deep[JAVA_DEEP]; /* F */
} scope_java;

/* Native unwinds of recent call paths, whatever their Java part. A JNI library's allocations
 * alternate between a few native paths (a driver's bind, step, prepare: each a new JNI call from
 * other Java frames, so the whole-stack entry below misses), and each path was unwound again
 * through libgcc's FDE lookup every time. An entry holds the native frames of one path down to
 * its JNI boundary and its origin, validated like the JVM decisions above: the hook's return
 * address and CFA and every return-address slot walked hold what they held. The Java part is
 * never taken from here: it is walked (or its bottom appended, above) for every allocation. */
#define NATIVE_PATHS 8
#define NATIVE_PATH_SLOTS 32

typedef struct {
    void *hook_cfa;
    int kind;
    int nslots; /* 0: empty */
    int n;      /* native frames: frames[0..n) are the stack's frames[1..n] */
    uint32_t origin;
    uint64_t *slot_addr[NATIVE_PATH_SLOTS];
    uint64_t slot_value[NATIVE_PATH_SLOTS];
    uint64_t pcs[NATIVE_PATH_SLOTS];
} native_path;

typedef struct unwind_cache {
    int valid;
    int kind;
    uint32_t scope_id;
    uint32_t stack_id;
    void *hook_cfa;
    int nslots;
    uint64_t *slot_addr[STACK_MAX_FRAMES];
    uint64_t slot_value[STACK_MAX_FRAMES];
    int has_boundary;
    uint64_t *boundary_sp;
    uint64_t window[JAVA_WINDOW_WORDS];
    stack_frame frames[STACK_MAX_FRAMES + 8];
    jvm_decision jvm[JVM_DECISIONS]; /* recent JVM-internal verdicts, replaced round robin */
    unsigned jvm_next;
    scope_java sj; /* the Java frames below the entry of the scope this thread began last */
    native_path paths[NATIVE_PATHS]; /* recent native unwinds, replaced round robin */
    unsigned paths_next;
} unwind_cache;

static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;

static void cache_destructor(void *p) {
    if (p) raw_free(p, sizeof(unwind_cache));
    mt_thread.cache = NULL;
}

static void make_cache_key(void) { pthread_key_create(&cache_key, cache_destructor); }

static unwind_cache *thread_cache(void) {
    unwind_cache *c = mt_thread.cache;
    if (c) return c;
    pthread_once(&cache_key_once, make_cache_key);
    c = raw_alloc(sizeof(unwind_cache));
    if (!c) return NULL;
    mt_thread.cache = c;
    pthread_setspecific(cache_key, c);
    return c;
}

#if defined(__x86_64__)
#define CACHE_SUPPORTED 1
/* x86-64: a frame's return address sits in the 8 bytes just below its caller-side CFA. */
#define RA_SLOT(cfa) ((uint64_t *)((cfa) - 8))
#else
#define CACHE_SUPPORTED 0
#define RA_SLOT(cfa) ((uint64_t *)0)
#endif

/* 1 when a remembered walk still describes the stack at `site`: its first slot is the hook's
 * return address and every return-address slot walked holds what it held (n slots, n > 0). One
 * check for the whole-stack entry, the JVM-internal verdicts and the native paths. */
static int slots_hold(uint64_t *const *addr, const uint64_t *value, int n, const hook_site *site) {
    if (n == 0 || value[0] != (uint64_t)(uintptr_t)site->return_address) return 0;
    for (int i = 1; i < n; i++)
        if (*addr[i] != value[i]) return 0;
    return 1;
}

static int cache_hit(const unwind_cache *c, const hook_site *site, uint32_t scope_id) {
    if (!CACHE_SUPPORTED || !c->valid || c->hook_cfa != site->hook_cfa || c->kind != site->kind ||
        c->scope_id != scope_id)
        return 0;
    if (!slots_hold(c->slot_addr, c->slot_value, c->nslots, site)) return 0;
    if (c->has_boundary && memcmp(c->boundary_sp, c->window, sizeof c->window) != 0) return 0;
    return 1;
}

/* 1 when the allocation at `site` is one a remembered JVM-internal verdict covers. */
static int jvm_decision_hit(const unwind_cache *c, const hook_site *site) {
    if (!CACHE_SUPPORTED) return 0;
    for (int k = 0; k < JVM_DECISIONS; k++) {
        const jvm_decision *d = &c->jvm[k];
        if (d->hook_cfa == site->hook_cfa && slots_hold(d->slot_addr, d->slot_value, d->nslots, site)) return 1;
    }
    return 0;
}

static void jvm_decision_remember(unwind_cache *c, const hook_site *site) {
    if (!CACHE_SUPPORTED || c->nslots == 0 || c->nslots > JVM_DECISION_SLOTS) return;
    jvm_decision *d = &c->jvm[c->jvm_next++ % JVM_DECISIONS];
    d->hook_cfa = site->hook_cfa;
    for (int i = 0; i < c->nslots; i++) {
        d->slot_addr[i] = c->slot_addr[i];
        d->slot_value[i] = c->slot_value[i];
    }
    d->nslots = c->nslots;
}

/* The remembered native path of the allocation at `site`, or NULL. */
static const native_path *native_path_hit(const unwind_cache *c, const hook_site *site) {
    if (!CACHE_SUPPORTED) return NULL;
    for (int k = 0; k < NATIVE_PATHS; k++) {
        const native_path *p = &c->paths[k];
        if (p->hook_cfa == site->hook_cfa && p->kind == site->kind && slots_hold(p->slot_addr, p->slot_value, p->nslots, site))
            return p;
    }
    return NULL;
}

/* Remembers the native path just unwound into c (frames[1..n], slots), when it ended at the JNI
 * boundary: a walk cut short (too deep, another tool's frames) is not a path to reuse. */
static void native_path_remember(unwind_cache *c, const hook_site *site, int n, uint32_t origin) {
    if (!CACHE_SUPPORTED || c->nslots == 0 || c->nslots > NATIVE_PATH_SLOTS || n > NATIVE_PATH_SLOTS) return;
    native_path *p = &c->paths[c->paths_next++ % NATIVE_PATHS];
    p->hook_cfa = site->hook_cfa;
    p->kind = site->kind;
    p->n = n;
    p->origin = origin;
    for (int i = 0; i < c->nslots; i++) {
        p->slot_addr[i] = c->slot_addr[i];
        p->slot_value[i] = c->slot_value[i];
    }
    for (int i = 0; i < n; i++) p->pcs[i] = c->frames[1 + i].pc;
    p->nslots = c->nslots;
}

/* ---- Java frames ---------------------------------------------------------------------------- */

static int same_frame(const stack_frame *a, const stack_frame *b) {
    return a->pc == b->pc && a->bci == b->bci && a->kind == b->kind;
}

void stack_capture_scope_begun(uint32_t scope_id) {
    unwind_cache *c = thread_cache();
    if (!c) return;
    scope_java *sj = &c->sj;
    sj->scope_id = scope_id;
    sj->tail_n = 0;
    sj->begin_n = jvm_java_frames(sj->begin, JAVA_DEEP);
    if (sj->begin_n <= 0 || sj->begin_n >= JAVA_DEEP) sj->tail_n = -1; /* none, or cut: no bottom to compare */
}

/* After the scope's first walk, F = sj->deep[0..n) (not cut): finds T. */
static void learn_tail(scope_java *sj, int n) {
    const stack_frame *f = sj->deep;
    int common = 0;
    while (common < n && common < sj->begin_n &&
           same_frame(&f[n - 1 - common], &sj->begin[sj->begin_n - 1 - common]))
        common++;
    if (common == 0 || common >= n || common >= sj->begin_n) {
        sj->tail_n = -1;
        return;
    }
    sj->tail_start = sj->begin_n - common;
    sj->tail_n = common;
    sj->anchor_method = f[n - common - 1].pc;
    sj->cap = n - common + 8;
}

static int asgct_walk(stack_frame *out, int max, void *arg) {
    (void)arg;
    return jvm_java_frames(out, max);
}

/* The Java part of the current allocation's stack into out[0..max): the first JAVA_LIMIT frames
 * of the thread's Java stack, top first, exactly as a whole walk by `walk` gives them. */
static int java_frames(unwind_cache *c, uint32_t scope_id, stack_frame *out, int max, java_walk walk, void *arg) {
    scope_java *sj = &c->sj;
    int limit = max < JAVA_LIMIT ? max : JAVA_LIMIT;
    if (sj->scope_id != scope_id || sj->tail_n < 0 || limit <= 0) return walk(out, limit, arg);
    if (sj->tail_n == 0) {
        int n = walk(sj->deep, JAVA_DEEP, arg);
        if (n <= 0 || n >= JAVA_DEEP) sj->tail_n = -1;
        else learn_tail(sj, n);
        if (n < 0) n = 0;
        if (n > limit) n = limit;
        memcpy(out, sj->deep, (size_t)n * sizeof *out);
        return n;
    }
    int want = sj->cap < limit ? sj->cap : limit;
    int n = walk(out, want, arg);
    if (n < want) return n; /* the whole stack fitted */
    const stack_frame *top = &sj->begin[sj->tail_start];
    for (int j = 1; j < n; j++) {
        if (out[j - 1].pc == sj->anchor_method && same_frame(&out[j], top)) {
            int kept = sj->tail_n < limit - j ? sj->tail_n : limit - j;
            memcpy(&out[j], top, (size_t)kept * sizeof *out);
            return j + kept;
        }
    }
    if (want == limit) return n; /* what a whole walk gives: cut at the limit */
    sj->cap = sj->cap * 2 < limit ? sj->cap * 2 : limit;
    return walk(out, limit, arg);
}

int stack_capture_java_frames(uint32_t scope_id, stack_frame *out, int max, java_walk walk, void *arg) {
    unwind_cache *c = thread_cache();
    if (!c) return walk(out, max < JAVA_LIMIT ? max : JAVA_LIMIT, arg);
    return java_frames(c, scope_id, out, max, walk, arg);
}

/* ---- unwinding ------------------------------------------------------------------------------ */

typedef struct {
    const hook_site *site;
    unwind_cache *c;
    int started;
    int n;                 /* native frames collected into c->frames[1..] */
    int boundary;          /* stopped at a pc in no object: Java below */
    int first_owner;       /* index (1-based in frames) of the first non-passthrough frame, 0 none */
    int decided_jvm;       /* stopped early: JVM-internal */
    int tool_frames;       /* frames of another tool before the first owner */
    uint32_t owner_flags;
} walk;

static _Unwind_Reason_Code on_frame(struct _Unwind_Context *ctx, void *arg) {
    walk *w = arg;
    uint64_t ip = _Unwind_GetIP(ctx);
    uint64_t cfa = _Unwind_GetCFA(ctx);
    if (!w->started) {
        /* Skip our own frames: start at the hook's caller. */
        if (ip != (uint64_t)(uintptr_t)w->site->return_address) return _URC_NO_REASON;
#if CACHE_SUPPORTED
        if (cfa != (uint64_t)(uintptr_t)w->site->hook_cfa) return _URC_NO_REASON;
#endif
        w->started = 1;
    }
    if (ip == 0) return _URC_END_OF_STACK;
    unwind_cache *c = w->c;
    const text_range *r = find_range(ip);
    if (c->nslots < STACK_MAX_FRAMES) {
        c->slot_addr[c->nslots] = RA_SLOT(cfa);
        c->slot_value[c->nslots++] = ip;
    } else {
        return _URC_END_OF_STACK; /* deeper than we validate: stop here */
    }
    if (!r) {
        /* The JVM's native-method wrapper or interpreter: the JNI boundary. */
        w->boundary = 1;
        c->boundary_sp = (uint64_t *)(uintptr_t)cfa;
        return _URC_END_OF_STACK;
    }
    if (r->flags & OBJ_SELF) return _URC_NO_REASON; /* the thread trampoline */
    if (w->n >= STACK_MAX_FRAMES - 1) return _URC_END_OF_STACK;
    w->n++;
    c->frames[w->n] = (stack_frame){ip, 0, FRAME_NATIVE};
    if (!w->first_owner && (r->flags & OBJ_TOOL)) {
        w->tool_frames++;
        return _URC_NO_REASON;
    }
    if (!w->first_owner && !(r->flags & (OBJ_PASSTHROUGH | OBJ_SELF))) {
        if (w->tool_frames > 1) return _URC_END_OF_STACK; /* the tool's own work (classify) */
        w->first_owner = w->n;
        w->owner_flags = r->flags;
    }
    if (w->first_owner && (w->owner_flags & OBJ_JVM) && !tracker_include_jvm_internal) {
        /* Decide as soon as the frames past os::malloc are known; JVM-internal allocations are
         * dropped, so their deeper frames are never needed. */
        if (in_ranges(ip, os_alloc_ranges, os_alloc_range_count)) return _URC_NO_REASON;
        if (!in_ranges(ip, unsafe_ranges, unsafe_range_count)) {
            w->decided_jvm = 1;
            return _URC_END_OF_STACK;
        }
    }
    return _URC_NO_REASON;
}

static uint32_t classify(const walk *w) {
    if (w->decided_jvm) return ORIGIN_JVM;
    /* Another tool's own allocation: several of its frames in a row, or nothing but its frames
     * down to Java. Kept out of the tests' figures like the JVM's own. */
    if (w->tool_frames > 1 || (w->tool_frames && !w->first_owner)) return ORIGIN_JVM;
    if (!w->first_owner || !(w->owner_flags & OBJ_JVM)) return ORIGIN_JNI;
    const stack_frame *f = w->c->frames;
    int j = w->first_owner;
    while (j <= w->n && in_ranges(f[j].pc, os_alloc_ranges, os_alloc_range_count)) j++;
    if (j <= w->n) return in_ranges(f[j].pc, unsafe_ranges, unsafe_range_count) ? ORIGIN_JDK : ORIGIN_JVM;
    return w->boundary ? ORIGIN_JDK : ORIGIN_JVM;
}

uint32_t stack_capture(const hook_site *site, uint32_t scope_id) {
    unwind_cache *c = thread_cache();
    if (!c) return 0;
    if (cache_hit(c, site, scope_id)) return c->stack_id;
    if (!tracker_include_jvm_internal && jvm_decision_hit(c, site)) return 0;
    c->valid = 0;
    c->nslots = 0;
    walk w = {site, c, 0, 0, 0, 0, 0, 0, 0};
    uint32_t o;
    const native_path *p = native_path_hit(c, site);
    if (p) {
        /* The same native path down to the same JNI boundary: its frames and origin. */
        for (int i = 0; i < p->nslots; i++) {
            c->slot_addr[i] = p->slot_addr[i];
            c->slot_value[i] = p->slot_value[i];
        }
        c->nslots = p->nslots;
        for (int i = 0; i < p->n; i++) c->frames[1 + i] = (stack_frame){p->pcs[i], 0, FRAME_NATIVE};
        w.started = 1;
        w.n = p->n;
        w.boundary = 1;
        c->boundary_sp = (uint64_t *)((uintptr_t)p->slot_addr[p->nslots - 1] + 8);
        o = p->origin;
        if (o == ORIGIN_JVM && !tracker_include_jvm_internal) return 0;
    } else {
        _Unwind_Backtrace(on_frame, &w);
        if (!w.started) {
            /* Our frames could not be matched (no unwind info somewhere): record the caller only. */
            w.n = 1;
            c->frames[1] = (stack_frame){(uint64_t)(uintptr_t)site->return_address, 0, FRAME_NATIVE};
            c->nslots = 0;
        }
        o = classify(&w);
        if (o == ORIGIN_JVM && !tracker_include_jvm_internal) {
            /* Dropped: never interned (its stack would never be read). A verdict reached early
             * depends only on the slots walked so far: remember it. */
            if (w.started && w.decided_jvm) jvm_decision_remember(c, site);
            return 0;
        }
        if (w.started && w.boundary) native_path_remember(c, site, w.n, o);
    }
    c->frames[0] = (stack_frame){(uint64_t)site->kind, 0, FRAME_HOOK};
    int total = 1 + w.n;
    total += java_frames(c, scope_id, &c->frames[total], STACK_MAX_FRAMES - total, asgct_walk, NULL);
    uint32_t id = stack_table_intern(c->frames, total, o);
    if (id != 0 && w.started && CACHE_SUPPORTED) {
        c->valid = 1;
        c->kind = site->kind;
        c->scope_id = scope_id;
        c->stack_id = id;
        c->hook_cfa = site->hook_cfa;
        c->has_boundary = w.boundary;
        if (w.boundary) memcpy(c->window, c->boundary_sp, sizeof c->window);
    }
    return id;
}
