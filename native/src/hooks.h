/*
 * hooks.h — the hooked functions, written once (X-macro) and expanded where needed:
 * the original pointers, the hook table given to the GOT patcher, the names in reports.
 */
#ifndef MEMTRACK_HOOKS_H
#define MEMTRACK_HOOKS_H

/* X(name) for every function whose GOT slots we take over. */
#define MEMTRACK_HOOKED_FUNCTIONS(X) \
    X(malloc)                        \
    X(calloc)                        \
    X(realloc)                       \
    X(free)                          \
    X(posix_memalign)                \
    X(aligned_alloc)                 \
    X(memalign)                      \
    X(valloc)                        \
    X(pvalloc)                       \
    X(mmap)                          \
    X(mmap64)                        \
    X(munmap)                        \
    X(mremap)                        \
    X(dlopen)                        \
    X(dlclose)                       \
    X(dlsym)                         \
    X(dlvsym)                        \
    X(pthread_create)

enum hook_kind {
#define MEMTRACK_HOOK_ENUM(name) HOOK_##name,
    MEMTRACK_HOOKED_FUNCTIONS(MEMTRACK_HOOK_ENUM)
#undef MEMTRACK_HOOK_ENUM
    HOOK_COUNT
};

/* Name of a hooked function ("malloc"), and the address of its original definition. */
const char *hook_name(int kind);
void *hook_original(int kind);

/* Resolves originals and patches every loaded object. NULL or an error text. */
const char *hooks_install(void);
#endif
