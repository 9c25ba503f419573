/*
 * class_log.c — an append-only log of (signature hash, scope chain) for classes prepared while a
 * scope recorded (class_log.h). Appends are rare (class loading) and take a spin lock; reads scan
 * the published prefix without it. Entries live in chunks of raw memory, never moved or freed
 * while the process runs, so a reader never sees a chunk go away. Scope ids are never reused
 * (slot = id % MAX_SCOPES, ids grow), so an entry names its scopes for good.
 */
#include "class_log.h"

#include <stdatomic.h>
#include <string.h>

#include "raw_memory.h"
#include "scopes.h"
#include "spin_lock.h"

#define CHAIN 4                 /* the scope and up to three ancestors */
#define CHUNK_ENTRIES 4096
#define MAX_CHUNKS 256          /* 1M prepared classes logged; later ones are not */

typedef struct {
    uint64_t hash;
    uint32_t chain[CHAIN];
} class_entry;

static class_entry *chunks[MAX_CHUNKS];
static _Atomic uint32_t published;
static spin_lock append_lock = SPIN_LOCK_INIT;

static uint64_t hash_of(const char *s) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int class_log_wanted(void) { return scopes_recording_scope() != 0; }

void class_log_note(const char *signature) {
    uint32_t scope = scopes_recording_scope();
    if (!scope || !signature) return;
    class_entry e = {hash_of(signature), {0}};
    for (int i = 0; i < CHAIN && scope; i++) {
        e.chain[i] = scope;
        scope_slot *s = tracker_scope(scope);
        scope = s ? atomic_load_explicit(&s->parent, memory_order_relaxed) : 0;
    }
    spin_lock_acquire(&append_lock);
    uint32_t n = atomic_load_explicit(&published, memory_order_relaxed);
    uint32_t chunk = n / CHUNK_ENTRIES;
    if (chunk < MAX_CHUNKS && !chunks[chunk]) chunks[chunk] = raw_alloc(CHUNK_ENTRIES * sizeof(class_entry));
    if (chunk < MAX_CHUNKS && chunks[chunk]) {
        chunks[chunk][n % CHUNK_ENTRIES] = e;
        atomic_store_explicit(&published, n + 1, memory_order_release);
    }
    spin_lock_release(&append_lock);
}

int class_log_prepared_in(uint32_t scope, const char *signature) {
    if (!scope || !signature) return 0;
    uint64_t h = hash_of(signature);
    uint32_t n = atomic_load_explicit(&published, memory_order_acquire);
    for (uint32_t i = 0; i < n; i++) {
        const class_entry *e = &chunks[i / CHUNK_ENTRIES][i % CHUNK_ENTRIES];
        if (e->hash != h) continue;
        for (int k = 0; k < CHAIN && e->chain[k]; k++)
            if (e->chain[k] == scope) return 1;
    }
    return 0;
}

void class_log_reset(void) {
    spin_lock_acquire(&append_lock);
    atomic_store_explicit(&published, 0, memory_order_release);
    spin_lock_release(&append_lock);
}
