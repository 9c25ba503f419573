/* Unit tests for stack_table: frame sequences -> dense ids. The table is process-global and
 * cannot be reset, so tests use distinct frame values and compare counts relatively. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "mt_test.h"
#include "stack_table.h"

/* A stack that encodes `key` in every frame, so that any stack read back can be checked. */
static int make_stack(stack_frame *f, uint64_t key, int n) {
    for (int i = 0; i < n; i++) {
        f[i].pc = 0x400000 + key * 0x1000 + (uint64_t)i * 8;
        f[i].bci = (int32_t)(key % 97) - 3;
        f[i].kind = (int32_t)((key + (uint64_t)i) % 3);
    }
    return n;
}

static int frames_equal(const stack_frame *a, const stack_frame *b, int n) {
    for (int i = 0; i < n; i++)
        if (a[i].pc != b[i].pc || a[i].bci != b[i].bci || a[i].kind != b[i].kind) return 0;
    return 1;
}

TEST(same_frames_same_id_different_frames_different_id) {
    stack_frame a[5], b[5];
    make_stack(a, 1, 5);
    make_stack(b, 1, 5);
    uint32_t before = stack_table_count();
    uint32_t id = stack_table_intern(a, 5, 2);
    ASSERT_NE(id, 0);
    CHECK_EQ(stack_table_intern(b, 5, 2), id);
    CHECK_EQ(stack_table_count(), before + 1);

    const stack_frame *got;
    int n;
    uint32_t origin;
    ASSERT_EQ(stack_table_get(id, &got, &n, &origin), 0);
    CHECK_EQ(n, 5);
    CHECK_EQ(origin, 2);
    CHECK_TRUE(frames_equal(got, a, 5));
    CHECK_TRUE(got != a); /* a copy, not the caller's buffer */

    /* Every field of every frame is part of the key, and so is the length. */
    b[4].pc++;
    uint32_t id_pc = stack_table_intern(b, 5, 2);
    b[4].pc--;
    b[2].bci++;
    uint32_t id_bci = stack_table_intern(b, 5, 2);
    b[2].bci--;
    b[0].kind = (b[0].kind + 1) % 3;
    uint32_t id_kind = stack_table_intern(b, 5, 2);
    uint32_t id_short = stack_table_intern(a, 4, 2);
    CHECK_NE(id_pc, id);
    CHECK_NE(id_bci, id);
    CHECK_NE(id_kind, id);
    CHECK_NE(id_short, id);
    CHECK_NE(id_pc, id_bci);
    CHECK_NE(id_bci, id_kind);
    CHECK_NE(id_short, id_pc);
    CHECK_EQ(stack_table_count(), before + 5);
}

TEST(origin_of_first_interning_wins) {
    stack_frame f[3];
    make_stack(f, 2, 3);
    uint32_t id = stack_table_intern(f, 3, 1);
    CHECK_EQ(stack_table_intern(f, 3, 2), id);
    uint32_t origin = 99;
    ASSERT_EQ(stack_table_get(id, NULL, NULL, &origin), 0);
    CHECK_EQ(origin, 1);
}

TEST(empty_stack) {
    uint32_t id = stack_table_intern(NULL, 0, 0);
    ASSERT_NE(id, 0);
    stack_frame dummy;
    CHECK_EQ(stack_table_intern(&dummy, 0, 0), id);
    CHECK_EQ(stack_table_intern(NULL, -1, 0), id);
    int n = -1;
    ASSERT_EQ(stack_table_get(id, NULL, &n, NULL), 0);
    CHECK_EQ(n, 0);
}

