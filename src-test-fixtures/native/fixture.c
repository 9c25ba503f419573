/*
 * fixture.c — libmtfixture.so: deliberate native allocations for memtrack's tests (fixture.h).
 *
 * Markers "@site:<function>[/<what>]" sit on the lines of the calls a stack shows; the Java tests
 * read this file to know which fixture.c:<line> a symbolized frame must show, so moving code
 * around does not break them.
 */
#define _GNU_SOURCE
#include "fixture.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- the live table: what the fixture holds, without allocating to remember it ------------- */

enum { LIVE_HEAP = 1, LIVE_MAPPING = 2 };

typedef struct {
    void *base;        /* the block, or the base of the original mapping */
    size_t bytes;      /* what a tracker should count as live */
    size_t map_length; /* mappings: length of the original mmap */
    size_t hole_start; /* mappings: the range already unmapped by the fixture itself, which */
    size_t hole_length; /* release must leave alone: someone else may have mapped it since */
    int kind;
} live_entry;

static live_entry live[MTF_MAX_LIVE];
static int live_used;
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

/* Gives an entry's memory back. A mapping is unmapped around its hole, never across it:
 * unmapping a range the fixture gave up earlier would take whatever the process mapped
 * there since (a JVM arena, a tracker's table) - the program bug a fixture must not have. */
static void release(const live_entry *e) {
    if (e->kind == LIVE_HEAP) {
        free(e->base);
        return;
    }
    char *base = e->base;
    if (e->hole_length == 0) {
        munmap(base, e->map_length);
        return;
    }
    if (e->hole_start > 0) {
        munmap(base, e->hole_start);
    }
    size_t tail = e->hole_start + e->hole_length;
    if (tail < e->map_length) {
        munmap(base + tail, e->map_length - tail);
    }
}

/* Records e; if the table is full, gives the memory back and returns NULL. */
static void *remember_entry(live_entry e) {
    if (e.base == NULL) {
        return NULL;
    }
    pthread_mutex_lock(&live_lock);
    int full = live_used == MTF_MAX_LIVE;
    if (!full) {
        live[live_used++] = e;
    }
    pthread_mutex_unlock(&live_lock);
    if (full) {
        release(&e);
        return NULL;
    }
    return e.base;
}

static void *remember_heap(void *p, size_t bytes) {
    return remember_entry((live_entry){.base = p, .bytes = bytes, .kind = LIVE_HEAP});
}

static void *remember_mapping(void *p, size_t bytes, size_t map_length, size_t hole_start,
                              size_t hole_length) {
    return remember_entry((live_entry){.base = p, .bytes = bytes, .map_length = map_length,
                                       .hole_start = hole_start, .hole_length = hole_length,
                                       .kind = LIVE_MAPPING});
}

/* Makes the block "used" so the compiler cannot drop a malloc/free pair (GCC may since 10). */
static inline void touch(void *p) {
    if (p != NULL) {
        *(volatile char *)p = 1;
    }
    __asm__ volatile("" : : "r"(p) : "memory");
}

long mtf_release_all(void) {
    pthread_mutex_lock(&live_lock);
    long n = live_used;
    for (int i = 0; i < live_used; i++) {
        release(&live[i]);
    }
    live_used = 0;
    pthread_mutex_unlock(&live_lock);
    return n;
}

long mtf_live_count(void) {
    pthread_mutex_lock(&live_lock);
    long n = live_used;
    pthread_mutex_unlock(&live_lock);
    return n;
}

long mtf_live_bytes(void) {
    pthread_mutex_lock(&live_lock);
    long bytes = 0;
    for (int i = 0; i < live_used; i++) {
        bytes += (long)live[i].bytes;
    }
    pthread_mutex_unlock(&live_lock);
    return bytes;
}

/* ---- leaks through the malloc family ------------------------------------------------------ */

void *mtf_leak_inner(size_t size) {
    void *p = malloc(size); /* @site:mtf_leak_inner */
    MTF_KEEP_FRAME();
    touch(p);
    return remember_heap(p, size);
}

void *mtf_leak(size_t size) {
    void *p = mtf_leak_inner(size); /* @site:mtf_leak */
    MTF_KEEP_FRAME();
    return p;
}

void *mtf_leak_calloc_inner(size_t nmemb, size_t size) {
    void *p = calloc(nmemb, size); /* @site:mtf_leak_calloc_inner */
    MTF_KEEP_FRAME();
    return remember_heap(p, nmemb * size);
}

