/*
 * test_symbolizer.c — symbolizes functions of this test binary (PIE, -g, hidden visibility, so
 * names come from .symtab and lines from DWARF 5 written by gas), of libc, of small probe
 * libraries with line tables of DWARF versions 2-5, and of libjvm when a JDK is installed.
 */
#include "symbolizer.h"
#include "elf_file.h"
#include "mt_test.h"

#include <elf.h>

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <sys/auxv.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* ---- functions to look up ---------------------------------------------------------------- */

static const int probe_global_line = __LINE__ + 1;
__attribute__((noinline, noclone, used)) int symbolizer_probe_global(int x) {
    __asm__ volatile("" ::: "memory");
    return x * 7 + 1;
}

static __attribute__((noinline, noclone, used)) int symbolizer_probe_static(int x) {
    __asm__ volatile("" ::: "memory");
    return x * 5 + 3;
}

static __attribute__((noinline, noclone)) void *return_address(void) { return __builtin_return_address(0); }

static const int probe_call_line = __LINE__ + 3; /* the line of the call below */
static __attribute__((noinline, noclone)) void *symbolizer_probe_line(void) {
    __asm__ volatile("" ::: "memory");
    void *pc = return_address();
    __asm__ volatile("" ::: "memory");
    return pc;
}

/* A C function with a C++ mangled symbol name: memtest::probe(int). */
__attribute__((noinline, noclone, used)) int mangled_probe(int x) __asm__("_ZN7memtest5probeEi");
__attribute__((noinline, noclone, used)) int mangled_probe(int x) {
    __asm__ volatile("" ::: "memory");
    return x + 11;
}

static char exe_dir[PATH_MAX];

static const char *test_lib(const char *file, char *buf, size_t size) {
    if (!exe_dir[0]) {
        ssize_t n = readlink("/proc/self/exe", exe_dir, sizeof exe_dir - 1);
        exe_dir[n > 0 ? n : 0] = 0;
        char *slash = strrchr(exe_dir, '/');
        if (slash) slash[1] = 0;
    }
    snprintf(buf, size, "%s%s", exe_dir, file);
    return buf;
}

/* ---- tests ----------------------------------------------------------------------------------- */

TEST(finds_a_function_of_its_own_binary) {
    native_symbol s;
    uint64_t pc = (uint64_t)(uintptr_t)symbolizer_probe_global + 2;
    ASSERT_EQ(symbolizer_lookup(pc, &s), 1);
    CHECK_STR_EQ(s.function, "symbolizer_probe_global");
    CHECK_STR_EQ(s.library, "test_symbolizer");
    Dl_info dl;
    ASSERT_TRUE(dladdr((void *)(uintptr_t)pc, &dl) != 0);
    CHECK_EQ(s.offset, pc - (uint64_t)(uintptr_t)dl.dli_fbase); /* a PIE: offset from the load base */
    CHECK_STR_EQ(s.file, "test_symbolizer.c");
    CHECK_GE(s.line, probe_global_line);
    CHECK_LE(s.line, probe_global_line + 2);
}

TEST(finds_a_static_function_from_symtab) {
    native_symbol s;
    ASSERT_EQ(symbolizer_lookup((uint64_t)(uintptr_t)symbolizer_probe_static + 1, &s), 1);
    CHECK_STR_EQ(s.function, "symbolizer_probe_static");
    CHECK_TRUE(symbolizer_probe_static(1) == 8); /* keep it alive */
}

TEST(gives_file_and_line_from_dwarf) {
    native_symbol s;
    /* A return address points after the call: look up pc - 1 */
    uint64_t pc = (uint64_t)(uintptr_t)symbolizer_probe_line() - 1;
    ASSERT_EQ(symbolizer_lookup(pc, &s), 1);
    CHECK_STR_EQ(s.function, "symbolizer_probe_line");
    CHECK_STR_EQ(s.file, "test_symbolizer.c");
    CHECK_EQ(s.line, probe_call_line);
}

