/*
 * symbolizer.c — see symbolizer.h. Per loaded object (keyed by dlpi_name + load base) we map
 * its ELF file once, sort its function symbols once and run its line programs once, on first
 * use; later lookups are a dl_iterate_phdr walk plus two binary searches.
 */
#include "symbolizer.h"

#include "dwarf_lines.h"
#include "elf_file.h"
#include "elf_symbols.h"
#include "library_name.h"

#include <dlfcn.h>
#include <elf.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#define MAX_RANGES 16
#define MAX_BUILD_ID 64

/* What the dl_iterate_phdr callback copies out, so that file I/O happens after the walk,
 * without the loader lock (a dlopen on another thread would wait for it). */
typedef struct {
    char name[PATH_MAX];
    uintptr_t base;
    uint64_t code[MAX_RANGES][2]; /* executable PT_LOADs, file addresses */
    int code_count;
    const void *image; /* address of the ELF header in memory when the first PT_LOAD maps it */
    uint8_t build_id[MAX_BUILD_ID];
    size_t build_id_size;
} object_info;

typedef struct cached_object {
    struct cached_object *next;
    char *name;      /* dlpi_name, "" for the main program */
    uintptr_t base;
    char *library;   /* base name shown to users */
    elf_file file;   /* the object's own file */
    elf_file debug;  /* a separate debug file (by build id or .gnu_debuglink), when found */
    elf_file mini;   /* the MiniDebugInfo image (.gnu_debugdata), when the file has one */
    const elf_file *symbol_source;
    elf_symbols symbols;
    const elf_file *line_source;
    int lines_parsed;
    dwarf_lines lines;
    uint64_t code[MAX_RANGES][2];
    int code_count;
    int seen;
} cached_object;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static cached_object *cache;

typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);
static demangle_fn demangler;
static unsigned long long demangler_tried_at_adds = ~0ull;

/* ---- finding the object of a pc ------------------------------------------------------------ */

static void copy_info(struct dl_phdr_info *info, object_info *out) {
    snprintf(out->name, sizeof out->name, "%s", info->dlpi_name ? info->dlpi_name : "");
    out->base = info->dlpi_addr;
    out->code_count = 0;
    out->image = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        if (!out->image && ph->p_offset == 0) out->image = (const void *)(info->dlpi_addr + ph->p_vaddr);
        if ((ph->p_flags & PF_X) && out->code_count < MAX_RANGES) {
            out->code[out->code_count][0] = ph->p_vaddr;
            out->code[out->code_count][1] = ph->p_vaddr + ph->p_memsz;
            out->code_count++;
        }
    }
    const uint8_t *id = NULL;
    size_t n = elf_loaded_build_id(info, &id);
    out->build_id_size = n <= MAX_BUILD_ID ? n : 0;
    if (out->build_id_size) memcpy(out->build_id, id, out->build_id_size);
}

typedef struct {
    uintptr_t pc;
    int found;
    unsigned long long adds;
    object_info *info;
} pc_search;

static int find_pc_callback(struct dl_phdr_info *info, size_t size, void *data) {
    pc_search *s = data;
    s->adds = info->dlpi_adds;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && s->pc >= start && s->pc < start + ph->p_memsz) {
            copy_info(info, s->info);
            s->found = 1;
            return 1;
        }
    }
    return 0;
}

/* ---- loading one object's tables ------------------------------------------------------------- */