void *mtf_leak_calloc(size_t nmemb, size_t size) {
    void *p = mtf_leak_calloc_inner(nmemb, size); /* @site:mtf_leak_calloc */
    MTF_KEEP_FRAME();
    return p;
}

void *mtf_leak_posix_memalign_inner(size_t alignment, size_t size) {
    void *p = NULL;
    if (posix_memalign(&p, alignment, size) != 0) { /* @site:mtf_leak_posix_memalign_inner */
        p = NULL;
    }
    MTF_KEEP_FRAME();
    touch(p);
    return remember_heap(p, size);
}

void *mtf_leak_posix_memalign(size_t alignment, size_t size) {
    void *p = mtf_leak_posix_memalign_inner(alignment, size); /* @site:mtf_leak_posix_memalign */
    MTF_KEEP_FRAME();
    return p;
}

size_t mtf_aligned_size(size_t alignment, size_t size) {
    return alignment == 0 ? size : (size + alignment - 1) / alignment * alignment;
}

void *mtf_leak_aligned_alloc_inner(size_t alignment, size_t size) {
    size_t rounded = mtf_aligned_size(alignment, size);
    void *p = aligned_alloc(alignment, rounded); /* @site:mtf_leak_aligned_alloc_inner */
    MTF_KEEP_FRAME();
    touch(p);
    return remember_heap(p, rounded);
}

void *mtf_leak_aligned_alloc(size_t alignment, size_t size) {
    void *p = mtf_leak_aligned_alloc_inner(alignment, size); /* @site:mtf_leak_aligned_alloc */
    MTF_KEEP_FRAME();
    return p;
}

void *mtf_leak_memalign_inner(size_t alignment, size_t size) {
    void *p = memalign(alignment, size); /* @site:mtf_leak_memalign_inner */
    MTF_KEEP_FRAME();
    touch(p);
    return remember_heap(p, size);
}

void *mtf_leak_memalign(size_t alignment, size_t size) {
    void *p = mtf_leak_memalign_inner(alignment, size); /* @site:mtf_leak_memalign */
    MTF_KEEP_FRAME();
    return p;
}

void *mtf_leak_valloc_inner(size_t size) {
    void *p = valloc(size); /* @site:mtf_leak_valloc_inner */
    MTF_KEEP_FRAME();
    touch(p);
    return remember_heap(p, size);
}

void *mtf_leak_valloc(size_t size) {
    void *p = mtf_leak_valloc_inner(size); /* @site:mtf_leak_valloc */
    MTF_KEEP_FRAME();
    return p;
}

void *mtf_leak_pvalloc_inner(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rounded = size == 0 ? page : (size + page - 1) / page * page;
    void *p = pvalloc(size); /* @site:mtf_leak_pvalloc_inner */
    MTF_KEEP_FRAME();
    touch(p);
    return remember_heap(p, rounded);
}

void *mtf_leak_pvalloc(size_t size) {
    void *p = mtf_leak_pvalloc_inner(size); /* @site:mtf_leak_pvalloc */
    MTF_KEEP_FRAME();
    return p;
}

/* ---- realloc chains ------------------------------------------------------------------------ */

void *mtf_realloc_grow(size_t final_size) {
    const size_t steps[3] = {final_size / 16, final_size / 4, final_size};
    void *p = malloc(final_size / 64 + 1); /* @site:mtf_realloc_grow/malloc */
    MTF_KEEP_FRAME();
    for (int i = 0; i < 3 && p != NULL; i++) {
        touch(p);
        void *q = realloc(p, steps[i]); /* @site:mtf_realloc_grow */
        MTF_KEEP_FRAME();
        if (q == NULL) {
            free(p);
        }
        p = q;
    }
    touch(p);
    return p;
}

void *mtf_realloc_chain_leak(size_t final_size) {
    void *p = mtf_realloc_grow(final_size); /* @site:mtf_realloc_chain_leak */
    MTF_KEEP_FRAME();
    return remember_heap(p, final_size);
}

size_t mtf_realloc_chain_free(size_t final_size) {
    void *p = mtf_realloc_grow(final_size);
    MTF_KEEP_FRAME();
    if (p == NULL) {
        return 0;
    }
    free(p);
    return final_size;
}

