/*
 * heap_stats.c — managed figures per scope and site (heap_stats.h). The sites and the peak are
 * the one site/peak table (site_table.h) with held bytes/counts as the level; estimated and live
 * figures are the payload of each site. One lock for everything (heap_lock).
 */
#include "heap_stats.h"

#include <stdatomic.h>
#include <stddef.h>

#include "site_table.h"
#include "scopes.h"

/* The site_head's level is the site's held bytes/count (fixed point). */
struct heap_site {
    site_head h;
    uint64_t samples;
    uint64_t est_bytes, est_count_fp;
    uint64_t live_bytes, live_count_fp;
};
_Static_assert(offsetof(heap_site_figures, stack_id) == 0 && sizeof(heap_site_figures) <= SITE_LIST_MAX_ELEMENT,
               "heap_site_figures is listed by site_table_select");

typedef struct {
    uint32_t owner;
    heap_totals t;
    site_table sites;
} heap_slot;

static heap_slot slots[MAX_SCOPES];

static inline uint64_t sub0(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

static void reset(heap_slot *s) {
    site_table_free(&s->sites, sizeof(struct heap_site));
    *s = (heap_slot){0};
}

static int scope_alive(uint32_t id) {
    scope_slot *ts = tracker_scope(id);
    return ts && atomic_load_explicit(&ts->state, memory_order_relaxed) != SCOPE_FREE;
}

/* The slot of `id`; with `claim`, taken over for a live scope (the previous owner of the same
 * index is necessarily gone: tracker slots use the same index). */
static heap_slot *slot_for(uint32_t id, int claim) {
    heap_slot *s = &slots[id % MAX_SCOPES];
    if (s->owner == id) return s;
    if (!claim || !scope_alive(id)) return NULL;
    reset(s);
    s->owner = id;
    return s;
}

static uint32_t parent_of(uint32_t id) {
    uint32_t parent;
    return id != 0 && scopes_parent_of(&scope_slots[id % MAX_SCOPES], id, &parent) ? parent : 0;
}

static inline struct heap_site *site_get(heap_slot *s, uint32_t stack_id) {
    return (struct heap_site *)site_table_get(&s->sites, sizeof(struct heap_site), stack_id);
}

/* The site of an existing sample: its own, or stack 0's when the table was full. */
static inline struct heap_site *site_of(heap_slot *s, uint32_t stack_id) {
    return (struct heap_site *)site_table_find_or_0(&s->sites, sizeof(struct heap_site), stack_id);
}

#define EACH_SCOPE(first, slot, claim)                                                 \
    for (uint32_t id_ = (first), depth_ = 0; id_ != 0 && depth_ < 64; id_ = parent_of(id_), depth_++) \
        if (((slot) = slot_for(id_, (claim))) != NULL)

void heap_stats_on_sample(uint32_t scope, uint32_t stack_id, uint64_t weight, uint64_t count_fp, int metered) {
    heap_slot *s;
    EACH_SCOPE(scope, s, 1) {
        s->t.samples++;
        s->t.est_bytes += weight;
        s->t.est_count_fp += count_fp;
        if (metered) s->t.est_metered_bytes += weight;
        s->t.live_bytes += weight;
        s->t.live_count_fp += count_fp;
        struct heap_site *site = site_get(s, stack_id);
        if (site) {
            site->samples++;
            site->est_bytes += weight;
            site->est_count_fp += count_fp;
            site->live_bytes += weight;
            site->live_count_fp += count_fp;
        }
    }
}

void heap_stats_on_hold(uint32_t scope, uint32_t stack_id, uint64_t weight, uint64_t count_fp) {
    heap_slot *s;
    EACH_SCOPE(scope, s, 0) {
        struct heap_site *site = site_of(s, stack_id);
        if (site) {
            site_touch(&site->h, s->sites.peak_version);
            site->h.level_bytes += weight;
            site->h.level_count += count_fp;
        }
        s->t.held_bytes += weight;
        s->t.held_count_fp += count_fp;
        /* After this the touched site's stamp is stale, which is right: its held figures are
         * its figures at the new peak. */
        site_table_raise(&s->sites, s->t.held_bytes, &s->t.peak_bytes);
        tracker_note_managed_held(id_, s->t.held_bytes);
    }
}

void heap_stats_on_free(uint32_t scope, uint32_t stack_id, uint64_t weight, uint64_t count_fp, int held) {
    heap_slot *s;
    EACH_SCOPE(scope, s, 0) {
        struct heap_site *site = site_of(s, stack_id);
        if (site) {
            site->live_bytes = sub0(site->live_bytes, weight);
            site->live_count_fp = sub0(site->live_count_fp, count_fp);
            if (held) {
                site_touch(&site->h, s->sites.peak_version);
                site->h.level_bytes = sub0(site->h.level_bytes, weight);
                site->h.level_count = sub0(site->h.level_count, count_fp);
            }
        }
        s->t.freed_bytes += weight;
        s->t.freed_count_fp += count_fp;
        s->t.live_bytes = sub0(s->t.live_bytes, weight);
        s->t.live_count_fp = sub0(s->t.live_count_fp, count_fp);
        if (held) {
            s->t.held_bytes = sub0(s->t.held_bytes, weight);
            s->t.held_count_fp = sub0(s->t.held_count_fp, count_fp);
            tracker_note_managed_held(id_, s->t.held_bytes);
        }
    }
}

void heap_stats_add_exact(uint32_t scope, uint64_t bytes) {
    heap_slot *s;
    EACH_SCOPE(scope, s, 1) {
        s->t.exact_bytes += bytes;
        s->t.metered = 1;
    }
}

int heap_stats_totals(uint32_t scope, heap_totals *out) {
    heap_slot *s = scope ? slot_for(scope, 0) : NULL;
    if (!s) return -1;
    *out = s->t;
    return 0;
}

/* A site's figures for heap_stats_sites; sites without a sample are not listed. */
static int figures_of(const site_head *head, uint64_t peak_version, void *out) {
    const struct heap_site *site = (const struct heap_site *)head;
    if (site->samples == 0) return 0;
    heap_site_figures *f = out;
    *f = (heap_site_figures){
        .stack_id = head->stack_id,
        .samples = site->samples,
        .est_bytes = site->est_bytes,
        .est_count_fp = site->est_count_fp,
        .live_bytes = site->live_bytes,
        .live_count_fp = site->live_count_fp,
    };
    site_at_peak(head, peak_version, &f->peak_bytes, &f->peak_count_fp);
    return 1;
}

int heap_stats_sites(uint32_t scope, heap_site_figures *out, int max) {
    heap_slot *s = scope ? slot_for(scope, 0) : NULL;
    if (!s) return -1;
    int total = site_table_select(&s->sites, sizeof(struct heap_site), out, sizeof *out, max, figures_of);
    site_list_sort(out, sizeof *out, total < max ? total : max);
    return total;
}

void heap_stats_release(uint32_t scope) {
    heap_slot *s = &slots[scope % MAX_SCOPES];
    if (scope && s->owner == scope) reset(s);
}
