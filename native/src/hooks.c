/*
 * hooks.c — the replacements the GOT slots point at. Every hook has the same shape: call the
 * original, check whether this thread records, record. Frees are recorded before the real call
 * so that the address cannot be handed out again in between.
 */
#include "hooks.h"
#include "raw_memory.h"
#include "symbol_lookup.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <stdio.h>
#include <unistd.h>

#include "got_patcher.h"
#include "live_table.h"
#include "stack_capture.h"
#include "thread_state.h"
#include "tracker.h"

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);
typedef int (*posix_memalign_fn)(void **, size_t, size_t);
typedef void *(*aligned_alloc_fn)(size_t, size_t);
typedef void *(*memalign_fn)(size_t, size_t);
typedef void *(*valloc_fn)(size_t);
typedef void *(*pvalloc_fn)(size_t);
typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef void *(*mmap64_fn)(void *, size_t, int, int, int, off_t);
typedef int (*munmap_fn)(void *, size_t);
typedef void *(*mremap_fn)(void *, size_t, size_t, int, ...);
typedef void *(*dlopen_fn)(const char *, int);
typedef int (*dlclose_fn)(void *);
typedef void *(*dlsym_fn)(void *, const char *);
typedef void *(*dlvsym_fn)(void *, const char *, const char *);
typedef int (*pthread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static void *originals[HOOK_COUNT];
#define ORIG(name) ((name##_fn)originals[HOOK_##name])

/* The hook's own frame: return address into the caller and the CFA (rbp + 16 with frame
 * pointers, which this file is compiled with), the key of the per-thread unwind cache. */
#define HOOK_SITE(k)                                                                       \
    hook_site site = {__builtin_return_address(0), (char *)__builtin_frame_address(0) + 16, k}

static inline int recording(void) {
    return (mt_thread.scope_id != 0 ||
            atomic_load_explicit(&tracker_process_scope, memory_order_relaxed) != 0) &&
           mt_thread.in_hook == 0;
}

static inline int may_free_tracked(void) {
    return tracker_may_have_live() && mt_thread.in_hook == 0;
}

/* Beside another tool that patched the same slots first (async-profiler's nativemem), a slot
 * gets a chain variant of the hook (got_patcher.h): the same body, calling what the slot held
 * instead of the original. The call is guarded, so that when that tool's hook calls one of ours
 * in turn (a tool that patched after us saved our hook as its original), the block is recorded
 * once. Every hook is a body inlined into its variants; HOOK_SITE needs the variant's frame. */
#define BODY static inline __attribute__((always_inline))
#define NEXT(chained, call) ({ if (chained) mt_enter(); __typeof__(call) next_result_ = (call); if (chained) mt_leave(); next_result_; })

BODY void *malloc_body(malloc_fn next, int chained, size_t size) {
    void *p = NEXT(chained, next(size));
    if (p && recording()) {
        HOOK_SITE(HOOK_malloc);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

BODY void *calloc_body(calloc_fn next, int chained, size_t n, size_t size) {
    /* The guard hides an allocator whose calloc calls malloc through its own GOT (musl). */
    mt_enter();
    void *p = next(n, size);
    mt_leave();
    if (p && recording()) {
        HOOK_SITE(HOOK_calloc);
        tracker_on_alloc(p, n * size, &site);
    }
    return p;
}

BODY void free_body(free_fn next, int chained, void *p) {
    if (p && may_free_tracked()) tracker_on_free(p);
    if (chained) mt_enter();
    next(p);
    if (chained) mt_leave();
}

BODY void *realloc_body(realloc_fn next, int chained, void *old, size_t size) {
    int freeing = may_free_tracked(), recorded = recording();
    if (!freeing && !recorded) return NEXT(chained, next(old, size));
    live_entry saved;
    int had = old && freeing && tracker_take(old, &saved);
    mt_enter();
    void *p = next(old, size);
    mt_leave();
    if (!p && size != 0) {
        /* Failed: the old block is untouched and still ours. */
        if (had) tracker_restore(&saved);
        return p;
    }
    if (had) tracker_account_free(&saved);
    if (p && recorded) {
        HOOK_SITE(HOOK_realloc);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

BODY int posix_memalign_body(posix_memalign_fn next, int chained, void **out, size_t alignment, size_t size) {
    mt_enter();
    int r = next(out, alignment, size);
    mt_leave();
    if (r == 0 && *out && recording()) {
        HOOK_SITE(HOOK_posix_memalign);
        tracker_on_alloc(*out, size, &site);
    }
    return r;
}

BODY void *aligned_alloc_body(aligned_alloc_fn next, int chained, size_t alignment, size_t size) {
    mt_enter();
    void *p = next(alignment, size);
    mt_leave();
    if (p && recording()) {
        HOOK_SITE(HOOK_aligned_alloc);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

BODY void *memalign_body(memalign_fn next, int chained, size_t alignment, size_t size) {
    mt_enter();
    void *p = next(alignment, size);
    mt_leave();
    if (p && recording()) {
        HOOK_SITE(HOOK_memalign);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

BODY void *valloc_body(valloc_fn next, int chained, size_t size) {
    mt_enter();
    void *p = next(size);
    mt_leave();
    if (p && recording()) {
        HOOK_SITE(HOOK_valloc);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

BODY void *pvalloc_body(pvalloc_fn next, int chained, size_t size) {
    mt_enter();
    void *p = next(size);
    mt_leave();
    if (p && recording()) {
        /* pvalloc rounds up to whole pages; the caller owns all of them. */
        size_t page = raw_page_size();
        size_t rounded = size ? (size + page - 1) & ~(page - 1) : page;
        HOOK_SITE(HOOK_pvalloc);
        tracker_on_alloc(p, rounded, &site);
    }
    return p;
}

static int tracked_mapping(void *p, int flags) {
    return p != MAP_FAILED && (flags & MAP_ANONYMOUS) && recording();
}

/* MAP_FIXED replaces whatever was mapped in the range: a tracked mapping there is unmapped by it
 * (before, both were counted live; the old one's figures stayed until a munmap cut both). */
static void replaced_by_fixed(void *p, size_t len, int flags) {
    if (p != MAP_FAILED && (flags & MAP_FIXED) && mt_thread.in_hook == 0 &&
        atomic_load_explicit(&tracker_has_regions, memory_order_relaxed))
        tracker_on_munmap(p, len);
}

BODY void *mmap_body(mmap_fn next, int chained, void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    void *p = NEXT(chained, next(addr, len, prot, flags, fd, off));
    replaced_by_fixed(p, len, flags);
    if (tracked_mapping(p, flags)) {
        HOOK_SITE(HOOK_mmap);
        tracker_on_mmap(p, len, &site);
    }
    return p;
}

BODY void *mmap64_body(mmap64_fn next, int chained, void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    void *p = NEXT(chained, next(addr, len, prot, flags, fd, off));
    replaced_by_fixed(p, len, flags);
    if (tracked_mapping(p, flags)) {
        HOOK_SITE(HOOK_mmap64);
        tracker_on_mmap(p, len, &site);
    }
    return p;
}

BODY int munmap_body(munmap_fn next, int chained, void *p, size_t len) {
    if (atomic_load_explicit(&tracker_has_regions, memory_order_relaxed) && mt_thread.in_hook == 0)
        tracker_on_munmap(p, len);
    /* A program bug (a range unmapped twice) must not take the tracker's tables with it. */
    if (raw_overlaps(p, len)) return raw_unmap_around(p, len, next);
    return NEXT(chained, next(p, len));
}

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* mremap moves or resizes a mapping: a tracked one is accounted as unmapped and its new range
 * recorded at this call's stack, as realloc does with its block (before, a grown mapping was
 * left live at its old size and the new range unknown: a false leak, and the munmap of the new
 * range freed nothing). With MREMAP_DONTUNMAP the old range stays mapped: only the new one is
 * new. libc's mremap is variadic (the new address comes only with MREMAP_FIXED); the hook
 * takes it as a fifth argument and passes it on. */
BODY void *mremap_body(mremap_fn next, int chained, void *old, size_t old_len, size_t new_len, int flags,
                       void *new_addr) {
    void *p = NEXT(chained, next(old, old_len, new_len, flags, new_addr));
    if (p == MAP_FAILED || mt_thread.in_hook) return p;
    int saved_errno = errno;
    int tracked = (flags & MREMAP_DONTUNMAP) ? 1 : tracker_on_mremap_from(old, old_len);
    if (tracked && recording()) {
        HOOK_SITE(HOOK_mremap);
        tracker_on_mmap(p, new_len, &site);
    }
    errno = saved_errno;
    return p;
}

/* Slots held by another tool's hook that could not be chained: the calls through them are not
 * seen, which is said on stderr, once per function and holder (docs/native-engine.md). Run
 * after got_patch_all, never inside it: dladdr takes the loader lock. */
static void warn_about_unseen_slots(void) {
    static int reported; /* foreign functions already looked at, in got_foreign_function order */
    const char *name;
    void *value;
    int chained;
    for (; got_foreign_function(reported, &name, &value, &chained); reported++) {
        if (chained) continue;
        Dl_info info;
        const char *holder = dladdr(value, &info) && info.dli_fname ? info.dli_fname : "an unknown object";
        char line[512];
        int n = snprintf(line, sizeof line,
                         "memtrack: WARNING: %s is hooked by another tool (%s) in slots memtrack could not chain "
                         "through: %s calls made through them are not seen, native figures may be too low\n",
                         name, holder, name);
        if (n > 0) (void)!write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
}

/* A library loaded later — by the JVM or by another native library — is patched before the
 * dlopen that loaded it returns. Its constructors have already run by then (unrecorded).
 * Calling the real dlopen from here makes this library the "caller" for glibc's caller-
 * sensitive lookups (RUNPATH of the caller): documented in docs/native-engine.md. */
BODY void *dlopen_body(dlopen_fn next, int chained, const char *file, int flags) {
    /* Not guarded when chained: the library's constructors run inside, as without a hooker. */
    void *h = next(file, flags);
    if (h) {
        int saved_errno = errno;
        mt_enter();
        got_patch_all();
        warn_about_unseen_slots();
        stack_capture_refresh_objects();
        mt_leave();
        errno = saved_errno;
    }
    return h;
}

BODY int dlclose_body(dlclose_fn next, int chained, void *handle) {
    int r = next(handle);
    int saved_errno = errno;
    mt_enter();
    got_forget_unloaded();
    stack_capture_refresh_objects();
    mt_leave();
    errno = saved_errno;
    return r;
}

/* Run-time lookups: a function resolved by name — an FFM downcall (the JDK's lookups call dlsym
 * from libjava/libjvm), JNA's and JNR's lookups, a library that finds malloc by name — is called
 * through a pointer that no import table holds. A lookup that yields the definition of a hooked
 * function (the one its GOT slots held: libc's, or a preloaded jemalloc's) yields the hook.
 * glibc resolves dlsym(RTLD_NEXT) relative to the object its return address lies in, so that
 * lookup must reach the real dlsym with the caller's return address: the entry points are two-
 * instruction trampolines (symbol_lookup.c) that jump to the real function for RTLD_NEXT and to
 * the C part (here) otherwise. Our own lookups (got_patcher.c, jvm_bridge.c) never go through a hook: this
 * library's slots are never patched. */
static const got_hook *hook_table(void);

static void *hooked_result(void *found) {
    if (!found) return found;
    const got_hook *table = hook_table();
    for (int k = 0; k < HOOK_COUNT; k++)
        if (originals[k] == found) return table[k].hook;
    return found;
}

static void *dlsym_lookup(void *handle, const char *name) {
    return hooked_result(ORIG(dlsym)(handle, name));
}

static void *dlvsym_lookup(void *handle, const char *name, const char *version) {
    return hooked_result(ORIG(dlvsym)(handle, name, version));
}


/* Native threads a scoped thread creates — from a JNI library, or the JVM starting a Java
 * thread — inherit its scope: the new thread starts in a trampoline that sets it. */
typedef struct {
    void *(*start)(void *);
    void *arg;
    uint32_t scope;
} thread_start;

static void *thread_trampoline(void *p) {
    thread_start start = *(thread_start *)p;
    ORIG(free)(p);
    mt_thread.scope_id = start.scope;
    return start.start(start.arg);
}

BODY int pthread_create_body(pthread_create_fn next, int chained, pthread_t *thread, const pthread_attr_t *attr,
                             void *(*start)(void *), void *arg) {
    uint32_t scope = mt_thread.scope_id;
    if (scope == 0 || mt_thread.in_hook) return NEXT(chained, next(thread, attr, start, arg));
    /* the original malloc: this block is ours, not the application's */
    thread_start *s = ORIG(malloc)(sizeof *s);
    if (!s) return NEXT(chained, next(thread, attr, start, arg));
    *s = (thread_start){start, arg, scope};
    int r = NEXT(chained, next(thread, attr, thread_trampoline, s));
    if (r != 0) ORIG(free)(s);
    return r;
}

/* Each hook and its GOT_MAX_CHAIN chain variants (the next function of variant i is
 * chain_next[kind][i], filled by the patcher). */
static void *chain_next[HOOK_COUNT][GOT_MAX_CHAIN];
#define CHAIN_NEXT(name, i) ((name##_fn)__atomic_load_n(&chain_next[HOOK_##name][i], __ATOMIC_ACQUIRE))
#define DEFINE_HOOK(ret, name, params, ...)                                                   \
    static ret hook_##name params { return name##_body(ORIG(name), 0, __VA_ARGS__); }         \
    static ret hook_##name##_c0 params { return name##_body(CHAIN_NEXT(name, 0), 1, __VA_ARGS__); } \
    static ret hook_##name##_c1 params { return name##_body(CHAIN_NEXT(name, 1), 1, __VA_ARGS__); } \
    static ret hook_##name##_c2 params { return name##_body(CHAIN_NEXT(name, 2), 1, __VA_ARGS__); } \
    static ret hook_##name##_c3 params { return name##_body(CHAIN_NEXT(name, 3), 1, __VA_ARGS__); } \
    static void *const chain_hooks_##name[GOT_MAX_CHAIN] = {(void *)hook_##name##_c0, (void *)hook_##name##_c1, \
                                                            (void *)hook_##name##_c2, (void *)hook_##name##_c3};
_Static_assert(GOT_MAX_CHAIN == 4, "DEFINE_HOOK defines 4 chain variants");

DEFINE_HOOK(void *, malloc, (size_t size), size)
DEFINE_HOOK(void *, calloc, (size_t n, size_t size), n, size)
DEFINE_HOOK(void *, realloc, (void *old, size_t size), old, size)
DEFINE_HOOK(int, posix_memalign, (void **out, size_t alignment, size_t size), out, alignment, size)
DEFINE_HOOK(void *, aligned_alloc, (size_t alignment, size_t size), alignment, size)
DEFINE_HOOK(void *, memalign, (size_t alignment, size_t size), alignment, size)
DEFINE_HOOK(void *, valloc, (size_t size), size)
DEFINE_HOOK(void *, pvalloc, (size_t size), size)
DEFINE_HOOK(void *, mmap, (void *addr, size_t len, int prot, int flags, int fd, off_t off), addr, len, prot, flags, fd, off)
DEFINE_HOOK(void *, mmap64, (void *addr, size_t len, int prot, int flags, int fd, off_t off), addr, len, prot, flags, fd, off)
DEFINE_HOOK(int, munmap, (void *p, size_t len), p, len)
DEFINE_HOOK(void *, mremap, (void *old, size_t old_len, size_t new_len, int flags, void *new_addr), old, old_len,
            new_len, flags, new_addr)
DEFINE_HOOK(void *, dlopen, (const char *file, int flags), file, flags)
DEFINE_HOOK(int, dlclose, (void *handle), handle)
DEFINE_HOOK(int, pthread_create, (pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg),
            thread, attr, start, arg)

/* free returns nothing: written out. */
static void hook_free(void *p) { free_body(ORIG(free), 0, p); }
static void hook_free_c0(void *p) { free_body(CHAIN_NEXT(free, 0), 1, p); }
static void hook_free_c1(void *p) { free_body(CHAIN_NEXT(free, 1), 1, p); }
static void hook_free_c2(void *p) { free_body(CHAIN_NEXT(free, 2), 1, p); }
static void hook_free_c3(void *p) { free_body(CHAIN_NEXT(free, 3), 1, p); }
static void *const chain_hooks_free[GOT_MAX_CHAIN] = {(void *)hook_free_c0, (void *)hook_free_c1, (void *)hook_free_c2,
                                                      (void *)hook_free_c3};
/* dlsym and dlvsym are trampolines (symbol_lookup.c) without chain variants: a slot another
 * tool holds for them is left alone and reported. */
static void *const *const chain_hooks_dlsym = NULL;
static void *const *const chain_hooks_dlvsym = NULL;

static const char *names[HOOK_COUNT] = {
#define MEMTRACK_HOOK_NAME(name) #name,
    MEMTRACK_HOOKED_FUNCTIONS(MEMTRACK_HOOK_NAME)
#undef MEMTRACK_HOOK_NAME
};

const char *hook_name(int kind) { return kind >= 0 && kind < HOOK_COUNT ? names[kind] : "?"; }
void *hook_original(int kind) { return kind >= 0 && kind < HOOK_COUNT ? originals[kind] : NULL; }

static got_hook table[HOOK_COUNT] = {
#define MEMTRACK_HOOK_ENTRY(name) \
    {#name, (void *)hook_##name, &originals[HOOK_##name], chain_hooks_##name, chain_next[HOOK_##name]},
    MEMTRACK_HOOKED_FUNCTIONS(MEMTRACK_HOOK_ENTRY)
#undef MEMTRACK_HOOK_ENTRY
};

static const got_hook *hook_table(void) { return table; }

const char *hooks_install(void) {
    const char *err = got_patcher_init(table, HOOK_COUNT, (const void *)hooks_install);
    if (err) return err;
    mt_dlsym_real = originals[HOOK_dlsym];
    mt_dlvsym_real = originals[HOOK_dlvsym];
    mt_dlsym_lookup = dlsym_lookup;
    mt_dlvsym_lookup = dlvsym_lookup;
    static const int required[] = {HOOK_malloc, HOOK_calloc, HOOK_realloc, HOOK_free, HOOK_mmap,
                                   HOOK_munmap, HOOK_dlopen, HOOK_dlclose, HOOK_dlsym, HOOK_pthread_create};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!originals[required[i]]) return "memtrack: a required libc function could not be resolved";
    got_patch_all();
    warn_about_unseen_slots();
    return NULL;
}