void *mtf_realloc_shrink_inner(size_t size) {
    void *p = malloc(size);
    MTF_KEEP_FRAME();
    touch(p);
    if (p == NULL) {
        return NULL;
    }
    void *q = realloc(p, size / 2); /* @site:mtf_realloc_shrink_inner */
    MTF_KEEP_FRAME();
    if (q == NULL) {
        free(p);
        return NULL;
    }
    return remember_heap(q, size / 2);
}

void *mtf_realloc_shrink_leak(size_t size) {
    void *p = mtf_realloc_shrink_inner(size); /* @site:mtf_realloc_shrink_leak */
    MTF_KEEP_FRAME();
    return p;
}

/* ---- anonymous mmap --------------------------------------------------------------------- */

long mtf_page_size(void) {
    return sysconf(_SC_PAGESIZE);
}

void *mtf_mmap_inner(size_t length) {
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); /* @site:mtf_mmap_inner */
    MTF_KEEP_FRAME();
    if (p == MAP_FAILED) {
        return NULL;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t off = 0; off < length; off += page) {
        ((volatile char *)p)[off] = 1;
    }
    return p;
}

void *mtf_mmap_leak(size_t length) {
    void *p = mtf_mmap_inner(length); /* @site:mtf_mmap_leak */
    MTF_KEEP_FRAME();
    return remember_mapping(p, length, length, 0, 0);
}

void *mtf_mmap_partial_leak(size_t pages, size_t first_unmapped, size_t count_unmapped) {
    if (pages == 0 || first_unmapped > pages || count_unmapped > pages - first_unmapped) {
        return NULL;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *base = mtf_mmap_inner(pages * page); /* @site:mtf_mmap_partial_leak */
    MTF_KEEP_FRAME();
    if (base == NULL) {
        return NULL;
    }
    if (count_unmapped > 0) {
        munmap(base + first_unmapped * page, count_unmapped * page);
    }
    if (count_unmapped == pages) {
        return base; /* nothing left to hold */
    }
    return remember_mapping(base, (pages - count_unmapped) * page, pages * page,
                            first_unmapped * page, count_unmapped * page);
}

size_t mtf_mmap_and_unmap(size_t length) {
    void *p = mtf_mmap_inner(length);
    MTF_KEEP_FRAME();
    if (p == NULL) {
        return 0;
    }
    munmap(p, length);
    return length;
}

/* ---- transient memory --------------------------------------------------------------------- */

#define MTF_MAX_PEAK_BLOCKS 64

size_t mtf_peak_hold(size_t total, int blocks) {
    if (blocks < 1 || blocks > MTF_MAX_PEAK_BLOCKS) {
        return 0;
    }
    void *held[MTF_MAX_PEAK_BLOCKS];
    size_t each = total / (size_t)blocks;
    size_t done = 0;
    int made = 0;
    for (; made < blocks; made++) {
        size_t n = made == blocks - 1 ? total - each * (size_t)(blocks - 1) : each;
        held[made] = malloc(n); /* @site:mtf_peak_hold */
        MTF_KEEP_FRAME();
        if (held[made] == NULL) {
            break;
        }
        touch(held[made]);
        done += n;
    }
    for (int i = 0; i < made; i++) {
        free(held[i]);
    }
    return done;
}

size_t mtf_peak(size_t total, int blocks) {
    size_t done = mtf_peak_hold(total, blocks); /* @site:mtf_peak */
    MTF_KEEP_FRAME();
    return done;
}

#define MTF_MAX_CHURN_BATCH 256

long mtf_churn(int rounds, int batch, size_t size) {
    if (batch < 1 || batch > MTF_MAX_CHURN_BATCH) {
        return 0;
    }
    void *blocks[MTF_MAX_CHURN_BATCH];
    long made = 0;
    for (int r = 0; r < rounds; r++) {
        int n = 0;
        for (; n < batch; n++) {
            blocks[n] = malloc(size); /* @site:mtf_churn */
            if (blocks[n] == NULL) {
                break;
            }
            touch(blocks[n]);
        }
        for (int i = 0; i < n; i++) {
            free(blocks[i]);
        }
        made += n;
    }
    return made;
}

long mtf_storm_inner(long pairs, int size_min, int size_max) {
    if (size_min < 1 || size_max < size_min) {
        return 0;
    }
    uint64_t x = 0x9E3779B97F4A7C15ull; /* xorshift64, fixed seed: same sizes on every call */
    uint64_t span = (uint64_t)(size_max - size_min) + 1;
    long done = 0;
    for (; done < pairs; done++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        void *p = malloc((size_t)size_min + (size_t)(x % span)); /* @site:mtf_storm_inner */
        if (p == NULL) {
            break;
        }
        touch(p);
        free(p);
    }
    return done;
}

long mtf_storm(long pairs, int size_min, int size_max) {
    long done = mtf_storm_inner(pairs, size_min, size_max); /* @site:mtf_storm */
    MTF_KEEP_FRAME();
    return done;
}

long mtf_storm_bytes(long pairs, int size_min, int size_max) {
    if (size_min < 1 || size_max < size_min) {
        return 0;
    }
    uint64_t x = 0x9E3779B97F4A7C15ull; /* the same sequence as mtf_storm_inner */
    uint64_t span = (uint64_t)(size_max - size_min) + 1;
    long bytes = 0;
    for (long i = 0; i < pairs; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes += size_min + (long)(x % span);
    }
    return bytes;
}

/* ---- a native thread ---------------------------------------------------------------------- */

void *mtf_thread_leak_inner(size_t size) {
    void *p = malloc(size); /* @site:mtf_thread_leak_inner */
    MTF_KEEP_FRAME();
    touch(p);
    return remember_heap(p, size);
}

void *mtf_thread_main(void *arg) {
    void *p = mtf_thread_leak_inner(*(const size_t *)arg); /* @site:mtf_thread_main */
    MTF_KEEP_FRAME();
    return p;
}

void *mtf_thread_leak(size_t size) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, mtf_thread_main, &size) != 0) {
        return NULL;
    }
    void *p = NULL;
    pthread_join(thread, &p);
    return p;
}

