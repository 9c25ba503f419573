/*
 * Unit tests for scopes and accounting (scopes.c, tracker.c): nested scopes, ended scopes, late
 * frees, the process scope, and the region split of partial munmaps. Hook events are fed to the
 * tracker directly with made-up addresses (the tracker never touches the memory it records).
 */
#include <unistd.h>

#include <stdlib.h>

#include "class_log.h"
#include "live_table.h"
#include "report.h"
#include "report_text.h"
#include "mt_test.h"
#include "scopes.h"
#include "stack_capture.h"
#include "tracker.h"

static uint64_t page;

static scope_totals totals_of(uint32_t id) {
    scope_totals t;
    memset(&t, 0, sizeof t);
    scope_slot *s = tracker_scope(id);
    if (s) scope_stats_totals(&s->stats, id, &t);
    return t;
}

/* One hook event from this test's own code: the stack is this caller (no hook frame to match). */
static __attribute__((noinline)) void alloc_here(uint64_t addr, uint64_t size) {
    hook_site site = {__builtin_return_address(0), __builtin_frame_address(0), 0};
    tracker_on_alloc((void *)(uintptr_t)addr, size, &site);
}

static __attribute__((noinline)) void mmap_here(uint64_t addr, uint64_t len) {
    hook_site site = {__builtin_return_address(0), __builtin_frame_address(0), 0};
    tracker_on_mmap((void *)(uintptr_t)addr, len, &site);
}

static void free_here(uint64_t addr) { tracker_on_free((void *)(uintptr_t)addr); }

static void setup_once(void) {
    static int done;
    if (done) return;
    done = 1;
    page = (uint64_t)sysconf(_SC_PAGESIZE);
    live_table_init();
    stack_capture_refresh_objects();
}

static void finish(uint32_t id) {
    tracker_scope_end(id);
    tracker_scope_release(id);
}

TEST(nested_scopes_count_in_each_ancestor) {
    setup_once();
    uint32_t outer = tracker_scope_begin(0), inner = tracker_scope_begin(outer);
    ASSERT_NE(outer, 0);
    ASSERT_NE(inner, 0);
    mt_thread.scope_id = inner;
    alloc_here(0x10000010, 3001);
    mt_thread.scope_id = outer;
    alloc_here(0x10000020, 7);
    mt_thread.scope_id = 0;
    CHECK_EQ(totals_of(inner).allocated_bytes, 3001);
    CHECK_EQ(totals_of(inner).allocated_count, 1);
    CHECK_EQ(totals_of(outer).allocated_bytes, 3008);
    CHECK_EQ(totals_of(outer).allocated_count, 2);
    free_here(0x10000010);
    CHECK_EQ(totals_of(inner).live_bytes, 0);
    CHECK_EQ(totals_of(inner).peak_bytes, 3001);
    CHECK_EQ(totals_of(outer).live_bytes, 7);
    CHECK_EQ(totals_of(outer).freed_bytes, 3001);
    CHECK_EQ(totals_of(outer).peak_bytes, 3008);
    free_here(0x10000020);
    finish(inner);
    finish(outer);
}

TEST(a_free_after_the_scope_ended_still_counts) {
    setup_once();
    uint32_t s = tracker_scope_begin(0);
    mt_thread.scope_id = s;
    alloc_here(0x10001000, 5003);
    tracker_scope_end(s);
    free_here(0x10001000); /* e.g. a worker frees after the test's scope ended */
    mt_thread.scope_id = 0;
    scope_totals t = totals_of(s);
    CHECK_EQ(t.allocated_bytes, 5003);
    CHECK_EQ(t.freed_bytes, 5003);
    CHECK_EQ(t.freed_count, 1);
    CHECK_EQ(t.live_bytes, 0);
    tracker_scope_release(s);
}

