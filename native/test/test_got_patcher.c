/*
 * test_got_patcher.c — patches the libgot_target*.so variants (see got_target.c) and checks
 * that their calls now reach the hooks below, through JUMP_SLOT (lazy PLT), GLOB_DAT (-fno-plt,
 * &malloc) and ABS64 (a data pointer) slots; that patched objects are skipped; that a slot
 * bound to a library's own allocator is left alone; and that the test binary itself (`self`)
 * is never patched. libc and the other loaded objects are patched too, so every check counts
 * calls around one target call only.
 */
#include "got_patcher.h"
#include "mt_test.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define DISTINCT_SIZE 1999993 /* stands out in the counters */

static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);
static void *(*real_dlopen)(const char *, int);

static long n_malloc, n_free, n_calloc, n_realloc, n_mmap, n_munmap, n_dlopen;
static size_t last_size;

#define COUNT(c) __atomic_add_fetch(&(c), 1, __ATOMIC_RELAXED)

static void *hook_malloc(size_t n) {
    COUNT(n_malloc);
    last_size = n;
    return real_malloc(n);
}
static void hook_free(void *p) {
    COUNT(n_free);
    real_free(p);
}
static void *hook_calloc(size_t n, size_t s) {
    COUNT(n_calloc);
    return real_calloc(n, s);
}
static void *hook_realloc(void *p, size_t n) {
    COUNT(n_realloc);
    last_size = n;
    return real_realloc(p, n);
}
static void *hook_mmap(void *a, size_t l, int prot, int flags, int fd, off_t off) {
    COUNT(n_mmap);
    return real_mmap(a, l, prot, flags, fd, off);
}
static int hook_munmap(void *a, size_t l) {
    COUNT(n_munmap);
    return real_munmap(a, l);
}
static void *hook_dlopen(const char *f, int mode) {
    COUNT(n_dlopen);
    return real_dlopen(f, mode);
}

static void *missing_original = (void *)1;

static got_hook hooks[] = {
    {"malloc", (void *)hook_malloc, (void **)&real_malloc, NULL, NULL},
    {"free", (void *)hook_free, (void **)&real_free, NULL, NULL},
    {"calloc", (void *)hook_calloc, (void **)&real_calloc, NULL, NULL},
    {"realloc", (void *)hook_realloc, (void **)&real_realloc, NULL, NULL},
    {"mmap", (void *)hook_mmap, (void **)&real_mmap, NULL, NULL},
    {"munmap", (void *)hook_munmap, (void **)&real_munmap, NULL, NULL},
    {"dlopen", (void *)hook_dlopen, (void **)&real_dlopen, NULL, NULL},
    {"pvalloc_that_does_not_exist", (void *)hook_malloc, &missing_original, NULL, NULL},
};

/* The functions of one loaded libgot_target variant. */
typedef struct {
    void *handle;
    void *(*malloc_)(size_t);
    void (*free_)(void *);
    void *(*calloc_)(size_t, size_t);
    void *(*realloc_)(void *, size_t);
    void *(*mmap_)(size_t);
    int (*munmap_)(void *, size_t);
    void *(*dlopen_)(const char *, int);
    void *(*(*malloc_address)(void))(size_t);
    void *(**malloc_pointer)(size_t);
} target;

static void ensure_init(void) {
    static int done;
    if (done) return;
    const char *err = got_patcher_init(hooks, (int)(sizeof hooks / sizeof hooks[0]), (const void *)hook_malloc);
    if (err) MT_FAIL_(1, "got_patcher_init: %s", err);
    done = 1;
}

static int load_target(const char *file, int mode, target *t) {
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return 0;
    path[n] = 0;
    char *slash = strrchr(path, '/');
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", file);
    memset(t, 0, sizeof *t);
    t->handle = dlopen(path, mode);
    if (!t->handle) {
        fprintf(stderr, "  dlopen %s: %s\n", path, dlerror());
        return 0;
    }
    *(void **)&t->malloc_ = dlsym(t->handle, "got_target_malloc");
    *(void **)&t->free_ = dlsym(t->handle, "got_target_free");
    *(void **)&t->calloc_ = dlsym(t->handle, "got_target_calloc");
    *(void **)&t->realloc_ = dlsym(t->handle, "got_target_realloc");
    *(void **)&t->mmap_ = dlsym(t->handle, "got_target_mmap");
    *(void **)&t->munmap_ = dlsym(t->handle, "got_target_munmap");
    *(void **)&t->dlopen_ = dlsym(t->handle, "got_target_dlopen");
    *(void **)&t->malloc_address = dlsym(t->handle, "got_target_malloc_address");
    t->malloc_pointer = dlsym(t->handle, "got_target_malloc_pointer");
    return t->malloc_ && t->free_ && t->calloc_ && t->realloc_ && t->mmap_ && t->munmap_ && t->dlopen_ &&
           t->malloc_address && t->malloc_pointer;
}