/* ---- a library that the fixture loads itself ---------------------------------------------- */

#define MTF_MAX_DEPS 64

typedef void *(*dep_leak_fn)(size_t);
typedef long (*dep_long_fn)(void);

typedef struct {
    void *handle;
    dep_leak_fn leak;
    dep_long_fn release;
    dep_long_fn live_bytes;
} dep_library;

static dep_library deps[MTF_MAX_DEPS];
static int dep_count;
static int dep_current = -1;
static char dep_error_text[512];
static pthread_mutex_t dep_lock = PTHREAD_MUTEX_INITIALIZER;

static int dep_fail(const char *what, const char *detail) {
    snprintf(dep_error_text, sizeof dep_error_text, "%s: %s", what, detail ? detail : "unknown error");
    return -1;
}

int mtf_dep_load(const char *path) {
    pthread_mutex_lock(&dep_lock);
    int rc = 0;
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        rc = dep_fail("dlopen failed", dlerror());
        goto out;
    }
    for (int i = 0; i < dep_count; i++) {
        if (deps[i].handle == handle) { /* the same object again: drop the extra reference */
            dlclose(handle);
            dep_current = i;
            goto out;
        }
    }
    if (dep_count == MTF_MAX_DEPS) {
        dlclose(handle);
        rc = dep_fail("too many dep libraries loaded", path);
        goto out;
    }
    dep_library d = {handle, (dep_leak_fn)dlsym(handle, "mtf_dep_leak"),
                     (dep_long_fn)dlsym(handle, "mtf_dep_release"), (dep_long_fn)dlsym(handle, "mtf_dep_live_bytes")};
    if (d.leak == NULL || d.release == NULL || d.live_bytes == NULL) {
        dlclose(handle);
        rc = dep_fail("not a libmtfixture_dep library (mtf_dep_* symbols missing)", path);
        goto out;
    }
    deps[dep_count] = d;
    dep_current = dep_count++;
out:
    pthread_mutex_unlock(&dep_lock);
    return rc;
}

const char *mtf_dep_error(void) {
    return dep_error_text;
}

void *mtf_dep_call_leak(size_t size) {
    pthread_mutex_lock(&dep_lock);
    dep_leak_fn leak = dep_current < 0 ? NULL : deps[dep_current].leak;
    pthread_mutex_unlock(&dep_lock);
    if (leak == NULL) {
        return NULL;
    }
    void *p = leak(size); /* @site:mtf_dep_call_leak */
    MTF_KEEP_FRAME();
    return p;
}

