/*
 * Unit tests for site_table, the one site/peak table of both domains: lookups and growth, the
 * stack-0 fallback, the exact peak and every site's figure at it (against a model that copies
 * all sites at each new peak), the listing by stack id, and release of its memory. The slot here
 * has a payload of its own of a size neither domain uses (site_head + 24 bytes), so nothing
 * depends on a particular stride.
 */
#include <stdlib.h>

#include "mt_test.h"
#include "raw_memory.h"
#include "site_table.h"

typedef struct {
    site_head h;
    uint64_t events, tag, spare;
} test_site;

typedef struct {
    uint32_t stack_id;
    uint64_t events, level_bytes, peak_bytes, peak_count;
} test_figures;

#define SLOT sizeof(test_site)

static test_site *get(site_table *t, uint32_t id) { return (test_site *)site_table_get(t, SLOT, id); }
static test_site *find(site_table *t, uint32_t id) { return (test_site *)site_table_find(t, SLOT, id); }

/* One domain event in the shape both domains use: touch the site, change its level and the
 * scope's level, then raise the peak. */
static void add(site_table *t, uint64_t *level, uint64_t *peak, uint32_t id, uint64_t bytes) {
    test_site *s = get(t, id);
    site_touch(&s->h, t->peak_version);
    s->h.level_bytes += bytes;
    s->h.level_count++;
    s->events++;
    *level += bytes;
    site_table_raise(t, *level, peak);
}

static void sub(site_table *t, uint64_t *level, uint32_t id, uint64_t bytes) {
    test_site *s = (test_site *)site_table_find_or_0(t, SLOT, id);
    site_touch(&s->h, t->peak_version);
    s->h.level_bytes -= bytes;
    s->h.level_count--;
    s->events++;
    *level -= bytes;
}

static int fill_all(const site_head *h, uint64_t version, void *out) {
    const test_site *s = (const test_site *)h;
    test_figures *f = out;
    f->stack_id = h->stack_id;
    f->events = s->events;
    f->level_bytes = h->level_bytes;
    site_at_peak(h, version, &f->peak_bytes, &f->peak_count);
    return 1;
}

/* Sites with an odd tag are not listed. */
static int fill_even_tags(const site_head *h, uint64_t version, void *out) {
    if (((const test_site *)h)->tag & 1) return 0;
    return fill_all(h, version, out);
}

TEST(an_empty_table_finds_nothing_and_lists_nothing) {
    site_table t = {0};
    CHECK_TRUE(find(&t, 0) == NULL);
    CHECK_TRUE(find(&t, 7) == NULL);
    CHECK_TRUE(site_table_find_or_0(&t, SLOT, 7) == NULL);
    test_figures out[2];
    CHECK_EQ(site_table_select(&t, SLOT, out, sizeof out[0], 2, fill_all), 0);
    site_table_free(&t, SLOT); /* nothing to unmap */
    CHECK_EQ(t.capacity, 0);
}

TEST(sites_are_created_once_and_keep_their_payload_through_growth) {
    site_table t = {0};
    enum { N = 5000 };
    for (uint32_t id = 1; id <= N; id++) {
        test_site *s = get(&t, id * 7);
        ASSERT_TRUE(s != NULL);
        CHECK_EQ(s->h.stack_id, id * 7);
        CHECK_EQ(s->tag, 0); /* a new site starts from zero */
        s->tag = id;
    }
    CHECK_EQ(t.count, N);
    /* Doubled from 64 past 3/4 full: the smallest power of two with N <= 3/4 of it. */
    CHECK_EQ(t.capacity, 8192);
    for (uint32_t id = 1; id <= N; id++) {
        test_site *s = find(&t, id * 7);
        ASSERT_TRUE(s != NULL);
        CHECK_EQ(s->tag, id);
        CHECK_TRUE(get(&t, id * 7) == s); /* no second site */
    }
    CHECK_TRUE(find(&t, 3) == NULL);
    CHECK_EQ(t.count, N);
    site_table_free(&t, SLOT);
}

TEST(the_first_growth_happens_past_three_quarters_of_64) {
    site_table t = {0};
    for (uint32_t id = 1; id <= 48; id++) get(&t, id);
    CHECK_EQ(t.capacity, 64);
    get(&t, 49);
    CHECK_EQ(t.capacity, 128);
    CHECK_EQ(t.count, 49);
    site_table_free(&t, SLOT);
}

/* raw_alloc as site_table.o sees it (linked with -Wl,--wrap=raw_alloc, native/Makefile): the
 * real one, or NULL while refuse_memory is set, as when the system has no memory to give. */
void *__real_raw_alloc(size_t bytes);
static int refuse_memory;
void *__wrap_raw_alloc(size_t bytes) { return refuse_memory ? NULL : __real_raw_alloc(bytes); }

