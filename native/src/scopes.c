/*
 * scopes.c — the scope table and the per-thread state (scopes.h, thread_state.h).
 */
#include "scopes.h"

#include <stddef.h>

__thread thread_state mt_thread __attribute__((tls_model("initial-exec")));

_Atomic uint32_t tracker_process_scope;
int tracker_include_jvm_internal;

scope_slot scope_slots[MAX_SCOPES];
static _Atomic uint32_t next_scope_id;
static void (*_Atomic release_listener)(uint32_t id);

void scopes_on_release(void (*listener)(uint32_t id)) { atomic_store(&release_listener, listener); }

uint32_t tracker_scope_begin(uint32_t parent) {
    for (int attempt = 0; attempt < 2 * MAX_SCOPES; attempt++) {
        uint32_t id = atomic_fetch_add(&next_scope_id, 1) + 1;
        if (id == 0) continue;
        scope_slot *s = &scope_slots[id % MAX_SCOPES];
        int expected = SCOPE_FREE;
        /* CLAIMING, not ACTIVE, until the new id is published: a late release of the slot's
         * previous scope must not mistake this claim for the scope it releases. */
        if (!atomic_compare_exchange_strong(&s->state, &expected, SCOPE_CLAIMING)) continue;
        atomic_store_explicit(&s->id, 0, memory_order_release);
        /* Whoever reads the new parent below must then read id 0 or the new id, never the old
         * one (scopes_parent_of's re-check): id 0 is ordered before the parent store. */
        atomic_thread_fence(memory_order_release);
        scope_stats_release(&s->stats, s->stats.owner);
        if (scope_stats_claim(&s->stats, id) != 0) {
            atomic_store(&s->state, SCOPE_FREE);
            continue;
        }
        atomic_store_explicit(&s->parent, parent, memory_order_relaxed);
        atomic_store_explicit(&s->id, id, memory_order_release);
        atomic_store(&s->state, SCOPE_ACTIVE);
        return id;
    }
    return 0;
}

void tracker_scope_end(uint32_t id) {
    scope_slot *s = tracker_scope(id);
    if (!s) return;
    int expected = SCOPE_ACTIVE;
    atomic_compare_exchange_strong(&s->state, &expected, SCOPE_ENDED);
}

void tracker_scope_release(uint32_t id) {
    scope_slot *s = tracker_scope(id);
    if (!s) return;
    int state = atomic_load(&s->state);
    /* Only a scope that is ours and in use: releasing twice, or racing a new claim of the
     * slot, must never free a slot another scope is using. */
    if (state != SCOPE_ACTIVE && state != SCOPE_ENDED) return;
    /* The id and parent stay readable until the slot is claimed again, so frees of a
     * child's allocations still reach the parent's figures. */
    scope_stats_release(&s->stats, id);
    void (*listener)(uint32_t) = atomic_load(&release_listener);
    if (listener) listener(id);
    if (atomic_load(&s->id) == id) atomic_compare_exchange_strong(&s->state, &state, SCOPE_FREE);
}

void tracker_note_managed_held(uint32_t id, uint64_t held) {
    scope_slot *s = tracker_scope(id);
    if (s) scope_stats_set_managed_held(&s->stats, id, held);
}