/* Line tables written by gcc itself in DWARF 2, 3, 4, 5 and by gas in 3 and 4. */
TEST(reads_line_tables_of_dwarf_versions_2_to_5) {
    const char *variants[] = {"v2", "v3", "v4", "v5", "as3", "as4"};
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        char name[64], path[PATH_MAX];
        snprintf(name, sizeof name, "libdwarf_probe_%s.so", variants[i]);
        void *h = dlopen(test_lib(name, path, sizeof path), RTLD_NOW | RTLD_LOCAL);
        if (!h) MT_FAIL_(0, "dlopen %s: %s", path, dlerror());
        if (!h) continue;
        void *(*probe)(int *) = (void *(*)(int *))dlsym(h, "dwarf_probe");
        ASSERT_TRUE(probe != NULL);
        int line = 0;
        uint64_t pc = (uint64_t)(uintptr_t)probe(&line) - 1;
        native_symbol s;
        CHECK_EQ(symbolizer_lookup(pc, &s), 1);
        if (strcmp(s.file, "dwarf_probe.c") != 0 || s.line != line)
            fprintf(stderr, "  %s: %s:%d, expected dwarf_probe.c:%d\n", name, s.file, s.line, line);
        CHECK_STR_EQ(s.library, name);
        CHECK_STR_EQ(s.function, "dwarf_probe");
        CHECK_STR_EQ(s.file, "dwarf_probe.c");
        CHECK_EQ(s.line, line);
        dlclose(h);
    }
    symbolizer_flush();
}

TEST(finds_libc_functions) {
    native_symbol s;
    /* libc's own malloc, not the first in lookup order (ASan's interceptor when sanitized) */
    void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    ASSERT_TRUE(libc != NULL);
    void *malloc_address = dlsym(libc, "malloc");
    dlclose(libc);
    ASSERT_EQ(symbolizer_lookup((uint64_t)(uintptr_t)malloc_address + 4, &s), 1);
    CHECK_STR_EQ(s.library, "libc.so.6");
    CHECK_STR_EQ(s.function, "malloc"); /* not its alias __libc_malloc */
    void *getpid_address = dlsym(RTLD_DEFAULT, "getpid");
    ASSERT_EQ(symbolizer_lookup((uint64_t)(uintptr_t)getpid_address, &s), 1);
    CHECK_STR_EQ(s.function, "getpid");
}

/* With libc6-dbg installed (Debian: /usr/lib/debug/.build-id), libc's static functions too. */
TEST(finds_libc_static_functions_from_its_debug_file) {
    uint64_t start = 0, end = 0;
    if (!symbolizer_function_range("libc.so.6", "_int_malloc", &start, &end)) {
        printf("  (no libc debug symbols: skipped)\n");
        return;
    }
    native_symbol s;
    ASSERT_EQ(symbolizer_lookup(start + 8, &s), 1);
    CHECK_STR_EQ(s.function, "_int_malloc");
    CHECK_TRUE(end > start + 8);
}

