/*
 * tracker.c — records: every tracked allocation is one live-table entry {addr, size, stack,
 * innermost scope}, and counts in the figures of its scope and of each ancestor scope.
 * Anonymous mappings are additionally kept in a small region list, because munmap may release
 * part of a mapping (shrink from either end, or split it in two).
 */
#include "tracker.h"

#include <errno.h>

#include <string.h>

#include "live_table.h"
#include "raw_memory.h"
#include "scopes.h"
#include "spin_lock.h"
#include "stack_capture.h"
#include "stack_table.h"
#include "thread_state.h"

atomic_int tracker_has_live;
atomic_int tracker_has_regions;

typedef enum { EV_ALLOC, EV_FREE_WHOLE, EV_FREE_PART } event;

/* Applies an event to the scope and all its ancestors. */
static void account(uint32_t scope_id, uint32_t stack_id, uint64_t bytes, event ev) {
    for (int depth = 0; scope_id != 0 && depth < 64; depth++) {
        scope_slot *s = &scope_slots[scope_id % MAX_SCOPES];
        uint32_t parent;
        if (!scopes_parent_of(s, scope_id, &parent)) return; /* slot reused: not this scope's figures */
        if (ev == EV_ALLOC)
            scope_stats_on_alloc(&s->stats, scope_id, stack_id, bytes);
        else
            scope_stats_on_free(&s->stats, scope_id, stack_id, bytes, ev == EV_FREE_WHOLE);
        scope_id = parent;
    }
}

atomic_uint tracker_live_seq;
static atomic_flag recheck_running = ATOMIC_FLAG_INIT;

void tracker_recheck_live(void) {
    /* An insert stores the flag after its entry is in the table, and its address cannot be
     * freed before the hook returns; so clearing first and re-checking the count can only
     * leave the flag set wrongly once done, never cleared under a live entry. Meanwhile the flag
     * reads 0 even if entries exist: the sequence number, odd until the flag is right again,
     * tells frees to look (tracker_may_have_live). One recheck at a time keeps it odd throughout. */
    while (atomic_flag_test_and_set_explicit(&recheck_running, memory_order_acquire)) {
    }
    atomic_fetch_add(&tracker_live_seq, 1);
    /* An exchange, not a store: reading the flag an insert set makes that insert's table entry
     * visible to the count below (the insert's store releases it) on any CPU; a plain store
     * relied on the hardware (x86, and aarch64's multi-copy atomicity), not on the C11 model. An
     * insert whose flag store comes later leaves the flag set anyway. */
    atomic_exchange(&tracker_has_live, 0);
    atomic_thread_fence(memory_order_seq_cst);
    if (live_table_count() > 0) atomic_store(&tracker_has_live, 1);
    atomic_fetch_add(&tracker_live_seq, 1);
    atomic_flag_clear_explicit(&recheck_running, memory_order_release);
}

/* ---- malloc family ---------------------------------------------------------------------- */

static void insert(void *p, uint64_t size, uint32_t stack, uint32_t scope) {
    live_entry e = {(uint64_t)(uintptr_t)p, size, stack, scope}, replaced;
    int r = live_table_insert(&e, &replaced);
    if (r < 0) return;
    if (r == 1) {
        /* The address came back without us seeing its free (freed by a path we do not hook,
         * e.g. inside libc): the old allocation is gone. */
        account(replaced.scope_id, replaced.stack_id, replaced.size, EV_FREE_WHOLE);
    }
    atomic_store(&tracker_has_live, 1);
    account(scope, stack, size, EV_ALLOC);
}

/* The stack to record an allocation under, with its scope; 0 when it is not recorded (no scope
 * on this thread, no stack, or JVM-internal while those are excluded). Inside mt_enter(). */
static uint32_t stack_to_record(const hook_site *site, uint32_t *scope) {
    *scope = scopes_recording_scope();
    if (*scope == 0) return 0;
    return stack_capture(site, *scope);
}

void tracker_on_alloc(void *p, size_t size, const hook_site *site) {
    int saved_errno = errno; /* the caller's allocation succeeded: our table growth must not show */
    mt_enter();
    uint32_t scope;
    uint32_t stack = stack_to_record(site, &scope);
    if (stack != 0) insert(p, size, stack, scope);
    mt_leave();
    errno = saved_errno;
}

void tracker_on_free(void *p) {
    mt_enter();
    live_entry e;
    if (live_table_remove((uint64_t)(uintptr_t)p, &e)) account(e.scope_id, e.stack_id, e.size, EV_FREE_WHOLE);
    mt_leave();
}

int tracker_take(void *p, void *saved) {
    mt_enter();
    int found = live_table_remove((uint64_t)(uintptr_t)p, (live_entry *)saved);
    mt_leave();
    return found;
}

void tracker_restore(const void *saved) {
    mt_enter();
    live_table_insert((const live_entry *)saved, NULL);
    mt_leave();
}

void tracker_account_free(const void *saved) {
    const live_entry *e = saved;
    mt_enter();
    account(e->scope_id, e->stack_id, e->size, EV_FREE_WHOLE);
    mt_leave();
}

/* ---- anonymous mappings ------------------------------------------------------------------- */

