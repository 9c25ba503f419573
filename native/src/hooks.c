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

static void *hook_malloc(size_t size) {
    void *p = ORIG(malloc)(size);
    if (p && recording()) {
        HOOK_SITE(HOOK_malloc);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

static void *hook_calloc(size_t n, size_t size) {
    /* The guard hides an allocator whose calloc calls malloc through its own GOT (musl). */
    mt_enter();
    void *p = ORIG(calloc)(n, size);
    mt_leave();
    if (p && recording()) {
        HOOK_SITE(HOOK_calloc);
        tracker_on_alloc(p, n * size, &site);
    }
    return p;
}

static void hook_free(void *p) {
    if (p && may_free_tracked()) tracker_on_free(p);
    ORIG(free)(p);
}

static void *hook_realloc(void *old, size_t size) {
    int freeing = may_free_tracked(), recorded = recording();
    if (!freeing && !recorded) return ORIG(realloc)(old, size);
    live_entry saved;
    int had = old && freeing && tracker_take(old, &saved);
    mt_enter();
    void *p = ORIG(realloc)(old, size);
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

static int hook_posix_memalign(void **out, size_t alignment, size_t size) {
    mt_enter();
    int r = ORIG(posix_memalign)(out, alignment, size);
    mt_leave();
    if (r == 0 && *out && recording()) {
        HOOK_SITE(HOOK_posix_memalign);
        tracker_on_alloc(*out, size, &site);
    }
    return r;
}

static void *hook_aligned_alloc(size_t alignment, size_t size) {
    mt_enter();
    void *p = ORIG(aligned_alloc)(alignment, size);
    mt_leave();
    if (p && recording()) {
        HOOK_SITE(HOOK_aligned_alloc);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

static void *hook_memalign(size_t alignment, size_t size) {
    mt_enter();
    void *p = ORIG(memalign)(alignment, size);
    mt_leave();
    if (p && recording()) {
        HOOK_SITE(HOOK_memalign);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

static void *hook_valloc(size_t size) {
    mt_enter();
    void *p = ORIG(valloc)(size);
    mt_leave();
    if (p && recording()) {
        HOOK_SITE(HOOK_valloc);
        tracker_on_alloc(p, size, &site);
    }
    return p;
}

static void *hook_pvalloc(size_t size) {
    mt_enter();
    void *p = ORIG(pvalloc)(size);
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

static void *hook_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    void *p = ORIG(mmap)(addr, len, prot, flags, fd, off);
    if (tracked_mapping(p, flags)) {
        HOOK_SITE(HOOK_mmap);
        tracker_on_mmap(p, len, &site);
    }
    return p;
}

static void *hook_mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    void *p = ORIG(mmap64)(addr, len, prot, flags, fd, off);
    if (tracked_mapping(p, flags)) {
        HOOK_SITE(HOOK_mmap64);
        tracker_on_mmap(p, len, &site);
    }
    return p;
}

static int hook_munmap(void *p, size_t len) {
    if (atomic_load_explicit(&tracker_has_regions, memory_order_relaxed) && mt_thread.in_hook == 0)
        tracker_on_munmap(p, len);
    /* A program bug (a range unmapped twice) must not take the tracker's tables with it. */
    if (raw_overlaps(p, len)) return raw_unmap_around(p, len, ORIG(munmap));
    return ORIG(munmap)(p, len);
}

/* A library loaded later — by the JVM or by another native library — is patched before the
 * dlopen that loaded it returns. Its constructors have already run by then (unrecorded).
 * Calling the real dlopen from here makes this library the "caller" for glibc's caller-
 * sensitive lookups (RUNPATH of the caller): documented in docs/native-engine.md. */
static void *hook_dlopen(const char *file, int flags) {
    void *h = ORIG(dlopen)(file, flags);
    if (h) {
        int saved_errno = errno;
        mt_enter();
        got_patch_all();
        stack_capture_refresh_objects();
        mt_leave();
        errno = saved_errno;
    }
    return h;
}

static int hook_dlclose(void *handle) {
    int r = ORIG(dlclose)(handle);
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

static int hook_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg) {
    uint32_t scope = mt_thread.scope_id;
    if (scope == 0 || mt_thread.in_hook) return ORIG(pthread_create)(thread, attr, start, arg);
    /* the original malloc: this block is ours, not the application's */
    thread_start *s = ORIG(malloc)(sizeof *s);
    if (!s) return ORIG(pthread_create)(thread, attr, start, arg);
    *s = (thread_start){start, arg, scope};
    int r = ORIG(pthread_create)(thread, attr, thread_trampoline, s);
    if (r != 0) ORIG(free)(s);
    return r;
}

static const char *names[HOOK_COUNT] = {
#define MEMTRACK_HOOK_NAME(name) #name,
    MEMTRACK_HOOKED_FUNCTIONS(MEMTRACK_HOOK_NAME)
#undef MEMTRACK_HOOK_NAME
};

const char *hook_name(int kind) { return kind >= 0 && kind < HOOK_COUNT ? names[kind] : "?"; }
void *hook_original(int kind) { return kind >= 0 && kind < HOOK_COUNT ? originals[kind] : NULL; }

static got_hook table[HOOK_COUNT] = {
#define MEMTRACK_HOOK_ENTRY(name) {#name, (void *)hook_##name, &originals[HOOK_##name]},
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
    return NULL;
}
