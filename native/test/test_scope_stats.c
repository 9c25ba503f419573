/* Unit tests for scope_stats: totals, per-stack sites and the O(1) exact peak attribution. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "mt_test.h"
#include "raw_memory.h"
#include "scope_stats.h"

#define MIB (1024ull * 1024)

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* The figures of one site, or all zero when the scope has no such site. */
static site_figures site_of(scope_stats *s, uint64_t owner, uint32_t stack_id) {
    static site_figures all[4096];
    site_figures none = {stack_id, 0, 0, 0, 0, 0, 0};
    int n = scope_stats_sites(s, owner, all, 4096);
    for (int i = 0; i < n && i < 4096; i++)
        if (all[i].stack_id == stack_id) return all[i];
    return none;
}

static scope_totals totals_of(scope_stats *s, uint64_t owner) {
    scope_totals t = {0};
    scope_stats_totals(s, owner, &t);
    return t;
}

TEST(peak_is_kept_after_the_memory_is_gone) {
    static scope_stats s;
    ASSERT_EQ(scope_stats_claim(&s, 1), 0);
    enum { A = 11, B = 12 };
    scope_stats_on_alloc(&s, 1, A, 8 * MIB);
    scope_stats_on_free(&s, 1, A, 8 * MIB, 1);
    scope_stats_on_alloc(&s, 1, B, 1 * MIB);
    scope_totals t = totals_of(&s, 1);
    CHECK_EQ(t.peak_bytes, 8 * MIB);
    CHECK_EQ(t.live_bytes, 1 * MIB);
    CHECK_EQ(t.live_count, 1);
    CHECK_EQ(t.allocated_bytes, 9 * MIB);
    CHECK_EQ(t.allocated_count, 2);
    CHECK_EQ(t.freed_bytes, 8 * MIB);
    CHECK_EQ(t.freed_count, 1);
    site_figures a = site_of(&s, 1, A), b = site_of(&s, 1, B);
    CHECK_EQ(a.peak_bytes, 8 * MIB);
    CHECK_EQ(a.peak_count, 1);
    CHECK_EQ(a.live_bytes, 0);
    CHECK_EQ(a.allocated_bytes, 8 * MIB);
    CHECK_EQ(b.peak_bytes, 0);
    CHECK_EQ(b.peak_count, 0);
    CHECK_EQ(b.live_bytes, 1 * MIB);
    scope_stats_release(&s, 1);
}

/* Reaching the same high-water mark again later does not change who held it. */
TEST(a_tie_keeps_the_first_peak) {
    static scope_stats s;
    ASSERT_EQ(scope_stats_claim(&s, 2), 0);
    scope_stats_on_alloc(&s, 2, 1, 4096);
    scope_stats_on_free(&s, 2, 1, 4096, 1);
    scope_stats_on_alloc(&s, 2, 2, 4096);
    CHECK_EQ(totals_of(&s, 2).peak_bytes, 4096);
    CHECK_EQ(site_of(&s, 2, 1).peak_bytes, 4096);
    CHECK_EQ(site_of(&s, 2, 2).peak_bytes, 0);
    scope_stats_release(&s, 2);
}

