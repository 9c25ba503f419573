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
#include "scope_stats.h"

/* Non-zero once anything may be live in the table: frees check this before a lookup. */
extern atomic_int tracker_has_live;
/* Process-wide mode: the scope every thread without its own scope records into (0: off). */
extern _Atomic uint32_t tracker_process_scope;
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

/* Scopes (tracker.c). */
#define MAX_SCOPES 4096
typedef struct {
    _Atomic uint32_t id;      /* current owner id; slot index == id % MAX_SCOPES */
    _Atomic uint32_t parent;  /* parent scope id, 0 for a root */
    _Atomic int state;        /* SCOPE_FREE, SCOPE_ACTIVE, SCOPE_ENDED */
    scope_stats stats;
} scope_slot;
enum { SCOPE_FREE = 0, SCOPE_ACTIVE = 1, SCOPE_ENDED = 2, SCOPE_CLAIMING = 3 };

uint32_t tracker_scope_begin(uint32_t parent);
void tracker_scope_end(uint32_t id);
void tracker_scope_release(uint32_t id);
scope_slot *tracker_scope(uint32_t id); /* NULL if unknown */
/* The managed heap's held bytes of scope `id` are now `held` (heap engine, heap_lock held). */
void tracker_note_managed_held(uint32_t id, uint64_t held);

/* Options (set once at init). */
extern int tracker_include_jvm_internal;
#endif
