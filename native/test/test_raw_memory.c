/* Unit tests for raw_memory: the tracker's own pages, and the guard that keeps a program's
 * munmap from taking them away. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mt_test.h"
#include "raw_memory.h"

/* The system's page size, as the tracker uses it: 4 KiB on x86-64, 4 or 64 KiB on aarch64. */
#define PAGE raw_page_size()

/* Whether [p, p+len) is mapped at all (reserved PROT_NONE pages count). mincore, and msync where
 * it fails: qemu-user's mincore refuses PROT_NONE pages, which the kernel's does not (and
 * valgrind reports an msync of them); both fail on unmapped pages. */
static int is_mapped(void *p, size_t len) {
    unsigned char vec[64];
    return (len <= sizeof vec * PAGE && mincore(p, len, vec) == 0) || msync(p, len, MS_ASYNC) == 0;
}

static int real_unmap(void *p, size_t len) { return (int)syscall(SYS_munmap, p, len); }

TEST(registered_while_held_forgotten_when_freed) {
    char *p = raw_alloc(3 * PAGE - 5);
    ASSERT_TRUE(p != NULL);
    CHECK_TRUE(raw_overlaps(p, 1));
    CHECK_TRUE(raw_overlaps(p + 3 * PAGE - 1, 1));
    CHECK_TRUE(raw_overlaps(p - PAGE, PAGE + 1));
    CHECK_TRUE(!raw_overlaps(p - PAGE, PAGE));
    CHECK_TRUE(!raw_overlaps(p + 3 * PAGE, PAGE));
    CHECK_TRUE(!raw_overlaps(p, 0));
    raw_free(p, 3 * PAGE - 5);
    CHECK_TRUE(!raw_overlaps(p, 3 * PAGE));
}

static struct {
    char *addr[8];
    size_t len[8];
    int n;
} unmapped;

static int recording_unmap(void *p, size_t len) {
    if (unmapped.n < 8) {
        unmapped.addr[unmapped.n] = p;
        unmapped.len[unmapped.n++] = len;
    }
    return 0;
}

/* The crash this guards against: the program maps 10 pages, unmaps the middle ones, the tracker
 * gets the hole, then the program unmaps all 10 pages again. What is unmapped is recorded, not
 * done: the pages around a raw_alloc'd range may belong to anybody in this process. */
TEST(a_munmap_across_tracker_memory_keeps_it_and_unmaps_the_rest) {
    char *held = raw_alloc(2 * PAGE);
    ASSERT_TRUE(held != NULL);
    held[0] = 7;
    unsigned long before = raw_refused_unmaps();
    unmapped.n = 0;

    char *program = held - 4 * PAGE;
    CHECK_TRUE(raw_overlaps(program, 10 * PAGE));
    CHECK_EQ(raw_unmap_around(program, 10 * PAGE, recording_unmap), 0);

    CHECK_EQ(raw_refused_unmaps(), before + 1);
    CHECK_EQ(unmapped.n, 2);
    CHECK_TRUE(unmapped.addr[0] == program && unmapped.len[0] == 4 * PAGE);
    CHECK_TRUE(unmapped.addr[1] == held + 2 * PAGE && unmapped.len[1] == 4 * PAGE);
    CHECK_TRUE(is_mapped(held, 2 * PAGE));
    CHECK_EQ(held[0], 7);

    /* a range that starts inside the tracker's memory and one with an unaligned end */
    unmapped.n = 0;
    CHECK_EQ(raw_unmap_around(held + PAGE, 3 * PAGE + 100, recording_unmap), 0);
    CHECK_EQ(unmapped.n, 1);
    CHECK_TRUE(unmapped.addr[0] == held + 2 * PAGE && unmapped.len[0] == 2 * PAGE + 100);
    raw_free(held, 2 * PAGE);
}

TEST(a_range_that_is_all_tracker_memory_is_left_alone) {
    char *held = raw_alloc(PAGE);
    ASSERT_TRUE(held != NULL);
    CHECK_EQ(raw_unmap_around(held, PAGE, real_unmap), 0);
    CHECK_TRUE(is_mapped(held, PAGE));
    raw_free(held, PAGE);
}

static void *alloc_free_loop(void *arg) {
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        void *p = raw_alloc(PAGE);
        if (!raw_overlaps(p, PAGE)) return (void *)1;
        raw_free(p, PAGE);
    }
    return NULL;
}

