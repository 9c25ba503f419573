/*
 * test_got_chaining.c — the GOT patcher beside another tool that patches the same slots
 * (libfake_hooker.so, fake_hooker.c: async-profiler's nativemem behaviour). Either load order
 * must end with every call seen by both, the other tool must be able to write its slots again
 * when it stops (its pages left as it set them), and a slot that cannot be chained is reported.
 * Here malloc has chain hooks and free has none, so both outcomes show on one library.
 */
#include "got_patcher.h"
#include "mt_test.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <unistd.h>

#define DISTINCT_SIZE 1999993

static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static long n_malloc, n_free, n_chained_malloc;

#define COUNT(c) __atomic_add_fetch(&(c), 1, __ATOMIC_RELAXED)

static void *hook_malloc(size_t n) {
    COUNT(n_malloc);
    return real_malloc(n);
}
static void hook_free(void *p) {
    COUNT(n_free);
    real_free(p);
}

static void *chain_next[GOT_MAX_CHAIN];
#define CHAIN_HOOK(i)                                              \
    static void *hook_malloc_c##i(size_t n) {                      \
        COUNT(n_chained_malloc);                                   \
        return ((void *(*)(size_t))chain_next[i])(n);              \
    }
CHAIN_HOOK(0)
CHAIN_HOOK(1)
CHAIN_HOOK(2)
CHAIN_HOOK(3)
static void *const chain_hooks[GOT_MAX_CHAIN] = {(void *)hook_malloc_c0, (void *)hook_malloc_c1,
                                                 (void *)hook_malloc_c2, (void *)hook_malloc_c3};

static got_hook hooks[] = {
    {"malloc", (void *)hook_malloc, (void **)&real_malloc, chain_hooks, chain_next},
    {"free", (void *)hook_free, (void **)&real_free, NULL, NULL},
};

static void ensure_init(void) {
    static int done;
    if (done) return;
    const char *err = got_patcher_init(hooks, 2, (const void *)hook_malloc);
    if (err) MT_FAIL_(1, "got_patcher_init: %s", err);
    done = 1;
}

/* A library next to this test binary. */
static void *load_beside(const char *file, int mode) {
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return NULL;
    path[n] = 0;
    snprintf(strrchr(path, '/') + 1, sizeof path - (size_t)(strrchr(path, '/') + 1 - path), "%s", file);
    void *h = dlopen(path, mode);
    if (!h) fprintf(stderr, "  dlopen %s: %s\n", path, dlerror());
    return h;
}

typedef struct {
    void *handle;
    void *(*malloc_)(size_t);
    void (*free_)(void *);
} target;

static int load_target(const char *file, int mode, target *t) {
    t->handle = load_beside(file, mode);
    if (!t->handle) return 0;
    *(void **)&t->malloc_ = dlsym(t->handle, "got_target_malloc");
    *(void **)&t->free_ = dlsym(t->handle, "got_target_free");
    return t->malloc_ && t->free_;
}

typedef struct {
    long *mallocs, *frees;
    int (*patch)(const char *, int);
    void (*stop)(void);
} fake_tool;

static int load_fake(fake_tool *f) {
    static void *h;
    if (!h) h = load_beside("libfake_hooker.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) return 0;
    f->mallocs = dlsym(h, "fake_hooker_mallocs");
    f->frees = dlsym(h, "fake_hooker_frees");
    *(void **)&f->patch = dlsym(h, "fake_hooker_patch");
    *(void **)&f->stop = dlsym(h, "fake_hooker_stop");
    return f->mallocs && f->frees && f->patch && f->stop;
}

/* The GLOB_DAT/JUMP_SLOT slot of symbol in library, found independently of the patcher. */
typedef struct {
    const char *library, *symbol;
    void **slot;
    uintptr_t relro_page;
} slot_search;

static int find_slot_callback(struct dl_phdr_info *info, size_t size, void *data) {
    slot_search *s = data;
    if (!info->dlpi_name || !strstr(info->dlpi_name, s->library)) return 0;
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
        if (ph->p_type == PT_GNU_RELRO) s->relro_page = (info->dlpi_addr + ph->p_vaddr) & ~(uintptr_t)(getpagesize() - 1);
    }
    if (!dyn) return 1;
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
    for (int t = 0; t < 2; t++)
        for (size_t i = 0; tables[t] && i < sizes[t] / sizeof(ElfW(Rela)); i++) {
            size_t sym = ELF64_R_SYM(tables[t][i].r_info);
            if (sym && strcmp(strtab + symtab[sym].st_name, s->symbol) == 0 && !s->slot)
                s->slot = (void **)(info->dlpi_addr + tables[t][i].r_offset);
        }
    return 1;
}

static slot_search find_slot(const char *library, const char *symbol) {
    slot_search s = {library, symbol, NULL, 0};
    dl_iterate_phdr(find_slot_callback, &s);
    return s;
}

/* "r--p", "rw-p", ... of the mapping holding addr. */
static void protection_of(const void *addr, char perms[5]) {
    strcpy(perms, "?");
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
            strcpy(perms, p);
            break;
        }
    }
    fclose(f);
}