typedef struct {
    uint64_t start, len;
    uint32_t stack_id, scope_id;
    int split; /* created by splitting: unmapping it entirely frees bytes, not an allocation */
} region;

static spin_lock regions_lock = SPIN_LOCK_INIT;
static region *regions;
static uint32_t region_count, region_capacity;

int tracker_regions_full;

static int regions_reserve(void) {
    if (tracker_regions_full) return 0;
    if (region_count < region_capacity) return 1;
    uint32_t cap = region_capacity ? region_capacity * 2 : 256;
    region *grown = raw_alloc(cap * sizeof(region));
    if (!grown) return 0;
    if (regions) {
        memcpy(grown, regions, region_count * sizeof(region));
        raw_free(regions, region_capacity * sizeof(region));
    }
    regions = grown;
    region_capacity = cap;
    return 1;
}

void tracker_on_mmap(void *p, size_t len, const hook_site *site) {
    int saved_errno = errno;
    mt_enter();
    uint32_t scope;
    uint32_t stack = stack_to_record(site, &scope);
    if (stack != 0) {
        spin_lock_acquire(&regions_lock);
        if (regions_reserve()) {
            regions[region_count++] = (region){(uint64_t)(uintptr_t)p, len, stack, scope, 0};
            atomic_store(&tracker_has_regions, 1);
        }
        spin_lock_release(&regions_lock);
        insert(p, len, stack, scope);
    }
    mt_leave();
    errno = saved_errno;
}

static uint64_t page_round(uint64_t len) {
    uint64_t page = raw_page_size();
    return (len + page - 1) & ~(page - 1);
}

/* Accounts the unmapping of [p, p+len) against the tracked mappings it cuts; returns how many it
 * cut. Inside mt_enter(). A mapping counts the bytes asked for (`len` of its mmap), while munmap
 * releases whole pages: a cut is accounted as its overlap with [start, start+len) — the tail of
 * the last page beyond the length asked for was never counted, so it is never freed either (before,
 * unmapping the last page of a 10,000-byte mapping freed 4,096 bytes of which 1,808 were counted).
 * An unaligned address or a zero length fails in the kernel (EINVAL) and unmaps nothing. */
static int unmap_regions(void *p, size_t len) {
    int cut_regions = 0;
    uint64_t page = raw_page_size();
    uint64_t lo = (uint64_t)(uintptr_t)p, hi = lo + page_round(len);
    if ((lo & (page - 1)) || len == 0 || hi < lo) return 0;
    spin_lock_acquire(&regions_lock);
    for (uint32_t i = 0; i < region_count;) {
        region *r = &regions[i];
        uint64_t rlo = r->start, rend = r->start + r->len, rhi = r->start + page_round(r->len);
        if (hi <= rlo || lo >= rhi) { i++; continue; }
        uint64_t cut_lo = lo > rlo ? lo : rlo, cut_hi = hi < rhi ? hi : rhi;
        uint64_t cut = (cut_hi < rend ? cut_hi : rend) - (cut_lo < rend ? cut_lo : rend);
        cut_regions++;
        live_entry e;
        if (cut_lo == rlo && cut_hi == rhi) {
            /* The whole mapping goes. */
            if (live_table_remove(rlo, &e))
                account(e.scope_id, e.stack_id, e.size, r->split ? EV_FREE_PART : EV_FREE_WHOLE);
            regions[i] = regions[--region_count];
            continue;
        }
        if (cut_lo != rlo && cut_hi != rhi && !regions_reserve()) {
            /* A split with no room for its right part (the table cannot grow): nothing is
             * accounted, the mapping stays whole and its hole counted live until the rest goes.
             * Accounting the cut here and again with the rest counted it twice. */
            i++;
            continue;
        }
        r = &regions[i]; /* regions_reserve may have moved the table */
        account(r->scope_id, r->stack_id, cut, EV_FREE_PART);
        live_table_remove(rlo, &e);
        if (cut_lo == rlo) {            /* shrink from the start: the key moves */
            r->start = cut_hi;
            r->len = rend - cut_hi;
        } else if (cut_hi == rhi) {     /* shrink from the end */
            r->len = cut_lo - rlo;
        } else {                        /* split in two, room reserved above */
            region right = {cut_hi, rend - cut_hi, r->stack_id, r->scope_id, 1};
            r->len = cut_lo - rlo;
            regions[region_count++] = right;
            live_entry re = {right.start, right.len, right.stack_id, right.scope_id};
            live_table_insert(&re, NULL);
        }
        live_entry ke = {r->start, r->len, r->stack_id, r->scope_id};
        live_table_insert(&ke, NULL);
        i++;
    }
    /* No mapping left: munmaps stop coming here (set again by the next tracked mmap). */
    if (region_count == 0) atomic_store(&tracker_has_regions, 0);
    spin_lock_release(&regions_lock);
    return cut_regions;
}

void tracker_on_munmap(void *p, size_t len) {
    mt_enter();
    unmap_regions(p, len);
    mt_leave();
}

int tracker_on_mremap_from(void *old, size_t old_len) {
    if (!atomic_load_explicit(&tracker_has_regions, memory_order_relaxed)) return 0;
    mt_enter();
    int cut = unmap_regions(old, old_len);
    mt_leave();
    return cut;
}
