/*
 * Unit tests for scopes and accounting (scopes.c, tracker.c): nested scopes, ended scopes, late
 * frees, the process scope, and the region split of partial munmaps. Hook events are fed to the
 * tracker directly with made-up addresses (the tracker never touches the memory it records).
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>
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

/* One hook event from this test's own code: the stack is this caller alone. There is no hook frame
 * for the unwinder to start at, so the site names a pc inside the caller's call instruction (the
 * same line, the pc of no frame): on every architecture the walk finds no start and records the
 * caller only. (With the return address itself, aarch64, where the start frame is matched by pc
 * alone, would start at the caller and skip it and main: in this binary the test is the tracker's
 * own object, whose frames are never recorded.) */
#define TEST_SITE {(char *)__builtin_return_address(0) - 1, __builtin_frame_address(0), 0}

static __attribute__((noinline)) void alloc_here(uint64_t addr, uint64_t size) {
    hook_site site = TEST_SITE;
    tracker_on_alloc((void *)(uintptr_t)addr, size, &site);
}

static __attribute__((noinline)) void mmap_here(uint64_t addr, uint64_t len) {
    hook_site site = TEST_SITE;
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

/* A mapping counts the length asked for; munmap releases whole pages. Unmapping the last, partly
 * counted page frees only its counted part, so the whole mapping frees exactly what it allocated
 * (before: a page more for the last page). An unaligned munmap fails in the kernel: nothing. */
TEST(partial_munmaps_of_a_mapping_of_no_page_multiple_free_what_it_allocated) {
    setup_once();
    uint32_t s = tracker_scope_begin(0);
    uint64_t base = 0x30000000, len = 4 * page + 1234;
    mt_thread.scope_id = s;
    mmap_here(base, len);
    mt_thread.scope_id = 0;
    tracker_on_munmap((void *)(uintptr_t)(base + 4 * page), page);     /* the last page: 1234 counted */
    scope_totals t = totals_of(s);
    CHECK_EQ(t.freed_bytes, 1234);
    CHECK_EQ(t.live_bytes, 4 * page);
    tracker_on_munmap((void *)(uintptr_t)(base + 2 * page + 8), page); /* EINVAL: not page-aligned */
    tracker_on_munmap((void *)(uintptr_t)(base + 2 * page), 0);        /* EINVAL: zero length */
    CHECK_EQ(totals_of(s).freed_bytes, 1234);
    tracker_on_munmap((void *)(uintptr_t)(base + page), page);         /* split: [0,1) and [2,4) */
    tracker_on_munmap((void *)(uintptr_t)base, 4 * page);
    t = totals_of(s);
    CHECK_EQ(t.live_bytes, 0);
    CHECK_EQ(t.freed_bytes, len);
    CHECK_EQ(t.allocated_bytes, len);
    CHECK_EQ(t.freed_count, 1);

    /* Split across the partial page: the right part counts only up to the length asked for. */
    mt_thread.scope_id = s;
    mmap_here(base, len);
    mt_thread.scope_id = 0;
    tracker_on_munmap((void *)(uintptr_t)(base + page), page);
    live_entry e;
    ASSERT_EQ(live_table_find(base + 2 * page, &e), 1);
    CHECK_EQ(e.size, 2 * page + 1234);
    tracker_on_munmap((void *)(uintptr_t)(base + 2 * page), 3 * page); /* past the end: the tail */
    tracker_on_munmap((void *)(uintptr_t)base, page);
    t = totals_of(s);
    CHECK_EQ(t.live_bytes, 0);
    CHECK_EQ(t.freed_bytes, 2 * len);
    CHECK_EQ(tracker_has_regions, 0);
    finish(s);
}

/* A split whose right part finds no room (the region table cannot grow) accounts nothing and
 * keeps the mapping whole: before, the cut was accounted then and again with the rest. */
TEST(a_split_the_region_table_cannot_hold_is_not_accounted_twice) {
    setup_once();
    uint32_t s = tracker_scope_begin(0);
    uint64_t base = 0x40000000;
    mt_thread.scope_id = s;
    mmap_here(base, 6 * page);
    mt_thread.scope_id = 0;
    tracker_regions_full = 1;
    tracker_on_munmap((void *)(uintptr_t)(base + 2 * page), page); /* split, no room */
    scope_totals t = totals_of(s);
    CHECK_EQ(t.freed_bytes, 0);
    tracker_on_munmap((void *)(uintptr_t)base, 6 * page);
    t = totals_of(s);
    CHECK_EQ(t.freed_bytes, 6 * page);
    tracker_regions_full = 0;
    t = totals_of(s);
    CHECK_EQ(t.live_bytes, 0);
    CHECK_EQ(t.freed_bytes, t.allocated_bytes);
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

/* The parent re-check under concurrency (scopes_parent_of; tracker.c's account). A free is
 * accounted to its scope and that scope's ancestors, read from the scope's slot; meanwhile the
 * scope may end and its slot be claimed by a new scope with another parent. Every slot but one
 * is held, so each new scope takes that one slot: generation g gets parent P[g % 2]. Readers free
 * blocks of whichever scope holds the slot, of 1 byte in an even generation and BIG bytes in an
 * odd one: a free that reached the other generation's parent (the old id matched, the new
 * parent was read — what the re-check and its fences exclude) shows as a byte count that is not
 * its count times its size. On x86, and under qemu on an x86 host, loads are never reordered with
 * loads, so there this checks the protocol, not the fences; on an aarch64 machine it can also
 * catch a missing fence, with luck (the window is a few instructions wide). */
enum { BIG = 1 << 20, GENERATIONS = 10000, READERS = 2 };
static _Atomic uint32_t slot_holder; /* the id of the scope in the one free slot */
static _Atomic int writer_done;
static _Atomic unsigned long frees_done; /* by all readers */

static void *free_in_holder(void *arg) {
    uint64_t addr = 0x70000000ull + (uint64_t)(uintptr_t)arg * 64;
    unsigned long n = 0;
    while (!atomic_load(&writer_done) || n < 1000) {
        uint32_t id = atomic_load(&slot_holder);
        live_entry e = {addr, (id / MAX_SCOPES) % 2 ? BIG : 1, 1, id};
        live_table_insert(&e, NULL);
        tracker_on_free((void *)(uintptr_t)addr);
        atomic_fetch_add(&frees_done, 1);
        if (++n % 16 == 0) sched_yield(); /* under valgrind, a thread that never blocks starves the writer */
    }
    return NULL;
}

TEST(a_free_racing_the_reuse_of_its_slot_never_reaches_the_new_scopes_parent) {
    setup_once();
    static uint32_t held[MAX_SCOPES];
    uint32_t parents[2] = {tracker_scope_begin(0), tracker_scope_begin(0)};
    ASSERT_NE(parents[0], 0);
    ASSERT_NE(parents[1], 0);
    int n = 0;
    while (n < MAX_SCOPES && (held[n] = tracker_scope_begin(0)) != 0) n++;
    ASSERT_TRUE(n > 0 && n < MAX_SCOPES);
    finish(held[--n]); /* the one free slot */
    /* the rule from the first generation on: parent P[g % 2]; the next id in the slot is this one
     * plus MAX_SCOPES, of the other generation */
    uint32_t id = tracker_scope_begin(parents[0]);
    ASSERT_EQ(id % MAX_SCOPES, held[n] % MAX_SCOPES);
    if ((id / MAX_SCOPES) % 2 != 0) {
        finish(id);
        id = tracker_scope_begin(parents[0]);
    }
    ASSERT_EQ((id / MAX_SCOPES) % 2, 0);
    atomic_store(&slot_holder, id);
    atomic_store(&writer_done, 0);
    pthread_t readers[READERS];
    for (int r = 0; r < READERS; r++)
        ASSERT_EQ(pthread_create(&readers[r], NULL, free_in_holder, (void *)(uintptr_t)r), 0);
    int misplaced = 0;
    for (int g = 0; g < GENERATIONS; g++) {
        /* Now and then, an even and an odd generation each wait for a free: under valgrind, which
         * runs one thread at a time and switches every few milliseconds, the writer could
         * otherwise end every generation before a reader ran, and all the readers' frees would
         * reach the last generation's parent. */
        if (g % 500 < 2) {
            unsigned long before = atomic_load(&frees_done);
            for (int spins = 0; atomic_load(&frees_done) == before; spins++) {
                if (spins < 100) {
                    sched_yield();
                } else { /* valgrind hands its lock to another thread on a blocking call */
                    struct timespec pause = {0, 10000};
                    nanosleep(&pause, NULL);
                }
            }
        }
        uint32_t expected = id + MAX_SCOPES; /* every other slot is held: the next id in this slot */
        finish(id);
        id = tracker_scope_begin(parents[(expected / MAX_SCOPES) % 2]);
        if (id != expected) misplaced++;
        atomic_store(&slot_holder, id);
    }
    atomic_store(&writer_done, 1);
    for (int r = 0; r < READERS; r++) pthread_join(readers[r], NULL);
    CHECK_EQ(misplaced, 0);
    scope_totals even = totals_of(parents[0]), odd = totals_of(parents[1]);
    /* both parents were reached (not vacuous), each only by its own generations' frees */
    CHECK_TRUE(even.freed_count > 0 && odd.freed_count > 0);
    CHECK_EQ(even.freed_bytes, even.freed_count);
    CHECK_EQ(odd.freed_bytes, odd.freed_count * BIG);
    if (getenv("MT_SHOW"))
        fprintf(stderr, "frees reaching the parents: %llu even, %llu odd\n", (unsigned long long)even.freed_count,
                (unsigned long long)odd.freed_count);
    finish(id);
    while (n > 0) finish(held[--n]);
    finish(parents[0]);
    finish(parents[1]);
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
             partial_munmaps_of_a_mapping_of_no_page_multiple_free_what_it_allocated,
             a_split_the_region_table_cannot_hold_is_not_accounted_twice,
             the_scope_report_has_the_declared_header_totals_and_the_site,
             a_free_racing_the_reuse_of_its_slot_never_reaches_the_new_scopes_parent,
             classes_prepared_in_a_scope_are_known_to_it_and_its_ancestors_only)