static int in_library(void *fn, const char *name) {
    Dl_info info;
    return dladdr(fn, &info) && info.dli_fname && strstr(info.dli_fname, name);
}

TEST(another_tool_first_both_see_every_call_and_it_can_stop) {
    ensure_init();
    fake_tool tool;
    ASSERT_TRUE(load_fake(&tool));
    got_patch_all(); /* what is loaded now, the tool's own library included */
    /* GIVEN a full-RELRO library whose malloc and free slots another tool patched first: it
     * made their page writable and keeps it so (the first RELRO page with it) */
    target t;
    ASSERT_TRUE(load_target("libgot_target_noplt.so", RTLD_NOW | RTLD_LOCAL, &t));
    slot_search s = find_slot("libgot_target_noplt.so", "malloc");
    ASSERT_TRUE(s.slot != NULL);
    char perms[5];
    protection_of(s.slot, perms);
    CHECK_STR_EQ(perms, "r--p");
    ASSERT_TRUE(tool.patch("libgot_target_noplt.so", 0) >= 2);
    protection_of(s.slot, perms);
    CHECK_STR_EQ(perms, "rw-p");
    protection_of((void *)s.relro_page, perms);
    CHECK_STR_EQ(perms, "rw-p");
    void *tool_malloc = *s.slot;
    CHECK_TRUE(in_library(tool_malloc, "libfake_hooker.so"));

    /* WHEN memtrack patches */
    CHECK_GE(got_patch_all(), 1);

    /* THEN the malloc slot holds a chain hook that calls the tool's hook: both see the call */
    CHECK_TRUE(*s.slot == chain_hooks[0]);
    CHECK_TRUE(chain_next[0] == tool_malloc);
    long ours = n_chained_malloc, theirs = *tool.mallocs;
    void *p = t.malloc_(DISTINCT_SIZE);
    CHECK_EQ(n_chained_malloc - ours, 1);
    CHECK_EQ(*tool.mallocs - theirs, 1);
    /* AND free, which has no chain hook here, stayed the tool's, and is reported as unseen */
    long our_frees = n_free, their_frees = *tool.frees;
    t.free_(p);
    CHECK_EQ(n_free - our_frees, 0);
    CHECK_EQ(*tool.frees - their_frees, 1);
    CHECK_GE(got_slots_chained(), 1);
    CHECK_GE(got_slots_foreign(), 1);
    int saw_malloc = 0, saw_free = 0;
    const char *name;
    void *value;
    int chained;
    for (int i = 0; got_foreign_function(i, &name, &value, &chained); i++) {
        CHECK_TRUE(in_library(value, "libfake_hooker.so"));
        if (strcmp(name, "malloc") == 0) saw_malloc = chained;
        if (strcmp(name, "free") == 0) saw_free = !chained;
    }
    CHECK_TRUE(saw_malloc);
    CHECK_TRUE(saw_free);

    /* AND the page is still as the tool left it: it writes its slots again when it stops
     * without mprotect (async-profiler at JVM exit), which faulted when we re-protected it */
    protection_of(s.slot, perms);
    CHECK_STR_EQ(perms, "rw-p");
    tool.stop();
    CHECK_TRUE(*s.slot != tool_malloc);
    /* Patching again is idempotent for slots already chained or ours */
    got_patch_all();
    CHECK_EQ(got_patch_all(), 0);
}

TEST(another_tool_after_us_calls_through_our_hook) {
    ensure_init();
    fake_tool tool;
    ASSERT_TRUE(load_fake(&tool));
    /* GIVEN a library patched by us first (lazy PLT slots) */
    target t;
    ASSERT_TRUE(load_target("libgot_target.so", RTLD_LAZY | RTLD_LOCAL, &t));
    CHECK_GE(got_patch_all(), 2);
    slot_search s = find_slot("libgot_target.so", "malloc");
    ASSERT_TRUE(s.slot != NULL);
    CHECK_TRUE(*s.slot == (void *)hook_malloc);
    /* WHEN the other tool patches it, saving what the slot held (our hook) as its original */
    ASSERT_TRUE(tool.patch("libgot_target.so", 1) >= 2);
    /* THEN a call reaches both, once each */
    long ours = n_malloc, theirs = *tool.mallocs;
    void *p = t.malloc_(DISTINCT_SIZE);
    CHECK_EQ(n_malloc - ours, 1);
    CHECK_EQ(*tool.mallocs - theirs, 1);
    long our_frees = n_free, their_frees = *tool.frees;
    t.free_(p);
    CHECK_EQ(n_free - our_frees, 1);
    CHECK_EQ(*tool.frees - their_frees, 1);
    /* AND when it stops, the slots hold our hooks again */
    tool.stop();
    CHECK_TRUE(*s.slot == (void *)hook_malloc);
}

MT_TEST_MAIN(another_tool_first_both_see_every_call_and_it_can_stop, another_tool_after_us_calls_through_our_hook)
