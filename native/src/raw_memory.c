#include "raw_memory.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
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
        /* start, len, start again (a seqlock's read): the slot may have been emptied and refilled
         * with another range between the first two loads, which would pair the old start with the
         * new length. The same start twice means len belongs to it (a range registered again at
         * the same address has that range's length). The fence keeps the len load before the
         * second start load on weakly ordered CPUs (aarch64; on x86 it is no instruction). */
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&registry[i].start, memory_order_relaxed) != s) continue;
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

/* ---- the zone: where the tracker's pages live --------------------------------------------------
 * The tracker's pages must never land where the program had memory a moment ago. The kernel hands
 * out the highest free gap that fits, and a gap a program has just unmapped is usually it: a
 * one-page table of ours (a scope's site table) took the one-page hole LMDB's lock file left when
 * an environment was closed with a write transaction open. That thread's robust-mutex list still
 * pointed into the lock file, so the next pthread_mutex_lock of a robust mutex wrote into our
 * page, and once we had unmapped that page again it crashed (issue 11; without memtrack, LMDB's
 * next lock file reused the hole and the stale write landed harmlessly). So all raw memory comes
 * from one range reserved once (PROT_NONE, MAP_NORESERVE: address space only, no memory and no
 * commit charge) that never held program memory; pages are mapped read-write inside it on
 * raw_alloc and turned back into reserved pages on raw_free (memory returned, addresses kept for
 * reuse). When the reservation fails or is full, plain mmap is used as before. Lock-free. */
#define ZONE_MAX_BYTES ((size_t)64 << 30)
/* Under an address-space limit (ulimit -v) the zone takes at most a 16th of it, so that the
 * program's own reservations still fit; below 64 MiB there is none. Set before zone_base. */
#define ZONE_MIN_BYTES ((size_t)64 << 20)
static size_t zone_bytes = ZONE_MAX_BYTES;
#define ZONE_BYTES zone_bytes
#define ZONE_SPARE_SLOTS 4096
/* The zone is kept in units of the system page (raw_page_size, a power of two). */
static inline unsigned page_shift(void) { return (unsigned)__builtin_ctzl(raw_page_size()); }
#define PAGE_SHIFT page_shift()

static _Atomic uintptr_t zone_base; /* 0: not tried yet; ZONE_NONE: reservation failed */
#define ZONE_NONE ((uintptr_t)1)
static _Atomic size_t zone_used_pages; /* bump pointer, in pages */
/* Freed ranges for reuse: (first page << 32) | page count, 0 = empty slot. */
static _Atomic uint64_t zone_spare[ZONE_SPARE_SLOTS];

static uintptr_t zone(void) {
    uintptr_t base = atomic_load_explicit(&zone_base, memory_order_acquire);
    if (base != 0) return base;
    /* Once per process: the first callers wait for one reservation (no malloc, no futex). */
    static atomic_flag reserving = ATOMIC_FLAG_INIT;
    while (atomic_flag_test_and_set_explicit(&reserving, memory_order_acquire)) {}
    base = atomic_load_explicit(&zone_base, memory_order_acquire);
    if (base == 0) {
        size_t bytes = ZONE_MAX_BYTES;
        struct rlimit limit;
        if (syscall(SYS_getrlimit, RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
            size_t share = ((size_t)limit.rlim_cur / 16) & ~(raw_page_size() - 1);
            bytes = share < bytes ? share : bytes;
        }
        /* Where address space is scarcer than the limit says (valgrind, a 39-bit aarch64 VA),
         * take what there is: halve down to ZONE_MIN_BYTES, below which there is no zone. */
        base = ZONE_NONE;
        for (; bytes >= ZONE_MIN_BYTES; bytes /= 2) {
            long r = syscall(SYS_mmap, NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (r != -1) {
                zone_bytes = bytes;
                base = (uintptr_t)r;
                break;
            }
        }
        atomic_store_explicit(&zone_base, base, memory_order_release);
    }
    atomic_flag_clear_explicit(&reserving, memory_order_release);
    return base;
}

static void spare_put(uint64_t first, uint64_t pages) {
    uint64_t packed = first << 32 | pages;
    for (unsigned i = 0; i < ZONE_SPARE_SLOTS; i++) {
        uint64_t empty = 0;
        if (atomic_load_explicit(&zone_spare[i], memory_order_relaxed) == 0 &&
            atomic_compare_exchange_strong(&zone_spare[i], &empty, packed))
            return;
    }
    /* no slot: these addresses stay reserved and unused (no memory is held) */
}

/* A reserved range of at least `pages` (first page index), or -1. */
static int64_t zone_take(uint64_t pages) {
    for (unsigned i = 0; i < ZONE_SPARE_SLOTS; i++) {
        uint64_t v = atomic_load_explicit(&zone_spare[i], memory_order_relaxed);
        if (v == 0 || (v & 0xffffffffu) < pages) continue;
        if (!atomic_compare_exchange_strong(&zone_spare[i], &v, 0)) continue;
        uint64_t first = v >> 32, have = v & 0xffffffffu;
        if (have > pages) spare_put(first + pages, have - pages);
        return (int64_t)first;
    }
    size_t first = atomic_fetch_add(&zone_used_pages, pages);
    if (first + pages > (ZONE_BYTES >> PAGE_SHIFT)) return -1; /* full: the overshoot is never used */
    return (int64_t)first;
}

/* Only the zone and nothing else: callers check. */
static int in_zone(uintptr_t p) {
    uintptr_t base = atomic_load_explicit(&zone_base, memory_order_acquire);
    return base > ZONE_NONE && p >= base && p < base + ZONE_BYTES;
}

static void *zone_alloc(size_t len) {
    uintptr_t base = zone();
    if (base == ZONE_NONE || (len >> PAGE_SHIFT) >= 0xffffffffu) return NULL;
    int64_t first = zone_take(len >> PAGE_SHIFT);
    if (first < 0) return NULL;
    void *at = (void *)(base + ((uintptr_t)first << PAGE_SHIFT));
    long r = syscall(SYS_mmap, at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (r == -1) {
        spare_put((uint64_t)first, len >> PAGE_SHIFT);
        return NULL;
    }
    return at;
}

static void zone_release(void *p, size_t len) {
    /* fresh reserved pages over the old ones: the memory goes back, the addresses stay ours */
    long r = syscall(SYS_mmap, p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    if (r == -1) return; /* still mapped read-write: never reused, never a hole */
    spare_put(((uintptr_t)p - atomic_load(&zone_base)) >> PAGE_SHIFT, len >> PAGE_SHIFT);
}

void *raw_alloc(size_t bytes) {
    size_t len = round_to_pages(bytes);
    if (len == 0) return NULL;
    void *p = zone_alloc(len);
    if (!p) {
        /* syscall(), not mmap(): our own mmap calls must never be seen by the mmap hook. */
        long r = syscall(SYS_mmap, NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (r == -1) return NULL; /* syscall() returns -1 and sets errno */
        p = (void *)r;
    }
    atomic_fetch_add_explicit(&in_use, len, memory_order_relaxed);
    register_range(p, len);
    return p;
}

void raw_free(void *p, size_t bytes) {
    if (!p) return;
    size_t len = round_to_pages(bytes);
    unregister_range(p);
    if (in_zone((uintptr_t)p))
        zone_release(p, len);
    else
        syscall(SYS_munmap, p, len);
    atomic_fetch_sub_explicit(&in_use, len, memory_order_relaxed);
}

int raw_in_zone(const void *p) { return in_zone((uintptr_t)p); }

size_t raw_bytes_in_use(void) { return atomic_load_explicit(&in_use, memory_order_relaxed); }