/* Scripted: the peak moves four times and its composition changes each time. */
TEST(peak_moves_several_times) {
    static scope_stats s;
    ASSERT_EQ(scope_stats_claim(&s, 5), 0);
    enum { A = 1, B = 2, C = 3 };
    /* peak 1: A 3 MiB */
    scope_stats_on_alloc(&s, 5, A, 3 * MIB);
    CHECK_EQ(site_of(&s, 5, A).peak_bytes, 3 * MIB);
    /* B 2 MiB on top: peak 2 = A 3 + B 2 */
    scope_stats_on_alloc(&s, 5, B, 2 * MIB);
    CHECK_EQ(totals_of(&s, 5).peak_bytes, 5 * MIB);
    CHECK_EQ(site_of(&s, 5, A).peak_bytes, 3 * MIB);
    CHECK_EQ(site_of(&s, 5, B).peak_bytes, 2 * MIB);
    /* A freed, C 4 MiB: live 6 -> peak 3 = B 2 + C 4, A 0 */
    scope_stats_on_free(&s, 5, A, 3 * MIB, 1);
    CHECK_EQ(site_of(&s, 5, A).peak_bytes, 3 * MIB); /* not a new peak yet */
    scope_stats_on_alloc(&s, 5, C, 4 * MIB);
    CHECK_EQ(totals_of(&s, 5).peak_bytes, 6 * MIB);
    CHECK_EQ(site_of(&s, 5, A).peak_bytes, 0);
    CHECK_EQ(site_of(&s, 5, B).peak_bytes, 2 * MIB);
    CHECK_EQ(site_of(&s, 5, C).peak_bytes, 4 * MIB);
    /* Below the peak: B freed, A 1 MiB (live 5): peak stays 6 with its old composition */
    scope_stats_on_free(&s, 5, B, 2 * MIB, 1);
    scope_stats_on_alloc(&s, 5, A, 1 * MIB);
    CHECK_EQ(totals_of(&s, 5).peak_bytes, 6 * MIB);
    CHECK_EQ(site_of(&s, 5, A).peak_bytes, 0);
    CHECK_EQ(site_of(&s, 5, B).peak_bytes, 2 * MIB);
    CHECK_EQ(site_of(&s, 5, C).peak_bytes, 4 * MIB);
    CHECK_EQ(site_of(&s, 5, A).live_bytes, 1 * MIB);
    /* A 2 MiB more: live 7 -> peak 4 = A 3 + C 4, B 0 (B was never touched after its free) */
    scope_stats_on_alloc(&s, 5, A, 2 * MIB);
    CHECK_EQ(totals_of(&s, 5).peak_bytes, 7 * MIB);
    CHECK_EQ(site_of(&s, 5, A).peak_bytes, 3 * MIB);
    CHECK_EQ(site_of(&s, 5, A).peak_count, 2);
    CHECK_EQ(site_of(&s, 5, B).peak_bytes, 0);
    CHECK_EQ(site_of(&s, 5, C).peak_bytes, 4 * MIB);
    /* Everything freed: figures at the peak unchanged */
    scope_stats_on_free(&s, 5, A, 1 * MIB, 1);
    scope_stats_on_free(&s, 5, A, 2 * MIB, 1);
    scope_stats_on_free(&s, 5, C, 4 * MIB, 1);
    scope_totals t = totals_of(&s, 5);
    CHECK_EQ(t.live_bytes, 0);
    CHECK_EQ(t.live_count, 0);
    CHECK_EQ(t.peak_bytes, 7 * MIB);
    CHECK_EQ(site_of(&s, 5, A).peak_bytes + site_of(&s, 5, B).peak_bytes +
                 site_of(&s, 5, C).peak_bytes, 7 * MIB);
    scope_stats_release(&s, 5);
}

TEST(partial_free_lowers_bytes_only) {
    static scope_stats s;
    ASSERT_EQ(scope_stats_claim(&s, 3), 0);
    scope_stats_on_alloc(&s, 3, 9, 1999993);
    ASSERT_EQ(scope_stats_on_free(&s, 3, 9, 4096, 0), 0);
    scope_totals t = totals_of(&s, 3);
    CHECK_EQ(t.live_bytes, 1999993 - 4096);
    CHECK_EQ(t.live_count, 1);
    CHECK_EQ(t.freed_bytes, 4096);
    CHECK_EQ(t.freed_count, 0);
    CHECK_EQ(t.peak_bytes, 1999993);
    site_figures f = site_of(&s, 3, 9);
    CHECK_EQ(f.live_bytes, 1999993 - 4096);
    CHECK_EQ(f.live_count, 1);
    CHECK_EQ(f.peak_bytes, 1999993);
    scope_stats_on_free(&s, 3, 9, 1999993 - 4096, 1);
    t = totals_of(&s, 3);
    CHECK_EQ(t.live_bytes, 0);
    CHECK_EQ(t.live_count, 0);
    CHECK_EQ(t.freed_bytes, 1999993);
    CHECK_EQ(t.freed_count, 1);
    scope_stats_release(&s, 3);
}

