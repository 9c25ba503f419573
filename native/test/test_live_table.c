/* Unit tests for live_table: the address -> allocation record map used by every hook. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "live_table.h"
#include "mt_test.h"
#include "raw_memory.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void shuffle(uint64_t *a, size_t n) {
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = rnd() % (i + 1);
        uint64_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* A payload derived from the address, so that a lookup can tell a right entry from a moved
 * or stale one. */
static live_entry entry_for(uint64_t addr) {
    live_entry e = {addr, addr * 7 + 1, (uint32_t)(addr >> 4) ^ 0x5a5a, (uint32_t)(addr >> 8) + 3};
    return e;
}

static int entry_matches(const live_entry *e, uint64_t addr) {
    live_entry want = entry_for(addr);
    return e->addr == want.addr && e->size == want.size && e->stack_id == want.stack_id &&
           e->scope_id == want.scope_id;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

TEST(insert_find_remove_replace) {
    live_table_reset();
    ASSERT_EQ(live_table_init(), 0);
    live_entry e = {0x7f0000001000, 1999993, 42, 7}, got, old;
    ASSERT_EQ(live_table_insert(&e, NULL), 0);
    ASSERT_EQ(live_table_count(), 1);
    ASSERT_EQ(live_table_find(e.addr, &got), 1);
    CHECK_EQ(got.size, 1999993);
    CHECK_EQ(got.stack_id, 42);
    CHECK_EQ(got.scope_id, 7);
    CHECK_EQ(live_table_find(e.addr + 16, &got), 0);

    live_entry e2 = {e.addr, 64, 43, 8};
    ASSERT_EQ(live_table_insert(&e2, &old), 1);
    CHECK_EQ(old.size, 1999993);
    CHECK_EQ(old.stack_id, 42);
    CHECK_EQ(live_table_count(), 1);
    ASSERT_EQ(live_table_find(e.addr, &got), 1);
    CHECK_EQ(got.size, 64);
    CHECK_EQ(live_table_insert(&e2, NULL), 1);

    CHECK_EQ(live_table_remove(e.addr + 16, &got), 0);
    ASSERT_EQ(live_table_remove(e.addr, &got), 1);
    CHECK_EQ(got.size, 64);
    CHECK_EQ(got.scope_id, 8);
    CHECK_EQ(live_table_count(), 0);
    CHECK_EQ(live_table_find(e.addr, NULL), 0);
    CHECK_EQ(live_table_remove(e.addr, NULL), 0);
}

TEST(address_zero_is_never_a_key) {
    live_table_reset();
    live_entry zero = {0, 8, 1, 1};
    CHECK_EQ(live_table_insert(&zero, NULL), -1);
    CHECK_EQ(live_table_count(), 0);
    /* free(NULL) reaches the table as a lookup of 0: it must not match an empty slot. */
    CHECK_EQ(live_table_find(0, NULL), 0);
    CHECK_EQ(live_table_remove(0, NULL), 0);
    live_entry e = entry_for(0x1000);
    live_table_insert(&e, NULL);
    CHECK_EQ(live_table_remove(0, NULL), 0);
    CHECK_EQ(live_table_count(), 1);
}

/* Addresses that all land in one stripe, so that probe sequences overlap heavily. */
static size_t same_stripe_keys(uint64_t *keys, size_t n, int stripe) {
    size_t k = 0;
    for (uint64_t a = 0x7f1200000000ull; k < n; a += 16)
        if (live_table_stripe_of(a) == stripe) keys[k++] = a;
    return k;
}

static int check_state(const uint64_t *keys, size_t n, const char *present) {
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        live_entry got;
        int found = live_table_find(keys[i], &got);
        if (found != present[i] || (found && !entry_matches(&got, keys[i]))) bad++;
    }
    return bad;
}

/* A stripe's first slot array is one system page: 170 slots with 4 KiB pages, 2730 with 64 KiB. */
static size_t first_page_slots(void) { return raw_page_size() / sizeof(live_entry); }

/* Backward-shift deletion must keep every remaining key reachable, whatever the order. One
 * stripe's first page grows at 0.8 of its slots: 130/170 of them (130 keys with 4 KiB pages) make
 * long clusters. With larger pages the rounds are fewer (each is (page/4 KiB)^2 times the work). */
