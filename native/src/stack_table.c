#include "stack_table.h"

#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "raw_memory.h"
#include "spin_lock.h"

/*
 * Layout. Each stack is one record {hash, n, origin, frames[n]} bump-allocated in an arena and
 * never moved or freed, so a pointer handed out by stack_table_get stays valid forever.
 * id -> record goes through a two-level directory (fixed top level, chunks allocated on
 * demand), and frames -> id through an open-addressing index of 64-bit words
 * {hash tag : 32, id : 32}. Writers serialize on one spin lock; readers never lock:
 *  - a record and its directory entry are written before the id is published (the release
 *    store of `count` for stack_table_get, of the index word for the lock-free lookup);
 *  - a grown index is a new array published with a release store; the old one is left mapped
 *    (its words stay valid, at most as much memory as the current one), because a reader may
 *    still be probing it and there is no safe point to unmap it. A reader of an old index may
 *    miss a newer stack; it then takes the lock and looks again in the current one.
 */

_Static_assert(sizeof(stack_frame) == 16, "frames are compared with memcmp");

typedef struct {
    uint64_t hash;
    uint32_t n;
    uint32_t origin;
    stack_frame frames[];
} stack_record;

#define ARENA_BYTES (64u * 1024)
#define DIR_CHUNK_SHIFT 12
#define DIR_CHUNK_IDS (1u << DIR_CHUNK_SHIFT)
#define DIR_CHUNKS 4096u /* ids up to 16M - 1 */
#define INDEX_INITIAL 1024u

typedef struct {
    uint32_t capacity; /* power of two; kept at most half full */
    uint32_t used;     /* written under the lock only */
    _Atomic uint64_t words[];
} stack_index;

static spin_lock lock = SPIN_LOCK_INIT;
static _Atomic uint32_t count;
static _Atomic(stack_record **) dir[DIR_CHUNKS];
static _Atomic(stack_index *) current_index;
static char *arena;
static size_t arena_used, arena_size;
static _Atomic uint64_t memory_bytes;

/* 64x64 -> 128-bit multiply folded to 64 bits: one instruction on x86-64 (two on aarch64),
 * and every input bit reaches every output bit. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b) {
    __uint128_t p = (__uint128_t)a * b;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* Each frame is mixed on its own with a position-dependent key and the results are summed, so
 * the multiplies do not wait for each other (a chained hash of 20 frames costs 20 multiply
 * latencies); the key keeps order significant, the sum cannot cancel equal frames the way a
 * XOR would in recursive stacks. */
static uint64_t hash_frames(const stack_frame *frames, int n) {
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        uint64_t key = 0xA4093822299F31D0ull + (uint64_t)i * 0x9E3779B97F4A7C15ull;
        uint64_t tail = (uint64_t)(uint32_t)frames[i].bci << 32 | (uint32_t)frames[i].kind;
        sum += fold_mul(frames[i].pc ^ key, tail ^ 0x082EFA98EC4E6C89ull);
    }
    return fold_mul(sum ^ (uint64_t)n ^ 0x452821E638D01377ull, 0xBE5466CF34E90C6Cull);
}

static void *table_alloc(size_t bytes) {
    void *p = raw_alloc(bytes);
    size_t page = raw_page_size(), pages = (bytes + page - 1) & ~(page - 1);
    if (p) atomic_fetch_add_explicit(&memory_bytes, pages, memory_order_relaxed);
    return p;
}

static inline stack_record *record_of(uint32_t id) {
    stack_record **chunk = atomic_load_explicit(&dir[id >> DIR_CHUNK_SHIFT], memory_order_acquire);
    return chunk[id & (DIR_CHUNK_IDS - 1)];
}

static inline int same_frames(const stack_record *r, uint64_t h, const stack_frame *frames, int n) {
    /* stack_frame has no padding, so bytewise equality is field equality. */
    return r->hash == h && r->n == (uint32_t)n &&
           (n == 0 || memcmp(r->frames, frames, (size_t)n * sizeof(stack_frame)) == 0);
}

static uint32_t index_lookup(const stack_index *ix, uint64_t h, const stack_frame *frames, int n) {
    if (!ix) return 0;
    uint32_t mask = ix->capacity - 1;
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
        uint64_t w = atomic_load_explicit(&ix->words[i], memory_order_acquire);
        if (!w) return 0;
        if ((uint32_t)(w >> 32) == tag && same_frames(record_of((uint32_t)w), h, frames, n))
            return (uint32_t)w;
    }
}