/* Copies with truncation (a 600-character C++ name must not fail the whole frame). */
static void copy_text(char *dst, size_t size, const char *src) {
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int same_build_id(const elf_file *f, const object_info *info) {
    const uint8_t *id = NULL;
    size_t n = elf_build_id(f, &id);
    if (!n || !info->build_id_size) return 1; /* nothing to compare: trust the path */
    return n == info->build_id_size && memcmp(id, info->build_id, n) == 0;
}

/* Where separate debug files live (GDB's debug-file-directory); tests point it elsewhere. */
static char debug_root[PATH_MAX] = "/usr/lib/debug";

void symbolizer_set_debug_root(const char *dir) {
    pthread_mutex_lock(&lock);
    snprintf(debug_root, sizeof debug_root, "%s", dir && *dir ? dir : "/usr/lib/debug");
    pthread_mutex_unlock(&lock);
}

static int open_matching(cached_object *o, const object_info *info, const char *path, int check_crc, uint32_t crc) {
    if (elf_open(path, &o->debug) != 0) return 0;
    const uint8_t *id = NULL;
    int has_id = elf_build_id(&o->debug, &id) && info->build_id_size;
    if ((has_id && !same_build_id(&o->debug, info)) ||
        (!has_id && check_crc && elf_crc32(o->debug.data, o->debug.size) != crc)) {
        elf_close(&o->debug);
        return 0;
    }
    return 1;
}

/* The separate debug file, where GDB looks for it: by build id under the debug root (Debian's and
 * Fedora's debug packages), then by the name in .gnu_debuglink next to the object, in a .debug
 * folder beside it, and under the debug root followed by the object's folder. A file found by
 * name must have the object's build id (or, without one, the CRC the link gives). */
static void open_debug_file(cached_object *o, const object_info *info, const char *object_path) {
    char path[PATH_MAX];
    if (info->build_id_size >= 2) {
        int n = snprintf(path, sizeof path, "%s/.build-id/%02x/", debug_root, info->build_id[0]);
        for (size_t i = 1; i < info->build_id_size && n > 0 && n < (int)sizeof path - 8; i++)
            n += snprintf(path + n, sizeof path - (size_t)n, "%02x", info->build_id[i]);
        if (n > 0 && n < (int)sizeof path - 8) {
            snprintf(path + n, sizeof path - (size_t)n, ".debug");
            if (open_matching(o, info, path, 0, 0)) return;
        }
    }
    const char *link;
    uint32_t crc;
    if (!o->file.data || !elf_debuglink(&o->file, &link, &crc) || strchr(link, '/')) return;
    char dir[PATH_MAX];
    if (!realpath(object_path, dir)) return;
    char *slash = strrchr(dir, '/');
    if (!slash) return;
    slash[1] = 0; /* "/dir/" */
    const char *formats[] = {"%s%s", "%s.debug/%s"};
    for (int i = 0; i < 2; i++) {
        int n = snprintf(path, sizeof path, formats[i], dir, link);
        if (n > 0 && n < (int)sizeof path && open_matching(o, info, path, 1, crc)) return;
    }
    int n = snprintf(path, sizeof path, "%s%s%s", debug_root, dir, link);
    if (n > 0 && n < (int)sizeof path) open_matching(o, info, path, 1, crc);
}

static int has_section(const elf_file *f, const char *name) {
    return f->data && elf_find_section(f, name, 0).data != NULL;
}

/* The vdso is no file: its image (with section headers) is mapped in full. */
static size_t vdso_image_size(const ElfW(Ehdr) *e) {
    size_t size = e->e_shoff + (size_t)e->e_shnum * e->e_shentsize;
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const uint8_t *)e + e->e_phoff);
    for (int i = 0; i < e->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && ph[i].p_offset + ph[i].p_filesz > size) size = ph[i].p_offset + ph[i].p_filesz;
    return size;
}

