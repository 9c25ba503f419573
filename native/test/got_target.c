/*
 * got_target.c — a tiny shared library for test_got_patcher: each function makes exactly one
 * call to a hooked function, so the test can tell whether the call went through a patched slot.
 * Built three times (see the Makefile):
 *   libgot_target.so        default: calls through the PLT (JUMP_SLOT), lazily bound;
 *   libgot_target_noplt.so  -fno-plt: calls through GOT slots (GLOB_DAT) only;
 *   libgot_target_own.so    -DGOT_TARGET_OWN_CALLOC: defines its own calloc, loaded by the test
 *                           with RTLD_DEEPBIND so that its calloc slot binds to itself.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>

#define EXPORT __attribute__((visibility("default"), noinline))

EXPORT void *got_target_malloc(size_t n) { return malloc(n); }
EXPORT void got_target_free(void *p) { free(p); }
EXPORT void *got_target_calloc(size_t n, size_t size) { return calloc(n, size); }
EXPORT void *got_target_realloc(void *p, size_t n) { return realloc(p, n); }
EXPORT void *got_target_mmap(size_t length) {
    return mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}
EXPORT int got_target_munmap(void *p, size_t length) { return munmap(p, length); }
EXPORT void *got_target_dlopen(const char *file, int mode) { return dlopen(file, mode); }

/* &malloc in -fPIC code is loaded from a GLOB_DAT slot, even in the PLT build. */
typedef void *(*malloc_fn)(size_t);
EXPORT malloc_fn got_target_malloc_address(void) { return &malloc; }
/* A data word initialised with malloc's address: an R_X86_64_64 / R_AARCH64_ABS64 relocation. */
__attribute__((visibility("default"))) malloc_fn got_target_malloc_pointer = malloc;

#ifdef GOT_TARGET_OWN_CALLOC
/* A library bundling its own allocator (as some JNI libraries link jemalloc statically). */
__attribute__((visibility("default"))) int got_target_own_calloc_calls;
static unsigned char arena[1 << 16];
static size_t arena_used;

__attribute__((visibility("default"))) void *calloc(size_t n, size_t size) {
    got_target_own_calloc_calls++;
    size_t bytes = (n * size + 15) & ~(size_t)15;
    if (bytes > sizeof arena - arena_used) return NULL;
    void *p = arena + arena_used;
    arena_used += bytes;
    return p; /* the arena is static, hence zeroed, and never reused */
}
#endif
