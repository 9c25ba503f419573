/*
 * heap_records.c — the record table behind JVMTI tags (see heap_records.h). A two-level
 * directory of fixed chunks, so that a record never moves and growing never copies.
 */
#include "heap_records.h"

#include <stddef.h>

#include "raw_memory.h"

#define CHUNK_SHIFT 16
#define CHUNK_RECORDS (1u << CHUNK_SHIFT)
#define MAX_CHUNKS 4096u /* 268M records */

spin_lock heap_lock = SPIN_LOCK_INIT;

static heap_record *chunks[MAX_CHUNKS];
static uint32_t high_water;  /* indices below this have been handed out at least once */
static uint32_t free_head;   /* index + 1 */
static uint64_t in_use;
static uint32_t pending_head, pending_tail; /* index + 1 */

heap_record *heap_record_at(uint32_t index) {
    heap_record *chunk = chunks[index >> CHUNK_SHIFT];
    return chunk ? &chunk[index & (CHUNK_RECORDS - 1)] : NULL;
}

heap_record *heap_record_alloc(uint32_t *index) {
    uint32_t i;
    if (free_head) {
        i = free_head - 1;
        free_head = heap_record_at(i)->next;
    } else {
        i = high_water;
        if ((i >> CHUNK_SHIFT) >= MAX_CHUNKS) return NULL;
        if (!chunks[i >> CHUNK_SHIFT]) {
            /* an mmap syscall under the spin lock, once per 64K records */
            heap_record *chunk = raw_alloc((size_t)CHUNK_RECORDS * sizeof(heap_record));
            if (!chunk) return NULL;
            chunks[i >> CHUNK_SHIFT] = chunk;
        }
        high_water++;
    }
    heap_record *r = heap_record_at(i);
    *r = (heap_record){0};
    in_use++;
    *index = i;
    return r;
}

void heap_record_release(uint32_t index) {
    heap_record *r = heap_record_at(index);
    if (!r || r->state == REC_FREE) return;
    r->state = REC_FREE;
    r->flags = 0;
    r->next = free_head;
    free_head = index + 1;
    in_use--;
}

heap_record *heap_record_for_tag(uint64_t tag) {
    if (!heap_tag_is_record(tag) || tag > high_water) return NULL;
    heap_record *r = heap_record_at((uint32_t)(tag - 1));
    return r && r->state != REC_FREE ? r : NULL;
}

uint32_t heap_record_high_water(void) { return high_water; }
uint64_t heap_record_in_use(void) { return in_use; }

void heap_pending_append(uint32_t index) {
    heap_record *r = heap_record_at(index);
    r->next = 0;
    r->prev = pending_tail;
    if (pending_tail) heap_record_at(pending_tail - 1)->next = index + 1;
    else pending_head = index + 1;
    pending_tail = index + 1;
}

void heap_pending_unlink(uint32_t index) {
    heap_record *r = heap_record_at(index);
    if (r->prev) heap_record_at(r->prev - 1)->next = r->next;
    else pending_head = r->next;
    if (r->next) heap_record_at(r->next - 1)->prev = r->prev;
    else pending_tail = r->prev;
    r->prev = r->next = 0;
}

uint32_t heap_pending_head(void) { return pending_head; }