TEST(a_late_free_of_a_released_child_reaches_the_parent) {
    setup_once();
    uint32_t outer = tracker_scope_begin(0), inner = tracker_scope_begin(outer);
    mt_thread.scope_id = inner;
    alloc_here(0x10002000, 7001);
    mt_thread.scope_id = outer;
    finish(inner);
    CHECK_TRUE(tracker_scope(inner) != NULL); /* readable until its slot is claimed again */
    free_here(0x10002000);
    mt_thread.scope_id = 0;
    CHECK_EQ(totals_of(outer).allocated_bytes, 7001);
    CHECK_EQ(totals_of(outer).freed_bytes, 7001);
    CHECK_EQ(totals_of(outer).live_bytes, 0);
    finish(outer);
}

TEST(an_ended_thread_scope_falls_back_to_the_process_scope) {
    setup_once();
    uint32_t process = tracker_scope_begin(0), worker = tracker_scope_begin(0);
    mt_thread.scope_id = worker;
    tracker_scope_end(worker);
    /* Without process-wide mode: nothing is recorded, and the thread forgets the ended scope. */
    CHECK_EQ(scopes_recording_scope(), 0);
    CHECK_EQ(mt_thread.scope_id, 0);
    mt_thread.scope_id = worker;
    atomic_store(&tracker_process_scope, process);
    alloc_here(0x10003000, 4099);
    atomic_store(&tracker_process_scope, 0);
    CHECK_EQ(mt_thread.scope_id, 0);
    CHECK_EQ(totals_of(worker).allocated_bytes, 0);
    CHECK_EQ(totals_of(process).allocated_bytes, 4099);
    free_here(0x10003000);
    CHECK_EQ(totals_of(process).live_bytes, 0);
    finish(worker);
    finish(process);
}

static uint32_t released[4];
static int count;
static void listener(uint32_t id) {
    if (count < 4) released[count] = id;
    count++;
}

TEST(a_released_scope_calls_the_release_listener_once) {
    scopes_on_release(listener);
    uint32_t s = tracker_scope_begin(0);
    tracker_scope_end(s);
    tracker_scope_release(s);
    tracker_scope_release(s); /* twice: the second is ignored */
    scopes_on_release(NULL);
    CHECK_EQ(count, 1);
    CHECK_EQ(released[0], s);
}

TEST(partial_munmaps_shrink_and_split_a_mapping) {
    setup_once();
    uint32_t s = tracker_scope_begin(0);
    uint64_t base = 0x20000000;
    mt_thread.scope_id = s;
    mmap_here(base, 7 * page);
    mt_thread.scope_id = 0;
    CHECK_EQ(totals_of(s).live_bytes, 7 * page);
    CHECK_EQ(tracker_has_regions, 1);

    tracker_on_munmap((void *)(uintptr_t)base, page);                /* shrink from the start */
    tracker_on_munmap((void *)(uintptr_t)(base + 6 * page), page);   /* shrink from the end */
    tracker_on_munmap((void *)(uintptr_t)(base + 3 * page), page);   /* split: [1,3) and [4,6) */
    scope_totals t = totals_of(s);
    CHECK_EQ(t.live_bytes, 4 * page);
    CHECK_EQ(t.freed_bytes, 3 * page);
    CHECK_EQ(t.freed_count, 0); /* parts, not the allocation */
    live_entry e;
    CHECK_EQ(live_table_find(base, &e), 0);
    ASSERT_EQ(live_table_find(base + page, &e), 1);
    CHECK_EQ(e.size, 2 * page);
    ASSERT_EQ(live_table_find(base + 4 * page, &e), 1);
    CHECK_EQ(e.size, 2 * page);

    /* A length that is not a page multiple covers its whole last page. */
    tracker_on_munmap((void *)(uintptr_t)(base + page), page + 1);
    tracker_on_munmap((void *)(uintptr_t)(base + 4 * page), 2 * page);
    t = totals_of(s);
    CHECK_EQ(t.live_bytes, 0);
    CHECK_EQ(t.freed_bytes, 7 * page);
    CHECK_EQ(t.freed_count, 1); /* the original mapping is gone once, whichever part goes last */
    CHECK_EQ(tracker_has_regions, 0);
    finish(s);
}