static void index_put(stack_index *ix, uint64_t h, uint32_t id) {
    uint32_t mask = ix->capacity - 1;
    uint32_t i = (uint32_t)h & mask;
    while (atomic_load_explicit(&ix->words[i], memory_order_relaxed)) i = (i + 1) & mask;
    atomic_store_explicit(&ix->words[i], (h >> 32) << 32 | id, memory_order_release);
    ix->used++;
}

/* Under the lock. */
static stack_index *index_grow(stack_index *old) {
    uint32_t capacity = old ? old->capacity * 2 : INDEX_INITIAL;
    if (capacity == 0) return NULL;
    stack_index *ix = table_alloc(sizeof(stack_index) + (size_t)capacity * sizeof(uint64_t));
    if (!ix) return NULL;
    ix->capacity = capacity;
    uint32_t n = atomic_load_explicit(&count, memory_order_relaxed);
    for (uint32_t id = 1; id <= n; id++) index_put(ix, record_of(id)->hash, id);
    atomic_store_explicit(&current_index, ix, memory_order_release);
    return ix;
}

/* Under the lock. Records are 8-byte aligned; the tail of a full arena is abandoned. */
static stack_record *arena_take(size_t bytes) {
    bytes = (bytes + 7) & ~(size_t)7;
    if (!arena || arena_size - arena_used < bytes) {
        char *fresh = table_alloc(ARENA_BYTES);
        if (!fresh) return NULL;
        arena = fresh;
        arena_used = 0;
        arena_size = ARENA_BYTES;
    }
    stack_record *r = (stack_record *)(arena + arena_used);
    arena_used += bytes;
    return r;
}

/* Under the lock: writes the record of `id`; 0 when out of ids or memory. */
static int store_record(uint32_t id, uint64_t h, const stack_frame *frames, int n,
                        uint32_t origin) {
    if (id >= DIR_CHUNKS * DIR_CHUNK_IDS) return 0;
    _Atomic(stack_record **) *slot = &dir[id >> DIR_CHUNK_SHIFT];
    stack_record **chunk = atomic_load_explicit(slot, memory_order_relaxed);
    if (!chunk) {
        chunk = table_alloc(DIR_CHUNK_IDS * sizeof(stack_record *));
        if (!chunk) return 0;
        atomic_store_explicit(slot, chunk, memory_order_release);
    }
    stack_record *r = arena_take(sizeof(stack_record) + (size_t)n * sizeof(stack_frame));
    if (!r) return 0;
    r->hash = h;
    r->n = (uint32_t)n;
    r->origin = origin;
    for (int i = 0; i < n; i++) r->frames[i] = frames[i];
    chunk[id & (DIR_CHUNK_IDS - 1)] = r;
    return 1;
}

uint32_t stack_table_intern(const stack_frame *frames, int n, uint32_t origin) {
    if (n < 0) n = 0;
    if (n > STACK_MAX_FRAMES) n = STACK_MAX_FRAMES;
    uint64_t h = hash_frames(frames, n);
    stack_index *ix = atomic_load_explicit(&current_index, memory_order_acquire);
    uint32_t id = index_lookup(ix, h, frames, n);
    if (id) return id;

    spin_lock_acquire(&lock);
    ix = atomic_load_explicit(&current_index, memory_order_relaxed);
    id = index_lookup(ix, h, frames, n);
    if (id) goto out;
    if (!ix || (ix->used + 1) * 2 > ix->capacity) {
        ix = index_grow(ix);
        if (!ix) goto out;
    }
    uint32_t fresh = atomic_load_explicit(&count, memory_order_relaxed) + 1;
    if (!store_record(fresh, h, frames, n, origin)) goto out;
    atomic_store_explicit(&count, fresh, memory_order_release);
    index_put(ix, h, fresh);
    id = fresh;
out:
    spin_lock_release(&lock);
    return id;
}

int stack_table_get(uint32_t id, const stack_frame **frames, int *n, uint32_t *origin) {
    if (id == 0 || id > atomic_load_explicit(&count, memory_order_acquire)) return -1;
    const stack_record *r = record_of(id);
    if (frames) *frames = r->frames;
    if (n) *n = (int)r->n;
    if (origin) *origin = r->origin;
    return 0;
}

uint32_t stack_table_count(void) { return atomic_load_explicit(&count, memory_order_acquire); }

uint64_t stack_table_memory(void) {
    return atomic_load_explicit(&memory_bytes, memory_order_relaxed);
}