TEST(truncation_at_max_frames) {
    stack_frame f[STACK_MAX_FRAMES + 50];
    make_stack(f, 3, STACK_MAX_FRAMES + 50);
    uint32_t id_long = stack_table_intern(f, STACK_MAX_FRAMES + 50, 0);
    uint32_t id_max = stack_table_intern(f, STACK_MAX_FRAMES, 0);
    ASSERT_NE(id_long, 0);
    CHECK_EQ(id_long, id_max);
    f[STACK_MAX_FRAMES + 10].pc = 1; /* beyond the limit: ignored */
    CHECK_EQ(stack_table_intern(f, STACK_MAX_FRAMES + 50, 0), id_long);
    const stack_frame *got;
    int n;
    ASSERT_EQ(stack_table_get(id_long, &got, &n, NULL), 0);
    CHECK_EQ(n, STACK_MAX_FRAMES);
    CHECK_TRUE(frames_equal(got, f, STACK_MAX_FRAMES));
    CHECK_NE(stack_table_intern(f, STACK_MAX_FRAMES - 1, 0), id_long);
}

TEST(unknown_ids) {
    CHECK_EQ(stack_table_get(0, NULL, NULL, NULL), -1);
    CHECK_EQ(stack_table_get(stack_table_count() + 1, NULL, NULL, NULL), -1);
    CHECK_EQ(stack_table_get(UINT32_MAX, NULL, NULL, NULL), -1);
}

/* Enough stacks to grow the index several times and fill several arenas; ids stay dense. */
TEST(many_stacks_dense_ids_and_growth) {
    enum { N = 20000 };
    static uint32_t ids[N];
    stack_frame f[40];
    uint32_t before = stack_table_count();
    uint64_t memory_before = stack_table_memory();
    for (int i = 0; i < N; i++) {
        ids[i] = stack_table_intern(f, make_stack(f, 1000 + (uint64_t)i, 1 + i % 40), 0);
        ASSERT_EQ(ids[i], before + 1 + (uint32_t)i);
    }
    CHECK_EQ(stack_table_count(), before + N);
    int wrong = 0;
    for (int i = 0; i < N; i++) {
        int n = make_stack(f, 1000 + (uint64_t)i, 1 + i % 40);
        const stack_frame *got;
        int got_n;
        if (stack_table_intern(f, n, 0) != ids[i]) wrong++;
        if (stack_table_get(ids[i], &got, &got_n, NULL) != 0 || got_n != n ||
            !frames_equal(got, f, n))
            wrong++;
    }
    CHECK_EQ(wrong, 0);
    uint64_t grown = stack_table_memory() - memory_before;
    printf("  %d stacks of 1-40 frames: %llu bytes of table memory\n", N,
           (unsigned long long)grown);
    CHECK_GE(grown, (uint64_t)N * 16 * 20);
}

/* Informational: a hit (the common case once a call path has been seen) is lock-free. */
TEST(speed_of_a_hit) {
    enum { N = 1000000, FRAMES = 20 };
    stack_frame f[FRAMES];
    make_stack(f, 777777, FRAMES);
    uint32_t id = stack_table_intern(f, FRAMES, 0);
    uint32_t wrong = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < N; i++) wrong += stack_table_intern(f, FRAMES, 0) != id;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    printf("  intern of a known %d-frame stack: %.1f ns\n", FRAMES, ns / N);
    CHECK_EQ(wrong, 0);
}

/* Four threads intern overlapping key ranges in different orders while a fifth reads ids
 * lock-free; every key must end with one id, every id must read back its own frames. */
enum { INTERN_THREADS = 4, KEYS = 6000, PER_THREAD = 3000 };
static const uint64_t KEY_BASE = 500000;
static uint32_t seen_ids[INTERN_THREADS][KEYS];
static atomic_int interners_done, started;
static atomic_long reader_reads;

static int stack_len(uint64_t key) { return 1 + (int)(key % 24); }

