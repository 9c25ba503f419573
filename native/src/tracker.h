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

/* Clears tracker_has_live when the table is empty, so that frees of untracked memory skip the
 * lookup again (a large empty table costs a cache miss per free). */
void tracker_recheck_live(void);

#endif
