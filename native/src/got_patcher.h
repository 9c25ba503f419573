/*
 * got_patcher.h — in-process interception by rewriting GOT slots of loaded ELF objects
 * (x86-64 and aarch64, glibc), as Memray and async-profiler do; no LD_PRELOAD.
 *
 * For every object reported by dl_iterate_phdr except the dynamic loader, the vdso and the
 * object containing `self` (our own library), find the relocations of the hooked symbols in
 * DT_JMPREL (JUMP_SLOT) and DT_RELA/DT_REL (GLOB_DAT, used by -fno-plt code and for function
 * pointers), and store the hook's address in each slot that currently holds the symbol's
 * original definition (*hook.original) or a lazy-binding PLT stub inside the same object.
 * A slot holding a function of another object (another tool's hook: async-profiler's
 * nativemem, heaptrack, a second memtrack) is chained when the entry has chain hooks: it gets
 * chain_hooks[i], which calls chain_next[i] = what the slot held, so both tools see the call.
 * A slot bound to a function of its own object (a bundled allocator) is left alone. Pages are
 * made writable with mprotect around the 8-byte store (full RELRO) only when they are not
 * writable already (read from /proc/self/maps: another tool may have made them writable for
 * good and keep writing to them), and given back exactly the protection they had.
 * Symbol names are matched by name only (Debian's libjvm imports dlopen@GLIBC_2.34, Temurin's
 * dlopen@GLIBC_2.2.5). Objects already patched (same load base and name) are skipped, so
 * got_patch_all can be called again after every dlopen; got_forget_unloaded after dlclose.
 * Never call dlopen from inside a dl_iterate_phdr callback (the loader lock is held).
 * An object another thread is still loading (listed, not yet relocated: its RELRO page is
 * still writable in /proc/self/maps) is left for the next call, as touching it could crash
 * ld.so; the dlopen hook of the loading thread makes that next call.
 * Uses no malloc once got_patcher_init has run (fixed arrays / raw_alloc), so that it can run
 * from inside a dlopen hook. Not reentrant: callers serialize (got_patch_all takes its own lock).
 */
#ifndef MEMTRACK_GOT_PATCHER_H
#define MEMTRACK_GOT_PATCHER_H
#include <stdint.h>

/* How many distinct other tools' functions one hooked function can be chained through. */
#define GOT_MAX_CHAIN 4

typedef struct {
    const char *name;   /* e.g. "malloc" */
    void *hook;         /* our replacement */
    void **original;    /* where the real function is stored; filled by got_patcher_init */
    /* Optional (NULL: slots held by another tool are left alone and counted as foreign).
     * chain_hooks[i] is a variant of hook that calls chain_next[i] instead of *original;
     * the patcher fills chain_next[i] (release store) before any slot points at chain_hooks[i]. */
    void *const *chain_hooks;
    void **chain_next;
} got_hook;

/* Resolves each hook's original with dlsym(RTLD_DEFAULT, name) (so a preloaded jemalloc or
 * tcmalloc is the original, not libc) and remembers the table. Returns NULL or an error text.
 * A NULL original for an optional symbol (pvalloc on musl) is allowed: that hook is skipped. */
const char *got_patcher_init(got_hook *hooks, int n, const void *self);
/* Patches every loaded object not patched yet. Returns the number of slots patched now. */
int got_patch_all(void);
/* Forgets objects that are no longer loaded (call after dlclose). */
void got_forget_unloaded(void);
/* Totals since init, for memtrack_status. */
int got_objects_patched(void);
int got_slots_patched(void);
/* Slots taken with a chain hook (another tool's hook called after ours), and slots held by
 * another object's function that could not be taken (no chain hooks, or all GOT_MAX_CHAIN
 * used): calls through those are not seen. */
int got_slots_chained(void);
int got_slots_foreign(void);
/* One foreign function we found in a slot: which hooked function, and the value the slot held
 * (for a message naming its object with dladdr, outside the patcher: see the note on locks
 * in got_patcher.c). index counts from 0 over distinct values; returns 0 past the last one.
 * chained: 1 if calls are chained through it, 0 if its slots were left (not seen). */
int got_foreign_function(int index, const char **name, void **value, int *chained);
#endif