TEST(the_scope_report_has_the_declared_header_totals_and_the_site) {
    setup_once();
    uint32_t s = tracker_scope_begin(0);
    mt_thread.scope_id = s;
    alloc_here(0x10004000, 6007);
    alloc_here(0x10005000, 6007);
    mt_thread.scope_id = 0;
    free_here(0x10004000);
    char *text = report_build(s);
    ASSERT_TRUE(text != NULL);
    char expected[256];
    snprintf(expected, sizeof expected, "%s\t%d\ntotals\t12014\t2\t6007\t1\t6007\t1\t12014\nsite\t", REPORT_TEXT_REPORT,
             REPORT_TEXT_VERSION);
    CHECK_TRUE(strncmp(text, expected, strlen(expected)) == 0);
    /* Each allocation its own site (two call lines): the allocator, then this test, symbolized. */
    CHECK_TRUE(strstr(text, "site\tjni\t6007\t1\t0\t0\t6007\t1\nframe\tA\tmalloc\t") != NULL);
    CHECK_TRUE(strstr(text, "site\tjni\t6007\t1\t6007\t1\t6007\t1\nframe\tA\tmalloc\t") != NULL);
    CHECK_TRUE(strstr(text, "frame\tN\tthe_scope_report_has_the_declared_header_totals_and_the_site\ttest_scopes\ttest_scopes.c\t") != NULL);
    CHECK_TRUE(strcmp(text + strlen(text) - 4, "end\n") == 0);
    if (mt_current_failed || getenv("MT_SHOW")) fprintf(stderr, "%s", text);
    free(text);
    free_here(0x10005000);
    finish(s);
}

/* Classes prepared while a scope records are logged under it and its ancestors only. */
TEST(classes_prepared_in_a_scope_are_known_to_it_and_its_ancestors_only) {
    setup_once();
    class_log_reset();
    mt_thread.scope_id = 0;
    class_log_note("Lcom/acme/Before;"); /* no scope: not logged */
    uint32_t test = tracker_scope_begin(0), block = tracker_scope_begin(test), other = tracker_scope_begin(0);
    mt_thread.scope_id = block;
    CHECK_EQ(class_log_wanted(), 1);
    class_log_note("Lio/netty/buffer/PooledByteBufAllocator;");
    mt_thread.scope_id = test;
    class_log_note("Lcom/acme/InTest;");
    mt_thread.scope_id = 0;
    CHECK_EQ(class_log_wanted(), 0);
    CHECK_EQ(class_log_prepared_in(block, "Lio/netty/buffer/PooledByteBufAllocator;"), 1);
    CHECK_EQ(class_log_prepared_in(test, "Lio/netty/buffer/PooledByteBufAllocator;"), 1);
    CHECK_EQ(class_log_prepared_in(other, "Lio/netty/buffer/PooledByteBufAllocator;"), 0);
    CHECK_EQ(class_log_prepared_in(test, "Lcom/acme/InTest;"), 1);
    CHECK_EQ(class_log_prepared_in(block, "Lcom/acme/InTest;"), 0); /* the parent's, not the block's */
    CHECK_EQ(class_log_prepared_in(test, "Lcom/acme/Before;"), 0);
    CHECK_EQ(class_log_prepared_in(test, "Lcom/acme/Never;"), 0);
    finish(block);
    finish(test);
    finish(other);
    /* a scope that ended keeps its entries (ids are never reused) */
    CHECK_EQ(class_log_prepared_in(test, "Lcom/acme/InTest;"), 1);
}

MT_TEST_MAIN(nested_scopes_count_in_each_ancestor, a_free_after_the_scope_ended_still_counts,
             a_late_free_of_a_released_child_reaches_the_parent, an_ended_thread_scope_falls_back_to_the_process_scope,
             a_released_scope_calls_the_release_listener_once, partial_munmaps_shrink_and_split_a_mapping,
             the_scope_report_has_the_declared_header_totals_and_the_site,
             classes_prepared_in_a_scope_are_known_to_it_and_its_ancestors_only)