static cached_object *load_object(const object_info *info) {
    cached_object *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    o->name = strdup(info->name);
    o->base = info->base;
    o->symbols.section = -1;
    memcpy(o->code, info->code, sizeof o->code);
    o->code_count = info->code_count;

    char exe[PATH_MAX];
    const char *path = info->name;
    if (!*info->name) {
        /* The main program: /proc/self/exe opens even if the file was replaced or deleted. */
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        exe[n > 0 ? n : 0] = 0;
        o->library = strdup(base_name(exe));
        path = "/proc/self/exe";
    } else {
        char stable[256];
        library_stable_name(base_name(info->name), stable, sizeof stable);
        o->library = strdup(stable);
    }
    if (!o->name || !o->library) {
        free(o->name);
        free(o->library);
        free(o);
        return NULL;
    }

    uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
    if (vdso && (uintptr_t)info->image == vdso) {
        const ElfW(Ehdr) *e = (const ElfW(Ehdr) *)vdso;
        elf_from_memory(e, vdso_image_size(e), &o->file);
    } else if (elf_open(path, &o->file) == 0 && !same_build_id(&o->file, info)) {
        elf_close(&o->file); /* rebuilt on disk since it was loaded: its symbols would lie */
    }
    if (!has_section(&o->file, ".symtab") || !has_section(&o->file, ".debug_line")) open_debug_file(o, info, path);

    /* Symbols: the richer table (a debug file's .symtab has the static functions). */
    elf_symbols a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.section = b.section = -1;
    if (o->file.data) elf_symbols_load(&o->file, &a);
    if (o->debug.data) elf_symbols_load(&o->debug, &b);
    if (b.count > a.count) {
        o->symbols = b;
        o->symbol_source = &o->debug;
        elf_symbols_free(&a);
    } else {
        o->symbols = a;
        o->symbol_source = &o->file;
        elf_symbols_free(&b);
    }
    /* A stripped file's MiniDebugInfo: the static functions its .dynsym lacks. */
    if (!has_section(o->symbol_source, ".symtab") && elf_gnu_debugdata(&o->file, &o->mini) == 0) {
        elf_symbols m;
        if (elf_symbols_load(&o->mini, &m) == 0) {
            if (!o->symbols.count) {
                o->symbols = m;
                o->symbol_source = &o->mini;
            } else {
                elf_symbols_merge(&o->symbols, &m);
                elf_symbols_free(&m);
            }
        }
    }
    o->line_source = has_section(&o->file, ".debug_line") ? &o->file
                     : has_section(&o->debug, ".debug_line") ? &o->debug : NULL;
    return o;
}

static void free_object(cached_object *o) {
    dwarf_lines_free(&o->lines);
    elf_symbols_free(&o->symbols);
    elf_close(&o->mini);
    elf_close(&o->debug);
    elf_close(&o->file);
    free(o->name);
    free(o->library);
    free(o);
}

static cached_object *get_object(const object_info *info) {
    for (cached_object *o = cache; o; o = o->next)
        if (o->base == info->base && strcmp(o->name, info->name) == 0) return o;
    cached_object *o = load_object(info);
    if (o) {
        o->next = cache;
        cache = o;
    }
    return o;
}

static const dwarf_lines *lines_of(cached_object *o) {
    if (!o->lines_parsed) {
        o->lines_parsed = 1;
        if (o->line_source) {
            dwarf_sections s;
            memset(&s, 0, sizeof s);
            elf_section line = elf_find_section(o->line_source, ".debug_line", 0);
            elf_section line_str = elf_find_section(o->line_source, ".debug_line_str", 0);
            elf_section str = elf_find_section(o->line_source, ".debug_str", 0);
            s.line = line.data, s.line_size = line.size;
            s.line_str = line_str.data, s.line_str_size = line_str.size;
            s.str = str.data, s.str_size = str.size;
            if (dwarf_lines_parse(&s, (const uint64_t(*)[2])o->code, o->code_count, &o->lines) != 0)
                memset(&o->lines, 0, sizeof o->lines);
        }
    }
    return &o->lines;
}

/* ---- demangling -------------------------------------------------------------------------- */

/* __cxa_demangle lives in libstdc++, which we never load ourselves: Debian's libjvm brings it
 * (globally, as the launcher loads libjvm RTLD_GLOBAL), Temurin links it statically and hidden,
 * a plain C process may have none. A copy loaded RTLD_LOCAL by some library is found with
 * RTLD_NOLOAD; the handle is kept so it cannot be unloaded under us. Asked again only after
 * new objects were loaded. */
/* Our own copy, linked from libsupc++.a (hidden): Temurin's JVM exports none. Weak, so a build
 * without it still links and falls back to the process's. */