TEST(owner_mismatch_is_refused_and_changes_nothing) {
    static scope_stats s;
    CHECK_EQ(scope_stats_claim(&s, 0), -1);
    CHECK_EQ(scope_stats_on_alloc(&s, 0, 1, 10), -1); /* unclaimed */
    ASSERT_EQ(scope_stats_claim(&s, 7), 0);
    scope_stats_on_alloc(&s, 7, 1, 100);
    scope_totals before = totals_of(&s, 7), out;
    site_figures sites[4];
    CHECK_EQ(scope_stats_on_alloc(&s, 8, 1, 10), -1);
    CHECK_EQ(scope_stats_on_alloc(&s, 0, 2, 10), -1);
    CHECK_EQ(scope_stats_on_free(&s, 8, 1, 100, 1), -1);
    CHECK_EQ(scope_stats_totals(&s, 8, &out), -1);
    CHECK_EQ(scope_stats_sites(&s, 8, sites, 4), -1);
    CHECK_EQ(scope_stats_claim(&s, 8), -1);
    scope_stats_release(&s, 8); /* ignored */
    scope_totals after = totals_of(&s, 7);
    CHECK_EQ(memcmp(&before, &after, sizeof before), 0);
    CHECK_EQ(scope_stats_sites(&s, 7, sites, 4), 1);
    CHECK_EQ(sites[0].allocated_bytes, 100);
    CHECK_EQ(s.owner, 7);
    scope_stats_release(&s, 7);
}

TEST(claim_release_claim_reuse) {
    static scope_stats s;
    size_t base = raw_bytes_in_use();
    ASSERT_EQ(scope_stats_claim(&s, 21), 0);
    for (uint32_t id = 1; id <= 300; id++) scope_stats_on_alloc(&s, 21, id, id); /* grows sites */
    CHECK_TRUE(raw_bytes_in_use() > base);
    scope_stats_release(&s, 21);
    CHECK_EQ(s.owner, 0);
    CHECK_EQ(raw_bytes_in_use(), base);
    /* A late free from the old owner after the release is refused. */
    CHECK_EQ(scope_stats_on_free(&s, 21, 5, 5, 1), -1);

    ASSERT_EQ(scope_stats_claim(&s, 22), 0);
    scope_totals t = totals_of(&s, 22);
    CHECK_EQ(t.allocated_count, 0);
    CHECK_EQ(t.peak_bytes, 0);
    CHECK_EQ(scope_stats_sites(&s, 22, NULL, 0), 0);
    CHECK_EQ(scope_stats_on_alloc(&s, 21, 1, 1), -1);
    CHECK_EQ(scope_stats_on_alloc(&s, 22, 1, 64), 0);
    CHECK_EQ(totals_of(&s, 22).peak_bytes, 64);
    CHECK_EQ(site_of(&s, 22, 1).peak_bytes, 64);
    CHECK_EQ(site_of(&s, 22, 2).allocated_count, 0);
    scope_stats_release(&s, 22);
    CHECK_EQ(raw_bytes_in_use(), base);
}

