#include "scope_stats.h"

#include <stdatomic.h>
#include <stddef.h>

/* One cache line per site: a hooked event on an existing site touches the scope_stats header
 * and exactly one more line. The site_head's level is the site's live bytes/count. */
struct native_site {
    site_head h;
    uint64_t allocated_bytes, allocated_count;
};
_Static_assert(sizeof(struct native_site) == 64, "a site is one cache line");
_Static_assert(offsetof(site_figures, stack_id) == 0 && sizeof(site_figures) <= SITE_LIST_MAX_ELEMENT,
               "site_figures is listed by site_table_select");

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

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

/* The hot lookups with the slot size as a constant (site_table.h). */
static inline struct native_site *site_for_alloc(scope_stats *s, uint32_t stack_id) {
    return (struct native_site *)site_table_get(&s->sites, sizeof(struct native_site), stack_id);
}

static inline struct native_site *site_for_free(scope_stats *s, uint32_t stack_id) {
    return (struct native_site *)site_table_find_or_0(&s->sites, sizeof(struct native_site), stack_id);
}

static inline uint64_t sub_floor0(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

/* Zero figures and an empty table; the old table's memory goes to *old, to be unmapped after
 * the lock is released. */
static void reset_figures(scope_stats *s, site_table *old) {
    site_table_detach(&s->sites, old);
    s->totals = (scope_totals){0};
    s->managed_held = 0;
}

int scope_stats_claim(scope_stats *s, uint64_t owner) {
    if (owner == 0) return -1;
    site_table old;
    lock(s);
    if (s->owner != 0 && s->owner != owner) {
        unlock(s);
        return -1;
    }
    reset_figures(s, &old);
    s->owner = owner;
    unlock(s);
    site_table_free(&old, sizeof(struct native_site));
    return 0;
}

void scope_stats_release(scope_stats *s, uint64_t owner) {
    site_table old;
    lock(s);
    if (!owned_by(s, owner)) {
        unlock(s);
        return;
    }
    reset_figures(s, &old);
    s->owner = 0;
    unlock(s);
    site_table_free(&old, sizeof(struct native_site));
}

int scope_stats_on_alloc(scope_stats *s, uint64_t owner, uint32_t stack_id, uint64_t bytes) {
    lock(s);
    if (unlikely(!owned_by(s, owner))) {
        unlock(s);
        return -1;
    }
    struct native_site *site = site_for_alloc(s, stack_id);
    if (likely(site != NULL)) {
        site_touch(&site->h, s->sites.peak_version);
        site->allocated_bytes += bytes;
        site->allocated_count++;
        site->h.level_bytes += bytes;
        site->h.level_count++;
    }
    scope_totals *t = &s->totals;
    t->allocated_bytes += bytes;
    t->allocated_count++;
    t->live_bytes += bytes;
    t->live_count++;
    /* After this the touched site's stamp is stale, which is right: its live figures are its
     * figures at the new peak. */
    site_table_raise(&s->sites, t->live_bytes, &t->peak_bytes);
    uint64_t combined = t->live_bytes + s->managed_held;
    if (combined > t->combined_peak_bytes) t->combined_peak_bytes = combined;
    if (combined > t->interval_peak_bytes) t->interval_peak_bytes = combined;
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
    uint64_t combined = t->live_bytes + live;
    if (combined > t->combined_peak_bytes) t->combined_peak_bytes = combined;
    if (combined > t->interval_peak_bytes) t->interval_peak_bytes = combined;
    unlock(s);
    return 0;
}

int scope_stats_take_interval_peak(scope_stats *s, uint64_t owner, uint64_t *out) {
    lock(s);
    if (unlikely(!owned_by(s, owner))) {
        unlock(s);
        return -1;
    }
    *out = s->totals.interval_peak_bytes;
    s->totals.interval_peak_bytes = s->totals.live_bytes + s->managed_held;
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
    /* Not found: the allocation was counted under stack 0 when the site table was full. */
    struct native_site *site = site_for_free(s, stack_id);
    /* Live figures floor at 0 so that a caller's inconsistency cannot wrap them around. */
    if (likely(site != NULL)) {
        site_touch(&site->h, s->sites.peak_version);
        site->h.level_bytes = sub_floor0(site->h.level_bytes, bytes);
        site->h.level_count = sub_floor0(site->h.level_count, gone);
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

/* A site's figures for scope_stats_sites; sites with nothing allocated are not listed. */
static int figures_of(const site_head *head, uint64_t peak_version, void *out) {
    const struct native_site *site = (const struct native_site *)head;
    if (site->allocated_count == 0) return 0;
    site_figures *f = out;
    f->stack_id = head->stack_id;
    f->allocated_bytes = site->allocated_bytes;
    f->allocated_count = site->allocated_count;
    f->live_bytes = head->level_bytes;
    f->live_count = head->level_count;
    site_at_peak(head, peak_version, &f->peak_bytes, &f->peak_count);
    return 1;
}

/* The `max` smallest stack ids in the caller's array (no memory of our own: this may run while
 * hooks are active), sorted after the lock is released. */
int scope_stats_sites(scope_stats *s, uint64_t owner, site_figures *out, int max) {
    if (max < 0 || !out) max = 0;
    lock(s);
    if (!owned_by(s, owner)) {
        unlock(s);
        return -1;
    }
    int total = site_table_select(&s->sites, sizeof(struct native_site), out, sizeof *out, max, figures_of);
    unlock(s);
    site_list_sort(out, sizeof *out, total < max ? total : max);
    return total;
}
