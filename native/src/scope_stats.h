/*
 * scope_stats.h — per-scope figures and per-stack sites, with an exact peak.
 *
 * A scope_stats lives in memory the caller provides and is never unmapped while the process
 * runs (so a late free racing a release is harmless): `owner` identifies which scope currently
 * uses it; every update names the owner it expects and is ignored (returns -1) on a mismatch.
 * All operations take the struct's spin lock; they never malloc: callable from hooks.
 *
 * Sites and the peak are the one site/peak table (site_table.h) with live bytes/count as the
 * level: totals.live is the scope's live bytes, totals.peak its maximum so far, and every site's
 * live figures at that peak are known exactly, O(1) per event.
 */
#ifndef MEMTRACK_SCOPE_STATS_H
#define MEMTRACK_SCOPE_STATS_H
#include <stdint.h>
#include "site_table.h"
#include "spin_lock.h"

typedef struct {
    uint64_t allocated_bytes, allocated_count;
    uint64_t freed_bytes, freed_count;
    uint64_t live_bytes, live_count;
    uint64_t peak_bytes;
    uint64_t combined_peak_bytes; /* largest live_bytes + the other domain's live at one instant */
    /* The same, reached since the last scope_stats_take_interval_peak (the timeline's poll). */
    uint64_t interval_peak_bytes;
} scope_totals;

typedef struct {
    uint32_t stack_id;
    uint64_t allocated_bytes, allocated_count;
    uint64_t live_bytes, live_count;
    uint64_t peak_bytes, peak_count; /* live at the scope's peak */
} site_figures;

typedef struct {
    spin_lock lock;
    uint64_t owner;   /* 0 = unused */
    scope_totals totals;
    uint64_t managed_held; /* the managed heap's held bytes of this scope (the other domain's live) */
    site_table sites; /* per stack id: allocated figures, live figures as the peak's level */
} scope_stats;

/* Claims s for `owner` (> 0) with zero figures. Previous sites are dropped. Returns 0, or -1
 * if s is still owned by someone else. */
int scope_stats_claim(scope_stats *s, uint64_t owner);
/* Gives s up (owner := 0) and releases its site memory. No-op if owner does not match. */
void scope_stats_release(scope_stats *s, uint64_t owner);
/* An allocation of `bytes` at stack `stack_id`. Returns 0, -1 on owner mismatch. If the site
 * table cannot grow, totals are still updated and the site is counted under stack id 0. */
int scope_stats_on_alloc(scope_stats *s, uint64_t owner, uint32_t stack_id, uint64_t bytes);
/* `bytes` released from an allocation made at `stack_id`. `whole` is 1 when the allocation is
 * gone entirely (free, full munmap: live_count decreases and freed_count increases), 0 for a
 * partial munmap (bytes only). Returns 0, -1 on owner mismatch. */
int scope_stats_on_free(scope_stats *s, uint64_t owner, uint32_t stack_id, uint64_t bytes, int whole);
/* The other domain's live bytes changed to `live` (the managed heap's held bytes, set by the
 * heap engine under its own lock): totals.combined_peak_bytes, native + other at one instant, is
 * the largest sum either kind of event leaves; it equals peak_bytes while the other domain holds
 * nothing. Returns 0, -1 on owner mismatch. */
int scope_stats_set_managed_held(scope_stats *s, uint64_t owner, uint64_t live);
/* The largest native live + other domain's live reached since the previous call (since the claim
 * for the first), into *out; then starts the next interval at the current sum. One reader (the
 * timeline poll) per scope. Returns 0, -1 on owner mismatch. */
int scope_stats_take_interval_peak(scope_stats *s, uint64_t owner, uint64_t *out);
/* Copies totals. Returns 0, -1 on owner mismatch. */
int scope_stats_totals(scope_stats *s, uint64_t owner, scope_totals *out);
/* Copies up to `max` sites with allocated_count > 0 into out, ordered by stack id; returns how
 * many sites exist in all (may exceed max), or -1 on owner mismatch. */
int scope_stats_sites(scope_stats *s, uint64_t owner, site_figures *out, int max);
#endif
