/*
 * fixture_test.c — checks libmtfixture.so without memtrack: this program defines the allocator
 * itself (malloc family forwarded to glibc's __libc_* entry points, mmap/munmap as raw
 * syscalls), so every call the fixture makes lands here first. Calls whose return address lies
 * in a libmtfixture* object are counted, sized and, while a test asks for it, recorded with a
 * backtrace; a small table of the fixture's live blocks gives live and peak bytes.
 * It proves what the Java tests rely on: exact sizes and call counts, nothing elided by the
 * compiler, and stacks with the documented mtf_ chains in order.
 *
 * Usage: fixture_test /abs/path/libmtfixture_dep.so
 */
#define _GNU_SOURCE
#include "fixture.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

/* ---- tiny runner: CHECK_* record a failure and go on, printing values and file:line ------- */

static int failures_in_test;
#define FAIL_(fmt, ...) \
    do { fprintf(stderr, "  FAIL %s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__); failures_in_test++; } while (0)
#define CHECK_TRUE(c) do { if (!(c)) FAIL_("%s", #c); } while (0)
#define CHECK_EQ(a, b) \
    do { long long a_ = (long long)(a), b_ = (long long)(b); \
         if (a_ != b_) FAIL_("%s == %s (%lld vs %lld)", #a, #b, a_, b_); } while (0)
#define CHECK_LE(a, b) \
    do { long long a_ = (long long)(a), b_ = (long long)(b); \
         if (!(a_ <= b_)) FAIL_("%s <= %s (%lld vs %lld)", #a, #b, a_, b_); } while (0)

/* ---- the allocator this program exports ------------------------------------------------------ */

enum api { MALLOC, CALLOC, REALLOC, FREE, POSIX_MEMALIGN, ALIGNED_ALLOC, MEMALIGN, VALLOC, PVALLOC, MMAP, MUNMAP, API_COUNT };
static const char *const api_names[API_COUNT] = {"malloc", "calloc", "realloc", "free", "posix_memalign",
    "aligned_alloc", "memalign", "valloc", "pvalloc", "mmap", "munmap"};

#define MAX_EVENTS 256
#define MAX_FRAMES 24
typedef struct {
    int api;
    void *ptr;
    void *old;
    size_t size;
    int frames;
    void *stack[MAX_FRAMES];
} event;

static event events[MAX_EVENTS];
static atomic_int event_count;
static atomic_int counting;  /* count calls made by the fixture */
static atomic_int recording; /* also keep events with stacks (tests with few calls only) */
static atomic_long calls[API_COUNT];
static atomic_long allocated_bytes;
static __thread int in_hook;

/* code ranges of the libmtfixture* objects, refreshed while single-threaded */
static struct { uintptr_t lo, hi; } ranges[16];
static int range_count;

static int collect_range(struct dl_phdr_info *info, size_t size, void *data) {
    if (info->dlpi_name == NULL || strstr(info->dlpi_name, "libmtfixture") == NULL || range_count == 16) {
        return 0;
    }
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            ranges[range_count].lo = info->dlpi_addr + ph->p_vaddr;
            ranges[range_count].hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
            range_count++;
        }
    }
    return 0;
}

static void refresh_ranges(void) {
    range_count = 0;
    dl_iterate_phdr(collect_range, NULL);
}

static int from_fixture(const void *caller) {
    uintptr_t a = (uintptr_t)caller;
    for (int i = 0; i < range_count; i++) {
        if (a >= ranges[i].lo && a < ranges[i].hi) {
            return 1;
        }
    }
    return 0;
}

/* live blocks of the fixture: open addressing, linear probing, tombstones; one spin lock */
#define LIVE_SLOTS (1 << 16)
#define TOMBSTONE ((void *)1)
static struct { void *ptr; size_t size; } live_slots[LIVE_SLOTS];
static atomic_flag live_spin = ATOMIC_FLAG_INIT;
static long live_now, live_peak, live_entries;

static void live_lock(void) { while (atomic_flag_test_and_set_explicit(&live_spin, memory_order_acquire)) { } }
static void live_unlock(void) { atomic_flag_clear_explicit(&live_spin, memory_order_release); }

static size_t slot_of(const void *p) { return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >> 48) & (LIVE_SLOTS - 1); }

static void live_add(void *p, size_t size) {
    live_lock();
    for (size_t i = slot_of(p);; i = (i + 1) & (LIVE_SLOTS - 1)) {
        if (live_slots[i].ptr == NULL || live_slots[i].ptr == TOMBSTONE) {
            live_slots[i].ptr = p;
            live_slots[i].size = size;
            break;
        }
    }
    live_entries++;
    live_now += (long)size;
    if (live_now > live_peak) live_peak = live_now;
    live_unlock();
}

/* Removes p (whole block) and returns its size, or 0 if it was not a fixture block. */
static size_t live_remove(void *p) {
    size_t size = 0;
    live_lock();
    for (size_t i = slot_of(p); live_slots[i].ptr != NULL; i = (i + 1) & (LIVE_SLOTS - 1)) {
        if (live_slots[i].ptr == p) {
            size = live_slots[i].size;
            live_slots[i].ptr = TOMBSTONE;
            live_entries--;
            live_now -= (long)size;
            break;
        }
    }
    live_unlock();
    return size;
}

static void reset_tracking(void) {
    atomic_store(&counting, 0);
    atomic_store(&recording, 0);
    atomic_store(&event_count, 0);
    for (int i = 0; i < API_COUNT; i++) atomic_store(&calls[i], 0);
    atomic_store(&allocated_bytes, 0);
    live_lock();
    memset(live_slots, 0, sizeof live_slots);
    live_now = live_peak = live_entries = 0;
    live_unlock();
}

static void note(int api, void *ptr, void *old, size_t size, const void *caller) {
    if (!atomic_load_explicit(&counting, memory_order_relaxed) || in_hook || !from_fixture(caller)) {
        return;
    }
    in_hook = 1;
    atomic_fetch_add(&calls[api], 1);
    if (api == REALLOC && old != NULL) {
        live_remove(old);
    }
    if (api == FREE) {
        live_remove(ptr);
    } else if (api == MUNMAP) {
        /* the tests unmap whole mappings or holes; the live table only knows whole mappings */
        size_t had = live_remove(ptr);
        if (had > size) live_add(ptr, had - size);
    } else if (ptr != NULL) {
        atomic_fetch_add(&allocated_bytes, (long)size);
        live_add(ptr, size);
    }
    if (atomic_load(&recording)) {
        int i = atomic_fetch_add(&event_count, 1);
        if (i < MAX_EVENTS) {
            events[i] = (event){.api = api, .ptr = ptr, .old = old, .size = size};
            events[i].frames = backtrace(events[i].stack, MAX_FRAMES);
        }
    }
    in_hook = 0;
}

#define CALLER __builtin_return_address(0)

void *malloc(size_t n) {
    void *p = __libc_malloc(n);
    note(MALLOC, p, NULL, n, CALLER);
    return p;
}

void *calloc(size_t a, size_t b) {
    void *p = __libc_calloc(a, b);
    note(CALLOC, p, NULL, a * b, CALLER);
    return p;
}

void *realloc(void *old, size_t n) {
    void *p = __libc_realloc(old, n);
    note(REALLOC, p, old, n, CALLER);
    return p;
}

void free(void *p) {
    if (p != NULL) note(FREE, p, NULL, 0, CALLER);
    __libc_free(p);
}

int posix_memalign(void **out, size_t alignment, size_t n) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *p = __libc_memalign(alignment, n);
    if (p == NULL) return ENOMEM;
    *out = p;
    note(POSIX_MEMALIGN, p, NULL, n, CALLER);
    return 0;
}

void *aligned_alloc(size_t alignment, size_t n) {
    void *p = __libc_memalign(alignment, n);
    note(ALIGNED_ALLOC, p, NULL, n, CALLER);
    return p;
}

void *memalign(size_t alignment, size_t n) {
    void *p = __libc_memalign(alignment, n);
    note(MEMALIGN, p, NULL, n, CALLER);
    return p;
}

void *valloc(size_t n) {
    void *p = __libc_valloc(n);
    note(VALLOC, p, NULL, n, CALLER);
    return p;
}

void *pvalloc(size_t n) {
    void *p = __libc_pvalloc(n);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    note(PVALLOC, p, NULL, n == 0 ? page : (n + page - 1) / page * page, CALLER);
    return p;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
    long r = syscall(SYS_mmap, addr, len, prot, flags, fd, off);
    if (r == -1) return MAP_FAILED;
    if (flags & MAP_ANONYMOUS) note(MMAP, (void *)r, NULL, len, CALLER);
    return (void *)r;
}

int munmap(void *addr, size_t len) {
    note(MUNMAP, addr, NULL, len, CALLER);
    return (int)syscall(SYS_munmap, addr, len);
}

/* ---- helpers ------------------------------------------------------------------------------- */

static void start(int with_stacks) {
    reset_tracking();
    atomic_store(&recording, with_stacks);
    atomic_store(&counting, 1);
}

static void stop(void) {
    atomic_store(&counting, 0);
    atomic_store(&recording, 0);
}

static int events_of(int api) {
    int n = 0, total = atomic_load(&event_count);
    for (int i = 0; i < total && i < MAX_EVENTS; i++) n += events[i].api == api;
    return n;
}

static const event *last_event(int api) {
    int total = atomic_load(&event_count);
    for (int i = (total < MAX_EVENTS ? total : MAX_EVENTS) - 1; i >= 0; i--) {
        if (events[i].api == api) return &events[i];
    }
    return NULL;
}

static const char *symbol_at(void *pc, const char **library) {
    Dl_info info;
    /* return addresses point after the call: look up pc - 1 */
    if (dladdr((char *)pc - 1, &info) == 0) {
        *library = "?";
        return "?";
    }
    const char *slash = info.dli_fname ? strrchr(info.dli_fname, '/') : NULL;
    *library = slash ? slash + 1 : (info.dli_fname ? info.dli_fname : "?");
    return info.dli_sname ? info.dli_sname : "?";
}

/* The stack of e, from its first frame inside a libmtfixture* object, must start with the
 * names given (innermost first); the frame below the interposer must be the first of them. */
static void check_chain_(const event *e, const char *const *names, int n, const char *file, int line) {
    if (e == NULL) {
        fprintf(stderr, "  FAIL %s:%d: no such event recorded\n", file, line);
        failures_in_test++;
        return;
    }
    int first = -1;
    for (int i = 0; i < e->frames; i++) {
        if (from_fixture((char *)e->stack[i] - 1)) { first = i; break; }
    }
    int ok = first >= 0 && first + n <= e->frames;
    for (int k = 0; ok && k < n; k++) {
        const char *lib, *sym = symbol_at(e->stack[first + k], &lib);
        ok = strcmp(sym, names[k]) == 0;
    }
    if (!ok) {
        fprintf(stderr, "  FAIL %s:%d: %s stack does not start with", file, line, api_names[e->api]);
        for (int k = 0; k < n; k++) fprintf(stderr, " %s", names[k]);
        fprintf(stderr, "; it is:\n");
        for (int i = 0; i < e->frames; i++) {
            const char *lib, *sym = symbol_at(e->stack[i], &lib);
            fprintf(stderr, "      %-40s %s\n", sym, lib);
        }
        failures_in_test++;
    }
}
#define CHECK_CHAIN(e, ...)                                                                 \
    do { const char *const names_[] = {__VA_ARGS__};                                        \
         check_chain_((e), names_, (int)(sizeof names_ / sizeof names_[0]), __FILE__, __LINE__); } while (0)

static const char *dep_path;

/* ---- tests -------------------------------------------------------------------------------------- */

static void test_leak_and_release(void) {
    start(1);
    void *p = mtf_leak(1999993);
    stop();
    CHECK_TRUE(p != NULL);
    CHECK_EQ(calls[MALLOC], 1);
    CHECK_EQ(events_of(MALLOC), 1);
    const event *e = last_event(MALLOC);
    CHECK_TRUE(e != NULL && e->ptr == p && e->size == 1999993);
    CHECK_CHAIN(e, "mtf_leak_inner", "mtf_leak");
    CHECK_EQ(mtf_live_count(), 1);
    CHECK_EQ(mtf_live_bytes(), 1999993);

    start(1);
    CHECK_EQ(mtf_release_all(), 1);
    stop();
    CHECK_EQ(calls[FREE], 1);
    CHECK_TRUE(last_event(FREE) != NULL && last_event(FREE)->ptr == p);
    CHECK_EQ(mtf_live_count(), 0);
    CHECK_EQ(mtf_live_bytes(), 0);
}

static void test_malloc_family_variants(void) {
    start(1);
    CHECK_TRUE(mtf_leak_calloc(1111, 1001) != NULL);
    CHECK_TRUE(mtf_leak_posix_memalign(4096, 1222223) != NULL);
    CHECK_TRUE(mtf_leak_aligned_alloc(256, 1333331) != NULL);
    CHECK_TRUE(mtf_leak_memalign(64, 1444447) != NULL);
    CHECK_TRUE(mtf_leak_valloc(1555553) != NULL);
    CHECK_TRUE(mtf_leak_pvalloc(1666669) != NULL);
    stop();
    long page = mtf_page_size();
    long pv = (1666669 + page - 1) / page * page;
    const event *e;
    CHECK_TRUE((e = last_event(CALLOC)) != NULL && e->size == 1111 * 1001);
    CHECK_CHAIN(e, "mtf_leak_calloc_inner", "mtf_leak_calloc");
    CHECK_TRUE((e = last_event(POSIX_MEMALIGN)) != NULL && e->size == 1222223 && ((uintptr_t)e->ptr & 4095) == 0);
    CHECK_CHAIN(e, "mtf_leak_posix_memalign_inner", "mtf_leak_posix_memalign");
    CHECK_TRUE((e = last_event(ALIGNED_ALLOC)) != NULL && e->size == mtf_aligned_size(256, 1333331) && ((uintptr_t)e->ptr & 255) == 0);
    CHECK_CHAIN(e, "mtf_leak_aligned_alloc_inner", "mtf_leak_aligned_alloc");
    CHECK_TRUE((e = last_event(MEMALIGN)) != NULL && e->size == 1444447 && ((uintptr_t)e->ptr & 63) == 0);
    CHECK_CHAIN(e, "mtf_leak_memalign_inner", "mtf_leak_memalign");
    CHECK_TRUE((e = last_event(VALLOC)) != NULL && e->size == 1555553 && ((uintptr_t)e->ptr & (page - 1)) == 0);
    CHECK_CHAIN(e, "mtf_leak_valloc_inner", "mtf_leak_valloc");
    CHECK_TRUE((e = last_event(PVALLOC)) != NULL && (long)e->size == pv);
    CHECK_CHAIN(e, "mtf_leak_pvalloc_inner", "mtf_leak_pvalloc");
    CHECK_EQ(mtf_aligned_size(256, 1333331), 1333504);
    CHECK_EQ(mtf_live_count(), 6);
    CHECK_EQ(mtf_live_bytes(), 1111 * 1001 + 1222223 + 1333504 + 1444447 + 1555553 + pv);
    CHECK_EQ(live_now, mtf_live_bytes()); /* the interposer agrees with the fixture */
    start(0);
    CHECK_EQ(mtf_release_all(), 6);
    stop();
    CHECK_EQ(calls[FREE], 6);
    CHECK_EQ(mtf_live_bytes(), 0);
}

static void test_realloc_chains(void) {
    const size_t final_size = 2621447;
    start(1);
    void *p = mtf_realloc_chain_leak(final_size);
    stop();
    CHECK_TRUE(p != NULL);
    CHECK_EQ(calls[MALLOC], 1);
    CHECK_EQ(calls[REALLOC], 3);
    CHECK_EQ(calls[FREE], 0);
    const event *e = last_event(REALLOC);
    CHECK_TRUE(e != NULL && e->ptr == p && e->size == final_size);
    CHECK_CHAIN(e, "mtf_realloc_grow", "mtf_realloc_chain_leak");
    CHECK_EQ(live_entries, 1);
    CHECK_EQ(live_now, final_size);
    CHECK_EQ(mtf_live_bytes(), final_size);
    mtf_release_all();

    start(0);
    CHECK_EQ(mtf_realloc_chain_free(final_size), final_size);
    stop();
    CHECK_EQ(calls[MALLOC], 1);
    CHECK_EQ(calls[REALLOC], 3);
    CHECK_EQ(calls[FREE], 1);
    CHECK_EQ(live_now, 0);
    CHECK_EQ(live_peak, final_size);

    start(1);
    void *q = mtf_realloc_shrink_leak(1000003);
    stop();
    CHECK_TRUE(q != NULL);
    CHECK_EQ(calls[REALLOC], 1);
    CHECK_CHAIN(last_event(REALLOC), "mtf_realloc_shrink_inner", "mtf_realloc_shrink_leak");
    CHECK_EQ(live_now, 1000003 / 2);
    CHECK_EQ(mtf_live_bytes(), 1000003 / 2);
    mtf_release_all();
}

static int mapped(void *p, size_t len) {
    unsigned char vec[64];
    long page = mtf_page_size();
    return len / page <= 64 && mincore(p, len, vec) == 0;
}

static void test_mmap(void) {
    start(1);
    void *p = mtf_mmap_leak(3145733);
    stop();
    CHECK_TRUE(p != NULL);
    CHECK_EQ(calls[MMAP], 1);
    const event *e = last_event(MMAP);
    CHECK_TRUE(e != NULL && e->ptr == p && e->size == 3145733);
    CHECK_CHAIN(e, "mtf_mmap_inner", "mtf_mmap_leak");
    CHECK_EQ(mtf_live_bytes(), 3145733);
    start(1);
    CHECK_EQ(mtf_release_all(), 1);
    stop();
    CHECK_TRUE((e = last_event(MUNMAP)) != NULL && e->ptr == p && e->size == 3145733);

    long page = mtf_page_size();
    start(1);
    char *base = mtf_mmap_partial_leak(16, 4, 8); /* keeps pages 0-3 and 12-15 */
    stop();
    CHECK_TRUE(base != NULL);
    CHECK_EQ(calls[MMAP], 1);
    CHECK_EQ(calls[MUNMAP], 1);
    CHECK_TRUE((e = last_event(MUNMAP)) != NULL && e->ptr == base + 4 * page && (long)e->size == 8 * page);
    CHECK_CHAIN(last_event(MMAP), "mtf_mmap_inner", "mtf_mmap_partial_leak");
    CHECK_EQ(mtf_live_bytes(), 8 * page);
    CHECK_TRUE(mapped(base, 4 * page) && !mapped(base + 4 * page, page) && mapped(base + 12 * page, 4 * page));
    /* someone else maps into the hole meanwhile (the kernel reuses holes): release leaves it be */
    void *other = mmap(base + 4 * page, 8 * page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK_TRUE(other == base + 4 * page);
    mtf_release_all();
    CHECK_TRUE(!mapped(base, page) && !mapped(base + 12 * page, page));
    CHECK_TRUE(mapped(other, 8 * page));
    munmap(other, 8 * page);

    CHECK_TRUE(mtf_mmap_partial_leak(16, 8, 9) == NULL); /* out of range: nothing mapped */
    start(0);
    CHECK_TRUE(mtf_mmap_partial_leak(4, 0, 4) != NULL);  /* everything unmapped again */
    CHECK_EQ(mtf_mmap_and_unmap(1048583), 1048583);
    stop();
    CHECK_EQ(calls[MMAP], 2);
    CHECK_EQ(calls[MUNMAP], 2);
    CHECK_EQ(mtf_live_count(), 0);
}

static void test_peak_and_churn(void) {
    start(1);
    CHECK_EQ(mtf_peak(8 * 1024 * 1024, 8), 8 * 1024 * 1024);
    stop();
    CHECK_EQ(calls[MALLOC], 8);
    CHECK_EQ(calls[FREE], 8);
    CHECK_EQ(live_peak, 8 * 1024 * 1024);
    CHECK_EQ(live_now, 0);
    CHECK_CHAIN(last_event(MALLOC), "mtf_peak_hold", "mtf_peak");

    start(0);
    CHECK_EQ(mtf_peak(8 * 1024 * 1024 + 5, 3), 8 * 1024 * 1024 + 5); /* remainder in the last */
    stop();
    CHECK_EQ(live_peak, 8 * 1024 * 1024 + 5);

    start(0);
    CHECK_EQ(mtf_churn(10, 16, 1000), 160);
    stop();
    CHECK_EQ(calls[MALLOC], 160);
    CHECK_EQ(calls[FREE], 160);
    CHECK_EQ(live_peak, 16000);
    CHECK_EQ(live_now, 0);
}

static void test_storm_single_thread(void) {
    start(0);
    CHECK_EQ(mtf_storm(1000000, 64, 4096), 1000000);
    stop();
    CHECK_EQ(calls[MALLOC], 1000000);
    CHECK_EQ(calls[FREE], 1000000);
    CHECK_EQ(allocated_bytes, mtf_storm_bytes(1000000, 64, 4096));
    CHECK_LE(live_peak, 4096);
    CHECK_EQ(live_now, 0);
    CHECK_EQ(mtf_storm_bytes(3, 10, 10), 30);
}

static void *storm_thread(void *arg) {
    return (void *)mtf_storm(1000000, 64, 4096);
}

static void test_storm_four_threads(void) {
    pthread_t t[4];
    start(0);
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, storm_thread, NULL);
    long done = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        done += (long)r;
    }
    stop();
    CHECK_EQ(done, 4000000);
    CHECK_EQ(calls[MALLOC], 4000000);
    CHECK_EQ(calls[FREE], 4000000);
    CHECK_EQ(allocated_bytes, 4 * mtf_storm_bytes(1000000, 64, 4096));
    CHECK_LE(live_peak, 4 * 4096);
    CHECK_EQ(live_now, 0);
}

static void test_native_thread_leak(void) {
    start(1);
    void *p = mtf_thread_leak(1234577);
    stop();
    CHECK_TRUE(p != NULL);
    const event *e = last_event(MALLOC);
    CHECK_TRUE(e != NULL && e->ptr == p && e->size == 1234577);
    CHECK_CHAIN(e, "mtf_thread_leak_inner", "mtf_thread_main");
    CHECK_EQ(mtf_live_bytes(), 1234577);
    mtf_release_all();
}

/* Copies the dep library into a fresh directory: a second, independent object for dlopen. */
static int copy_file(const char *from, char *to, size_t to_size) {
    char dir[] = "/tmp/mtfixture-test-XXXXXX";
    if (mkdtemp(dir) == NULL) return -1;
    snprintf(to, to_size, "%s/libmtfixture_dep.so", dir);
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0700);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) n = -1;
    }
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    return in >= 0 && out >= 0 ? 0 : -1;
}