TEST(removal_under_collisions_keeps_everything_findable) {
    size_t n = first_page_slots() * 130 / 170, scale = raw_page_size() / 4096;
    int rounds = 60 / (int)(scale * scale) > 2 ? 60 / (int)(scale * scale) : 2;
    uint64_t *keys = calloc(n, sizeof *keys), *order = calloc(n, sizeof *order);
    char *present = calloc(n, 1);
    ASSERT_TRUE(keys && order && present);
    ASSERT_EQ(same_stripe_keys(keys, n, 5), n);
    for (int round = 0; round < rounds; round++) {
        live_table_reset();
        for (size_t i = 0; i < n; i++) {
            live_entry e = entry_for(keys[i]);
            ASSERT_EQ(live_table_insert(&e, NULL), 0);
            present[i] = 1;
            order[i] = i;
        }
        ASSERT_EQ(live_table_memory(), raw_page_size()); /* still one page: no growth hid the collisions */
        shuffle(order, n);
        for (size_t r = 0; r < n; r++) {
            size_t i = order[r];
            live_entry got;
            ASSERT_EQ(live_table_remove(keys[i], &got), 1);
            CHECK_TRUE(entry_matches(&got, keys[i]));
            present[i] = 0;
            int bad = check_state(keys, n, present);
            if (bad) {
                CHECK_EQ(bad, 0);
                return;
            }
            /* Refill now and then so that removals also happen in half-empty tables. */
            if (r % 17 == 16 && r + 1 < n) {
                size_t back = order[rnd() % (r + 1)];
                live_entry e = entry_for(keys[back]);
                if (!present[back]) {
                    ASSERT_EQ(live_table_insert(&e, NULL), 0);
                    present[back] = 1;
                    ASSERT_EQ(live_table_remove(keys[back], NULL), 1);
                    present[back] = 0;
                }
            }
        }
        ASSERT_EQ(live_table_count(), 0);
    }
    free(keys);
    free(order);
    free(present);
}

/* The same across growth: one stripe receives thousands of keys (several rehashes: 3000 keys with
 * 4 KiB pages, as many times more as the page is larger), then loses them in random order while
 * the rest stays checked (60 times over the removals, and at the end). */
TEST(one_stripe_growth_and_random_removal) {
    size_t n = 3000 * (raw_page_size() / 4096), every = n / 60;
    uint64_t *keys = calloc(n, sizeof *keys);
    char *present = calloc(n, 1);
    ASSERT_TRUE(keys && present);
    ASSERT_EQ(same_stripe_keys(keys, n, 17), n);
    live_table_reset();
    size_t last_memory = 0;
    int growths = 0;
    for (size_t i = 0; i < n; i++) {
        live_entry e = entry_for(keys[i]);
        ASSERT_EQ(live_table_insert(&e, NULL), 0);
        present[i] = 1;
        if (live_table_memory() != last_memory) growths++, last_memory = live_table_memory();
    }
    CHECK_GE(growths, 6);
    CHECK_EQ(check_state(keys, n, present), 0);
    shuffle(keys, n);
    for (size_t i = 0; i < n; i++) {
        ASSERT_EQ(live_table_remove(keys[i], NULL), 1);
        present[i] = 0;
        if (i % every == 0 || i > n - 50) {
            int bad = check_state(keys, n, present);
            if (bad) {
                CHECK_EQ(bad, 0);
                return;
            }
        }
    }
    CHECK_EQ(live_table_count(), 0);
    free(keys);
    free(present);
}

TEST(growth_keeps_entries_and_reset_frees_memory) {
    enum { N = 200000 };
    live_table_reset();
    size_t base = raw_bytes_in_use();
    for (uint64_t i = 0; i < N; i++) {
        live_entry e = entry_for(0x555500000000ull + i * 16);
        ASSERT_EQ(live_table_insert(&e, NULL), 0);
    }
    CHECK_EQ(live_table_count(), N);
    CHECK_EQ(raw_bytes_in_use() - base, live_table_memory());
    size_t missing = 0;
    for (uint64_t i = 0; i < N; i++) {
        live_entry got;
        uint64_t a = 0x555500000000ull + i * 16;
        if (!live_table_find(a, &got) || !entry_matches(&got, a)) missing++;
    }
    CHECK_EQ(missing, 0);
    double per_entry = (double)live_table_memory() / N;
    CHECK_TRUE(per_entry <= 48.0);
    live_table_reset();
    CHECK_EQ(live_table_count(), 0);
    CHECK_EQ(live_table_memory(), 0);
    CHECK_EQ(raw_bytes_in_use(), base);
}

static int count_entries(const live_entry *e, void *arg) {
    (void)e;
    return ++*(int *)arg == 500;
}

static int sum_sizes(const live_entry *e, void *arg) {
    *(uint64_t *)arg += e->size;
    return 0;
}

TEST(foreach_visits_all_and_stops_early) {
    live_table_reset();
    uint64_t want = 0;
    for (uint64_t i = 1; i <= 1000; i++) {
        live_entry e = {i * 4096, i, 1, 1};
        live_table_insert(&e, NULL);
        want += i;
    }
    uint64_t sum = 0;
    live_table_foreach(sum_sizes, &sum);
    CHECK_EQ(sum, want);
    int seen = 0;
    live_table_foreach(count_entries, &seen);
    CHECK_EQ(seen, 500);
}