/* More sites than `max`: the smallest ids, sorted, and the total count. */
TEST(sites_are_sorted_and_bounded) {
    static scope_stats s;
    enum { N = 1000 };
    ASSERT_EQ(scope_stats_claim(&s, 4), 0);
    uint32_t ids[N];
    for (uint32_t i = 0; i < N; i++) ids[i] = 3 * i + 2;
    for (int i = N - 1; i > 0; i--) {
        int j = (int)(rnd() % (uint64_t)(i + 1));
        uint32_t t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
    for (int i = 0; i < N; i++) scope_stats_on_alloc(&s, 4, ids[i], ids[i] * 10ull);
    static site_figures out[N];
    CHECK_EQ(scope_stats_sites(&s, 4, out, N), N);
    int wrong = 0;
    for (uint32_t i = 0; i < N; i++)
        if (out[i].stack_id != 3 * i + 2 || out[i].allocated_bytes != out[i].stack_id * 10ull)
            wrong++;
    CHECK_EQ(wrong, 0);
    CHECK_EQ(scope_stats_sites(&s, 4, out, 10), N);
    for (uint32_t i = 0; i < 10; i++) CHECK_EQ(out[i].stack_id, 3 * i + 2);
    CHECK_EQ(scope_stats_sites(&s, 4, out, 1), N);
    CHECK_EQ(out[0].stack_id, 2);
    scope_stats_release(&s, 4);
}

/*
 * 100k random events against a brute-force model that snapshots every site at each new peak.
 * After every event: totals equal, each site's figures (live, allocated, at peak) equal, and
 * the sum of the sites' figures at the peak equals the peak.
 */
enum { STACKS = 40, EVENTS = 100000, MAX_LIVE = 600 };
typedef struct { uint32_t stack; uint64_t bytes; } model_alloc;
typedef struct {
    uint64_t live_bytes, live_count, allocated_bytes, allocated_count;
    uint64_t peak_bytes, peak_count;
} model_site;

TEST(random_events_match_brute_force_model) {
    static scope_stats s;
    static model_alloc live[MAX_LIVE];
    static model_site site[STACKS + 1];
    static site_figures got[STACKS + 1];
    int nlive = 0, peaks = 0;
    scope_totals want = {0};
    ASSERT_EQ(scope_stats_claim(&s, 99), 0);
    for (int ev = 0; ev < EVENTS; ev++) {
        uint64_t r = rnd();
        /* Drift between allocation- and free-heavy phases so the peak is revisited. */
        int alloc_bias = (ev / 5000) % 2 ? 40 : 60;
        if (nlive == 0 || (nlive < MAX_LIVE && (int)(r % 100) < alloc_bias)) {
            uint32_t stack = 1 + (uint32_t)((r >> 8) % STACKS);
            uint64_t bytes = 1 + (r >> 20) % (1 + ((r >> 40) % 4 ? 4096 : MIB));
            live[nlive++] = (model_alloc){stack, bytes};
            ASSERT_EQ(scope_stats_on_alloc(&s, 99, stack, bytes), 0);
            model_site *m = &site[stack];
            m->live_bytes += bytes, m->live_count++;
            m->allocated_bytes += bytes, m->allocated_count++;
            want.allocated_bytes += bytes, want.allocated_count++;
            want.live_bytes += bytes, want.live_count++;
            if (want.live_bytes > want.interval_peak_bytes) want.interval_peak_bytes = want.live_bytes;
            if (want.live_bytes > want.peak_bytes) {
                want.peak_bytes = want.live_bytes;
                want.combined_peak_bytes = want.live_bytes; /* no other domain: the combined peak is the peak */
                peaks++;
                for (int k = 1; k <= STACKS; k++)
                    site[k].peak_bytes = site[k].live_bytes,
                    site[k].peak_count = site[k].live_count;
            }
        } else {
            int i = (int)((r >> 8) % (uint64_t)nlive);
            model_alloc *a = &live[i];
            model_site *m = &site[a->stack];
            int whole = a->bytes < 2 || (r >> 50) % 8 != 0;
            uint64_t bytes = whole ? a->bytes : 1 + (r >> 20) % (a->bytes - 1);
            ASSERT_EQ(scope_stats_on_free(&s, 99, a->stack, bytes, whole), 0);
            m->live_bytes -= bytes;
            want.live_bytes -= bytes;
            want.freed_bytes += bytes;
            if (whole) {
                m->live_count--, want.live_count--, want.freed_count++;
                live[i] = live[--nlive];
            } else {
                a->bytes -= bytes;
            }
        }

        if (ev % 97 == 0) { /* the timeline's poll: the highest total since the previous one */
            uint64_t taken = 0;
            ASSERT_EQ(scope_stats_take_interval_peak(&s, 99, &taken), 0);
            CHECK_EQ(taken, want.interval_peak_bytes);
            want.interval_peak_bytes = want.live_bytes;
        }
        scope_totals t = totals_of(&s, 99);
        if (memcmp(&t, &want, sizeof t) != 0) {
            CHECK_EQ(t.live_bytes, want.live_bytes);
            CHECK_EQ(t.peak_bytes, want.peak_bytes);
            CHECK_EQ(t.freed_bytes, want.freed_bytes);
            ASSERT_EQ(ev, -1);
        }
        int n = scope_stats_sites(&s, 99, got, STACKS + 1);
        uint64_t sum_peak = 0;
        int bad = 0;
        for (int k = 0; k < n; k++) {
            const model_site *m = &site[got[k].stack_id];
            sum_peak += got[k].peak_bytes;
            bad += got[k].live_bytes != m->live_bytes || got[k].live_count != m->live_count ||
                   got[k].allocated_bytes != m->allocated_bytes ||
                   got[k].allocated_count != m->allocated_count ||
                   got[k].peak_bytes != m->peak_bytes || got[k].peak_count != m->peak_count;
        }
        if (bad || sum_peak != t.peak_bytes) {
            CHECK_EQ(bad, 0);
            CHECK_EQ(sum_peak, t.peak_bytes);
            ASSERT_EQ(ev, -1);
        }
    }
    printf("  %d events, the peak moved %d times, final peak %llu bytes\n", EVENTS, peaks,
           (unsigned long long)want.peak_bytes);
    CHECK_GE(peaks, 100);
    scope_stats_release(&s, 99);
}

/* Informational: the cost the hooks pay per event on an existing site. */
TEST(speed_of_events_on_existing_sites) {
    static scope_stats s;
    enum { PAIRS = 2000000 };
    ASSERT_EQ(scope_stats_claim(&s, 77), 0);
    for (uint32_t id = 1; id <= 64; id++) scope_stats_on_alloc(&s, 77, id, 100);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint32_t i = 0; i < PAIRS; i++) {
        uint32_t id = 1 + (i & 63);
        scope_stats_on_alloc(&s, 77, id, 48);
        scope_stats_on_free(&s, 77, id, 48, 1);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    printf("  on_alloc+on_free pair on an existing site: %.1f ns\n", ns / PAIRS);
    CHECK_EQ(totals_of(&s, 77).live_bytes, 6400);
    scope_stats_release(&s, 77);
}

/* Four threads allocate and free on one scope at once, every free matching an allocation of
 * the same thread; the end state is exact. */
enum { STORM_THREADS = 4, STORM_ITERS = 200000, STORM_OWNER = 1234 };
static scope_stats storm_stats;

static void *storm(void *arg) {
    uint32_t t = (uint32_t)(uintptr_t)arg;
    long refused = 0;
    uint64_t held[8];
    for (uint64_t i = 0; i < STORM_ITERS; i++) {
        uint32_t stack = 1 + (uint32_t)((i + t) % 50); /* sites shared between threads */
        uint64_t bytes = 16 + (i % 8) * 16 + t;
        held[i % 8] = bytes;
        refused += scope_stats_on_alloc(&storm_stats, STORM_OWNER, stack, bytes) != 0;
        if (i % 8 == 7)
            for (uint64_t k = i - 7; k <= i; k++)
                refused += scope_stats_on_free(&storm_stats, STORM_OWNER,
                                               1 + (uint32_t)((k + t) % 50), held[k % 8], 1) != 0;
    }
    return (void *)refused;
}

TEST(concurrent_alloc_free_storm_is_exact) {
    ASSERT_EQ(scope_stats_claim(&storm_stats, STORM_OWNER), 0);
    pthread_t th[STORM_THREADS];
    for (uintptr_t t = 0; t < STORM_THREADS; t++) pthread_create(&th[t], NULL, storm, (void *)t);
    long refused = 0;
    for (int t = 0; t < STORM_THREADS; t++) {
        void *r;
        pthread_join(th[t], &r);
        refused += (long)r;
    }
    CHECK_EQ(refused, 0);
    uint64_t bytes = 0;
    for (uint32_t t = 0; t < STORM_THREADS; t++)
        for (uint64_t i = 0; i < STORM_ITERS; i++) bytes += 16 + (i % 8) * 16 + t;
    scope_totals tot = totals_of(&storm_stats, STORM_OWNER);
    CHECK_EQ(tot.live_bytes, 0);
    CHECK_EQ(tot.live_count, 0);
    CHECK_EQ(tot.allocated_count, STORM_THREADS * STORM_ITERS);
    CHECK_EQ(tot.freed_count, STORM_THREADS * STORM_ITERS);
    CHECK_EQ(tot.allocated_bytes, bytes);
    CHECK_EQ(tot.freed_bytes, bytes);
    static site_figures sites[64];
    int n = scope_stats_sites(&storm_stats, STORM_OWNER, sites, 64);
    CHECK_EQ(n, 50);
    uint64_t sum_peak = 0, sum_alloc = 0, live = 0;
    for (int i = 0; i < n; i++) {
        sum_peak += sites[i].peak_bytes;
        sum_alloc += sites[i].allocated_count;
        live += sites[i].live_bytes + sites[i].live_count;
    }
    CHECK_EQ(sum_peak, tot.peak_bytes);
    CHECK_EQ(sum_alloc, STORM_THREADS * STORM_ITERS);
    CHECK_EQ(live, 0);
    scope_stats_release(&storm_stats, STORM_OWNER);
}

static uint64_t combined_peak_of(scope_stats *s, uint64_t owner) { return totals_of(s, owner).combined_peak_bytes; }

/* Native and managed memory peaking at different moments: the combined peak is the largest sum
 * at one instant, not the sum of the two peaks. */
TEST(combined_peak_is_the_largest_sum_at_one_instant) {
    static scope_stats s;
    ASSERT_EQ(scope_stats_claim(&s, 1), 0);
    scope_stats_on_alloc(&s, 1, 11, 8 * MIB);     /* native 8, managed 0 */
    scope_stats_on_free(&s, 1, 11, 8 * MIB, 1);   /* native 0 */
    scope_stats_set_managed_held(&s, 1, 8 * MIB);   /* managed 8 */
    CHECK_EQ(combined_peak_of(&s, 1), 8 * MIB);           /* never 16 at once */
    scope_stats_on_alloc(&s, 1, 12, 4 * MIB);     /* native 4 + managed 8 */
    CHECK_EQ(combined_peak_of(&s, 1), 12 * MIB);
    scope_stats_set_managed_held(&s, 1, 0);
    scope_stats_on_free(&s, 1, 12, 4 * MIB, 1);
    CHECK_EQ(combined_peak_of(&s, 1), 12 * MIB);          /* a peak is kept */
    scope_stats_set_managed_held(&s, 1, 13 * MIB);  /* the other domain alone beyond it */
    CHECK_EQ(combined_peak_of(&s, 1), 13 * MIB);
    CHECK_EQ(totals_of(&s, 1).peak_bytes, 8 * MIB); /* the native peak is its own */
    /* another owner changes nothing; a new claim starts from zero */
    CHECK_EQ(scope_stats_set_managed_held(&s, 2, 99 * MIB), -1);
    CHECK_EQ(combined_peak_of(&s, 1), 13 * MIB);
    scope_stats_release(&s, 1);
    ASSERT_EQ(scope_stats_claim(&s, 3), 0);
    CHECK_EQ(combined_peak_of(&s, 3), 0);
    scope_stats_on_alloc(&s, 3, 11, 1 * MIB);
    CHECK_EQ(combined_peak_of(&s, 3), 1 * MIB);
    scope_stats_release(&s, 3);
}

static uint64_t take_peak(scope_stats *s, uint64_t owner) {
    uint64_t peak = 0;
    CHECK_EQ(scope_stats_take_interval_peak(s, owner, &peak), 0);
    return peak;
}

/* The timeline's poll: each take returns the highest native + managed total since the previous
 * take, even when memory went back down before it; the highest of all takes is the combined peak. */
TEST(interval_peak_is_the_highest_total_since_the_last_take) {
    static scope_stats s;
    ASSERT_EQ(scope_stats_claim(&s, 1), 0);
    CHECK_EQ(take_peak(&s, 1), 0);
    scope_stats_on_alloc(&s, 1, 11, 3 * MIB);
    scope_stats_on_free(&s, 1, 11, 3 * MIB, 1);     /* up to 3 and back to 0 between two polls */
    CHECK_EQ(take_peak(&s, 1), 3 * MIB);
    CHECK_EQ(take_peak(&s, 1), 0);                    /* nothing since: the current total */
    scope_stats_on_alloc(&s, 1, 12, 2 * MIB);
    CHECK_EQ(take_peak(&s, 1), 2 * MIB);
    CHECK_EQ(take_peak(&s, 1), 2 * MIB);              /* still live: the interval starts there */
    scope_stats_set_managed_held(&s, 1, 5 * MIB);    /* native 2 + managed 5 */
    scope_stats_set_managed_held(&s, 1, 1 * MIB);
    CHECK_EQ(take_peak(&s, 1), 7 * MIB);
    CHECK_EQ(take_peak(&s, 1), 3 * MIB);
    CHECK_EQ(combined_peak_of(&s, 1), 7 * MIB);
    uint64_t untouched = 42;
    CHECK_EQ(scope_stats_take_interval_peak(&s, 2, &untouched), -1);   /* another owner's */
    CHECK_EQ(untouched, 42);
    scope_stats_release(&s, 1);
}

MT_TEST_MAIN(interval_peak_is_the_highest_total_since_the_last_take,
             combined_peak_is_the_largest_sum_at_one_instant, peak_is_kept_after_the_memory_is_gone, a_tie_keeps_the_first_peak,
             peak_moves_several_times, partial_free_lowers_bytes_only,
             owner_mismatch_is_refused_and_changes_nothing, claim_release_claim_reuse,
             sites_are_sorted_and_bounded, random_events_match_brute_force_model,
             speed_of_events_on_existing_sites,
             concurrent_alloc_free_storm_is_exact)
