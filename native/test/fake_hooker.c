/*
 * fake_hooker.c — a second GOT-patching tool for test_got_chaining, behaving as async-profiler 4.2
 * does with nativemem (written for this test from its observable behaviour): it rewrites the
 * malloc and free slots (JUMP_SLOT and GLOB_DAT) of one library to its own hooks, which count
 * the call and go on to what the slot held when it patched (its "original"); it makes the pages
 * of those slots writable once and leaves them so; and when it stops it writes the slots again
 * without touching the protection (async-profiler's Profiler::stop and PerfEvents::stop do that
 * to libjvm's dlopen and pthread_setspecific slots at JVM exit).
 */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define MAX_SLOTS 16

EXPORT long fake_hooker_mallocs, fake_hooker_frees;

/* Two instances, each with its own originals, so that one test process can patch one library
 * before memtrack and another after it. */
static void *(*next_malloc[2])(size_t);
static void (*next_free[2])(void *);

#define FAKE_HOOKS(i)                                                      \
    static void *fake_malloc##i(size_t n) {                                \
        __atomic_add_fetch(&fake_hooker_mallocs, 1, __ATOMIC_RELAXED);     \
        return next_malloc[i](n);                                          \
    }                                                                      \
    static void fake_free##i(void *p) {                                    \
        __atomic_add_fetch(&fake_hooker_frees, 1, __ATOMIC_RELAXED);       \
        next_free[i](p);                                                   \
    }
FAKE_HOOKS(0)
FAKE_HOOKS(1)
static void *const fake_malloc[2] = {(void *)fake_malloc0, (void *)fake_malloc1};
static void *const fake_free[2] = {(void *)fake_free0, (void *)fake_free1};

static void **slots[MAX_SLOTS];
static void *saved[MAX_SLOTS];
static void *hooks[MAX_SLOTS];
static int slot_count;

typedef struct {
    const char *library;
    int instance;
    int found;
} patch_request;

static void take(void **slot, void *hook, void **next) {
    if (slot_count == MAX_SLOTS) return;
    if (!*next) *next = *slot;
    slots[slot_count] = slot;
    hooks[slot_count] = hook;
    saved[slot_count++] = *slot;
}

static int patch_callback(struct dl_phdr_info *info, size_t size, void *data) {
    patch_request *req = data;
    if (!info->dlpi_name || !strstr(info->dlpi_name, req->library)) return 0;
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    if (!dyn) return 0;
    const ElfW(Sym) *symtab = NULL;
    const char *strtab = NULL;
    const ElfW(Rela) *tables[2] = {NULL, NULL};
    size_t sizes[2] = {0, 0};
    for (; dyn->d_tag != DT_NULL; dyn++) {
        uintptr_t v = dyn->d_un.d_ptr;
        if (v < info->dlpi_addr) v += info->dlpi_addr;
        if (dyn->d_tag == DT_SYMTAB) symtab = (const ElfW(Sym) *)v;
        if (dyn->d_tag == DT_STRTAB) strtab = (const char *)v;
        if (dyn->d_tag == DT_RELA) tables[0] = (const ElfW(Rela) *)v;
        if (dyn->d_tag == DT_RELASZ) sizes[0] = dyn->d_un.d_val;
        if (dyn->d_tag == DT_JMPREL) tables[1] = (const ElfW(Rela) *)v;
        if (dyn->d_tag == DT_PLTRELSZ) sizes[1] = dyn->d_un.d_val;
    }
    int first = slot_count;
    for (int t = 0; t < 2; t++)
        for (size_t i = 0; tables[t] && i < sizes[t] / sizeof(ElfW(Rela)); i++) {
            size_t sym = ELF64_R_SYM(tables[t][i].r_info), type = ELF64_R_TYPE(tables[t][i].r_info);
#if defined(__x86_64__)
            if (type != R_X86_64_GLOB_DAT && type != R_X86_64_JUMP_SLOT) continue;
#else
            if (type != R_AARCH64_GLOB_DAT && type != R_AARCH64_JUMP_SLOT) continue;
#endif
            if (!sym) continue;
            void **slot = (void **)(info->dlpi_addr + tables[t][i].r_offset);
            const char *name = strtab + symtab[sym].st_name;
            int k = req->instance;
            if (strcmp(name, "malloc") == 0) take(slot, fake_malloc[k], (void **)&next_malloc[k]);
            if (strcmp(name, "free") == 0) take(slot, fake_free[k], (void **)&next_free[k]);
        }
    if (slot_count == first) return 1;
    /* One mprotect over the pages of all its slots, never undone (as makeImportsPatchable). */
    uintptr_t page = (uintptr_t)getpagesize(), lo = UINTPTR_MAX, hi = 0;
    for (int i = first; i < slot_count; i++) {
        if ((uintptr_t)slots[i] < lo) lo = (uintptr_t)slots[i];
        if ((uintptr_t)slots[i] > hi) hi = (uintptr_t)slots[i];
    }
    lo &= ~(page - 1);
    hi &= ~(page - 1);
    if (mprotect((void *)lo, hi - lo + page, PROT_READ | PROT_WRITE) != 0) return 1;
    for (int i = first; i < slot_count; i++)
        *slots[i] = hooks[i];
    req->found = slot_count - first;
    return 1;
}

/* Patches the malloc and free slots of the first loaded object whose name contains library,
 * with the hooks of instance 0 or 1. Returns the number of slots taken. The instance's
 * originals are what its first slots held. */
EXPORT int fake_hooker_patch(const char *library, int instance) {
    patch_request req = {library, instance & 1, 0};
    dl_iterate_phdr(patch_callback, &req);
    return req.found;
}

/* Writes back what each slot held when it was patched, without mprotect. */
EXPORT void fake_hooker_stop(void) {
    for (int i = 0; i < slot_count; i++) *slots[i] = saved[i];
    slot_count = 0;
}
