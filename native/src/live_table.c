#include "live_table.h"

#include <stdatomic.h>

#include "raw_memory.h"
#include "spin_lock.h"

/*
 * Sizing. A stripe's slot array is a whole number of system pages (raw_alloc hands out pages
 * anyway: 4 KiB, or 64 KiB on some aarch64 kernels, where a 4 KiB unit left 15/16 of every
 * stripe's memory unused and uncounted), so capacities are not powers of two and the home slot
 * comes from a multiply-shift range reduction instead of a mask. Growth is x1.5 at a load of 0.8, so right after a growth
 * the load is 0.53 and memory stays <= 24 / 0.53 = 45 bytes per entry at *every* size:
 * doubling at 0.8 would drop to 0.4 (60 bytes), and at exactly 1M entries (15.6K per stripe)
 * power-of-two capacities sit at load 0.48: 50 bytes, over the 48-byte budget.
 */
/* growth unit of a stripe: the system page (raw_page_size) */
#define INITIAL_PAGES 1u
#define MAX_LOAD_NUM 4u
#define MAX_LOAD_DEN 5u

#define unlikely(x) __builtin_expect(!!(x), 0)

typedef struct {
    spin_lock lock;
    uint32_t capacity;         /* slots */
    uint32_t grow_at;          /* count that triggers a growth before the next insert */
    _Atomic uint32_t count;    /* written under the lock; read without it by live_table_count */
    _Atomic size_t bytes;      /* same */
    live_entry *slots;
} __attribute__((aligned(64))) stripe;

/* An unused stripe probes this one empty slot and finds nothing; its grow_at of 0 makes the
 * first insert allocate real slots. So lookups need no "not allocated yet" branch and the
 * table works before (or without) live_table_init. Never written. */
static live_entry no_slots[1];

static stripe stripes[LIVE_TABLE_STRIPES] = {
    [0 ... LIVE_TABLE_STRIPES - 1] = {SPIN_LOCK_INIT, 1, 0, 0, 0, no_slots}};

/* Two rounds of multiply + fold: allocator addresses are arithmetic progressions with
 * power-of-two strides (16 B chunks, 4 KiB pages, 2 MiB arenas), and a single multiply left
 * some of those clustered in measurements; this behaves like a random function on all of them. */
static inline uint64_t addr_hash(uint64_t addr) {
    uint64_t h = addr * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 32);
}

/* Stripe from the low bits, home slot from the high 32 bits: independent parts of the hash. */
static inline stripe *stripe_of(uint64_t h) { return &stripes[h & (LIVE_TABLE_STRIPES - 1)]; }

static inline uint32_t home_slot(uint64_t h, uint32_t capacity) {
    return (uint32_t)(((h >> 32) * capacity) >> 32);
}

/* The uncontended case inline; the spinning (which may call sched_yield) out of line, so that
 * the hot paths need no call-preserved registers for it. */
__attribute__((noinline, cold)) static void stripe_lock_contended(stripe *st) {
    spin_lock_acquire(&st->lock);
}

static inline void stripe_lock(stripe *st) {
    if (unlikely(atomic_exchange_explicit(&st->lock.held, 1, memory_order_acquire)))
        stripe_lock_contended(st);
}

static inline void stripe_unlock(stripe *st) { spin_lock_release(&st->lock); }

static inline uint32_t next_slot(uint32_t i, uint32_t capacity) {
    return ++i == capacity ? 0 : i;
}

static size_t pages_to_bytes(size_t pages) { return pages * raw_page_size(); }

/* Moves every entry to a new, larger slot array. Called with the stripe lock held; the other
 * threads of this stripe spin for the duration (one mmap + rehash; amortized O(1)). */
__attribute__((noinline, cold)) static int stripe_grow(stripe *st) {
    size_t old_bytes = atomic_load_explicit(&st->bytes, memory_order_relaxed);
    size_t old_pages = old_bytes / raw_page_size();
    size_t new_pages = old_pages == 0 ? INITIAL_PAGES : old_pages + (old_pages + 1) / 2;
    size_t new_capacity = pages_to_bytes(new_pages) / sizeof(live_entry);
    if (new_capacity > UINT32_MAX) return -1;
    live_entry *fresh = raw_alloc(pages_to_bytes(new_pages));
    if (!fresh) return -1;

    uint32_t cap = (uint32_t)new_capacity;
    live_entry *old = st->slots;
    for (uint32_t i = 0; i < st->capacity; i++) {
        if (!old[i].addr) continue;
        uint32_t j = home_slot(addr_hash(old[i].addr), cap);
        while (fresh[j].addr) j = next_slot(j, cap);
        fresh[j] = old[i];
    }
    st->slots = fresh;
    st->capacity = cap;
    st->grow_at = (uint32_t)(new_capacity * MAX_LOAD_NUM / MAX_LOAD_DEN);
    atomic_store_explicit(&st->bytes, pages_to_bytes(new_pages), memory_order_relaxed);
    if (old_bytes) raw_free(old, old_bytes);
    return 0;
}

int live_table_init(void) {
    /* Reserve each stripe's first page now, so that running out of memory shows here rather
     * than as silently dropped records later. Idempotent: only empty stripes are touched. */
    int rc = 0;
    for (int i = 0; i < LIVE_TABLE_STRIPES; i++) {
        stripe *st = &stripes[i];
        spin_lock_acquire(&st->lock);
        if (st->slots == no_slots && stripe_grow(st) < 0) rc = -1;
        spin_lock_release(&st->lock);
    }
    return rc;
}