static void *intern_range(void *arg) {
    int t = (int)(uintptr_t)arg;
    stack_frame f[32];
    atomic_fetch_add(&started, 1);
    while (atomic_load(&started) < INTERN_THREADS + 1) sched_yield();
    for (int pass = 0; pass < 3; pass++)
        for (int j = 0; j < PER_THREAD; j++) {
            /* Halfway through the first pass, let the reader catch up, so that its reads
             * overlap interning even on a loaded 2-core machine. */
            if (pass == 0 && j == PER_THREAD / 2)
                while (atomic_load(&reader_reads) < 100) sched_yield();
            int k = (t * 1000 + (t % 2 ? PER_THREAD - 1 - j : j)) % KEYS;
            uint64_t key = KEY_BASE + (uint64_t)k;
            uint32_t id = stack_table_intern(f, make_stack(f, key, stack_len(key)), (uint32_t)t);
            if (pass == 0) seen_ids[t][k] = id;
            else if (seen_ids[t][k] != id) seen_ids[t][k] = UINT32_MAX;
        }
    atomic_fetch_add(&interners_done, 1);
    return NULL;
}

static void *read_while_interning(void *arg) {
    uint32_t first = (uint32_t)(uintptr_t)arg;
    long bad = 0, reads = 0;
    uint64_t x = 12345;
    atomic_fetch_add(&started, 1);
    while (atomic_load(&interners_done) < INTERN_THREADS) {
        uint32_t count = stack_table_count();
        if (count <= first) continue;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t id = first + 1 + (uint32_t)(x % (count - first));
        const stack_frame *got;
        int n;
        if (stack_table_get(id, &got, &n, NULL) != 0) { bad++; continue; }
        uint64_t key = (got[0].pc - 0x400000) / 0x1000;
        stack_frame want[32];
        if (n != stack_len(key) || !frames_equal(got, want, make_stack(want, key, n))) bad++;
        reads++;
        atomic_store(&reader_reads, reads);
    }
    return (void *)bad;
}

TEST(concurrent_interning_is_consistent) {
    uint32_t before = stack_table_count();
    pthread_t th[INTERN_THREADS], reader;
    pthread_create(&reader, NULL, read_while_interning, (void *)(uintptr_t)before);
    for (uintptr_t t = 0; t < INTERN_THREADS; t++)
        pthread_create(&th[t], NULL, intern_range, (void *)t);
    for (int t = 0; t < INTERN_THREADS; t++) pthread_join(th[t], NULL);
    void *reader_bad;
    pthread_join(reader, &reader_bad);
    CHECK_EQ((long)reader_bad, 0);
    printf("  %ld lock-free reads during interning\n", atomic_load(&reader_reads));
    CHECK_GE(atomic_load(&reader_reads), 100);

    /* Keys covered: thread t covers [t*1000, t*1000 + 3000) mod 6000: all 6000 keys. */
    static uint32_t id_of[KEYS];
    int mismatches = 0;
    for (int k = 0; k < KEYS; k++)
        for (int t = 0; t < INTERN_THREADS; t++) {
            uint32_t id = seen_ids[t][k];
            if (!id) continue;
            if (id == UINT32_MAX || (id_of[k] && id_of[k] != id)) mismatches++;
            id_of[k] = id;
        }
    CHECK_EQ(mismatches, 0);
    CHECK_EQ(stack_table_count(), before + KEYS);
    /* Distinct keys, distinct ids, all in the new range. */
    static char used[KEYS + 1];
    int dup = 0, uncovered = 0;
    for (int k = 0; k < KEYS; k++) {
        if (!id_of[k]) { uncovered++; continue; }
        uint32_t rel = id_of[k] - before;
        if (rel < 1 || rel > KEYS || used[rel]++) dup++;
    }
    CHECK_EQ(uncovered, 0);
    CHECK_EQ(dup, 0);
}

MT_TEST_MAIN(same_frames_same_id_different_frames_different_id, origin_of_first_interning_wins,
             empty_stack, truncation_at_max_frames, unknown_ids, many_stacks_dense_ids_and_growth,
             speed_of_a_hit, concurrent_interning_is_consistent)
