/*
 * tracker.h — turns hook events into records: live table entries and per-scope figures.
 * All functions here are called from hooks with the recursion guard NOT yet taken; they take
 * it themselves. No malloc anywhere below this line.
 */
#ifndef MEMTRACK_TRACKER_H
#define MEMTRACK_TRACKER_H
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include "scopes.h" /* scope slots, the process scope, options */

/* Non-zero once anything may be live in the table: frees check this before a lookup. */
extern atomic_int tracker_has_live;
/* Odd while tracker_recheck_live runs: it clears tracker_has_live for a moment before it knows
 * whether the table is empty, and a free that read the flag then must still look it up. */
extern atomic_uint tracker_live_seq;

/* Whether a free may be of a tracked block: the flag, or a recheck in progress meanwhile (read
 * like a seqlock). A free that trusted a cleared flag alone while a recheck was restoring it went
 * unaccounted: its block stayed "live" until its address was reused (found by LoadTests: a scope
 * of malloc/free pairs peaked at two blocks while other threads released their scopes). */
static inline int tracker_may_have_live(void) {
    unsigned before = atomic_load(&tracker_live_seq);
    if (atomic_load(&tracker_has_live)) return 1;
    unsigned after = atomic_load(&tracker_live_seq);
    return (before & 1u) || before != after;
}
/* Non-zero while any anonymous mapping is tracked: munmap checks this. */
extern atomic_int tracker_has_regions;

/* Where the hook was called from: its return address and its CFA (caller's SP after return). */
typedef struct {
    void *return_address;
    void *hook_cfa;
    int kind; /* enum hook_kind */
} hook_site;

void tracker_on_alloc(void *p, size_t size, const hook_site *site);
void tracker_on_free(void *p);
/* realloc: take the old entry out before the real call, settle after it. */
int tracker_take(void *p, void *saved_entry /* live_entry* */);
void tracker_restore(const void *saved_entry);
void tracker_account_free(const void *saved_entry);
void tracker_on_mmap(void *p, size_t len, const hook_site *site);
void tracker_on_munmap(void *p, size_t len);
/* A successful mremap moved or resized [old, old+old_len): accounted like its munmap; returns
 * non-zero if it was (part of) a tracked mapping, whose new range the caller then records like a
 * new mapping at the mremap's stack (as realloc records its new block). */
int tracker_on_mremap_from(void *old, size_t old_len);
/* For tests: non-zero makes the region table act as if it were full and could not grow. */
extern int tracker_regions_full;

/* Clears tracker_has_live when the table is empty, so that frees of untracked memory skip the
 * lookup again (a large empty table costs a cache miss per free). */
void tracker_recheck_live(void);

#endif
