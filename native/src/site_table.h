/*
 * site_table.h — the one site/peak table of both domains: per allocation site (keyed by stack
 * id) a figure whose high-water mark is the scope's peak, and every site's figure at that peak.
 * scope_stats.c (native: the figure is live bytes/count) and heap_stats.c (managed: held bytes
 * and fixed-point counts) keep their own totals and site payloads around it.
 *
 * The table is open addressing with linear probing, keyed by stack id (Fibonacci hashing: ids
 * are dense small integers), in raw_alloc'd memory, doubled past 3/4 full. When it cannot grow,
 * it keeps filling while one slot stays empty (probing needs it) and then counts new sites under
 * stack id 0's site if there is one. No malloc, no lock of its own: the caller serialises (scope_stats' spin lock,
 * heap_lock), so it is callable from hooks.
 *
 * A slot is a site_head followed by the domain's payload (the domain's slot struct starts with a
 * site_head); every slot of one table has the same size, `slot_bytes`, which every call names
 * (the domain passes its sizeof): the hot lookups are inline, so the stride stays a compile-time
 * constant, and the table header stays as small as the copies it replaced (a scope_slot is 128
 * bytes, so the hooks index the scope array with a shift).
 *
 * Peak (O(1) per event, exact attribution at the high-water mark):
 *   the domain keeps the scope's level (sum of the sites' levels) and its peak. When an event
 *   makes the level exceed the peak, peak := level and peak_version++ (nothing else is touched:
 *   site_table_raise). Before a site's level changes, site_touch saves it as the site's level at
 *   the peak once per peak version (stamp := peak_version). A site's figure at the peak is then
 *   (stamp == peak_version ? at_peak : level) (site_at_peak); summed over the sites it is the
 *   peak. Order for an event that raises the level: touch the site, add to the site and to the
 *   level, then raise — after which the touched site's stamp is stale, which is right: its
 *   current level is its figure at the new peak. A site created after a peak starts from zeroed
 *   memory (stamp 0, at_peak 0): whether or not 0 is the current version, it is 0 at that peak.
 */
#ifndef MEMTRACK_SITE_TABLE_H
#define MEMTRACK_SITE_TABLE_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t stack_id;
    uint32_t used;
    uint64_t level_bytes, level_count;     /* the figure the peak is the high-water mark of */
    uint64_t at_peak_bytes, at_peak_count; /* valid while stamp == the table's peak_version */
    uint64_t stamp;
} site_head;

typedef struct {
    unsigned char *sites;  /* capacity slots of slot_bytes each, from raw_alloc; NULL when empty */
    uint32_t capacity;     /* 0 or a power of two */
    uint32_t count;        /* slots in use */
    uint64_t peak_version;
} site_table;

#define SITE_TABLE_INITIAL 64u /* slots of a new table (one 4 KiB page of 64-byte native slots) */

/* An empty table is all zero. `slot_bytes` below: a multiple of 8, at least sizeof(site_head). */

static inline uint32_t site_table_home(uint32_t stack_id, uint32_t capacity) {
    uint64_t h = (uint64_t)stack_id * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> (64 - __builtin_ctz(capacity)));
}

/* The slot for stack_id, or the empty slot where it would go (capacity > 0, one slot empty). */
static inline site_head *site_table_probe(unsigned char *sites, uint32_t capacity, size_t slot_bytes,
                                          uint32_t stack_id) {
    uint32_t mask = capacity - 1;
    for (uint32_t i = site_table_home(stack_id, capacity);; i = (i + 1) & mask) {
        site_head *site = (site_head *)(sites + (size_t)i * slot_bytes);
        if (!site->used || site->stack_id == stack_id) return site;
    }
}

/* The site of stack_id, or NULL. `slot_bytes` must be the table's (pass the sizeof). */
static inline site_head *site_table_find(const site_table *t, size_t slot_bytes, uint32_t stack_id) {
    if (!t->capacity) return NULL;
    site_head *site = site_table_probe(t->sites, t->capacity, slot_bytes, stack_id);
    return site->used ? site : NULL;
}

/* A new site for stack_id (not in the table), growing the table if needed; when it cannot (no
 * memory, and only the one slot probing needs is left empty), the site of stack id 0 (found, or
 * created if a slot freed up meanwhile), else NULL: the caller counts the event in its totals
 * only. Cold: once per site. */
site_head *site_table_add(site_table *t, size_t slot_bytes, uint32_t stack_id);

/* The site of stack_id, created if needed (site_table_add's fallbacks). */
static inline site_head *site_table_get(site_table *t, size_t slot_bytes, uint32_t stack_id) {
    site_head *site = site_table_find(t, slot_bytes, stack_id);
    if (__builtin_expect(site != NULL, 1)) return site;
    return site_table_add(t, slot_bytes, stack_id);
}

/* The site an event on an existing allocation of stack_id goes to: its own, or stack id 0's
 * (where it was counted when the table was full), or NULL. */
static inline site_head *site_table_find_or_0(const site_table *t, size_t slot_bytes, uint32_t stack_id) {
    site_head *site = site_table_find(t, slot_bytes, stack_id);
    if (__builtin_expect(!site, 0)) site = site_table_find(t, slot_bytes, 0);
    return site;
}

/* Saves the site's level as its level at the peak, once per peak, before it changes. */
static inline void site_touch(site_head *site, uint64_t peak_version) {
    if (site->stamp != peak_version) {
        site->at_peak_bytes = site->level_bytes;
        site->at_peak_count = site->level_count;
        site->stamp = peak_version;
    }
}

/* After the level rose to `level`: a new peak when it exceeds *peak. */
static inline void site_table_raise(site_table *t, uint64_t level, uint64_t *peak) {
    if (level > *peak) {
        *peak = level;
        t->peak_version++;
    }
}

/* The site's level at the table's peak. */
static inline void site_at_peak(const site_head *site, uint64_t peak_version, uint64_t *bytes,
                                uint64_t *count) {
    int saved = site->stamp == peak_version;
    *bytes = saved ? site->at_peak_bytes : site->level_bytes;
    *count = saved ? site->at_peak_count : site->level_count;
}

/* Empties t (sites, count, peak version) and moves its memory to *detached, so that a caller
 * holding a spin lock can unmap it after releasing the lock (site_table_free). */
void site_table_detach(site_table *t, site_table *detached);
/* Unmaps a table's memory (a detached one, or one nobody else can reach) and empties it. */
void site_table_free(site_table *t, size_t slot_bytes);

/* Listing sites ordered by stack id into the caller's array of figures (no memory of our own).
 * Each element is `out_bytes` long (at most SITE_LIST_MAX_ELEMENT) and starts with the uint32_t
 * stack id. `fill` writes one site's figures into an element and returns 1, or returns 0 for a
 * site that is not listed (nothing allocated there yet).
 *
 * site_table_select keeps the `max` smallest stack ids of the listed sites in out (as a heap,
 * O(n log max)) and returns how many sites are listed in all (may exceed max); site_list_sort
 * then orders out[0..min(total, max)) by stack id — outside the caller's lock if it likes.
 * site_table_select returns -1 when out_bytes is out of range. */
#define SITE_LIST_MAX_ELEMENT 128
typedef int (*site_fill_fn)(const site_head *site, uint64_t peak_version, void *out);
int site_table_select(const site_table *t, size_t slot_bytes, void *out, size_t out_bytes, int max,
                      site_fill_fn fill);
void site_list_sort(void *out, size_t out_bytes, int n);
#endif