/* Each call of the target must arrive in exactly the matching hook. */
static void check_all_calls_hooked(const target *t) {
    long before = n_malloc;
    void *p = t->malloc_(DISTINCT_SIZE);
    CHECK_EQ(n_malloc - before, 1);
    CHECK_EQ(last_size, DISTINCT_SIZE);

    before = n_realloc;
    p = t->realloc_(p, DISTINCT_SIZE + 2);
    CHECK_EQ(n_realloc - before, 1);
    CHECK_EQ(last_size, DISTINCT_SIZE + 2);

    before = n_free;
    t->free_(p);
    CHECK_EQ(n_free - before, 1);

    before = n_calloc;
    p = t->calloc_(3, 7);
    CHECK_EQ(n_calloc - before, 1);
    t->free_(p);

    before = n_mmap;
    void *m = t->mmap_(65536);
    CHECK_EQ(n_mmap - before, 1);
    CHECK_TRUE(m != MAP_FAILED);
    before = n_munmap;
    CHECK_EQ(t->munmap_(m, 65536), 0);
    CHECK_EQ(n_munmap - before, 1);

    before = n_dlopen;
    void *self = t->dlopen_(NULL, RTLD_LAZY);
    CHECK_EQ(n_dlopen - before, 1);
    CHECK_TRUE(self != NULL);
    if (self) dlclose(self);
}


/* ---- an independent look at the slots, to check results without trusting the patcher ---- */

#if defined(__x86_64__)
#define GOT_SLOT_TYPE R_X86_64_GLOB_DAT
#define PLT_SLOT_TYPE R_X86_64_JUMP_SLOT
#else
#define GOT_SLOT_TYPE R_AARCH64_GLOB_DAT
#define PLT_SLOT_TYPE R_AARCH64_JUMP_SLOT
#endif

typedef struct {
    const char *library, *symbol;
    void **slot;
} slot_search;

static int find_slot_callback(struct dl_phdr_info *info, size_t size, void *data) {
    slot_search *s = data;
    if (!info->dlpi_name || !strstr(info->dlpi_name, s->library)) return 0;
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    if (!dyn) return 0;
    const ElfW(Sym) *symtab = NULL;
    const char *strtab = NULL;
    const ElfW(Rela) *tables[2] = {NULL, NULL}; /* GOT (GLOB_DAT) first, then the PLT's slots */
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
            size_t sym = ELF64_R_SYM(tables[t][i].r_info), type = ELF64_R_TYPE(tables[t][i].r_info);
            if (type != GOT_SLOT_TYPE && type != PLT_SLOT_TYPE) continue; /* not a data word */
            if (sym && strcmp(strtab + symtab[sym].st_name, s->symbol) == 0) {
                s->slot = (void **)(info->dlpi_addr + tables[t][i].r_offset);
                return 1;
            }
        }
    return 0;
}

static void **slot_of(const char *library, const char *symbol) {
    slot_search s = {library, symbol, NULL};
    dl_iterate_phdr(find_slot_callback, &s);
    return s.slot;
}

/* "r--p", "rw-p", ... of the mapping holding addr, from /proc/self/maps. */
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

/* The first page ld.so makes read-only for `library` (PT_GNU_RELRO rounded down). */
typedef struct {
    const char *library;
    uintptr_t page;
} relro_search;

static int find_relro_callback(struct dl_phdr_info *info, size_t size, void *data) {
    relro_search *s = data;
    if (!info->dlpi_name || !strstr(info->dlpi_name, s->library)) return 0;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO)
            s->page = (info->dlpi_addr + info->dlpi_phdr[i].p_vaddr) & ~(uintptr_t)(getpagesize() - 1);
    return 1;
}

