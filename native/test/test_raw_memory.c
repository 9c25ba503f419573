/* Unit tests for raw_memory: the tracker's own pages, and the guard that keeps a program's
 * munmap from taking them away. */
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mt_test.h"
#include "raw_memory.h"

#define PAGE 4096

static int is_mapped(void *p, size_t len) {
    unsigned char vec[64];
    return mincore(p, len, vec) == 0;
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

MT_TEST_MAIN(registered_while_held_forgotten_when_freed, a_munmap_across_tracker_memory_keeps_it_and_unmaps_the_rest,
             a_range_that_is_all_tracker_memory_is_left_alone, registry_is_consistent_under_concurrent_use)
