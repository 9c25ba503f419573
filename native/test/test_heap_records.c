/*
 * Unit tests for heap_records, the records behind the heap sampler's JVMTI tags: tags round
 * trip and non-record tags are refused, released records are reused, records stay in place
 * across chunks, and the pending FIFO of small objects keeps allocation order through unlinks.
 */
#include "heap_records.h"
#include "mt_test.h"

static heap_record *take(uint32_t *index, uint8_t state) {
    heap_record *r = heap_record_alloc(index);
    if (r) r->state = state;
    return r;
}

TEST(a_tag_finds_its_record_and_nothing_else) {
    spin_lock_acquire(&heap_lock);
    uint32_t a, b;
    heap_record *ra = take(&a, REC_HELD), *rb = take(&b, REC_PENDING);
    ASSERT_TRUE(ra != NULL && rb != NULL);
    CHECK_EQ(b, a + 1);
    ra->size = 4242;
    CHECK_TRUE(heap_record_for_tag(heap_record_tag(a)) == ra);
    CHECK_EQ(heap_record_for_tag(heap_record_tag(a))->size, 4242);
    CHECK_TRUE(heap_record_for_tag(heap_record_tag(b)) == rb);
    CHECK_TRUE(heap_record_for_tag(0) == NULL);
    CHECK_TRUE(heap_record_for_tag(heap_record_tag(b) + 1) == NULL);      /* never handed out */
    CHECK_TRUE(heap_record_for_tag(HEAP_TAG_CLASS | heap_record_tag(a)) == NULL);
    CHECK_TRUE(heap_record_for_tag(HEAP_TAG_WALK | heap_record_tag(a)) == NULL);
    CHECK_TRUE(heap_tag_is_record(heap_record_tag(a)));
    CHECK_TRUE(!heap_tag_is_record(HEAP_TAG_THREAD | 5));
    heap_record_release(a);
    heap_record_release(b);
    CHECK_TRUE(heap_record_for_tag(heap_record_tag(a)) == NULL); /* freed */
    spin_lock_release(&heap_lock);
}

TEST(released_records_are_reused_last_in_first_out_and_counted_once) {
    spin_lock_acquire(&heap_lock);
    uint64_t before = heap_record_in_use();
    uint32_t high = heap_record_high_water();
    uint32_t a, b, c;
    take(&a, REC_HELD);
    take(&b, REC_HELD)->weight = 99;
    CHECK_EQ(heap_record_in_use(), before + 2);
    heap_record_release(b);
    heap_record_release(b); /* twice: nothing more */
    CHECK_EQ(heap_record_in_use(), before + 1);
    heap_record *r = take(&c, REC_PENDING);
    CHECK_EQ(c, b);           /* reused */
    CHECK_EQ(r->weight, 0);   /* and zeroed */
    CHECK_EQ(heap_record_high_water(), high > b ? high : b + 1);
    heap_record_release(a);
    heap_record_release(c);
    CHECK_EQ(heap_record_in_use(), before);
    spin_lock_release(&heap_lock);
}

TEST(records_keep_their_place_across_chunks) {
    enum { N = 70000 }; /* more than one chunk of 64K records */
    static uint32_t idx[N];
    static heap_record *at[N];
    spin_lock_acquire(&heap_lock);
    for (int i = 0; i < N; i++) {
        at[i] = take(&idx[i], REC_HELD);
        ASSERT_TRUE(at[i] != NULL);
        at[i]->stack_id = (uint32_t)i;
    }
    for (int i = 0; i < N; i++) {
        CHECK_TRUE(heap_record_at(idx[i]) == at[i]);
        CHECK_EQ(heap_record_for_tag(heap_record_tag(idx[i]))->stack_id, i);
    }
    CHECK_TRUE(heap_record_high_water() >= N);
    for (int i = 0; i < N; i++) heap_record_release(idx[i]);
    spin_lock_release(&heap_lock);
}

static int pending_order(uint32_t *out, int max) {
    int n = 0;
    for (uint32_t p = heap_pending_head(); p && n < max; p = heap_record_at(p - 1)->next) out[n++] = p - 1;
    return n;
}

TEST(the_pending_fifo_keeps_allocation_order_through_unlinks) {
    spin_lock_acquire(&heap_lock);
    CHECK_EQ(heap_pending_head(), 0);
    uint32_t r[5], got[8];
    for (int i = 0; i < 5; i++) {
        take(&r[i], REC_PENDING);
        heap_pending_append(r[i]);
    }
    CHECK_EQ(pending_order(got, 8), 5);
    for (int i = 0; i < 5; i++) CHECK_EQ(got[i], r[i]);
    heap_pending_unlink(r[2]); /* middle */
    heap_pending_unlink(r[0]); /* head */
    heap_pending_unlink(r[4]); /* tail */
    CHECK_EQ(pending_order(got, 8), 2);
    CHECK_EQ(got[0], r[1]);
    CHECK_EQ(got[1], r[3]);
    heap_pending_append(r[0]); /* back at the end */
    CHECK_EQ(pending_order(got, 8), 3);
    CHECK_EQ(got[2], r[0]);
    heap_pending_unlink(r[1]);
    heap_pending_unlink(r[3]);
    heap_pending_unlink(r[0]);
    CHECK_EQ(heap_pending_head(), 0);
    for (int i = 0; i < 5; i++) heap_record_release(r[i]);
    spin_lock_release(&heap_lock);
}

MT_TEST_MAIN(a_tag_finds_its_record_and_nothing_else,
             released_records_are_reused_last_in_first_out_and_counted_once,
             records_keep_their_place_across_chunks,
             the_pending_fifo_keeps_allocation_order_through_unlinks)
