/*
 * Unit tests for heap_stats, the managed heap's figures per scope and site: samples counted in
 * their scope and every ancestor, samples of a thread whose scope ended (the recording scope of
 * scopes.h, as the heap sampler picks it), the held-bytes peak and each site's held bytes at it,
 * the other domain's view of it (the native scope's combined peak), and release. Events are fed
 * as the heap sampler feeds them: weights and fixed-point counts, under heap_lock.
 */
#include "heap_records.h"
#include "heap_stats.h"
#include "mt_test.h"
#include "scopes.h"

#define ONE HEAP_COUNT_ONE

static void sample(uint32_t scope, uint32_t stack, uint64_t weight, int held) {
    spin_lock_acquire(&heap_lock);
    heap_stats_on_sample(scope, stack, weight, ONE, 0);
    if (held) heap_stats_on_hold(scope, stack, weight, ONE);
    spin_lock_release(&heap_lock);
}

static void hold(uint32_t scope, uint32_t stack, uint64_t weight) {
    spin_lock_acquire(&heap_lock);
    heap_stats_on_hold(scope, stack, weight, ONE);
    spin_lock_release(&heap_lock);
}

static void gone(uint32_t scope, uint32_t stack, uint64_t weight, int held) {
    spin_lock_acquire(&heap_lock);
    heap_stats_on_free(scope, stack, weight, ONE, held);
    spin_lock_release(&heap_lock);
}

static heap_totals totals_of(uint32_t scope) {
    heap_totals t = {0};
    spin_lock_acquire(&heap_lock);
    int r = heap_stats_totals(scope, &t);
    spin_lock_release(&heap_lock);
    if (r != 0) memset(&t, 0xff, sizeof t); /* no figures: every figure reads as -1 */
    return t;
}

/* The site's figures, or stack id 0 and zeros when the scope lists no such site. */
static heap_site_figures site_of(uint32_t scope, uint32_t stack) {
    heap_site_figures all[64], none = {0};
    spin_lock_acquire(&heap_lock);
    int n = heap_stats_sites(scope, all, 64);
    spin_lock_release(&heap_lock);
    for (int i = 0; i < n && i < 64; i++)
        if (all[i].stack_id == stack) return all[i];
    return none;
}

static void finish(uint32_t id) {
    tracker_scope_end(id);
    tracker_scope_release(id);
    heap_stats_release(id); /* what the entry layer's release listener does */
}

TEST(a_sample_counts_in_its_scope_and_every_ancestor_but_not_a_child) {
    uint32_t outer = tracker_scope_begin(0), inner = tracker_scope_begin(outer);
    ASSERT_NE(inner, 0);
    sample(inner, 41, 3072, 0);
    sample(outer, 42, 512, 0);
    heap_totals i = totals_of(inner), o = totals_of(outer);
    CHECK_EQ(i.samples, 1);
    CHECK_EQ(i.est_bytes, 3072);
    CHECK_EQ(i.est_count_fp, ONE);
    CHECK_EQ(i.live_bytes, 3072);
    CHECK_EQ(o.samples, 2);
    CHECK_EQ(o.est_bytes, 3584);
    CHECK_EQ(o.live_count_fp, 2 * ONE);
    CHECK_EQ(site_of(inner, 42).stack_id, 0); /* the outer scope's own sample is not the child's */
    CHECK_EQ(site_of(outer, 41).est_bytes, 3072);
    CHECK_EQ(site_of(outer, 42).est_bytes, 512);
    gone(inner, 41, 3072, 0);
    CHECK_EQ(totals_of(inner).live_bytes, 0);
    CHECK_EQ(totals_of(inner).freed_bytes, 3072);
    CHECK_EQ(totals_of(outer).live_bytes, 512);
    CHECK_EQ(site_of(outer, 41).live_bytes, 0);
    CHECK_EQ(site_of(outer, 41).est_bytes, 3072); /* allocated stays */
    finish(inner);
    finish(outer);
}

