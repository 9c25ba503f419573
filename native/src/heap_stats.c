/*
 * heap_stats.c — managed figures per scope and site (heap_stats.h). Same shape as scope_stats.c
 * (open-addressing site table from raw_alloc, the stamped peak), but with estimated counts and
 * held bytes kept apart from live bytes, and one lock for everything (heap_lock).
 */
#include "heap_stats.h"

#include <stdatomic.h>
#include <stddef.h>

#include "raw_memory.h"
#include "scopes.h"

struct heap_site {
    uint32_t stack_id, used;
    uint64_t samples;
    uint64_t est_bytes, est_count_fp;
    uint64_t live_bytes, live_count_fp;
    uint64_t held_bytes, held_count_fp;
    uint64_t at_peak_bytes, at_peak_count_fp; /* valid while stamp == the slot's peak_version */
    uint64_t stamp;
};

typedef struct {
    uint32_t owner;
    heap_totals t;
    uint64_t peak_version;
    struct heap_site *sites;
    uint32_t capacity, count;
} heap_slot;

static heap_slot slots[MAX_SCOPES];

#define SITES_INITIAL 64u

static size_t site_bytes(uint32_t capacity) { return (size_t)capacity * sizeof(struct heap_site); }

static inline uint64_t sub0(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

static void reset(heap_slot *s) {
    if (s->capacity) raw_free(s->sites, site_bytes(s->capacity));
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

static inline uint32_t home(uint32_t stack_id, uint32_t capacity) {
    uint64_t h = (uint64_t)stack_id * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> (64 - __builtin_ctz(capacity)));
}

static struct heap_site *probe(struct heap_site *sites, uint32_t capacity, uint32_t stack_id) {
    for (uint32_t i = home(stack_id, capacity);; i = (i + 1) & (capacity - 1))
        if (!sites[i].used || sites[i].stack_id == stack_id) return &sites[i];
}

static struct heap_site *site_find(heap_slot *s, uint32_t stack_id) {
    if (!s->capacity) return NULL;
    struct heap_site *site = probe(s->sites, s->capacity, stack_id);
    return site->used ? site : NULL;
}

static int grow(heap_slot *s) {
    uint32_t capacity = s->capacity ? s->capacity * 2 : SITES_INITIAL;
    struct heap_site *fresh = raw_alloc(site_bytes(capacity));
    if (!fresh) return -1;
    for (uint32_t i = 0; i < s->capacity; i++)
        if (s->sites[i].used) *probe(fresh, capacity, s->sites[i].stack_id) = s->sites[i];
    if (s->capacity) raw_free(s->sites, site_bytes(s->capacity));
    s->sites = fresh;
    s->capacity = capacity;
    return 0;
}

/* The site, created if needed; when the table cannot grow, stack id 0 collects the rest. */
static struct heap_site *site_get(heap_slot *s, uint32_t stack_id) {
    struct heap_site *site = site_find(s, stack_id);
    if (site) return site;
    if ((s->count + 1) * 4 > s->capacity * 3 && grow(s) < 0 && s->count + 1 >= s->capacity)
        return stack_id ? site_get(s, 0) : NULL;
    site = probe(s->sites, s->capacity, stack_id);
    site->used = 1;
    site->stack_id = stack_id;
    s->count++;
    return site;
}

/* Saves a site's held figures as its figures at the peak, once per peak, before they change. */
static void touch(heap_slot *s, struct heap_site *site) {
    if (site->stamp != s->peak_version) {
        site->at_peak_bytes = site->held_bytes;
        site->at_peak_count_fp = site->held_count_fp;
        site->stamp = s->peak_version;
    }
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
        struct heap_site *site = site_find(s, stack_id);
        if (!site) site = site_find(s, 0);
        if (site) {
            touch(s, site);
            site->held_bytes += weight;
            site->held_count_fp += count_fp;
        }
        s->t.held_bytes += weight;
        s->t.held_count_fp += count_fp;
        /* After this the touched site's stamp is stale, which is right: its held figures are
         * its figures at the new peak. */
        if (s->t.held_bytes > s->t.peak_bytes) {
            s->t.peak_bytes = s->t.held_bytes;
            s->peak_version++;
        }
        tracker_note_managed_held(id_, s->t.held_bytes);
    }
}

void heap_stats_on_free(uint32_t scope, uint32_t stack_id, uint64_t weight, uint64_t count_fp, int held) {
    heap_slot *s;
    EACH_SCOPE(scope, s, 0) {
        struct heap_site *site = site_find(s, stack_id);
        if (!site) site = site_find(s, 0);
        if (site) {
            site->live_bytes = sub0(site->live_bytes, weight);
            site->live_count_fp = sub0(site->live_count_fp, count_fp);
            if (held) {
                touch(s, site);
                site->held_bytes = sub0(site->held_bytes, weight);
                site->held_count_fp = sub0(site->held_count_fp, count_fp);
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

int heap_stats_sites(uint32_t scope, heap_site_figures *out, int max) {
    heap_slot *s = scope ? slot_for(scope, 0) : NULL;
    if (!s) return -1;
    int n = 0;
    for (uint32_t i = 0; i < s->capacity; i++) {
        const struct heap_site *site = &s->sites[i];
        if (!site->used || site->samples == 0) continue;
        if (n < max) {
            int saved = site->stamp == s->peak_version;
            out[n] = (heap_site_figures){
                .stack_id = site->stack_id,
                .samples = site->samples,
                .est_bytes = site->est_bytes,
                .est_count_fp = site->est_count_fp,
                .live_bytes = site->live_bytes,
                .live_count_fp = site->live_count_fp,
                .peak_bytes = saved ? site->at_peak_bytes : site->held_bytes,
                .peak_count_fp = saved ? site->at_peak_count_fp : site->held_count_fp,
            };
        }
        n++;
    }
    return n;
}

void heap_stats_release(uint32_t scope) {
    heap_slot *s = &slots[scope % MAX_SCOPES];
    if (scope && s->owner == scope) reset(s);
}