TEST(demangles_cpp_names_when_libstdcxx_is_there) {
    native_symbol s;
    uint64_t pc = (uint64_t)(uintptr_t)mangled_probe + 1;
    if (!dlsym(RTLD_DEFAULT, "__cxa_demangle")) {
        /* This C test does not link libstdc++: the symbolizer must not load it either. */
        ASSERT_EQ(symbolizer_lookup(pc, &s), 1);
        CHECK_STR_EQ(s.function, "_ZN7memtest5probeEi");
        CHECK_TRUE(dlopen("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD) == NULL);
        /* Once a C++ runtime is loaded, even locally by some library, names are demangled. */
        if (!dlopen("libstdc++.so.6", RTLD_NOW | RTLD_LOCAL)) {
            printf("  (no libstdc++.so.6: demangling not tested)\n");
            return;
        }
    }
    ASSERT_EQ(symbolizer_lookup(pc, &s), 1);
    CHECK_STR_EQ(s.function, "memtest::probe(int)");
    CHECK_TRUE(mangled_probe(1) == 12);
}

TEST(pc_in_no_object_returns_0) {
    native_symbol s;
    void *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_TRUE(anon != MAP_FAILED);
    CHECK_EQ(symbolizer_lookup((uint64_t)(uintptr_t)anon + 100, &s), 0);
    CHECK_STR_EQ(s.function, "");
    CHECK_STR_EQ(s.library, "");
    munmap(anon, 4096);
    CHECK_EQ(symbolizer_lookup(16, &s), 0);
    int *heap = malloc(64);
    CHECK_EQ(symbolizer_lookup((uint64_t)(uintptr_t)heap, &s), 0);
    free(heap);
}

TEST(function_range_of_a_known_function) {
    char path[PATH_MAX];
    void *h = dlopen(test_lib("libgot_target.so", path, sizeof path), RTLD_LAZY | RTLD_LOCAL);
    ASSERT_TRUE(h != NULL);
    uint64_t start = 0, end = 0;
    ASSERT_EQ(symbolizer_function_range("libgot_target", "got_target_malloc_addr", &start, &end), 1);
    CHECK_EQ(start, (uint64_t)(uintptr_t)dlsym(h, "got_target_malloc_address"));
    CHECK_TRUE(end > start && end - start < 256);
    CHECK_EQ(symbolizer_function_range("libgot_target", "no_such_function", &start, &end), 0);
    CHECK_EQ(symbolizer_function_range("no_such_library", "got_target", &start, &end), 0);
    /* libc's getpid, from .dynsym (or the debug file's .symtab) */
    ASSERT_EQ(symbolizer_function_range("libc.so", "getpid", &start, &end), 1);
    CHECK_EQ(start, (uint64_t)(uintptr_t)dlsym(RTLD_DEFAULT, "getpid"));
    dlclose(h);
}

TEST(flush_forgets_unloaded_objects) {
    char path[PATH_MAX];
    void *h = dlopen(test_lib("libgot_target_own.so", path, sizeof path), RTLD_NOW | RTLD_LOCAL);
    ASSERT_TRUE(h != NULL);
    uint64_t pc = (uint64_t)(uintptr_t)dlsym(h, "got_target_free");
    native_symbol s;
    ASSERT_EQ(symbolizer_lookup(pc, &s), 1);
    CHECK_STR_EQ(s.function, "got_target_free");
    CHECK_STR_EQ(s.file, "got_target.c");
    ASSERT_EQ(dlclose(h), 0);
    symbolizer_flush();
    CHECK_EQ(symbolizer_lookup(pc, &s), 0);
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    ASSERT_TRUE(h != NULL);
    pc = (uint64_t)(uintptr_t)dlsym(h, "got_target_calloc");
    ASSERT_EQ(symbolizer_lookup(pc, &s), 1);
    CHECK_STR_EQ(s.function, "got_target_calloc");
    dlclose(h);
    symbolizer_flush();
}

/* Netty and others delete an extracted library right after loading it: no file to read, but
 * the loader's in-memory .dynsym still names its exported functions. */
TEST(names_exported_functions_of_a_deleted_library) {
    char src[PATH_MAX], copy[] = "/tmp/memtrack_symbolizer_XXXXXX";
    int fd = mkstemp(copy);
    ASSERT_TRUE(fd >= 0);
    FILE *in = fopen(test_lib("libgot_target.so", src, sizeof src), "rb");
    ASSERT_TRUE(in != NULL);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) CHECK_EQ(write(fd, buf, n), (long long)n);
    fclose(in);
    close(fd);
    void *h = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
    unlink(copy);
    ASSERT_TRUE(h != NULL);
    native_symbol s;
    ASSERT_EQ(symbolizer_lookup((uint64_t)(uintptr_t)dlsym(h, "got_target_calloc") + 1, &s), 1);
    CHECK_STR_EQ(s.function, "got_target_calloc");
    CHECK_TRUE(strncmp(s.library, "memtrack_symbolizer_", 20) == 0);
    dlclose(h);
    symbolizer_flush();
}

/* ---- stripped libraries: symbols where distributions keep them ------------------------------ */

/* Loads build/test/<variant>/libstripped_probe.so and names its static function (in no .dynsym). */
static void name_the_static_function_of(const char *variant, int with_line, const char *debug_root) {
    char name[128], path[PATH_MAX];
    snprintf(name, sizeof name, "%s/libstripped_probe.so", variant);
    void *h = dlopen(test_lib(name, path, sizeof path), RTLD_NOW | RTLD_LOCAL);
    if (!h) MT_FAIL_(1, "dlopen %s: %s", path, dlerror());
    void *(*address)(void) = (void *(*)(void))dlsym(h, "stripped_probe_hidden_address");
    ASSERT_TRUE(address != NULL);
    symbolizer_set_debug_root(debug_root);
    native_symbol s;
    ASSERT_EQ(symbolizer_lookup((uint64_t)(uintptr_t)address() + 1, &s), 1);
    symbolizer_set_debug_root(NULL);
    CHECK_STR_EQ(s.function, "stripped_probe_hidden");
    CHECK_STR_EQ(s.library, "libstripped_probe.so");
    CHECK_STR_EQ(s.file, with_line ? "stripped_probe.c" : "");
    if (with_line) CHECK_GE(s.line, 3);
    dlclose(h);
    symbolizer_flush();
}

TEST(names_a_stripped_library_from_the_debug_file_its_debuglink_names) {
    name_the_static_function_of("debuglink", 1, NULL);     /* beside it */
    name_the_static_function_of("debuglink-dir", 1, NULL); /* in .debug/ beside it */
}

/* Debian's and Fedora's debug packages: <debug root>/.build-id/xx/rest.debug. */
TEST(names_a_stripped_library_from_a_debug_file_found_by_build_id) {
    char dir[PATH_MAX], lib[PATH_MAX], root[] = "/tmp/memtrack_debug_root_XXXXXX";
    ASSERT_TRUE(mkdtemp(root) != NULL);
    elf_file f;
    ASSERT_EQ(elf_open(test_lib("buildid/libstripped_probe.so", lib, sizeof lib), &f), 0);
    const uint8_t *id;
    size_t n = elf_build_id(&f, &id);
    ASSERT_TRUE(n >= 2);
    char target[PATH_MAX], cmd[4 * PATH_MAX];
    int k = snprintf(target, sizeof target, "%s/.build-id/%02x/", root, id[0]);
    for (size_t i = 1; i < n; i++) k += snprintf(target + k, sizeof target - (size_t)k, "%02x", id[i]);
    snprintf(target + k, sizeof target - (size_t)k, ".debug");
    elf_close(&f);
    snprintf(dir, sizeof dir, "%s", target);
    *strrchr(dir, '/') = 0;
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s.debug' '%s'", dir, lib, target);
    ASSERT_EQ(system(cmd), 0);
    /* Without the root the stripped copy has no name for it; with it, name and line. */
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    ASSERT_TRUE(h != NULL);
    void *(*address)(void) = (void *(*)(void))dlsym(h, "stripped_probe_hidden_address");
    native_symbol s;
    ASSERT_EQ(symbolizer_lookup((uint64_t)(uintptr_t)address() + 1, &s), 1);
    CHECK_STR_EQ(s.function, "");
    dlclose(h);
    symbolizer_flush();
    name_the_static_function_of("buildid", 1, root);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK_EQ(system(cmd), 0);
}

/* Fedora's MiniDebugInfo: an xz-compressed .symtab of the static functions in .gnu_debugdata. */
TEST(names_a_stripped_library_from_its_minidebuginfo) {
    if (!elf_xz_available()) {
        printf("  (no liblzma.so.5: MiniDebugInfo not read, skipped)\n");
        return;
    }
    name_the_static_function_of("minidebuginfo", 0, NULL);
    /* the image is an ELF file with the function in its .symtab */
    char lib[PATH_MAX];
    elf_file f, mini;
    ASSERT_EQ(elf_open(test_lib("minidebuginfo/libstripped_probe.so", lib, sizeof lib), &f), 0);
    ASSERT_EQ(elf_gnu_debugdata(&f, &mini), 0);
    CHECK_TRUE(elf_find_section(&mini, NULL, SHT_SYMTAB).data != NULL);
    elf_close(&mini);
    /* A file without the section, or with a corrupt one, gives nothing and no crash. */
    elf_file plain;
    ASSERT_EQ(elf_open(test_lib("libstripped_probe.so", lib, sizeof lib), &plain), 0);
    CHECK_EQ(elf_gnu_debugdata(&plain, &mini), -1);
    elf_close(&plain);
    elf_section d = elf_find_section(&f, ".gnu_debugdata", 0);
    ASSERT_TRUE(d.data != NULL);
    uint8_t *copy = malloc(f.size);
    memcpy(copy, f.data, f.size);
    copy[(d.data - f.data) + d.size / 2] ^= 0x5a;
    elf_file broken;
    ASSERT_EQ(elf_from_memory(copy, f.size, &broken), 0);
    CHECK_EQ(elf_gnu_debugdata(&broken, &mini), -1);
    free(copy);
    elf_close(&f);
}

/* libjvm without a VM: dlopen RTLD_LAZY is enough for its symbols. */
TEST(finds_libjvm_internals_from_its_symtab) {
    const char *candidates[] = {"/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
                                "/usr/lib/jvm/java-17-openjdk-arm64/lib/server/libjvm.so"};
    void *h = NULL;
    for (size_t i = 0; !h && i < sizeof candidates / sizeof candidates[0]; i++)
        if (access(candidates[i], R_OK) == 0) h = dlopen(candidates[i], RTLD_LAZY | RTLD_LOCAL);
    if (!h) {
        printf("  (no JDK 17 libjvm: skipped)\n");
        return;
    }
    uint64_t start = 0, end = 0;
    ASSERT_EQ(symbolizer_function_range("libjvm.so", "Unsafe_AllocateMemory0", &start, &end), 1);
    CHECK_TRUE(end > start && end - start < 4096);
    native_symbol s;
    ASSERT_EQ(symbolizer_lookup(start + 16, &s), 1);
    CHECK_STR_EQ(s.function, "Unsafe_AllocateMemory0");
    CHECK_STR_EQ(s.library, "libjvm.so");
    /* an exact name beats a longer one with the same start (the NativeCallStack overload) */
    uint64_t s1, e1, s2, e2;
    ASSERT_EQ(symbolizer_function_range("libjvm.so", "_ZN2os6mallocEm8MEMFLAGS", &s1, &e1), 1);
    ASSERT_EQ(symbolizer_function_range("libjvm.so", "_ZN2os6mallocEm8MEMFLAGSRK15NativeCallStack", &s2, &e2), 1);
    CHECK_NE(s1, s2);
    ASSERT_EQ(symbolizer_lookup(s1, &s), 1);
    CHECK_TRUE(strstr(s.function, "NativeCallStack") == NULL);
    /* JDK 17 has two os::malloc overloads; the hooks need both ranges */
    uint64_t ranges[8][2];
    int n = symbolizer_function_ranges("libjvm.so", "_ZN2os6mallocE", ranges, 8);
    CHECK_EQ(n, 2);
    for (int i = 0; i < n; i++) {
        ASSERT_EQ(symbolizer_lookup(ranges[i][0], &s), 1);
        CHECK_TRUE(strncmp(s.function, "os::malloc(unsigned long, MEMFLAGS", 34) == 0 ||
                   strncmp(s.function, "_ZN2os6mallocE", 14) == 0);
        printf("  %s [%#" PRIx64 ", %#" PRIx64 ")\n", s.function, ranges[i][0], ranges[i][1]);
    }
}

/* The vdso is no file on disk: its symbols are read from its image in memory. */
TEST(finds_vdso_functions_from_memory) {
    uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
    if (!vdso) {
        printf("  (no vdso: skipped)\n");
        return;
    }
    const ElfW(Ehdr) *e = (const ElfW(Ehdr) *)vdso;
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(vdso + e->e_phoff);
    int named = 0;
    native_symbol s;
    for (int i = 0; i < e->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X)) continue;
        for (uint64_t off = 0; off < ph[i].p_filesz; off += 16) {
            ASSERT_EQ(symbolizer_lookup(vdso + ph[i].p_offset + off, &s), 1);
            CHECK_TRUE(strstr(s.library, "vdso") != NULL);
            if (strstr(s.function, "gettimeofday") || strstr(s.function, "clock_gettime")) named++;
        }
    }
    CHECK_GE(named, 1);
}