int live_table_insert(const live_entry *e, live_entry *replaced) {
    uint64_t addr = e->addr;
    if (unlikely(addr == 0)) return -1;
    uint64_t h = addr_hash(addr);
    stripe *st = stripe_of(h);
    stripe_lock(st);
    uint32_t count = atomic_load_explicit(&st->count, memory_order_relaxed);
    if (unlikely(count >= st->grow_at) && stripe_grow(st) < 0) {
        stripe_unlock(st);
        return -1;
    }
    live_entry *slots = st->slots;
    uint32_t cap = st->capacity;
    uint32_t i = home_slot(h, cap);
    /* Terminates: the load is kept below 0.8, so an empty slot exists. */
    for (;;) {
        live_entry *s = &slots[i];
        if (s->addr == 0) {
            *s = *e;
            atomic_store_explicit(&st->count, count + 1, memory_order_relaxed);
            stripe_unlock(st);
            return 0;
        }
        if (s->addr == addr) {
            if (replaced) *replaced = *s;
            *s = *e;
            stripe_unlock(st);
            return 1;
        }
        i = next_slot(i, cap);
    }
}

/* Index of addr in st, or -1. Empty is tested before equality so that addr 0 is never found. */
static inline int64_t stripe_find(const stripe *st, uint64_t h, uint64_t addr) {
    const live_entry *slots = st->slots;
    uint32_t cap = st->capacity;
    uint32_t i = home_slot(h, cap);
    for (;;) {
        uint64_t a = slots[i].addr;
        if (a == 0) return -1;
        if (a == addr) return i;
        i = next_slot(i, cap);
    }
}

int live_table_remove(uint64_t addr, live_entry *out) {
    uint64_t h = addr_hash(addr);
    stripe *st = stripe_of(h);
    /* Most frees are of memory we never tracked: an empty stripe answers without its lock. An
     * insert of this very address cannot be racing us — it is not allocated while being freed. */
    if (atomic_load_explicit(&st->count, memory_order_acquire) == 0) return 0;
    stripe_lock(st);
    int64_t found = stripe_find(st, h, addr);
    if (found < 0) {
        stripe_unlock(st);
        return 0;
    }
    live_entry *slots = st->slots;
    uint32_t cap = st->capacity;
    uint32_t hole = (uint32_t)found;
    if (out) *out = slots[hole];
    /* Backward-shift deletion: walk the cluster after the hole and pull back every entry whose
     * home is not in (hole, j] cyclically — such an entry would become unreachable behind the
     * hole. What remains is exactly the table without addr, so no tombstones are needed. */
    for (uint32_t j = next_slot(hole, cap);; j = next_slot(j, cap)) {
        uint64_t a = slots[j].addr;
        if (a == 0) break;
        uint32_t home = home_slot(addr_hash(a), cap);
        int stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (stays) continue;
        slots[hole] = slots[j];
        hole = j;
    }
    slots[hole].addr = 0;
    atomic_store_explicit(&st->count, atomic_load_explicit(&st->count, memory_order_relaxed) - 1,
                          memory_order_relaxed);
    stripe_unlock(st);
    return 1;
}

int live_table_find(uint64_t addr, live_entry *out) {
    uint64_t h = addr_hash(addr);
    stripe *st = stripe_of(h);
    stripe_lock(st);
    int64_t found = stripe_find(st, h, addr);
    if (found >= 0 && out) *out = st->slots[found];
    stripe_unlock(st);
    return found >= 0;
}

void live_table_foreach(int (*fn)(const live_entry *e, void *arg), void *arg) {
    for (int i = 0; i < LIVE_TABLE_STRIPES; i++) {
        stripe *st = &stripes[i];
        int stop = 0;
        spin_lock_acquire(&st->lock);
        for (uint32_t j = 0; j < st->capacity && !stop; j++)
            if (st->slots[j].addr) stop = fn(&st->slots[j], arg);
        spin_lock_release(&st->lock);
        if (stop) return;
    }
}

size_t live_table_count(void) {
    size_t n = 0;
    for (int i = 0; i < LIVE_TABLE_STRIPES; i++)
        n += atomic_load_explicit(&stripes[i].count, memory_order_relaxed);
    return n;
}

size_t live_table_memory(void) {
    size_t n = 0;
    for (int i = 0; i < LIVE_TABLE_STRIPES; i++)
        n += atomic_load_explicit(&stripes[i].bytes, memory_order_relaxed);
    return n;
}

void live_table_reset(void) {
    for (int i = 0; i < LIVE_TABLE_STRIPES; i++) {
        stripe *st = &stripes[i];
        spin_lock_acquire(&st->lock);
        size_t bytes = atomic_load_explicit(&st->bytes, memory_order_relaxed);
        if (bytes) raw_free(st->slots, bytes);
        st->slots = no_slots;
        st->capacity = 1;
        st->grow_at = 0;
        atomic_store_explicit(&st->count, 0, memory_order_relaxed);
        atomic_store_explicit(&st->bytes, 0, memory_order_relaxed);
        spin_lock_release(&st->lock);
    }
}

int live_table_stripe_of(uint64_t addr) {
    return (int)(addr_hash(addr) & (LIVE_TABLE_STRIPES - 1));
}