/* B5: table memory per live allocation with 1M allocations held, from malloc-like addresses. */
TEST(one_million_entries_memory_and_speed) {
    enum { N = 1000000, PAIRS = 2000000 };
    live_table_reset();
    size_t base = raw_bytes_in_use();
    static uint64_t addrs[N];
    uint64_t a = 0x7f4000000000ull;
    for (size_t i = 0; i < N; i++) {
        a += 16 * (1 + rnd() % 8);
        addrs[i] = a;
    }
    double t0 = now_ns();
    for (size_t i = 0; i < N; i++) {
        live_entry e = entry_for(addrs[i]);
        ASSERT_EQ(live_table_insert(&e, NULL), 0);
    }
    double t1 = now_ns();
    ASSERT_EQ(live_table_count(), N);
    size_t mem = live_table_memory();
    double per_entry = (double)mem / N;
    printf("  1M live entries: table %zu bytes = %.2f bytes/entry (raw_alloc total %.2f)\n", mem,
           per_entry, (double)(raw_bytes_in_use() - base) / N);
    CHECK_TRUE(per_entry <= 48.0);

    size_t missing = 0;
    for (size_t i = 0; i < N; i++)
        if (!live_table_find(addrs[i], NULL)) missing++;
    CHECK_EQ(missing, 0);

    /* Pairs on top of 1M live entries: each pair lands on a cold line of a ~40 MB table. */
    uint64_t b = a + 4096;
    double t2 = now_ns();
    for (size_t i = 0; i < PAIRS; i++) {
        live_entry e = {b + i * 48, 48, 1, 1};
        live_table_insert(&e, NULL);
        live_table_remove(e.addr, NULL);
    }
    double t3 = now_ns();
    CHECK_EQ(live_table_count(), N);
    printf("  inserts to 1M: %.1f ns each; insert+remove pair at 1M live: %.1f ns\n",
           (t1 - t0) / N, (t3 - t2) / PAIRS);

    live_table_reset();
    /* The hook's common case: a small, cache-resident live set, malloc/free in quick succession. */
    for (uint64_t i = 0; i < 1000; i++) {
        live_entry e = entry_for(0x600000000000ull + i * 64);
        live_table_insert(&e, NULL);
    }
    double t4 = now_ns();
    for (size_t i = 0; i < PAIRS; i++) {
        live_entry e = {b + (i & 255) * 48, 48, 1, 1};
        live_table_insert(&e, NULL);
        live_table_remove(e.addr, NULL);
    }
    double t5 = now_ns();
    printf("  insert+remove pair, 1K live (cache-resident): %.1f ns\n", (t5 - t4) / PAIRS);
    CHECK_EQ(live_table_count(), 1000);
    live_table_reset();
}

/* Four threads insert and remove at once, each in its own address range; every 10th address
 * is kept. Stripes are shared, so this exercises the stripe locks, concurrent growth and the
 * relaxed count. */
enum { STORM_THREADS = 4, STORM_ROUNDS = 3000, STORM_BATCH = 100 };

static void *storm(void *arg) {
    uint64_t t = (uint64_t)(uintptr_t)arg;
    uint64_t base = 0x100000000000ull * (t + 1);
    long errors = 0;
    for (uint64_t r = 0; r < STORM_ROUNDS; r++) {
        for (uint64_t k = 0; k < STORM_BATCH; k++) {
            live_entry e = entry_for(base + (r * STORM_BATCH + k) * 32);
            if (live_table_insert(&e, NULL) != 0) errors++;
        }
        for (uint64_t k = 0; k < STORM_BATCH; k++) {
            if (k % 10 == 0) continue;
            uint64_t a = base + (r * STORM_BATCH + k) * 32;
            live_entry got;
            if (live_table_remove(a, &got) != 1 || !entry_matches(&got, a)) errors++;
        }
    }
    return (void *)errors;
}

TEST(concurrent_insert_remove_storm) {
    live_table_reset();
    pthread_t th[STORM_THREADS];
    for (uintptr_t t = 0; t < STORM_THREADS; t++) pthread_create(&th[t], NULL, storm, (void *)t);
    long errors = 0;
    for (int t = 0; t < STORM_THREADS; t++) {
        void *r;
        pthread_join(th[t], &r);
        errors += (long)r;
    }
    CHECK_EQ(errors, 0);
    CHECK_EQ(live_table_count(), STORM_THREADS * STORM_ROUNDS * (STORM_BATCH / 10));
    size_t missing = 0;
    for (uint64_t t = 0; t < STORM_THREADS; t++)
        for (uint64_t i = 0; i < STORM_ROUNDS * STORM_BATCH; i += 10) {
            uint64_t a = 0x100000000000ull * (t + 1) + i * 32;
            live_entry got;
            if (!live_table_find(a, &got) || !entry_matches(&got, a)) missing++;
        }
    CHECK_EQ(missing, 0);
    live_table_reset();
}

MT_TEST_MAIN(insert_find_remove_replace, address_zero_is_never_a_key,
             removal_under_collisions_keeps_everything_findable,
             one_stripe_growth_and_random_removal,
             growth_keeps_entries_and_reset_frees_memory, foreach_visits_all_and_stops_early,
             one_million_entries_memory_and_speed, concurrent_insert_remove_storm)
