/*
 * thread_state.h — the per-thread state every hook reads first.
 *
 * initial-exec TLS: the default (global-dynamic) model in a dlopened library resolves the
 * variable through __tls_get_addr, which may malloc on first use in a thread — from inside a
 * malloc hook that recurses. initial-exec uses the static TLS surplus glibc reserves for
 * exactly this; keep the struct small.
 */
#ifndef MEMTRACK_THREAD_STATE_H
#define MEMTRACK_THREAD_STATE_H
#include <stdint.h>

struct unwind_cache;

typedef struct {
    int in_hook;                /* > 0 while the tracker itself runs on this thread */
    uint32_t scope_id;          /* scope allocations of this thread are attributed to; 0: none */
    struct unwind_cache *cache; /* lazily created, see stack_capture.c */
} thread_state;

extern __thread thread_state mt_thread __attribute__((tls_model("initial-exec")));

/* Marks the calling thread busy inside the tracker so that its own calls are not recorded. */
static inline void mt_enter(void) { mt_thread.in_hook++; }
static inline void mt_leave(void) { mt_thread.in_hook--; }
#endif
