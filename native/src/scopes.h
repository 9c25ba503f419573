/*
 * scopes.h — the core's scope table: which scope each thread records into, the process-wide
 * scope, and the figures of each scope and its ancestors (scope_stats per slot). Layer 0 (core,
 * docs/architecture.md): depends on scope_stats and raw memory only. The recorders (tracker.c
 * for native memory, heap_sampler.c/heap_stats.c for the managed heap) and the entry points
 * (memtrack_api.c, heap_api.c) sit above it.
 *
 * The names keep their historical tracker_ prefix: hooks.c and the entry points use them.
 */
#ifndef MEMTRACK_SCOPES_H
#define MEMTRACK_SCOPES_H
#include <stdatomic.h>
#include <stdint.h>

#include "scope_stats.h"
#include "thread_state.h"

#define MAX_SCOPES 4096
typedef struct {
    _Atomic uint32_t id;      /* current owner id; slot index == id % MAX_SCOPES */
    _Atomic uint32_t parent;  /* parent scope id, 0 for a root */
    _Atomic int state;        /* SCOPE_FREE, SCOPE_ACTIVE, SCOPE_ENDED */
    scope_stats stats;
} scope_slot;
enum { SCOPE_FREE = 0, SCOPE_ACTIVE = 1, SCOPE_ENDED = 2, SCOPE_CLAIMING = 3 };

/* Hidden: read on the hot path from other objects of the library, addressed directly (no GOT). */
#define SCOPES_HIDDEN __attribute__((visibility("hidden")))

/* The slots, indexed by id % MAX_SCOPES (read directly on the hot path: tracker.c's account). */
extern SCOPES_HIDDEN scope_slot scope_slots[MAX_SCOPES];
/* Process-wide mode: the scope every thread without its own scope records into (0: off). */
extern SCOPES_HIDDEN _Atomic uint32_t tracker_process_scope;

/* Options (set once at init by the entry layer). */
extern SCOPES_HIDDEN int tracker_include_jvm_internal;

/* The slot of scope `id`, or NULL if unknown (never begun, or its slot reused). */
static inline scope_slot *tracker_scope(uint32_t id) {
    if (id == 0) return NULL;
    scope_slot *s = &scope_slots[id % MAX_SCOPES];
    return atomic_load_explicit(&s->id, memory_order_acquire) == id ? s : NULL;
}

/* The parent of scope `id`, read from its slot `s` consistently with the slot's id: 1 and *parent
 * when `id` still held the slot after its parent was read; 0 when the slot is another scope's (it
 * was released and claimed again meanwhile: the parent read may be the new scope's). A seqlock's
 * read with the id as the sequence. The writer, tracker_scope_begin, stores id 0, then a release
 * fence, then the parent, then the new id (release). Here the acquire fence keeps the parent load
 * before the second id load: on x86 loads are not reordered with loads and it is no instruction
 * (the hot path's cost is unchanged), on aarch64 it is a `dmb ishld`, without which the parent
 * could be read after the re-check and the re-check would prove nothing. */
static inline int scopes_parent_of(scope_slot *s, uint32_t id, uint32_t *parent) {
    if (atomic_load_explicit(&s->id, memory_order_acquire) != id) return 0;
    uint32_t p = atomic_load_explicit(&s->parent, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&s->id, memory_order_relaxed) != id) return 0;
    *parent = p;
    return 1;
}

/* Non-zero while scope `id` is begun and not yet ended. */
static inline int scopes_active(uint32_t id) {
    scope_slot *s = tracker_scope(id);
    return s && atomic_load_explicit(&s->state, memory_order_relaxed) == SCOPE_ACTIVE;
}

uint32_t tracker_scope_begin(uint32_t parent);
void tracker_scope_end(uint32_t id);
/* Frees the slot's figures; then calls the release listener (set by the entry layer: the
 * managed heap's figures of the scope go too). */
void tracker_scope_release(uint32_t id);
void scopes_on_release(void (*listener)(uint32_t id));
/* The managed heap's held bytes of scope `id` are now `held` (heap engine, heap_lock held). */
void tracker_note_managed_held(uint32_t id, uint64_t held);

/* The scope the calling thread records into now, or 0: its own scope while that is active,
 * else the process scope. One policy for both domains (native hooks and heap samples): a thread
 * that inherited a scope which has since ended (a worker that outlived its test) is from then on
 * a thread without a scope — it records into the process scope when process-wide mode is on, as
 * every other unscoped thread does, and into nothing otherwise. Forgets the ended scope. */
static inline uint32_t scopes_recording_scope(void) {
    uint32_t scope = mt_thread.scope_id;
    if (scope == 0) return atomic_load_explicit(&tracker_process_scope, memory_order_relaxed);
    scope_slot *s = tracker_scope(scope);
    if (!s || atomic_load_explicit(&s->state, memory_order_relaxed) != SCOPE_ACTIVE) {
        mt_thread.scope_id = 0;
        return atomic_load_explicit(&tracker_process_scope, memory_order_relaxed);
    }
    return scope;
}
#endif