static void test_dep_library(void) {
    CHECK_TRUE(mtf_dep_call_leak(10) == NULL); /* nothing loaded yet */
    CHECK_EQ(mtf_dep_load("/nonexistent/libmtfixture_dep.so"), -1);
    CHECK_TRUE(strstr(mtf_dep_error(), "dlopen failed") != NULL);

    CHECK_EQ(mtf_dep_load(dep_path), 0);
    CHECK_EQ(mtf_dep_load(dep_path), 0); /* the same object again */
    refresh_ranges();
    start(1);
    void *p = mtf_dep_call_leak(777777);
    stop();
    CHECK_TRUE(p != NULL);
    CHECK_EQ(calls[MALLOC], 1);
    const event *e = last_event(MALLOC);
    CHECK_TRUE(e != NULL && e->ptr == p && e->size == 777777);
    CHECK_CHAIN(e, "mtf_dep_leak_inner", "mtf_dep_leak", "mtf_dep_call_leak");
    CHECK_EQ(mtf_dep_call_live_bytes(), 777777);
    CHECK_EQ(mtf_live_bytes(), 0); /* the dep's blocks are the dep's */

    char copy[512];
    CHECK_EQ(copy_file(dep_path, copy, sizeof copy), 0);
    CHECK_EQ(mtf_dep_load(copy), 0);
    refresh_ranges();
    start(1);
    void *q = mtf_dep_call_leak(777781);
    stop();
    e = last_event(MALLOC);
    CHECK_TRUE(q != NULL && e != NULL && e->size == 777781);
    CHECK_CHAIN(e, "mtf_dep_leak_inner", "mtf_dep_leak", "mtf_dep_call_leak");
    if (e != NULL) {
        /* the innermost fixture frame is in the copy, not in the first dep library */
        Dl_info info;
        int first = 0;
        while (first < e->frames && !from_fixture((char *)e->stack[first] - 1)) first++;
        CHECK_TRUE(first < e->frames && dladdr((char *)e->stack[first] - 1, &info) && strcmp(info.dli_fname, copy) == 0);
    }
    CHECK_EQ(mtf_dep_call_live_bytes(), 777777 + 777781);
    start(0);
    CHECK_EQ(mtf_dep_call_release(), 2);
    stop();
    CHECK_EQ(calls[FREE], 2);
    CHECK_EQ(mtf_dep_call_live_bytes(), 0);
    unlink(copy);
    *strrchr(copy, '/') = 0;
    rmdir(copy);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s /abs/path/libmtfixture_dep.so\n", argv[0]);
        return 2;
    }
    dep_path = argv[1];
    void *warm[4];
    backtrace(warm, 4); /* loads libgcc_s now, not inside a hook */
    setvbuf(stdout, NULL, _IONBF, 0);
    refresh_ranges();

    struct { const char *name; void (*fn)(void); } tests[] = {
        {"leak_and_release", test_leak_and_release},
        {"malloc_family_variants", test_malloc_family_variants},
        {"realloc_chains", test_realloc_chains},
        {"mmap", test_mmap},
        {"peak_and_churn", test_peak_and_churn},
        {"storm_single_thread", test_storm_single_thread},
        {"storm_four_threads", test_storm_four_threads},
        {"native_thread_leak", test_native_thread_leak},
        {"dep_library", test_dep_library},
    };
    int n = (int)(sizeof tests / sizeof tests[0]), failed = 0;
    for (int i = 0; i < n; i++) {
        failures_in_test = 0;
        tests[i].fn();
        printf("%s %s\n", failures_in_test ? "FAIL" : "ok  ", tests[i].name);
        failed += failures_in_test != 0;
    }
    printf("fixture_test: %d passed, %d failed\n", n - failed, failed);
    return failed ? 1 : 0;
}