long mtf_dep_call_release(void) {
    pthread_mutex_lock(&dep_lock);
    long n = 0;
    for (int i = 0; i < dep_count; i++) {
        n += deps[i].release();
    }
    pthread_mutex_unlock(&dep_lock);
    return n;
}

long mtf_dep_call_live_bytes(void) {
    pthread_mutex_lock(&dep_lock);
    long bytes = 0;
    for (int i = 0; i < dep_count; i++) {
        bytes += deps[i].live_bytes();
    }
    pthread_mutex_unlock(&dep_lock);
    return bytes;
}

long mtf_failed_allocations(size_t size) {
    errno = 0;
    void *p = malloc(size);
    if (p) { free(p); return -1; }
    long e1 = errno;
    errno = 0;
    p = calloc(1, size);
    if (p) { free(p); return -1; }
    long e2 = errno;
    void *small = malloc(16);
    if (!small) return -1;
    errno = 0;
    p = realloc(small, size);
    long e3 = errno;
    if (p) { free(p); return -1; }
    free(small); /* a failed realloc leaves the block as it was */
    MTF_KEEP_FRAME();
    return e1 * 10000 + e2 * 100 + e3;
}

/* ---- signals arriving inside allocations ------------------------------------------------------
 * mtf_signal_storm: while the calling thread mallocs and frees, a second thread sends it a signal
 * every ~20 us whose handler maps and unmaps MTF_SIGNAL_MAP_BYTES (mmap/munmap are async-signal-
 * safe, and hooked like malloc): handlers run inside the allocator's hooks, between a hook's
 * steps, and re-enter them. Returns the signals handled; the caller's blocks and the handler's
 * mappings are all released, so a tracker must end with nothing live and without deadlock. */

#include <signal.h>
#include <time.h>

static _Atomic long signals_handled;
static _Atomic int storm_running;

static void storm_handler(int sig) {
    (void)sig;
    int saved = errno;
    void *m = mmap(NULL, MTF_SIGNAL_MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m != MAP_FAILED) {
        ((volatile char *)m)[0] = 1;
        munmap(m, MTF_SIGNAL_MAP_BYTES);
    }
    signals_handled++;
    errno = saved;
}

typedef struct {
    pthread_t target;
    int sig;
} storm_sender;

static void *storm_send(void *arg) {
    storm_sender *s = arg;
    struct timespec pause = {0, 20000};
    while (storm_running) {
        pthread_kill(s->target, s->sig);
        nanosleep(&pause, NULL);
    }
    return NULL;
}

long mtf_signal_storm(long millis) {
    int sig = SIGRTMIN + 3;
    struct sigaction action, previous;
    memset(&action, 0, sizeof action);
    action.sa_handler = storm_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(sig, &action, &previous) != 0) return -1;
    signals_handled = 0;
    storm_running = 1;
    storm_sender sender = {pthread_self(), sig};
    pthread_t thread;
    if (pthread_create(&thread, NULL, storm_send, &sender) != 0) {
        sigaction(sig, &previous, NULL);
        return -1;
    }
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    uint64_t x = 0x2545F4914F6CDD1Dull;
    do {
        for (int i = 0; i < 256; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            void *p = malloc(16 + (size_t)(x % 4096));
            if (p) {
                touch(p);
                free(p);
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L < millis);
    storm_running = 0;
    pthread_join(thread, NULL);
    /* signals still pending are delivered with the old disposition restored: block, drain, restore */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, sig);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    struct timespec zero = {0, 0};
    while (sigtimedwait(&block, NULL, &zero) == sig) {
    }
    sigaction(sig, &previous, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return signals_handled;
}

/* ---- fork without exec ------------------------------------------------------------------------
 * mtf_fork_children: forks `children` children one after the other; each mallocs and frees
 * `allocs` blocks and maps and unmaps a page, then _exits with 7. The parent waits at most 10 s
 * for each (then kills it: a child stuck on a lock some other thread of the parent held at the
 * fork). Returns how many children exited with 7. */

#include <sys/wait.h>

long mtf_fork_children(int children, int allocs) {
    long ok = 0;
    for (int c = 0; c < children; c++) {
        pid_t pid = fork();
        if (pid < 0) return -1;
        if (pid == 0) {
            for (int i = 0; i < allocs; i++) {
                void *p = malloc(100 + (size_t)(i % 1000));
                if (p) {
                    touch(p);
                    free(p);
                }
            }
            void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (m != MAP_FAILED) munmap(m, 4096);
            _exit(7);
        }
        int status = 0;
        struct timespec pause = {0, 1000000};
        int waited_ms = 0;
        pid_t done;
        while ((done = waitpid(pid, &status, WNOHANG)) == 0 && waited_ms < 10000) {
            nanosleep(&pause, NULL);
            waited_ms++;
        }
        if (done == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            continue;
        }
        if (done == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7) ok++;
    }
    return ok;
}

/* ---- mremap ----------------------------------------------------------------------------------
 * mtf_mremap: maps `pages` pages, moves/grows the mapping to `new_pages` with mremap
 * (MREMAP_MAYMOVE: the kernel may move it), then keeps it (keep != 0: a leak of new_pages pages,
 * released by mtf_release_all) or unmaps it. Returns the new base (NULL on failure). */

void *mtf_mremap_inner(void *old, size_t old_length, size_t new_length) {
    void *p = mremap(old, old_length, new_length, MREMAP_MAYMOVE); /* @site:mtf_mremap_inner */
    MTF_KEEP_FRAME();
    return p == MAP_FAILED ? NULL : p;
}

void *mtf_mremap(size_t pages, size_t new_pages, int keep) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *old = mtf_mmap_inner(pages * page);
    if (old == NULL) return NULL;
    char *p = mtf_mremap_inner(old, pages * page, new_pages * page); /* @site:mtf_mremap */
    MTF_KEEP_FRAME();
    if (p == NULL) {
        munmap(old, pages * page);
        return NULL;
    }
    for (size_t off = 0; off < new_pages * page; off += page) p[off] = 1;
    if (!keep) {
        munmap(p, new_pages * page);
        return p;
    }
    return remember_mapping(p, new_pages * page, new_pages * page, 0, 0);
}