TEST(a_table_that_cannot_grow_fills_but_for_one_slot_then_gives_up) {
    site_table t = {0};
    get(&t, 1);
    ASSERT_EQ(t.capacity, 64);
    refuse_memory = 1;
    for (uint32_t id = 2; id <= 63; id++) ASSERT_TRUE(get(&t, id) != NULL);
    CHECK_EQ(t.capacity, 64);
    CHECK_EQ(t.count, 63);
    /* One slot stays empty (probing needs it): no site for 64, and none for stack 0 either. */
    CHECK_TRUE(get(&t, 64) == NULL);
    CHECK_TRUE(get(&t, 0) == NULL);
    CHECK_EQ(t.count, 63);
    for (uint32_t id = 1; id <= 63; id++) CHECK_EQ(find(&t, id)->h.stack_id, id);
    CHECK_TRUE(site_table_find_or_0(&t, SLOT, 64) == NULL);
    refuse_memory = 0;
    CHECK_TRUE(get(&t, 64) != NULL); /* grows again once memory is there */
    CHECK_EQ(t.capacity, 128);
    site_table_free(&t, SLOT);
}

TEST(what_does_not_fit_is_counted_under_stack_0) {
    site_table t = {0};
    refuse_memory = 1;
    CHECK_TRUE(get(&t, 5) == NULL); /* not even the first table */
    refuse_memory = 0;
    uint64_t level = 0, peak = 0;
    add(&t, &level, &peak, 0, 10); /* stack 0 has a site of its own */
    refuse_memory = 1;
    for (uint32_t id = 1; id <= 62; id++) add(&t, &level, &peak, id, 10);
    CHECK_EQ(t.count, 63);
    test_site *zero = find(&t, 0);
    ASSERT_TRUE(zero != NULL);
    add(&t, &level, &peak, 300, 1000); /* no slot left for it: stack 0 counts it */
    CHECK_TRUE(find(&t, 300) == NULL);
    CHECK_EQ(t.count, 63);
    add(&t, &level, &peak, 301, 24);
    CHECK_EQ(zero->h.level_bytes, 10 + 1024);
    CHECK_EQ(zero->h.level_count, 3);
    sub(&t, &level, 300, 1000); /* a free of a site that did not fit finds it under stack 0 */
    CHECK_EQ(zero->h.level_bytes, 34);
    CHECK_EQ(level, 63 * 10 + 24);
    CHECK_EQ(peak, 63 * 10 + 1024);
    refuse_memory = 0;
    site_table_free(&t, SLOT);
}

TEST(the_peak_and_each_sites_figure_at_it_are_exact) {
    site_table t = {0};
    uint64_t level = 0, peak = 0;
    enum { A = 1, B = 2, C = 3 };
    add(&t, &level, &peak, A, 5000);   /* peak 5000: A 5000 */
    add(&t, &level, &peak, B, 3000);   /* peak 8000: A 5000, B 3000 */
    sub(&t, &level, A, 5000);          /* 3000 */
    add(&t, &level, &peak, C, 4000);   /* 7000, below the peak */
    test_figures f[3];
    CHECK_EQ(site_table_select(&t, SLOT, f, sizeof f[0], 3, fill_all), 3);
    site_list_sort(f, sizeof f[0], 3);
    CHECK_EQ(peak, 8000);
    CHECK_EQ(f[0].stack_id, A);
    CHECK_EQ(f[0].peak_bytes, 5000);
    CHECK_EQ(f[0].peak_count, 1);
    CHECK_EQ(f[0].level_bytes, 0);
    CHECK_EQ(f[1].peak_bytes, 3000);
    CHECK_EQ(f[2].stack_id, C);
    CHECK_EQ(f[2].peak_bytes, 0); /* born after the peak */
    CHECK_EQ(f[2].level_bytes, 4000);
    add(&t, &level, &peak, C, 2000); /* 9000: a new peak, B 3000 and C 6000 */
    site_table_select(&t, SLOT, f, sizeof f[0], 3, fill_all);
    site_list_sort(f, sizeof f[0], 3);
    CHECK_EQ(peak, 9000);
    CHECK_EQ(f[0].peak_bytes, 0);
    CHECK_EQ(f[1].peak_bytes, 3000);
    CHECK_EQ(f[2].peak_bytes, 6000);
    CHECK_EQ(f[2].peak_count, 2);
    site_table_free(&t, SLOT);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

TEST(random_events_match_a_model_that_copies_every_site_at_each_peak) {
    enum { SITES = 300, EVENTS = 200000 };
    static uint64_t live[SITES], at_peak[SITES];
    memset(live, 0, sizeof live);
    memset(at_peak, 0, sizeof at_peak);
    site_table t = {0};
    uint64_t level = 0, peak = 0, model_peak = 0;
    for (int e = 0; e < EVENTS; e++) {
        uint32_t id = (uint32_t)(rnd() % SITES);
        uint64_t bytes = 1 + rnd() % 4096;
        if (live[id] >= bytes && rnd() % 2) {
            sub(&t, &level, id, bytes);
            live[id] -= bytes;
        } else {
            add(&t, &level, &peak, id, bytes);
            live[id] += bytes;
            uint64_t sum = 0;
            for (int i = 0; i < SITES; i++) sum += live[i];
            if (sum > model_peak) {
                model_peak = sum;
                memcpy(at_peak, live, sizeof live);
            }
        }
    }
    CHECK_EQ(peak, model_peak);
    static test_figures f[SITES];
    int n = site_table_select(&t, SLOT, f, sizeof f[0], SITES, fill_all);
    CHECK_EQ(n, (int)t.count);
    site_list_sort(f, sizeof f[0], n);
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        CHECK_EQ(f[i].level_bytes, live[f[i].stack_id]);
        CHECK_EQ(f[i].peak_bytes, at_peak[f[i].stack_id]);
        if (i) CHECK_TRUE(f[i - 1].stack_id < f[i].stack_id);
        sum += f[i].peak_bytes;
    }
    CHECK_EQ(sum, peak);
    site_table_free(&t, SLOT);
}