static void *relro_page_of(const char *library) {
    relro_search s = {library, 0};
    dl_iterate_phdr(find_relro_callback, &s);
    return (void *)s.page;
}

static target plt, noplt, own;

TEST(init_resolves_originals_with_dlsym) {
    ensure_init();
    CHECK_TRUE(real_malloc == dlsym(RTLD_DEFAULT, "malloc"));
    CHECK_TRUE(real_free == dlsym(RTLD_DEFAULT, "free"));
    CHECK_TRUE(real_dlopen == dlsym(RTLD_DEFAULT, "dlopen"));
    CHECK_TRUE(real_mmap != NULL && real_munmap != NULL && real_calloc != NULL && real_realloc != NULL);
    CHECK_TRUE(missing_original == NULL); /* optional symbol: allowed, its hook is skipped */
}

TEST(patches_lazily_bound_plt_slots) {
    ensure_init();
    got_patch_all(); /* whatever is loaded now: libc, libpthread, ... */
    /* GIVEN a library loaded lazily whose PLT slots still point at its own stubs */
    ASSERT_TRUE(load_target("libgot_target.so", RTLD_LAZY | RTLD_LOCAL, &plt));
    /* WHEN patching */
    int slots = got_patch_all();
    /* THEN its slots for the 7 hooked functions (+ the &malloc GOT entry and data pointer) */
    CHECK_GE(slots, 8);
    check_all_calls_hooked(&plt);
}

TEST(patches_glob_dat_slots_of_fno_plt_code) {
    ensure_init();
    /* GIVEN -fno-plt code: GLOB_DAT slots in .got, read-only after relocation (RELRO) */
    ASSERT_TRUE(load_target("libgot_target_noplt.so", RTLD_NOW | RTLD_LOCAL, &noplt));
    void **slot = slot_of("libgot_target_noplt.so", "malloc");
    ASSERT_TRUE(slot != NULL);
    char before[5], after[5];
    protection_of(slot, before);
    CHECK_STR_EQ(before, "r--p");
    /* WHEN patching */
    CHECK_GE(got_patch_all(), 8);
    /* THEN the slot holds the hook, the page is read-only again, and calls are hooked */
    CHECK_TRUE(*slot == (void *)hook_malloc);
    protection_of(slot, after);
    CHECK_STR_EQ(after, before);
    check_all_calls_hooked(&noplt);
}

TEST(patches_function_pointers_to_malloc) {
    ensure_init();
    /* &malloc read from a GLOB_DAT slot, and a data word relocated with R_*_64/ABS64 */
    CHECK_TRUE(plt.malloc_address() == hook_malloc);
    CHECK_TRUE(*plt.malloc_pointer == hook_malloc);
    CHECK_TRUE(noplt.malloc_address() == hook_malloc);
    long before = n_malloc;
    void *p = (*plt.malloc_pointer)(DISTINCT_SIZE);
    CHECK_EQ(n_malloc - before, 1);
    free(p);
}

TEST(skips_objects_already_patched) {
    ensure_init();
    int objects = got_objects_patched(), slots = got_slots_patched();
    CHECK_EQ(got_patch_all(), 0);
    CHECK_EQ(got_patch_all(), 0);
    CHECK_EQ(got_objects_patched(), objects);
    CHECK_EQ(got_slots_patched(), slots);
    CHECK_GE(objects, 3); /* libc + the two targets at least */
}

TEST(never_patches_self) {
    ensure_init();
    long before = n_malloc;
    void *volatile p = malloc(DISTINCT_SIZE); /* from the test binary: the `self` object */
    free(p);
    CHECK_EQ(n_malloc - before, 0);
}

TEST(leaves_slots_bound_to_a_librarys_own_allocator) {
    ensure_init();
    /* GIVEN a library whose calloc slot is bound to its own calloc (RTLD_DEEPBIND) */
    ASSERT_TRUE(load_target("libgot_target_own.so", RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND, &own));
    int *own_calls = dlsym(own.handle, "got_target_own_calloc_calls");
    ASSERT_TRUE(own_calls != NULL);
    own.calloc_(1, 16); /* resolves the lazy slot to its own definition */
    CHECK_EQ(*own_calls, 1);
    /* WHEN patching */
    CHECK_GE(got_patch_all(), 1);
    /* THEN calloc still goes to its own allocator, malloc to the hook */
    long before = n_calloc;
    own.calloc_(1, 16);
    CHECK_EQ(*own_calls, 2);
    CHECK_EQ(n_calloc - before, 0);
    before = n_malloc;
    own.free_(own.malloc_(DISTINCT_SIZE));
    CHECK_EQ(n_malloc - before, 1);
}

