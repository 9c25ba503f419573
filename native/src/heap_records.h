/*
 * heap_records.h — one record per sampled Java object, found again through its JVMTI tag.
 *
 * A sampled object is tagged with its record index + 1; the tag comes back in ObjectFree and in
 * heap walks. Tags with one of the HEAP_TAG_* kind bits set are not records: they mark class
 * mirrors and thread objects for the leak walk, or objects a walk is visiting.
 *
 * Records live in raw_alloc chunks that are never unmapped (a record index stays valid for the
 * life of the process); free records are chained in a free list. Everything here, and the
 * managed figures in heap_stats.h, is guarded by one spin lock, heap_lock. Holding it, never
 * call JNI or JVMTI: ObjectFree may be posted on the VM thread at a safepoint and take the lock,
 * and a JVMTI call could block on that safepoint.
 */
#ifndef MEMTRACK_HEAP_RECORDS_H
#define MEMTRACK_HEAP_RECORDS_H
#include <stdint.h>
#include "spin_lock.h"

#define HEAP_TAG_CLASS (1ull << 62)   /* a class mirror, tagged for the walk (kept) */
#define HEAP_TAG_THREAD (1ull << 61)  /* a java.lang.Thread, tagged for the walk (kept) */
#define HEAP_TAG_WALK (1ull << 60)    /* an object a walk visits; removed after the walk */
#define HEAP_TAG_SPECIAL (1ull << 59) /* the test instance during a walk */
#define HEAP_TAG_KINDS (0xFull << 59)
#define HEAP_TAG_PAYLOAD ((1ull << 59) - 1)

static inline int heap_tag_is_record(uint64_t tag) { return tag != 0 && (tag & HEAP_TAG_KINDS) == 0; }

enum heap_record_state {
    REC_FREE = 0,
    REC_PENDING = 1, /* small object: not counted as held until it survives a GC */
    REC_HELD = 2,    /* counted in the held (peak) figures until it is freed */
    REC_IDLE = 3     /* small, its scope ended before it survived a GC: never counted as held */
};

enum heap_record_flags {
    REC_CANDIDATE = 1, /* allocated in the scope a leak walk examines */
    REC_REACHED = 2    /* reached by that walk */
};

typedef struct {
    uint64_t size;     /* bytes of the object */
    uint64_t weight;   /* bytes this sample stands for (Horvitz-Thompson; == size in exact mode) */
    uint64_t count_fp; /* objects this sample stands for, in 1/1024 units */
    uint32_t stack_id;
    uint32_t scope_id;   /* innermost scope at allocation */
    uint32_t epoch;      /* GCs finished before the allocation */
    uint32_t prev, next; /* pending FIFO links, or free-list link (record index + 1; 0 = none) */
    uint32_t walk_node;  /* node of the current leak walk, + 1 */
    uint8_t state;
    uint8_t flags;
} heap_record;

#define HEAP_COUNT_ONE 1024u /* count_fp of one object */

extern spin_lock heap_lock;

/* All below: heap_lock held. */
/* A fresh record (zeroed but for the index), or NULL when out of memory. */
heap_record *heap_record_alloc(uint32_t *index);
void heap_record_release(uint32_t index);
/* The record for a tag, or NULL when the tag is no live record. */
heap_record *heap_record_for_tag(uint64_t tag);
static inline uint64_t heap_record_tag(uint32_t index) { return (uint64_t)index + 1; }
heap_record *heap_record_at(uint32_t index);
/* Records ever allocated (the highest index + 1) and in use now. */
uint32_t heap_record_high_water(void);
uint64_t heap_record_in_use(void);

/* The pending FIFO (allocation order) of small objects that have not survived a GC yet. */
void heap_pending_append(uint32_t index);
void heap_pending_unlink(uint32_t index);
/* The oldest pending record's index + 1, or 0. */
uint32_t heap_pending_head(void);
#endif