static void *lookup_loop(void *arg) {
    const uint64_t *pcs = arg;
    native_symbol s;
    long ok = 0;
    for (int round = 0; round < 2000; round++)
        for (int i = 0; i < 4; i++) ok += symbolizer_lookup(pcs[i], &s) && s.function[0];
    return (void *)ok;
}

TEST(lookups_from_several_threads_while_flushing) {
    uint64_t pcs[4] = {(uint64_t)(uintptr_t)symbolizer_probe_global, (uint64_t)(uintptr_t)symbolizer_probe_static,
                       (uint64_t)(uintptr_t)dlsym(RTLD_DEFAULT, "malloc"),
                       (uint64_t)(uintptr_t)dlsym(RTLD_DEFAULT, "getpid")};
    pthread_t t[4];
    for (int i = 0; i < 4; i++) ASSERT_EQ(pthread_create(&t[i], NULL, lookup_loop, pcs), 0);
    for (int i = 0; i < 200; i++) symbolizer_flush();
    long ok = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        ok += (long)r;
    }
    CHECK_EQ(ok, 4 * 2000 * 4);
}

/* ---- performance: 10,000 pcs over every loaded object ------------------------------------- */

typedef struct {
    uint64_t lo[64], hi[64];
    int n;
} code_ranges;