TEST(repatches_a_library_loaded_again_after_dlclose) {
    ensure_init();
    /* Without got_forget_unloaded: the record's sentinel slot no longer holds the hook. */
    ASSERT_EQ(dlclose(noplt.handle), 0);
    ASSERT_TRUE(load_target("libgot_target_noplt.so", RTLD_NOW | RTLD_LOCAL, &noplt));
    CHECK_GE(got_patch_all(), 8);
    check_all_calls_hooked(&noplt);
    /* With got_forget_unloaded after dlclose, as the dlclose hook does. */
    ASSERT_EQ(dlclose(noplt.handle), 0);
    got_forget_unloaded();
    ASSERT_TRUE(load_target("libgot_target_noplt.so", RTLD_NOW | RTLD_LOCAL, &noplt));
    CHECK_GE(got_patch_all(), 8);
    check_all_calls_hooked(&noplt);
    CHECK_EQ(got_patch_all(), 0);
}


/* glibc lists an object for dl_iterate_phdr as soon as it is mapped, before ld.so relocates
 * it and makes its RELRO read-only. Simulate that state: the object must be left alone until
 * its RELRO is in effect, or re-protecting the page would crash ld.so's remaining stores. */
TEST(waits_until_ld_so_has_finished_an_object) {
    ensure_init();
    ASSERT_EQ(dlclose(noplt.handle), 0);
    got_forget_unloaded();
    ASSERT_TRUE(load_target("libgot_target_noplt.so", RTLD_NOW | RTLD_LOCAL, &noplt));
    void **slot = slot_of("libgot_target_noplt.so", "malloc");
    void *page = relro_page_of("libgot_target_noplt.so");
    ASSERT_TRUE(slot != NULL && page != NULL);
    /* GIVEN the object as ld.so leaves it mid-relocation: RELRO still writable */
    ASSERT_EQ(mprotect(page, (size_t)getpagesize(), PROT_READ | PROT_WRITE), 0);
    /* WHEN patching THEN it is skipped and its page stays as it was */
    CHECK_EQ(got_patch_all(), 0);
    CHECK_TRUE(*slot == (void *)real_malloc);
    char perms[5];
    protection_of(slot, perms);
    CHECK_STR_EQ(perms, "rw-p");
    /* WHEN ld.so has applied RELRO THEN the next call patches it */
    ASSERT_EQ(mprotect(page, (size_t)getpagesize(), PROT_READ), 0);
    CHECK_GE(got_patch_all(), 8);
    CHECK_TRUE(*slot == (void *)hook_malloc);
    protection_of(slot, perms);
    CHECK_STR_EQ(perms, "r--p");
    check_all_calls_hooked(&noplt);
}

static volatile int stress_stop;

static void *load_unload_loop(void *arg) {
    long rounds = 0;
    while (!stress_stop) {
        target t;
        if (load_target((const char *)arg, RTLD_NOW | RTLD_LOCAL, &t)) {
            t.free_(t.malloc_(DISTINCT_SIZE));
            /* every 8th round keeps the library a little, so the patcher surely meets one */
            if ((rounds & 7) == 0) usleep(200);
            dlclose(t.handle);
        }
        rounds++;
    }
    return (void *)rounds;
}

/* Loads and unloads on two threads while a third patches, as a JVM loading JNI libraries
 * from several threads does. Must not crash; every call through a patched slot is hooked. */
