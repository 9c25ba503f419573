/*
 * live_table.h — address -> {size, stack id, scope id} for every tracked live allocation.
 *
 * Open addressing (linear probing, backward-shift deletion, no tombstones), split into
 * LIVE_TABLE_STRIPES independently locked stripes chosen by a hash of the address; each stripe
 * grows on its own by rehashing into memory from raw_alloc. No malloc, no libc locks: callable
 * from inside allocation hooks on any thread. Target: <= 48 bytes of table memory per live
 * entry at steady state (entry is 24 bytes; keep the load factor >= 0.5 after growth).
 * A stripe starts at one system page (on its first insert, or at live_table_init) and grows x1.5
 * when its load reaches 0.8, so its load stays in [0.53, 0.8] (<= 45 bytes per entry) at any
 * size; it never shrinks (until live_table_reset).
 */
#ifndef MEMTRACK_LIVE_TABLE_H
#define MEMTRACK_LIVE_TABLE_H
#include <stddef.h>
#include <stdint.h>

#define LIVE_TABLE_STRIPES 64 /* a power of two */

typedef struct {
    uint64_t addr;     /* 0 = empty slot; never a valid key */
    uint64_t size;
    uint32_t stack_id;
    uint32_t scope_id; /* innermost scope the allocation was attributed to */
} live_entry;

/* Idempotent; returns 0 or -1 when memory could not be reserved. Thread-safe. */
int live_table_init(void);
/* Inserts or replaces the entry for e->addr. Returns 0 if inserted, 1 if it replaced an entry
 * (the replaced one is copied to *replaced when not NULL), -1 when out of memory or when
 * e->addr is 0. */
int live_table_insert(const live_entry *e, live_entry *replaced);
/* Removes the entry for addr, copying it to *out. Returns 1 if found, 0 if not. */
int live_table_remove(uint64_t addr, live_entry *out);
/* Looks addr up without removing it. Returns 1 if found. */
int live_table_find(uint64_t addr, live_entry *out);
/* Calls fn for every entry (each stripe locked while it is visited; fn must not call back
 * into the table). Stops early when fn returns non-zero. */
void live_table_foreach(int (*fn)(const live_entry *e, void *arg), void *arg);
/* Entries currently held, and bytes of table memory (slots of all stripes). */
size_t live_table_count(void);
size_t live_table_memory(void);
/* The stripe (0..LIVE_TABLE_STRIPES-1) that holds addr: for tests and diagnostics. */
int live_table_stripe_of(uint64_t addr);
/* Drops everything (tests only; not thread-safe against concurrent users). */
void live_table_reset(void);
#endif