TEST(the_listing_keeps_the_smallest_listed_ids_in_order_and_counts_all) {
    site_table t = {0};
    /* ids 1000, 999, ..., 1 (reverse order of creation); odd tags are not listed. */
    for (uint32_t id = 1000; id >= 1; id--) get(&t, id)->tag = id % 3 == 0 ? 1 : 0;
    static test_figures f[700];
    int listed = 1000 - 333;
    CHECK_EQ(site_table_select(&t, SLOT, f, sizeof f[0], 5, fill_even_tags), listed);
    site_list_sort(f, sizeof f[0], 5);
    uint32_t want[5] = {1, 2, 4, 5, 7};
    for (int i = 0; i < 5; i++) CHECK_EQ(f[i].stack_id, want[i]);
    CHECK_EQ(site_table_select(&t, SLOT, f, sizeof f[0], 700, fill_even_tags), listed);
    site_list_sort(f, sizeof f[0], listed);
    for (int i = 1; i < listed; i++) CHECK_TRUE(f[i - 1].stack_id < f[i].stack_id);
    CHECK_EQ(f[listed - 1].stack_id, 1000);
    /* Counting only. */
    CHECK_EQ(site_table_select(&t, SLOT, NULL, sizeof f[0], 0, fill_even_tags), listed);
    CHECK_EQ(site_table_select(&t, SLOT, f, sizeof f[0], -1, fill_even_tags), listed);
    /* An element larger than the listing can swap is refused. */
    CHECK_EQ(site_table_select(&t, SLOT, f, SITE_LIST_MAX_ELEMENT + 8, 1, fill_even_tags), -1);
    site_table_free(&t, SLOT);
}

TEST(detach_empties_the_table_and_free_gives_its_memory_back) {
    size_t before = raw_bytes_in_use();
    site_table t = {0}, old;
    uint64_t level = 0, peak = 0;
    for (uint32_t id = 1; id <= 200; id++) add(&t, &level, &peak, id, 10);
    CHECK_TRUE(raw_bytes_in_use() > before);
    CHECK_TRUE(t.peak_version > 0);
    site_table_detach(&t, &old);
    CHECK_EQ(t.capacity, 0);
    CHECK_EQ(t.count, 0);
    CHECK_EQ(t.peak_version, 0);
    CHECK_TRUE(t.sites == NULL);
    CHECK_TRUE(find(&t, 5) == NULL);
    CHECK_EQ(old.count, 200);
    CHECK_EQ(((test_site *)site_table_find(&old, SLOT, 5))->h.level_bytes, 10);
    site_table_free(&old, SLOT);
    CHECK_EQ(old.capacity, 0);
    CHECK_EQ(raw_bytes_in_use(), before);
    /* The emptied table is usable again from zero. */
    test_site *s = get(&t, 5);
    ASSERT_TRUE(s != NULL);
    CHECK_EQ(s->h.level_bytes, 0);
    CHECK_EQ(s->events, 0);
    site_table_free(&t, SLOT);
    CHECK_EQ(raw_bytes_in_use(), before);
}

MT_TEST_MAIN(an_empty_table_finds_nothing_and_lists_nothing,
             sites_are_created_once_and_keep_their_payload_through_growth,
             the_first_growth_happens_past_three_quarters_of_64,
             a_table_that_cannot_grow_fills_but_for_one_slot_then_gives_up,
             what_does_not_fit_is_counted_under_stack_0,
             the_peak_and_each_sites_figure_at_it_are_exact,
             random_events_match_a_model_that_copies_every_site_at_each_peak,
             the_listing_keeps_the_smallest_listed_ids_in_order_and_counts_all,
             detach_empties_the_table_and_free_gives_its_memory_back)
