/*
 * Unit tests for heap_report (the managed figures a Java caller reads, and the managed scope
 * report text) and report_text (the one text builder): figures from metered and unmetered
 * scopes, the exact report text of a scope with two sites, and the builder's growth and cleaning.
 * Without a JVM a Java frame has no name: its line keeps its fields, empty.
 */
#include <stdlib.h>

#include "heap_records.h"
#include "heap_report.h"
#include "memtrack.h"
#include "mt_test.h"
#include "report_text.h"
#include "scopes.h"

#define ONE HEAP_COUNT_ONE

static void sample(uint32_t scope, uint32_t stack, uint64_t weight, uint64_t count_fp, int metered, int held) {
    spin_lock_acquire(&heap_lock);
    heap_stats_on_sample(scope, stack, weight, count_fp, metered);
    if (held) heap_stats_on_hold(scope, stack, weight, count_fp);
    spin_lock_release(&heap_lock);
}

static void finish(uint32_t id) {
    tracker_scope_end(id);
    tracker_scope_release(id);
    heap_stats_release(id);
}

TEST(figures_of_an_unmetered_scope_are_the_estimates) {
    heap_totals t = {.samples = 3, .est_bytes = 300000, .est_count_fp = 2 * ONE + ONE / 2, .freed_bytes = 1000,
                     .freed_count_fp = ONE / 2 - 1, .live_bytes = 299000, .live_count_fp = 2 * ONE,
                     .held_bytes = 5000, .peak_bytes = 7000};
    int64_t f[MEMTRACK_HEAP_FIGURES_LEN];
    heap_report_figures(&t, f);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_ALLOCATED_BYTES], 300000);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_ALLOCATED_COUNT], 3); /* 2.5 objects round half up */
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_FREED_BYTES], 1000);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_FREED_COUNT], 0); /* just under a half */
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_LIVE_BYTES], 299000);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_LIVE_COUNT], 2);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_PEAK_BYTES], 7000);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_HELD_BYTES], 5000);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_SAMPLES], 3);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_EXACT_BYTES], 0);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_ESTIMATED_BYTES], 300000);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_FLAGS], 0);
}

TEST(metered_allocated_bytes_are_exact_plus_the_estimate_of_unmetered_threads) {
    heap_totals t = {.samples = 2, .est_bytes = 900000, .est_metered_bytes = 600000, .exact_bytes = 512345, .metered = 1};
    int64_t f[MEMTRACK_HEAP_FIGURES_LEN];
    heap_report_figures(&t, f);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_ALLOCATED_BYTES], 512345 + 300000);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_EXACT_BYTES], 512345);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_ESTIMATED_BYTES], 900000);
    CHECK_EQ(f[MEMTRACK_HEAP_FIG_FLAGS], MEMTRACK_HEAP_FLAG_METERED);
}

TEST(the_report_of_a_scope_lists_its_totals_and_sites_by_stack_id) {
    stack_frame java[2] = {{0, 12, FRAME_JAVA}, {0, -1, FRAME_JAVA}};
    uint32_t with_frames = stack_table_intern(java, 2, 3);
    ASSERT_NE(with_frames, 0);
    uint32_t s = tracker_scope_begin(0);
    sample(s, with_frames + 1000, 40000, ONE, 0, 0);   /* an unknown stack: no frame lines */
    sample(s, with_frames, 262144, 3 * ONE, 0, 1);     /* held: the peak */
    spin_lock_acquire(&heap_lock);
    heap_stats_on_free(s, with_frames, 262144, 3 * ONE, 1);
    spin_lock_release(&heap_lock);
    char *text = heap_report_build(s);
    ASSERT_TRUE(text != NULL);
    char want[1024];
    snprintf(want, sizeof want,
             "memtrack-report\t%d\n"
             "totals\t302144\t4\t262144\t3\t40000\t1\t262144\n"
             "site\theap\t262144\t3\t0\t0\t262144\t3\n"
             "frame\tJ\t\t\t\t0\n"
             "frame\tJ\t\t\t\t0\n"
             "site\theap\t40000\t1\t40000\t1\t0\t0\n"
             "end\n",
             REPORT_TEXT_VERSION);
    CHECK_STR_EQ(text, want);
    free(text);
    finish(s);
    CHECK_TRUE(heap_report_build(s) == NULL); /* released: no managed figures */
}

TEST(the_text_builder_grows_cleans_fields_and_reports_failure) {
    report_text t = {0};
    report_text_header(&t, REPORT_TEXT_HEAP_LEAKS);
    char field[] = "a\tb\nc\rd";
    report_text_append(&t, "x\t%s\n", report_text_clean(field));
    for (int i = 0; i < 2000; i++) report_text_append(&t, "line %04d of a text longer than the first buffer\n", i);
    char *text = report_text_finish(&t);
    ASSERT_TRUE(text != NULL);
    char head[64];
    snprintf(head, sizeof head, "memtrack-heap-leaks\t%d\nx\ta b c d\nline 0000 ", REPORT_TEXT_VERSION);
    CHECK_EQ(strncmp(text, head, strlen(head)), 0);
    CHECK_TRUE(strstr(text, "line 1999 of a text longer than the first buffer\n") != NULL);
    CHECK_EQ(strlen(text), t.len);
    free(text);
    report_text failed = {0};
    report_text_append(&failed, "kept\n");
    failed.failed = 1; /* as after a failed realloc */
    report_text_append(&failed, "dropped\n");
    CHECK_TRUE(report_text_finish(&failed) == NULL);
}

MT_TEST_MAIN(figures_of_an_unmetered_scope_are_the_estimates,
             metered_allocated_bytes_are_exact_plus_the_estimate_of_unmetered_threads,
             the_report_of_a_scope_lists_its_totals_and_sites_by_stack_id,
             the_text_builder_grows_cleans_fields_and_reports_failure)