/* ---- MAP_FIXED over a mapping ----------------------------------------------------------------
 * mtf_mmap_fixed_over: maps `pages` pages, then maps anonymous memory with MAP_FIXED over their
 * second half (which replaces that half of the first mapping), and keeps both: the first
 * mapping's head and the second mapping, `pages` pages in all. Released by mtf_release_all. */

void *mtf_mmap_fixed_inner(void *at, size_t length) {
    void *p = mmap(at, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0); /* @site:mtf_mmap_fixed_inner */
    MTF_KEEP_FRAME();
    return p == MAP_FAILED ? NULL : p;
}

void *mtf_mmap_fixed_over(size_t pages) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (pages < 2) return NULL;
    char *first = mtf_mmap_inner(pages * page);
    if (first == NULL) return NULL;
    size_t head = pages / 2;
    char *p = mtf_mmap_fixed_inner(first + head * page, (pages - head) * page); /* @site:mtf_mmap_fixed_over */
    MTF_KEEP_FRAME();
    if (p == NULL) {
        munmap(first, pages * page);
        return NULL;
    }
    for (size_t off = 0; off < (pages - head) * page; off += page) p[off] = 1;
    return remember_mapping(first, pages * page, pages * page, 0, 0);
}

/* ---- per-thread state (mtf_keep_in_thread_slot) ---- */
static pthread_key_t slot_key;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;

static void slot_free(void *slot) {
    if (!slot) return;
    free(((void **)slot)[0]);
    free(slot);
}

static void make_slot_key(void) { pthread_key_create(&slot_key, slot_free); }

void *mtf_keep_in_thread_slot_inner(size_t size) {
    pthread_once(&slot_once, make_slot_key);
    void **slot = malloc(48); /* @site:mtf_keep_in_thread_slot_inner */
    MTF_KEEP_FRAME();
    if (!slot) return NULL;
    memset(slot, 0, 48);
    slot[0] = malloc(size);
    if (slot[0]) memset(slot[0], 0x5a, size);
    slot_free(pthread_getspecific(slot_key));
    pthread_setspecific(slot_key, slot);
    return slot[0];
}

void *mtf_keep_in_thread_slot(size_t size) {
    void *p = mtf_keep_in_thread_slot_inner(size); /* @site:mtf_keep_in_thread_slot */
    MTF_KEEP_FRAME();
    return p;
}

void mtf_release_thread_slot(void) {
    pthread_once(&slot_once, make_slot_key);
    slot_free(pthread_getspecific(slot_key));
    pthread_setspecific(slot_key, NULL);
}
