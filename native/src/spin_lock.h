/* spin_lock.h — a test-and-test-and-set lock for short critical sections inside hooks.
 * pthread mutexes are avoided there: they are fine, but a spin lock never calls into libc. */
#ifndef MEMTRACK_SPIN_LOCK_H
#define MEMTRACK_SPIN_LOCK_H
#include <sched.h>
#include <stdatomic.h>

typedef struct { atomic_int held; } spin_lock;

static inline void spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
#define SPIN_LOCK_INIT {0}

static inline void spin_lock_acquire(spin_lock *l) {
    for (int spins = 0;; spins++) {
        if (!atomic_load_explicit(&l->held, memory_order_relaxed) &&
            !atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
            return;
        if (spins > 64) { sched_yield(); spins = 0; }
        else spin_pause();
    }
}
static inline void spin_lock_release(spin_lock *l) {
    atomic_store_explicit(&l->held, 0, memory_order_release);
}
#endif