TEST(a_scope_without_samples_has_no_managed_figures) {
    uint32_t s = tracker_scope_begin(0);
    CHECK_EQ(totals_of(s).samples, (uint64_t)-1);
    heap_site_figures out[1];
    CHECK_EQ(heap_stats_sites(s, out, 1), -1);
    CHECK_EQ(heap_stats_totals(0, &(heap_totals){0}), -1);
    /* A free or a hold alone claims nothing (their samples were counted elsewhere). */
    gone(s, 1, 100, 1);
    hold(s, 1, 100);
    CHECK_EQ(totals_of(s).samples, (uint64_t)-1);
    finish(s);
}

TEST(a_sample_on_a_thread_whose_scope_ended_goes_to_the_process_scope_or_nowhere) {
    uint32_t process = tracker_scope_begin(0), worker = tracker_scope_begin(0);
    mt_thread.scope_id = worker;
    sample(scopes_recording_scope(), 7, 1000, 0); /* while the worker's scope is active */
    tracker_scope_end(worker);
    /* Without process-wide mode: no recording scope, so the sampler records nothing. */
    CHECK_EQ(scopes_recording_scope(), 0);
    mt_thread.scope_id = worker;
    atomic_store(&tracker_process_scope, process);
    uint32_t scope = scopes_recording_scope();
    atomic_store(&tracker_process_scope, 0);
    CHECK_EQ(scope, process);
    sample(scope, 8, 2000, 0);
    CHECK_EQ(totals_of(worker).est_bytes, 1000);
    CHECK_EQ(totals_of(process).est_bytes, 2000);
    /* A sample taken while the worker's scope was active and freed after it ended still counts there. */
    gone(worker, 7, 1000, 0);
    CHECK_EQ(totals_of(worker).freed_bytes, 1000);
    CHECK_EQ(totals_of(worker).live_bytes, 0);
    mt_thread.scope_id = 0;
    finish(worker);
    finish(process);
}

TEST(the_held_peak_and_each_sites_held_bytes_at_it_are_exact) {
    uint32_t outer = tracker_scope_begin(0), inner = tracker_scope_begin(outer);
    enum { A = 51, B = 52, C = 53 };
    sample(inner, A, 6000, 1);     /* held 6000 */
    sample(inner, B, 2000, 0);     /* live, not held yet (small, before its first GC) */
    CHECK_EQ(totals_of(inner).peak_bytes, 6000);
    hold(inner, B, 2000);          /* survives a GC: held 8000, the peak */
    gone(inner, A, 6000, 1);       /* held 2000 */
    sample(outer, C, 5000, 1);     /* outer: held 7000, below its peak of 8000 */
    heap_totals i = totals_of(inner), o = totals_of(outer);
    CHECK_EQ(i.peak_bytes, 8000);
    CHECK_EQ(i.held_bytes, 2000);
    CHECK_EQ(i.held_count_fp, ONE);
    CHECK_EQ(o.peak_bytes, 8000);
    CHECK_EQ(o.held_bytes, 7000);
    heap_site_figures a = site_of(outer, A), b = site_of(outer, B), c = site_of(outer, C);
    CHECK_EQ(a.peak_bytes, 6000);
    CHECK_EQ(a.peak_count_fp, ONE);
    CHECK_EQ(a.live_bytes, 0);
    CHECK_EQ(b.peak_bytes, 2000);
    CHECK_EQ(c.peak_bytes, 0); /* born after the peak */
    CHECK_EQ(c.live_bytes, 5000);
    sample(outer, C, 1500, 1);     /* outer: 8500, a new peak: B 2000, C 6500 */
    a = site_of(outer, A), b = site_of(outer, B), c = site_of(outer, C);
    CHECK_EQ(totals_of(outer).peak_bytes, 8500);
    CHECK_EQ(a.peak_bytes, 0);
    CHECK_EQ(b.peak_bytes, 2000);
    CHECK_EQ(c.peak_bytes, 6500);
    CHECK_EQ(c.peak_count_fp, 2 * ONE);
    CHECK_EQ(site_of(inner, A).peak_bytes, 6000); /* the inner scope's peak did not move */
    finish(inner);
    finish(outer);
}