static int collect_code(struct dl_phdr_info *info, size_t size, void *data) {
    code_ranges *c = data;
    for (int i = 0; i < info->dlpi_phnum && c->n < 64; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            c->lo[c->n] = info->dlpi_addr + ph->p_vaddr;
            c->hi[c->n] = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
            c->n++;
        }
    }
    return 0;
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

TEST(symbolizes_10000_pcs_quickly_once_objects_are_loaded) {
    enum { N = 10000 };
    static uint64_t pcs[N];
    code_ranges c = {.n = 0};
    dl_iterate_phdr(collect_code, &c);
    ASSERT_TRUE(c.n >= 3);
    uint64_t seed = 42;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int r = (int)((seed >> 33) % (uint64_t)c.n);
        pcs[i] = c.lo[r] + (seed >> 11) % (c.hi[r] - c.lo[r]);
    }
    native_symbol s;
    double t0 = seconds();
    int named = 0, lined = 0;
    for (int i = 0; i < N; i++) symbolizer_lookup(pcs[i], &s);
    double t1 = seconds();
    for (int i = 0; i < N; i++) {
        CHECK_EQ(symbolizer_lookup(pcs[i], &s), 1);
        named += s.function[0] != 0;
        lined += s.line != 0;
    }
    double t2 = seconds();
    printf("  %d objects' code: first pass %.0f ms (loads tables), second pass %.1f ms = %.2f us/pc;"
           " %d named, %d with line\n",
           c.n, (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t2 - t1) * 1e6 / N, named, lined);
}