extern char *__cxa_demangle(const char *, char *, size_t *, int *) __attribute__((weak));

static demangle_fn get_demangler(unsigned long long adds) {
    if (__cxa_demangle) return __cxa_demangle;
    if (!demangler && adds != demangler_tried_at_adds) {
        demangler_tried_at_adds = adds;
        demangler = (demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
        if (!demangler) {
            void *libstdcxx = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD);
            if (libstdcxx) demangler = (demangle_fn)dlsym(libstdcxx, "__cxa_demangle");
            if (libstdcxx && !demangler) dlclose(libstdcxx);
        }
    }
    return demangler;
}

static void demangle_into(char *buf, size_t size, demangle_fn fn) {
    if (!fn || buf[0] != '_' || buf[1] != 'Z') return;
    int status = -1;
    char *d = fn(buf, NULL, NULL, &status);
    if (d && status == 0) copy_text(buf, size, d);
    free(d);
}

/* ---- objects unloaded since --------------------------------------------------------------------
 * A report is read at scope end, and a library the test dlclose'd by then (JNA's
 * NativeLibrary.dispose, a plugin unloaded) is gone from dl_iterate_phdr: its frames would print
 * as bare addresses. So every load and unload (symbolizer_note_objects, from the dlopen/dlclose
 * hooks) keeps a compact copy of each loaded object's name, base, segments and build id, and an
 * object missing since the last note is kept as retired: a pc in no loaded object is looked up
 * among the retired ones, newest first, and named from the object's file on disk (if the file is
 * still there and has the build id it had when loaded). Limit: a pc recorded in an unloaded
 * library whose addresses a library loaded later took is named after the later one. */

#define MAX_RETIRED 64

typedef struct known_object {
    struct known_object *next;
    char *name;
    uintptr_t base;
    uint64_t load[MAX_RANGES][2]; /* PT_LOAD extents, absolute */
    int load_count;
    uint64_t code[MAX_RANGES][2]; /* executable PT_LOADs, file addresses */
    int code_count;
    uint8_t build_id[MAX_BUILD_ID];
    size_t build_id_size;
    int seen;
} known_object;

/* Its own lock: notes come from inside dlopen/dlclose hooks, and the symbolizer itself dlopens
 * (the demangler) while holding `lock`; a note never takes `lock`. Order: lock, then known_lock. */
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;
static known_object *known, *retired;
static int retired_count;

static int note_callback(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    for (known_object *k = known; k; k = k->next)
        if (k->base == info->dlpi_addr && strcmp(k->name, name) == 0) {
            k->seen = 1;
            return 0;
        }
    known_object *k = calloc(1, sizeof *k);
    if (!k || !(k->name = strdup(name))) {
        free(k);
        return 0;
    }
    k->base = info->dlpi_addr;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        if (k->load_count < MAX_RANGES) {
            k->load[k->load_count][0] = info->dlpi_addr + ph->p_vaddr;
            k->load[k->load_count][1] = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
            k->load_count++;
        }
        if ((ph->p_flags & PF_X) && k->code_count < MAX_RANGES) {
            k->code[k->code_count][0] = ph->p_vaddr;
            k->code[k->code_count][1] = ph->p_vaddr + ph->p_memsz;
            k->code_count++;
        }
    }
    const uint8_t *id = NULL;
    size_t n = elf_loaded_build_id(info, &id);
    k->build_id_size = n <= MAX_BUILD_ID ? n : 0;
    if (k->build_id_size) memcpy(k->build_id, id, k->build_id_size);
    k->seen = 1;
    k->next = known;
    known = k;
    return 0;
}

static void free_known(known_object *k) {
    free(k->name);
    free(k);
}