TEST(held_bytes_reach_the_native_scopes_combined_peak) {
    uint32_t s = tracker_scope_begin(0);
    scope_slot *slot = tracker_scope(s);
    ASSERT_TRUE(slot != NULL);
    scope_stats_on_alloc(&slot->stats, s, 9, 1000); /* native live 1000 */
    sample(s, 61, 4000, 1);                         /* managed held 4000 */
    scope_totals t;
    ASSERT_EQ(scope_stats_totals(&slot->stats, s, &t), 0);
    CHECK_EQ(t.peak_bytes, 1000);
    CHECK_EQ(t.combined_peak_bytes, 5000);
    gone(s, 61, 4000, 1);
    scope_stats_on_alloc(&slot->stats, s, 9, 500);
    scope_stats_totals(&slot->stats, s, &t);
    CHECK_EQ(t.combined_peak_bytes, 5000);
    CHECK_EQ(slot->stats.managed_held, 0);
    finish(s);
}

TEST(sites_are_listed_by_stack_id_and_counted_past_max) {
    uint32_t s = tracker_scope_begin(0);
    uint32_t ids[] = {900, 3, 77, 12, 500, 41};
    for (int i = 0; i < 6; i++) sample(s, ids[i], 100 + ids[i], 0);
    heap_site_figures out[4];
    spin_lock_acquire(&heap_lock);
    int n = heap_stats_sites(s, out, 4);
    spin_lock_release(&heap_lock);
    CHECK_EQ(n, 6);
    uint32_t want[] = {3, 12, 41, 77};
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(out[i].stack_id, want[i]);
        CHECK_EQ(out[i].est_bytes, 100 + want[i]);
        CHECK_EQ(out[i].samples, 1);
    }
    finish(s);
}

TEST(release_forgets_the_figures_and_a_new_scope_in_the_slot_starts_from_zero) {
    uint32_t s = tracker_scope_begin(0);
    for (uint32_t id = 1; id <= 300; id++) sample(s, id, 64, 1); /* the site table grows */
    CHECK_EQ(totals_of(s).held_bytes, 300 * 64);
    finish(s);
    CHECK_EQ(totals_of(s).samples, (uint64_t)-1);
    sample(s, 5, 64, 0); /* a late event of the released scope claims nothing */
    CHECK_EQ(totals_of(s).samples, (uint64_t)-1);
    /* The next scope that lands on the same slot (ids are slot + k * MAX_SCOPES). */
    uint32_t next = 0;
    for (int i = 0; i < MAX_SCOPES + 1 && (next = tracker_scope_begin(0)) % MAX_SCOPES != s % MAX_SCOPES; i++) {
        tracker_scope_end(next);
        tracker_scope_release(next);
    }
    ASSERT_EQ(next % MAX_SCOPES, s % MAX_SCOPES);
    sample(next, 5, 10, 1);
    heap_totals t = totals_of(next);
    CHECK_EQ(t.samples, 1);
    CHECK_EQ(t.held_bytes, 10);
    CHECK_EQ(t.peak_bytes, 10);
    CHECK_EQ(site_of(next, 5).peak_bytes, 10);
    CHECK_EQ(site_of(next, 200).stack_id, 0);
    finish(next);
}

MT_TEST_MAIN(a_sample_counts_in_its_scope_and_every_ancestor_but_not_a_child,
             a_scope_without_samples_has_no_managed_figures,
             a_sample_on_a_thread_whose_scope_ended_goes_to_the_process_scope_or_nowhere,
             the_held_peak_and_each_sites_held_bytes_at_it_are_exact,
             held_bytes_reach_the_native_scopes_combined_peak,
             sites_are_listed_by_stack_id_and_counted_past_max,
             release_forgets_the_figures_and_a_new_scope_in_the_slot_starts_from_zero)