TEST(survives_concurrent_dlopen_and_dlclose) {
    ensure_init();
    /* GIVEN nobody else holds these two libraries, so each round really maps and unmaps them */
    ASSERT_EQ(dlclose(noplt.handle), 0);
    ASSERT_EQ(dlclose(own.handle), 0);
    stress_stop = 0;
    pthread_t a, b;
    ASSERT_EQ(pthread_create(&a, NULL, load_unload_loop, (void *)"libgot_target_own.so"), 0);
    ASSERT_EQ(pthread_create(&b, NULL, load_unload_loop, (void *)"libgot_target_noplt.so"), 0);
    long patches = 0, elapsed_ms;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        patches += got_patch_all();
        got_forget_unloaded();
        clock_gettime(CLOCK_MONOTONIC, &now);
        elapsed_ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        /* at least 700 ms of contention; longer (10 s at most) until a slot was patched */
    } while (elapsed_ms < 700 || (patches == 0 && elapsed_ms < 10000));
    stress_stop = 1;
    void *ra, *rb;
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    printf("  %ld + %ld load/unload rounds, %ld slots patched meanwhile\n", (long)ra, (long)rb, patches);
    CHECK_GE((long)ra + (long)rb, 10);
    CHECK_GE(patches, 1);
    /* and a library loaded now is still patched completely */
    got_patch_all();
    check_all_calls_hooked(&plt);
}

/* libjvm: BIND_NOW + full RELRO; Debian's imports dlopen@GLIBC_2.34, Temurin's @GLIBC_2.2.5.
 * A libjvm loads without a running VM, which is enough to patch it. */
TEST(patches_libjvm_of_each_installed_jdk) {
    ensure_init();
    const char *candidates[] = {"/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
                                "/usr/lib/jvm/java-17-openjdk-arm64/lib/server/libjvm.so",
                                "/usr/lib/jvm/temurin-25-jdk-amd64/lib/server/libjvm.so",
                                "/usr/lib/jvm/temurin-25-jdk-arm64/lib/server/libjvm.so"};
    int tested = 0;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (access(candidates[i], R_OK) != 0) continue;
        void *h = dlopen(candidates[i], RTLD_LAZY | RTLD_LOCAL);
        if (!h) {
            fprintf(stderr, "  dlopen %s: %s\n", candidates[i], dlerror());
            continue;
        }
        const char *jdk = strstr(candidates[i], "/jvm/") + 5;
        char lib[256];
        snprintf(lib, sizeof lib, "%.*s", (int)(strchr(jdk, '/') - jdk), jdk);
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        int slots = got_patch_all(); /* libjvm and its new dependencies (libstdc++, libm) */
        clock_gettime(CLOCK_MONOTONIC, &b);
        printf("  %s: %d slots patched in %.0f us\n", lib, slots,
               ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3);
        CHECK_GE(slots, 5);
        const char *names[] = {"malloc", "free", "realloc", "dlopen"};
        for (int k = 0; k < 4; k++) {
            void **slot = slot_of(lib, names[k]);
            CHECK_TRUE(slot != NULL);
            if (!slot) continue;
            void *hook = NULL;
            for (size_t j = 0; j < sizeof hooks / sizeof hooks[0]; j++)
                if (strcmp(hooks[j].name, names[k]) == 0) hook = hooks[j].hook;
            if (*slot != hook) fprintf(stderr, "  %s: slot of %s not patched\n", lib, names[k]);
            CHECK_TRUE(*slot == hook);
            char perms[5];
            protection_of(slot, perms);
            CHECK_STR_EQ(perms, "r--p");
        }
        tested++;
    }
    if (!tested) printf("  (no libjvm found: skipped)\n");
}

TEST(patching_is_fast) {
    ensure_init();
    /* libjvm-sized objects are BIND_NOW + full RELRO: mprotect per slot; budget < 1 ms there.
     * Here: a full re-walk that finds everything patched must be cheap. */
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 100; i++) got_patch_all();
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / 100;
    /* informational only: speed is judged in benchmarks, never by a timed unit test */
    printf("  got_patch_all with nothing to do: %.1f us\n", us);
}

MT_TEST_MAIN(init_resolves_originals_with_dlsym, patches_lazily_bound_plt_slots,
             patches_glob_dat_slots_of_fno_plt_code, patches_function_pointers_to_malloc,
             skips_objects_already_patched, never_patches_self,
             leaves_slots_bound_to_a_librarys_own_allocator, repatches_a_library_loaded_again_after_dlclose,
             waits_until_ld_so_has_finished_an_object, survives_concurrent_dlopen_and_dlclose,
             patches_libjvm_of_each_installed_jdk, patching_is_fast)