/* Last: it leaves a retired object behind, whose addresses a later test's library may take. A
 * library the program dlclose'd before the report was read: noted while loaded, its frames are
 * still named from its file; one never noted is not. */
TEST(names_functions_of_a_library_unloaded_since_it_was_noted) {
    char path[PATH_MAX];
    void *h = dlopen(test_lib("libgot_target_noplt.so", path, sizeof path), RTLD_NOW | RTLD_LOCAL);
    ASSERT_TRUE(h != NULL);
    uint64_t pc = (uint64_t)(uintptr_t)dlsym(h, "got_target_free") + 1;
    symbolizer_note_objects();
    ASSERT_EQ(dlclose(h), 0);
    symbolizer_note_objects();
    symbolizer_flush();
    native_symbol s;
    ASSERT_EQ(symbolizer_lookup(pc, &s), 1);
    CHECK_STR_EQ(s.function, "got_target_free");
    CHECK_STR_EQ(s.library, "libgot_target_noplt.so");
    CHECK_STR_EQ(s.file, "got_target.c");

    h = dlopen(test_lib("libgot_target_own.so", path, sizeof path), RTLD_NOW | RTLD_LOCAL);
    ASSERT_TRUE(h != NULL);
    uint64_t unnoted = (uint64_t)(uintptr_t)dlsym(h, "got_target_calloc") + 1;
    ASSERT_EQ(dlclose(h), 0);
    symbolizer_note_objects();
    symbolizer_flush();
    if (symbolizer_lookup(unnoted, &s) == 1) CHECK_STR_EQ(s.library, "libgot_target_noplt.so"); /* took its addresses */
}

MT_TEST_MAIN(finds_a_function_of_its_own_binary, finds_a_static_function_from_symtab, gives_file_and_line_from_dwarf,
             reads_line_tables_of_dwarf_versions_2_to_5, finds_libc_functions,
             finds_libc_static_functions_from_its_debug_file, demangles_cpp_names_when_libstdcxx_is_there,
             pc_in_no_object_returns_0, function_range_of_a_known_function, flush_forgets_unloaded_objects,
             names_exported_functions_of_a_deleted_library,
             names_a_stripped_library_from_the_debug_file_its_debuglink_names,
             names_a_stripped_library_from_a_debug_file_found_by_build_id, names_a_stripped_library_from_its_minidebuginfo,
             finds_libjvm_internals_from_its_symtab, finds_vdso_functions_from_memory,
             lookups_from_several_threads_while_flushing, symbolizes_10000_pcs_quickly_once_objects_are_loaded,
             names_functions_of_a_library_unloaded_since_it_was_noted)