void symbolizer_note_objects(void) {
    pthread_mutex_lock(&known_lock);
    for (known_object *k = known; k; k = k->next) k->seen = 0;
    dl_iterate_phdr(note_callback, NULL);
    known_object **link = &known;
    while (*link) {
        known_object *k = *link;
        if (k->seen) {
            link = &k->next;
            continue;
        }
        *link = k->next;
        k->next = retired; /* newest first */
        retired = k;
        if (++retired_count > MAX_RETIRED) {
            known_object **last = &retired;
            while ((*last)->next) last = &(*last)->next;
            free_known(*last);
            *last = NULL;
            retired_count--;
        }
    }
    pthread_mutex_unlock(&known_lock);
}

/* `lock` held. Fills *out for the newest retired object whose segments held pc. */
static int find_retired(uintptr_t pc, object_info *out) {
    int found = 0;
    pthread_mutex_lock(&known_lock);
    for (known_object *k = retired; k && !found; k = k->next)
        for (int i = 0; i < k->load_count; i++)
            if (pc >= k->load[i][0] && pc < k->load[i][1]) {
                snprintf(out->name, sizeof out->name, "%s", k->name);
                out->base = k->base;
                memcpy(out->code, k->code, sizeof out->code);
                out->code_count = k->code_count;
                out->image = NULL;
                memcpy(out->build_id, k->build_id, sizeof out->build_id);
                out->build_id_size = k->build_id_size;
                found = 1;
                break;
            }
    pthread_mutex_unlock(&known_lock);
    return found;
}

/* ---- API ------------------------------------------------------------------------------------ */

int symbolizer_lookup(uint64_t pc, native_symbol *out) {
    memset(out, 0, sizeof *out);
    static object_info info; /* PATH_MAX-sized, so not on the stack; guarded by `lock` */
    pc_search s = {(uintptr_t)pc, 0, 0, &info};
    pthread_mutex_lock(&lock);
    dl_iterate_phdr(find_pc_callback, &s);
    int unloaded = 0;
    if (!s.found) {
        if (!find_retired((uintptr_t)pc, &info)) {
            pthread_mutex_unlock(&lock);
            return 0;
        }
        unloaded = 1;
    }
    out->offset = pc - info.base;
    cached_object *o = get_object(&info);
    if (!o) {
        library_stable_name(base_name(info.name), out->library, sizeof out->library);
        pthread_mutex_unlock(&lock);
        return 1;
    }
    copy_text(out->library, sizeof out->library, o->library);
    const elf_function *fn = elf_symbols_find(&o->symbols, out->offset);
    if (fn) copy_text(out->function, sizeof out->function, fn->name);
    const char *file = NULL;
    int line = 0;
    if (dwarf_lines_find(lines_of(o), out->offset, &file, &line)) {
        if (file) copy_text(out->file, sizeof out->file, base_name(file));
        out->line = line;
    }
    demangle_fn demangle = get_demangler(s.adds);
    int no_symbols = o->symbols.count == 0;
    pthread_mutex_unlock(&lock);

    if (!fn && no_symbols && !unloaded) {
        /* No file to read (deleted after loading, as Netty does with its extracted libraries):
         * the loader's in-memory .dynsym still names exported functions. st_size guards
         * against reporting the nearest preceding export for a static function. */
        Dl_info dl;
        const ElfW(Sym) *sym = NULL;
        if (dladdr1((void *)(uintptr_t)pc, &dl, (void **)&sym, RTLD_DL_SYMENT) && dl.dli_sname && sym &&
            pc >= (uintptr_t)dl.dli_saddr && pc < (uintptr_t)dl.dli_saddr + sym->st_size)
            copy_text(out->function, sizeof out->function, dl.dli_sname);
    }
    demangle_into(out->function, sizeof out->function, demangle);
    return 1;
}

typedef struct {
    const char *library_substring;
    object_info *infos;
    int count, capacity;
} library_search;

static int find_library_callback(struct dl_phdr_info *info, size_t size, void *data) {
    library_search *s = data;
    if (s->count < s->capacity && info->dlpi_name && *info->dlpi_name &&
        strstr(info->dlpi_name, s->library_substring))
        copy_info(info, &s->infos[s->count++]);
    return 0;
}

typedef struct {
    uint64_t (*ranges)[2];
    int max, count;
    uintptr_t base;
} range_collector;

