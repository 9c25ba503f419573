#include "raw_memory.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_size_t in_use;

/* ---- registry of raw ranges ------------------------------------------------------------------
 * A slot is free when start == 0. Register: claim a free slot by CAS on start, then publish len
 * (a reader that sees len 0 ignores the slot: it is being filled or emptied). Unregister: len 0,
 * then start 0. Readers scan slots below `used`, the high-water mark. No locks: raw_alloc stays
 * async-signal-safe. */
typedef struct {
    _Atomic uintptr_t start;
    _Atomic size_t len;
} raw_range;

static raw_range registry[RAW_REGISTRY_SLOTS];
static _Atomic unsigned used;
/* Every range ever registered lies in [lowest, highest): a munmap outside it (nearly all of the
 * program's) is told apart without a scan. Only widened, never narrowed. */
static _Atomic uintptr_t lowest = UINTPTR_MAX, highest;
static _Atomic unsigned long refused;

static void register_range(void *p, size_t len) {
    for (unsigned i = 0; i < RAW_REGISTRY_SLOTS; i++) {
        uintptr_t expected = 0;
        if (atomic_load_explicit(&registry[i].start, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_strong(&registry[i].start, &expected, (uintptr_t)p)) {
            uintptr_t lo = atomic_load(&lowest), hi = atomic_load(&highest), end = (uintptr_t)p + len;
            while ((uintptr_t)p < lo && !atomic_compare_exchange_weak(&lowest, &lo, (uintptr_t)p)) {
            }
            while (end > hi && !atomic_compare_exchange_weak(&highest, &hi, end)) {
            }
            atomic_store_explicit(&registry[i].len, len, memory_order_release);
            unsigned u = atomic_load(&used);
            while (u < i + 1 && !atomic_compare_exchange_weak(&used, &u, i + 1)) {
            }
            return;
        }
    }
    /* full: this range goes unprotected */
}

static void unregister_range(void *p) {
    unsigned n = atomic_load_explicit(&used, memory_order_acquire);
    for (unsigned i = 0; i < n; i++) {
        if (atomic_load_explicit(&registry[i].start, memory_order_relaxed) == (uintptr_t)p) {
            atomic_store_explicit(&registry[i].len, 0, memory_order_release);
            atomic_store_explicit(&registry[i].start, 0, memory_order_release);
            return;
        }
    }
}

/* The registered range overlapping [lo, hi) that starts lowest, or 0. */
static int lowest_overlap(uintptr_t lo, uintptr_t hi, uintptr_t *start, uintptr_t *end) {
    int found = 0;
    unsigned n = atomic_load_explicit(&used, memory_order_acquire);
    for (unsigned i = 0; i < n; i++) {
        uintptr_t s = atomic_load_explicit(&registry[i].start, memory_order_acquire);
        size_t len = atomic_load_explicit(&registry[i].len, memory_order_acquire);
        if (s == 0 || len == 0 || s >= hi || s + len <= lo) continue;
        if (!found || s < *start) {
            *start = s;
            *end = s + len;
            found = 1;
        }
    }
    return found;
}

int raw_overlaps(const void *p, size_t len) {
    uintptr_t lo = (uintptr_t)p, hi = lo + len, s, e;
    if (len == 0 || hi <= atomic_load_explicit(&lowest, memory_order_acquire) ||
        lo >= atomic_load_explicit(&highest, memory_order_acquire))
        return 0;
    return lowest_overlap(lo, hi, &s, &e);
}

int raw_unmap_around(void *p, size_t len, int (*unmap)(void *, size_t)) {
    uintptr_t lo = (uintptr_t)p, hi = lo + len, s, e;
    int r = 0, piece;
    if (atomic_fetch_add(&refused, 1) == 0) {
        char line[256];
        int n = snprintf(line, sizeof line,
                         "memtrack: munmap(%p, %zu) covers memory memtrack itself mapped (did the program unmap "
                         "this range before?): memtrack's pages are kept, the rest of the range is unmapped; "
                         "said once\n",
                         p, len);
        if (n > 0) (void)!write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
    /* the first failure is the one to report; later pieces are still unmapped */
    while (lo < hi) {
        if (!lowest_overlap(lo, hi, &s, &e)) {
            piece = unmap((void *)lo, hi - lo);
            return r != 0 ? r : piece;
        }
        if (s > lo && (piece = unmap((void *)lo, s - lo)) != 0 && r == 0) r = piece;
        lo = e;
    }
    return r;
}

unsigned long raw_refused_unmaps(void) { return atomic_load(&refused); }

size_t raw_page_size(void) {
    /* From the kernel's auxiliary vector (no syscall, no malloc: safe inside a hook). */
    static _Atomic size_t page;
    size_t p = atomic_load_explicit(&page, memory_order_relaxed);
    if (p == 0) {
        p = (size_t)getauxval(AT_PAGESZ);
        if (p == 0) p = (size_t)sysconf(_SC_PAGESIZE);
        atomic_store_explicit(&page, p, memory_order_relaxed);
    }
    return p;
}

static size_t round_to_pages(size_t bytes) {
    size_t page = raw_page_size();
    return (bytes + page - 1) & ~(page - 1);
}

void *raw_alloc(size_t bytes) {
    size_t len = round_to_pages(bytes);
    /* syscall(), not mmap(): our own mmap calls must never be seen by the mmap hook. */
    long r = syscall(SYS_mmap, NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == -1) return NULL; /* syscall() returns -1 and sets errno */
    atomic_fetch_add_explicit(&in_use, len, memory_order_relaxed);
    register_range((void *)r, len);
    return (void *)r;
}

void raw_free(void *p, size_t bytes) {
    if (!p) return;
    size_t len = round_to_pages(bytes);
    unregister_range(p);
    syscall(SYS_munmap, p, len);
    atomic_fetch_sub_explicit(&in_use, len, memory_order_relaxed);
}

size_t raw_bytes_in_use(void) { return atomic_load_explicit(&in_use, memory_order_relaxed); }
