#include "scope_stats.h"

#include <stdatomic.h>
#include <stddef.h>

#include "raw_memory.h"

/* One cache line per site: a hooked event on an existing site touches the scope_stats header
 * and exactly one more line. */
struct site_slot {
    uint32_t stack_id;
    uint32_t used;
    uint64_t allocated_bytes, allocated_count;
    uint64_t live_bytes, live_count;
    uint64_t at_peak_bytes, at_peak_count; /* valid while stamp == the scope's peak_version */
    uint64_t stamp;
};
_Static_assert(sizeof(struct site_slot) == 64, "a site is one cache line");

#define SITES_INITIAL 64u /* one page */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static size_t site_bytes(uint32_t capacity) { return (size_t)capacity * sizeof(struct site_slot); }

/* Stack ids are dense small integers: Fibonacci hashing spreads consecutive ids evenly. */
static inline uint32_t site_home(uint32_t stack_id, uint32_t capacity) {
    uint64_t h = (uint64_t)stack_id * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> (64 - __builtin_ctz(capacity)));
}

/* The uncontended case inline, the spinning out of line: keeps the hot paths free of the
 * call-preserved registers a sched_yield call would need. */
__attribute__((noinline, cold)) static void lock_contended(scope_stats *s) {
    spin_lock_acquire(&s->lock);
}

static inline void lock(scope_stats *s) {
    if (unlikely(atomic_exchange_explicit(&s->lock.held, 1, memory_order_acquire)))
        lock_contended(s);
}

static inline void unlock(scope_stats *s) { spin_lock_release(&s->lock); }

static inline int owned_by(const scope_stats *s, uint64_t owner) {
    return owner != 0 && s->owner == owner;
}

/* The slot for stack_id, or the empty slot where it would go (capacity must be > 0). */
static inline struct site_slot *site_probe(struct site_slot *sites, uint32_t capacity,
                                           uint32_t stack_id) {
    uint32_t mask = capacity - 1;
    for (uint32_t i = site_home(stack_id, capacity);; i = (i + 1) & mask) {
        struct site_slot *site = &sites[i];
        if (!site->used || site->stack_id == stack_id) return site;
    }
}

static inline struct site_slot *site_find(scope_stats *s, uint32_t stack_id) {
    if (!s->site_capacity) return NULL;
    struct site_slot *site = site_probe(s->sites, s->site_capacity, stack_id);
    return site->used ? site : NULL;
}

/* Doubles the table (or creates it) under the lock; the mmap happens there too, but only
 * log2(sites) times in a scope's life. */
__attribute__((cold)) static int sites_grow(scope_stats *s) {
    uint32_t old_capacity = s->site_capacity;
    uint32_t capacity = old_capacity ? old_capacity * 2 : SITES_INITIAL;
    if (capacity < old_capacity) return -1;
    struct site_slot *fresh = raw_alloc(site_bytes(capacity));
    if (!fresh) return -1;
    for (uint32_t i = 0; i < old_capacity; i++)
        if (s->sites[i].used) *site_probe(fresh, capacity, s->sites[i].stack_id) = s->sites[i];
    if (old_capacity) raw_free(s->sites, site_bytes(old_capacity));
    s->sites = fresh;
    s->site_capacity = capacity;
    return 0;
}

__attribute__((cold)) static struct site_slot *site_create(scope_stats *s, uint32_t stack_id) {
    /* Past 3/4 full, grow; if that fails, keep filling while one slot stays empty (probing
     * needs it), and only then give up on the site. */
    if ((s->site_count + 1) * 4 > s->site_capacity * 3 && sites_grow(s) < 0 &&
        s->site_count + 1 >= s->site_capacity)
        return NULL;
    struct site_slot *site = site_probe(s->sites, s->site_capacity, stack_id);
    /* From zeroed memory: stamp 0 and saved figures 0. Whether or not 0 is the current peak
     * version, the caller's site_touch then leaves the site at 0 at the peak — right for a
     * site born after it. */
    site->used = 1;
    site->stack_id = stack_id;
    s->site_count++;
    return site;
}

static inline struct site_slot *site_for_alloc(scope_stats *s, uint32_t stack_id) {
    struct site_slot *site = site_find(s, stack_id);
    if (likely(site != NULL)) return site;
    site = site_create(s, stack_id);
    if (site || stack_id == 0) return site;
    site = site_find(s, 0);
    return site ? site : site_create(s, 0);
}

/* Saves the site's live figures as its figures at the peak, once per peak, before they change. */
static inline void site_touch(struct site_slot *site, uint64_t peak_version) {
    if (site->stamp != peak_version) {
        site->at_peak_bytes = site->live_bytes;
        site->at_peak_count = site->live_count;
        site->stamp = peak_version;
    }
}