static int collect_range(const char *name, uint64_t start, uint64_t end, void *arg) {
    range_collector *c = arg;
    for (int i = 0; i < c->count; i++)
        if (c->ranges[i][0] == c->base + start) return 0; /* an alias of one already found */
    if (c->count < c->max) {
        c->ranges[c->count][0] = c->base + start;
        c->ranges[c->count][1] = c->base + end;
        c->count++;
    }
    return c->count >= c->max;
}

int symbolizer_function_ranges(const char *library_substring, const char *name_prefix, uint64_t (*ranges)[2],
                               int max_ranges) {
    if (!library_substring || !name_prefix || max_ranges <= 0) return 0;
    enum { MAX_MATCHES = 8 };
    object_info *infos = calloc(MAX_MATCHES, sizeof *infos);
    if (!infos) return 0;
    library_search s = {library_substring, infos, 0, MAX_MATCHES};
    range_collector c = {ranges, max_ranges, 0, 0};
    pthread_mutex_lock(&lock);
    dl_iterate_phdr(find_library_callback, &s);
    for (int i = 0; i < s.count && c.count < max_ranges; i++) {
        cached_object *o = get_object(&infos[i]);
        if (!o || !o->symbol_source) continue;
        c.base = o->base;
        elf_symbols_each_prefix(o->symbol_source, &o->symbols, name_prefix, collect_range, &c);
    }
    pthread_mutex_unlock(&lock);
    free(infos);
    return c.count;
}

typedef struct {
    const char *name;
    uintptr_t base;
    int found, exact;
    uint64_t start, end;
} best_match;

/* An exact name wins over a longer one sharing the prefix ("_ZN2os6mallocEm8MEMFLAGS" is also
 * the start of the NativeCallStack overload's name); otherwise the first in table order. */
static int keep_best(const char *name, uint64_t start, uint64_t end, void *arg) {
    best_match *m = arg;
    int exact = strcmp(name, m->name) == 0;
    if (!m->found || exact) {
        m->found = 1;
        m->exact = exact;
        m->start = m->base + start;
        m->end = m->base + end;
    }
    return exact;
}

int symbolizer_function_range(const char *library_substring, const char *name_prefix, uint64_t *start,
                              uint64_t *end) {
    if (!library_substring || !name_prefix) return 0;
    enum { MAX_MATCHES = 8 };
    object_info *infos = calloc(MAX_MATCHES, sizeof *infos);
    if (!infos) return 0;
    library_search s = {library_substring, infos, 0, MAX_MATCHES};
    best_match m = {name_prefix, 0, 0, 0, 0, 0};
    pthread_mutex_lock(&lock);
    dl_iterate_phdr(find_library_callback, &s);
    for (int i = 0; i < s.count && !m.exact; i++) {
        cached_object *o = get_object(&infos[i]);
        if (!o || !o->symbol_source) continue;
        m.base = o->base;
        elf_symbols_each_prefix(o->symbol_source, &o->symbols, name_prefix, keep_best, &m);
    }
    pthread_mutex_unlock(&lock);
    free(infos);
    if (!m.found) return 0;
    *start = m.start;
    *end = m.end;
    return 1;
}

static int mark_loaded_callback(struct dl_phdr_info *info, size_t size, void *data) {
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    for (cached_object *o = cache; o; o = o->next)
        if (o->base == info->dlpi_addr && strcmp(o->name, name) == 0) o->seen = 1;
    return 0;
}

void symbolizer_flush(void) {
    pthread_mutex_lock(&lock);
    for (cached_object *o = cache; o; o = o->next) o->seen = 0;
    dl_iterate_phdr(mark_loaded_callback, NULL);
    cached_object **link = &cache;
    while (*link) {
        cached_object *o = *link;
        if (o->seen) {
            link = &o->next;
        } else {
            *link = o->next;
            free_object(o);
        }
    }
    demangler_tried_at_adds = ~0ull;
    pthread_mutex_unlock(&lock);
}