TEST(registry_is_consistent_under_concurrent_use) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) ASSERT_EQ(pthread_create(&t[i], NULL, alloc_free_loop, NULL), 0);
    int lost = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        lost += r != NULL;
    }
    CHECK_EQ(lost, 0);
    CHECK_EQ(raw_bytes_in_use(), 0);
}

/* LMDB's pattern (issue 11): a process-shared robust mutex in a file mapped MAP_SHARED (LMDB's
 * lock file, one page) is locked — a write transaction — and the mapping is unmapped while it is
 * held (the environment closed with the transaction open). glibc keeps the mutex on the thread's
 * robust list, so the thread's next robust lock writes into the unmapped page (the list's
 * back-link). Without memtrack the program's next lock file takes the hole again and that write
 * is harmless; the tracker's one-page tables, mapped in between, used to take the hole instead:
 * the write then corrupted tracker memory, and crashed once that page was unmapped again. The
 * tracker's pages must never land where the program's memory was. */
typedef struct {
    int raw_in_hole, remapped, raw_clean;
} lock_file_outcome;

static int all_zero(const char *p, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (p[i]) return 0;
    return 1;
}

static void lock_robust(pthread_mutex_t *m) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
    pthread_mutex_lock(m);
}

static void *close_lock_file_with_mutex_held(void *arg) {
    lock_file_outcome *out = arg;
    char path[] = "/tmp/memtrack-lock-file-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    unlink(path);
    if (ftruncate(fd, PAGE) != 0) return NULL;
    pthread_mutex_t *held = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (held == MAP_FAILED) return NULL;
    lock_robust(held);
    munmap(held, PAGE); /* still on this thread's robust list */

    /* the tracker's work in between: a scope's site table, a per-thread cache */
    char *raw[8];
    for (int i = 0; i < 8; i++) {
        raw[i] = raw_alloc(PAGE);
        if ((void *)raw[i] == (void *)held) out->raw_in_hole = 1;
    }
    /* the program's next lock file, where it lands without memtrack: in the hole */
    pthread_mutex_t *again = mmap(held, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    out->remapped = again == held;
    if (out->remapped || out->raw_in_hole) {
        /* a robust lock writes the stale entry's back-link: into the new lock file, or into a
         * tracker page that took the hole (never into nothing: that would crash this test) */
        pthread_mutex_t *next = out->remapped ? again : (pthread_mutex_t *)raw_alloc(PAGE);
        lock_robust(next);
        pthread_mutex_unlock(next);
        if (!out->remapped) raw_free(next, PAGE);
    }
    out->raw_clean = 1;
    for (int i = 0; i < 8; i++) {
        if (!all_zero(raw[i], PAGE)) out->raw_clean = 0;
        raw_free(raw[i], PAGE);
    }
    if (again != MAP_FAILED) munmap(again, PAGE);
    close(fd);
    return NULL;
}

TEST(a_hole_the_program_just_unmapped_is_never_taken_by_tracker_pages) {
    for (int round = 0; round < 4; round++) {
        lock_file_outcome out = {0, 0, 0};
        pthread_t t;
        ASSERT_EQ(pthread_create(&t, NULL, close_lock_file_with_mutex_held, &out), 0);
        pthread_join(t, NULL);
        CHECK_EQ(out.raw_in_hole, 0);
        CHECK_EQ(out.remapped, 1);
        CHECK_EQ(out.raw_clean, 1);
    }
}

TEST(tracker_pages_come_from_the_reserved_zone_and_are_reused) {
    char *a = raw_alloc(3 * PAGE);
    ASSERT_TRUE(a != NULL);
    CHECK_TRUE(raw_in_zone(a));
    a[3 * PAGE - 1] = 1;
    raw_free(a, 3 * PAGE);
    CHECK_TRUE(!raw_overlaps(a, 3 * PAGE));
    /* freed pages hold no memory but stay reserved: no hole for anybody else */
    CHECK_TRUE(is_mapped(a, 3 * PAGE));
    char *b = raw_alloc(2 * PAGE);
    CHECK_TRUE(raw_in_zone(b));
    CHECK_TRUE(all_zero(b, 2 * PAGE));
    raw_free(b, 2 * PAGE);
}

MT_TEST_MAIN(registered_while_held_forgotten_when_freed, a_munmap_across_tracker_memory_keeps_it_and_unmaps_the_rest,
             a_range_that_is_all_tracker_memory_is_left_alone, registry_is_consistent_under_concurrent_use,
             a_hole_the_program_just_unmapped_is_never_taken_by_tracker_pages,
             tracker_pages_come_from_the_reserved_zone_and_are_reused)