static inline uint64_t sub_floor0(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

/* Detaches the site table so that it can be unmapped after the lock is released. */
static void reset_figures(scope_stats *s, struct site_slot **sites, uint32_t *capacity) {
    *sites = s->sites;
    *capacity = s->site_capacity;
    s->sites = NULL;
    s->site_capacity = 0;
    s->site_count = 0;
    s->totals = (scope_totals){0};
    s->peak_version = 0;
    s->managed_held = 0;
}

int scope_stats_claim(scope_stats *s, uint64_t owner) {
    if (owner == 0) return -1;
    struct site_slot *sites;
    uint32_t capacity;
    lock(s);
    if (s->owner != 0 && s->owner != owner) {
        unlock(s);
        return -1;
    }
    reset_figures(s, &sites, &capacity);
    s->owner = owner;
    unlock(s);
    if (capacity) raw_free(sites, site_bytes(capacity));
    return 0;
}

void scope_stats_release(scope_stats *s, uint64_t owner) {
    struct site_slot *sites;
    uint32_t capacity;
    lock(s);
    if (!owned_by(s, owner)) {
        unlock(s);
        return;
    }
    reset_figures(s, &sites, &capacity);
    s->owner = 0;
    unlock(s);
    if (capacity) raw_free(sites, site_bytes(capacity));
}

int scope_stats_on_alloc(scope_stats *s, uint64_t owner, uint32_t stack_id, uint64_t bytes) {
    lock(s);
    if (unlikely(!owned_by(s, owner))) {
        unlock(s);
        return -1;
    }
    struct site_slot *site = site_for_alloc(s, stack_id);
    if (likely(site != NULL)) {
        site_touch(site, s->peak_version);
        site->allocated_bytes += bytes;
        site->allocated_count++;
        site->live_bytes += bytes;
        site->live_count++;
    }
    scope_totals *t = &s->totals;
    t->allocated_bytes += bytes;
    t->allocated_count++;
    t->live_bytes += bytes;
    t->live_count++;
    /* After this the touched site's stamp is stale, which is right: its live figures are its
     * figures at the new peak. */
    if (t->live_bytes > t->peak_bytes) {
        t->peak_bytes = t->live_bytes;
        s->peak_version++;
    }
    if (t->live_bytes + s->managed_held > t->combined_peak_bytes) t->combined_peak_bytes = t->live_bytes + s->managed_held;
    unlock(s);
    return 0;
}

int scope_stats_set_managed_held(scope_stats *s, uint64_t owner, uint64_t live) {
    lock(s);
    if (unlikely(!owned_by(s, owner))) {
        unlock(s);
        return -1;
    }
    s->managed_held = live;
    scope_totals *t = &s->totals;
    if (t->live_bytes + live > t->combined_peak_bytes) t->combined_peak_bytes = t->live_bytes + live;
    unlock(s);
    return 0;
}

int scope_stats_on_free(scope_stats *s, uint64_t owner, uint32_t stack_id, uint64_t bytes,
                        int whole) {
    uint64_t gone = whole ? 1 : 0;
    lock(s);
    if (unlikely(!owned_by(s, owner))) {
        unlock(s);
        return -1;
    }
    struct site_slot *site = site_find(s, stack_id);
    /* Not found: the allocation was counted under stack 0 when the site table was full. */
    if (unlikely(!site)) site = site_find(s, 0);
    /* Live figures floor at 0 so that a caller's inconsistency cannot wrap them around. */
    if (likely(site != NULL)) {
        site_touch(site, s->peak_version);
        site->live_bytes = sub_floor0(site->live_bytes, bytes);
        site->live_count = sub_floor0(site->live_count, gone);
    }
    scope_totals *t = &s->totals;
    t->freed_bytes += bytes;
    t->freed_count += gone;
    t->live_bytes = sub_floor0(t->live_bytes, bytes);
    t->live_count = sub_floor0(t->live_count, gone);
    unlock(s);
    return 0;
}

int scope_stats_totals(scope_stats *s, uint64_t owner, scope_totals *out) {
    lock(s);
    int ok = owned_by(s, owner);
    if (ok) *out = s->totals;
    unlock(s);
    return ok ? 0 : -1;
}

static void figures_of(const struct site_slot *site, uint64_t peak_version, site_figures *out) {
    int saved = site->stamp == peak_version;
    out->stack_id = site->stack_id;
    out->allocated_bytes = site->allocated_bytes;
    out->allocated_count = site->allocated_count;
    out->live_bytes = site->live_bytes;
    out->live_count = site->live_count;
    out->peak_bytes = saved ? site->at_peak_bytes : site->live_bytes;
    out->peak_count = saved ? site->at_peak_count : site->live_count;
}

/* out[0..n) as a max-heap on stack_id: restores the heap below position i. */
static void sift_down(site_figures *out, int n, int i) {
    for (;;) {
        int largest = i, l = 2 * i + 1, r = l + 1;
        if (l < n && out[l].stack_id > out[largest].stack_id) largest = l;
        if (r < n && out[r].stack_id > out[largest].stack_id) largest = r;
        if (largest == i) return;
        site_figures tmp = out[i];
        out[i] = out[largest];
        out[largest] = tmp;
        i = largest;
    }
}

static void sift_up(site_figures *out, int i) {
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (out[parent].stack_id >= out[i].stack_id) return;
        site_figures tmp = out[i];
        out[i] = out[parent];
        out[parent] = tmp;
        i = parent;
    }
}

/* The `max` smallest stack ids are kept in a bounded max-heap in the caller's array (no memory
 * of our own: this may run while hooks are active), then heap-sorted in place: O(n log max). */
int scope_stats_sites(scope_stats *s, uint64_t owner, site_figures *out, int max) {
    if (max < 0 || !out) max = 0;
    lock(s);
    if (!owned_by(s, owner)) {
        unlock(s);
        return -1;
    }
    int total = 0, kept = 0;
    for (uint32_t i = 0; i < s->site_capacity; i++) {
        const struct site_slot *site = &s->sites[i];
        if (!site->used || site->allocated_count == 0) continue;
        total++;
        if (kept < max) {
            figures_of(site, s->peak_version, &out[kept]);
            sift_up(out, kept++);
        } else if (max > 0 && site->stack_id < out[0].stack_id) {
            figures_of(site, s->peak_version, &out[0]);
            sift_down(out, kept, 0);
        }
    }
    unlock(s);
    for (int end = kept - 1; end > 0; end--) {
        site_figures tmp = out[0];
        out[0] = out[end];
        out[end] = tmp;
        sift_down(out, end, 0);
    }
    return total;
}
