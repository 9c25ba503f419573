/*
 * got_patcher.c — see got_patcher.h. Everything after got_patcher_init runs without malloc:
 * the bookkeeping is in fixed static arrays and the patching happens inside dl_iterate_phdr
 * callbacks, which only read the loaded images, call mprotect and store 8 bytes.
 *
 * Concurrent dlopen: glibc adds an object to the list dl_iterate_phdr walks when it is mapped,
 * before it is relocated (dl-open.c: _dl_map_object, then _dl_relocate_object, both under
 * dl_load_lock, while dl_iterate_phdr only takes dl_load_write_lock). A half-relocated object
 * must not be touched: re-protecting its RELRO page while ld.so still writes to it crashes
 * ld.so (async-profiler #1125 hit the same window). ld.so applies RELRO as the last step of
 * relocating an object, so got_patch_all first surveys new objects, reads the real protection
 * of their first RELRO page from /proc/self/maps, and patches only those whose RELRO is in
 * effect; the others are retried by the next call (the dlopen hook of the loading thread).
 * One exception: a RELRO page made writable again by another tool that patches GOT slots
 * (async-profiler makes every patched object's GOT writable for good). Such an object holds
 * that tool's hooks in its slots, which proves ld.so has finished with it (a tool patches only
 * relocated objects), so it is patched although its RELRO page is writable.
 *
 * Other tools' hooks (docs/native-engine.md, "Beside other hookers"). A slot that holds a
 * function of another object — neither the original nor a lazy PLT stub — was patched by
 * another tool. With chain hooks (got_hook), the slot is taken and our hook calls what it held,
 * so both tools see every call; the tool that saved the original for itself (async-profiler
 * reads its own GOT) calls ours if it patched after us, so either load order ends in one chain.
 * The protection of the page is read from /proc/self/maps before a store and given back as it
 * was: async-profiler keeps the GOT pages it patched writable and writes them again when it
 * stops (libjvm's dlopen and pthread_setspecific slots); re-protecting them read-only after our
 * store made its stop fault (SEGV_ACCERR in Profiler::stop / PerfEvents::stop at JVM exit).
 * Values are only ever resolved to names outside dl_iterate_phdr callbacks: dladdr takes the
 * loader lock, which a dlopen on another thread holds while it waits for the one we hold.
 */
#include "got_patcher.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "raw_memory.h"

#if __ELF_NATIVE_CLASS == 64
#define R_SYM_OF(info) ELF64_R_SYM(info)
#define R_TYPE_OF(info) ELF64_R_TYPE(info)
#else
#define R_SYM_OF(info) ELF32_R_SYM(info)
#define R_TYPE_OF(info) ELF32_R_TYPE(info)
#endif

/* The relocation types that can hold the address of an imported function: the PLT slot, the
 * GOT slot used by -fno-plt calls and by address-taken functions (&malloc), and a plain data
 * word initialised with a function's address (static tables of allocator functions). */
#if defined(__x86_64__)
#define RELOC_JUMP_SLOT R_X86_64_JUMP_SLOT
#define RELOC_GLOB_DAT R_X86_64_GLOB_DAT
#define RELOC_ABS R_X86_64_64
#elif defined(__aarch64__)
#define RELOC_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define RELOC_GLOB_DAT R_AARCH64_GLOB_DAT
#define RELOC_ABS R_AARCH64_ABS64
#else
#error "got_patcher supports x86-64 and aarch64 only"
#endif

#define MAX_OBJECTS 1024
#define MAX_PENDING 256
#define MAX_HOOKS 64
#define MAX_SEGMENTS 16
#define MAX_FOREIGN 16

typedef struct {
    uintptr_t base;      /* dlpi_addr */
    uint32_t name_hash;  /* of dlpi_name */
    int seen;            /* scratch flag for got_forget_unloaded */
    /* One slot we patched, and what we stored there. If a library is unloaded and another copy
     * is mapped at the same base without got_forget_unloaded in between, this slot holds the
     * original again, which tells us the record is stale. */
    void **sentinel;
    void *sentinel_value;
} object_record;

/* A new object with RELRO, and whether ld.so has finished with it. */
enum { RELRO_UNKNOWN, RELRO_APPLIED, RELRO_NOT_YET };
typedef struct {
    uintptr_t base;
    uint32_t name_hash;
    uintptr_t relro_page;
    int state;
} pending_object;

/* Only what we need of one loaded object, gathered from its program headers. */
typedef struct {
    uintptr_t base;
    uint32_t name_hash;
    uintptr_t seg_start[MAX_SEGMENTS], seg_end[MAX_SEGMENTS];
    int seg_prot[MAX_SEGMENTS];
    int nsegs;
    uintptr_t relro_start, relro_end; /* pages ld.so makes read-only: [start, end), may be empty */
    const ElfW(Dyn) *dynamic;
    const ElfW(Sym) *symtab;
    const char *strtab;
    size_t strsz;
    int unrelocated;                  /* a hooked slot still holds its link-time value */
    int dry_run;                      /* only look: set saw_foreign, store nothing */
    int saw_foreign;                  /* a hooked slot holds another tool's function */
    void **first_patched;
    void *first_patched_value;
    uintptr_t known_page;             /* the last page whose protection was read from maps */
    int known_prot;
} object_view;

/* Another object's function found in a slot of one of our hooked functions. */
typedef struct {
    const got_hook *hook;
    void *value;
    int chained;
} foreign_function;

static pthread_mutex_t patch_lock = PTHREAD_MUTEX_INITIALIZER;
static got_hook *hooks;
static int hook_count;
static uintptr_t self_address;
static uintptr_t page_size;
static uintptr_t vdso_base;
static uintptr_t interpreter_base;

static object_record records[MAX_OBJECTS];
static int record_count;
static pending_object pending[MAX_PENDING];
static int pending_count;
static int total_objects;
static int total_slots;
static int total_chained;
static int total_foreign;
static foreign_function foreign[MAX_FOREIGN];
static int foreign_count;

const char *got_patcher_init(got_hook *table, int n, const void *self) {
    if (!table || n <= 0 || n > MAX_HOOKS) return "got_patcher_init: bad hook table";
    for (int i = 0; i < n; i++) {
        if (!table[i].name || !table[i].hook || !table[i].original)
            return "got_patcher_init: hook entry without name, hook or original";
        /* RTLD_DEFAULT finds what the program's own calls bind to: a preloaded or directly
         * linked jemalloc/tcmalloc, not necessarily libc. May be NULL (pvalloc on musl). */
        *table[i].original = dlsym(RTLD_DEFAULT, table[i].name);
        if (*table[i].original == table[i].hook)
            return "got_patcher_init: dlsym returned the hook itself (exported hook symbol?)";
    }
    pthread_mutex_lock(&patch_lock);
    hooks = table;
    hook_count = n;
    self_address = (uintptr_t)self;
    page_size = (uintptr_t)raw_page_size();
    vdso_base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
    interpreter_base = (uintptr_t)getauxval(AT_BASE);
    pthread_mutex_unlock(&patch_lock);
    return NULL;
}

/* ---- reading one object ------------------------------------------------------------------- */

static uint32_t hash_name(const char *s) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; s && *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void read_program_headers(struct dl_phdr_info *info, object_view *o) {
    memset(o, 0, sizeof *o);
    o->base = info->dlpi_addr;
    o->name_hash = hash_name(info->dlpi_name);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = o->base + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && o->nsegs < MAX_SEGMENTS) {
            o->seg_start[o->nsegs] = start;
            o->seg_end[o->nsegs] = start + ph->p_memsz;
            o->seg_prot[o->nsegs] = ((ph->p_flags & PF_R) ? PROT_READ : 0) |
                                    ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
                                    ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
            o->nsegs++;
        } else if (ph->p_type == PT_DYNAMIC) {
            o->dynamic = (const ElfW(Dyn) *)start;
        } else if (ph->p_type == PT_GNU_RELRO) {
            /* ld.so protects RELRO from its start rounded down to its end rounded down
             * (_dl_protect_relro): a partial last page stays writable, which is why libjvm's
             * (BIND_NOW, full RELRO) .got may share a page with writable .data. */
            o->relro_start = start & ~(page_size - 1);
            o->relro_end = (start + ph->p_memsz) & ~(page_size - 1);
        }
    }
}

static int has_relro(const object_view *o) { return o->relro_end > o->relro_start; }

static int in_object(const object_view *o, uintptr_t addr) {
    for (int i = 0; i < o->nsegs; i++)
        if (addr >= o->seg_start[i] && addr < o->seg_end[i]) return 1;
    return 0;
}

static int in_executable_segment(const object_view *o, uintptr_t addr) {
    for (int i = 0; i < o->nsegs; i++)
        if ((o->seg_prot[i] & PROT_EXEC) && addr >= o->seg_start[i] && addr < o->seg_end[i]) return 1;
    return 0;
}

static int is_skipped(struct dl_phdr_info *info) {
    const char *base = base_name(info->dlpi_name ? info->dlpi_name : "");
    /* The dynamic loader resolves through its own internal pointers and must never be
     * re-entered; the vdso has no imports worth patching and an unrelocated dynamic section. */
    if (strncmp(base, "ld-linux", 8) == 0 || strncmp(base, "ld64.so", 7) == 0 || strstr(base, "linux-vdso") ||
        strstr(base, "linux-gate"))
        return 1;
    if (info->dlpi_addr != 0 && (info->dlpi_addr == interpreter_base || info->dlpi_addr == vdso_base)) return 1;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (vdso_base && start == vdso_base) return 1;
        /* Our own library: the hooks call the originals through our own slots. */
        if (self_address >= start && self_address < start + ph->p_memsz) return 1;
    }
    return 0;
}

/* ---- records of patched objects ------------------------------------------------------------ */

static object_record *find_record(uintptr_t base, uint32_t name_hash) {
    for (int i = 0; i < record_count; i++)
        if (records[i].base == base && records[i].name_hash == name_hash) return &records[i];
    return NULL;
}

static int record_is_stale(const object_record *rec, const object_view *o) {
    if (!rec->sentinel) return 0;
    if (!in_object(o, (uintptr_t)rec->sentinel)) return 1; /* another library at the same base */
    return __atomic_load_n(rec->sentinel, __ATOMIC_ACQUIRE) != rec->sentinel_value;
}

/* True when the object has to be (re)patched: not recorded, or recorded for a previous copy. */
static int needs_patching(const object_view *o) {
    const object_record *rec = find_record(o->base, o->name_hash);
    return !rec || record_is_stale(rec, o);
}

/* ---- the RELRO survey ---------------------------------------------------------------------- */

static pending_object *find_pending(uintptr_t base, uint32_t name_hash) {
    for (int i = 0; i < pending_count; i++)
        if (pending[i].base == base && pending[i].name_hash == name_hash) return &pending[i];
    return NULL;
}

static int survey_callback(struct dl_phdr_info *info, size_t size, void *data) {
    *(unsigned long long *)data = info->dlpi_subs;
    if (is_skipped(info)) return 0;
    object_view o;
    read_program_headers(info, &o);
    if (!has_relro(&o) || !needs_patching(&o) || pending_count >= MAX_PENDING) return 0;
    pending[pending_count++] = (pending_object){o.base, o.name_hash, o.relro_start, RELRO_UNKNOWN};
    return 0;
}

static uintptr_t parse_hex(const char **p) {
    uintptr_t v = 0;
    for (;; (*p)++) {
        char c = **p;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return v;
        v = v * 16 + (uintptr_t)d;
    }
}

typedef void (*maps_visitor)(uintptr_t lo, uintptr_t hi, int prot, void *ctx);

static void parse_maps_line(const char *line, maps_visitor visit, void *ctx) {
    const char *p = line;
    uintptr_t lo = parse_hex(&p);
    if (*p++ != '-') return;
    uintptr_t hi = parse_hex(&p);
    if (*p++ != ' ' || p[0] == 0 || p[1] == 0 || p[2] == 0) return;
    int prot = (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) | (p[2] == 'x' ? PROT_EXEC : 0);
    visit(lo, hi, prot, ctx);
}

/* Calls visit for every line of /proc/self/maps, read with plain read(2) into a static buffer
 * (no malloc, no stdio; callers hold patch_lock). Returns 0 without procfs. */
static int scan_maps(maps_visitor visit, void *ctx) {
    static char buf[8192];
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, sizeof buf - 1 - used);
        if (n <= 0) break;
        used += (size_t)n;
        buf[used] = 0;
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n')) != NULL) {
            *nl = 0;
            parse_maps_line(line, visit, ctx);
            line = nl + 1;
        }
        used = (size_t)(buf + used - line);
        memmove(buf, line, used);
        if (used == sizeof buf - 1) used = 0; /* a line longer than the buffer: a path, drop it */
    }
    close(fd);
    return 1;
}

static void relro_state_of(uintptr_t lo, uintptr_t hi, int prot, void *ctx) {
    for (int i = 0; i < pending_count; i++)
        if (pending[i].relro_page >= lo && pending[i].relro_page < hi)
            pending[i].state = (prot & PROT_WRITE) ? RELRO_NOT_YET : RELRO_APPLIED;
}

static void read_relro_states(void) {
    /* No procfs (a locked-down sandbox): assume the objects are complete, which is true unless
     * another thread is inside dlopen right now. */
    if (!scan_maps(relro_state_of, NULL))
        for (int i = 0; i < pending_count; i++) pending[i].state = RELRO_APPLIED;
}

typedef struct {
    uintptr_t page;
    int prot;
} page_query;

static void protection_of_page(uintptr_t lo, uintptr_t hi, int prot, void *ctx) {
    page_query *q = ctx;
    if (q->page >= lo && q->page < hi) q->prot = prot;
}

/* ---- patching -------------------------------------------------------------------------------- */

/* The protection the page has now. A page of the RELRO segment is read-only once ld.so has
 * finished, unless another tool made it writable again: asked of /proc/self/maps (once per
 * page and object). Other pages have their segment's protection. */
static int current_protection(object_view *o, uintptr_t page) {
    if (page >= o->relro_start && page + page_size <= o->relro_end) {
        if (o->known_page != page) {
            page_query q = {page, PROT_READ};
            scan_maps(protection_of_page, &q);
            o->known_page = page;
            o->known_prot = q.prot;
        }
        return o->known_prot;
    }
    for (int i = 0; i < o->nsegs; i++)
        if (page + page_size > o->seg_start[i] && page < o->seg_end[i]) return o->seg_prot[i];
    return PROT_READ;
}

static int store_slot(object_view *o, void **slot, void *value) {
    uintptr_t page = (uintptr_t)slot & ~(page_size - 1);
    int prot = current_protection(o, page);
    if (!(prot & PROT_WRITE)) {
        if (mprotect((void *)page, page_size, prot | PROT_READ | PROT_WRITE) != 0) return 0;
    }
    /* Another thread may be calling through this slot right now: one aligned 8-byte store. */
    __atomic_store_n(slot, value, __ATOMIC_RELEASE);
    if (!(prot & PROT_WRITE)) mprotect((void *)page, page_size, prot);
    return 1;
}

static const got_hook *hook_for(const char *name) {
    for (int i = 0; i < hook_count; i++) {
        const char *h = hooks[i].name;
        /* Names only, no version: Debian's libjvm imports dlopen@GLIBC_2.34, Temurin's
         * dlopen@GLIBC_2.2.5; .dynstr holds the bare name either way (versions live in
         * .gnu.version), and both versions are the same function in glibc >= 2.34. */
        if (h[0] == name[0] && strcmp(h, name) == 0) return &hooks[i];
    }
    return NULL;
}

/* The chain hook of h already calling next, or -1. */
static int chain_index(const got_hook *h, uintptr_t value) {
    if (!h->chain_hooks) return -1;
    for (int i = 0; i < GOT_MAX_CHAIN; i++)
        if ((uintptr_t)h->chain_hooks[i] == value) return i;
    return -1;
}

/* The chain hook of h that calls next: the one already set to it, else a free one (its next
 * published before any slot points at it). -1 without chain hooks or with all in use. */
static int take_chain(const got_hook *h, uintptr_t next) {
    if (!h->chain_hooks || !h->chain_next) return -1;
    for (int i = 0; i < GOT_MAX_CHAIN; i++)
        if ((uintptr_t)__atomic_load_n(&h->chain_next[i], __ATOMIC_ACQUIRE) == next) return i;
    for (int i = 0; i < GOT_MAX_CHAIN; i++)
        if (!h->chain_next[i]) {
            __atomic_store_n(&h->chain_next[i], (void *)next, __ATOMIC_RELEASE);
            return i;
        }
    return -1;
}

static void note_foreign(const got_hook *h, uintptr_t value, int chained) {
    for (int i = 0; i < foreign_count; i++)
        if (foreign[i].hook == h && foreign[i].value == (void *)value) {
            if (!chained) foreign[i].chained = 0;
            return;
        }
    if (foreign_count < MAX_FOREIGN) foreign[foreign_count++] = (foreign_function){h, (void *)value, chained};
}

/* Decides for one relocation and patches. Returns 1 if the slot was patched now. */
static int consider(object_view *o, uintptr_t offset, uintptr_t info) {
    unsigned type = (unsigned)R_TYPE_OF(info);
    if (type != RELOC_JUMP_SLOT && type != RELOC_GLOB_DAT && type != RELOC_ABS) return 0;
    size_t symidx = R_SYM_OF(info);
    if (symidx == 0) return 0;
    const ElfW(Sym) *sym = &o->symtab[symidx];
    if (o->strsz && sym->st_name >= o->strsz) return 0;
    const got_hook *h = hook_for(o->strtab + sym->st_name);
    if (!h || !*h->original) return 0;

    void **slot = (void **)(o->base + offset);
    if (!in_object(o, (uintptr_t)slot)) return 0;
    uintptr_t current = (uintptr_t)__atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (current == (uintptr_t)h->hook || chain_index(h, current) >= 0) return 0;
    /* Link-time contents (GLOB_DAT 0, a PLT stub offset not yet moved by the load base):
     * ld.so has not got to this slot yet; the object is patched again later. */
    if (current == 0 || (type == RELOC_JUMP_SLOT && !in_object(o, current) &&
                         in_executable_segment(o, o->base + current))) {
        o->unrelocated = 1;
        return 0;
    }
    int ours = current == (uintptr_t)*h->original;
    if (!ours && type == RELOC_JUMP_SLOT && in_executable_segment(o, current)) {
        /* Lazy binding: an unresolved PLT slot points at the object's own PLT stub and will
         * resolve to the global definition, i.e. *original. Unless the object defines the
         * symbol itself (a bundled allocator): loaded with RTLD_DEEPBIND it would resolve to
         * its own, and redirecting only its not-yet-called slots would pair our malloc with
         * its free. Such an object keeps its slots; resolved slots equal to *original were
         * taken above. */
        int defines_it = sym->st_shndx != SHN_UNDEF && sym->st_value != 0;
        ours = !defines_it || (void *)(o->base + sym->st_value) == *h->original;
    }
    void *value = h->hook;
    if (!ours) {
        /* Another object's function in a slot only ld.so and tools write (a data word may hold
         * whatever the program stored there since): another tool's hook. A function of the
         * object itself is its own allocator, left alone above. */
        if (type == RELOC_ABS || in_object(o, current)) return 0;
        o->saw_foreign = 1;
        if (o->dry_run) return 0;
        int i = take_chain(h, current);
        note_foreign(h, current, i >= 0);
        if (i < 0) {
            total_foreign++;
            return 0;
        }
        value = h->chain_hooks[i];
        total_chained++;
    } else if (o->dry_run) {
        return 0;
    }
    if (!store_slot(o, slot, value)) return 0;
    if (!o->first_patched) {
        o->first_patched = slot;
        o->first_patched_value = value;
    }
    return 1;
}

/* d_ptr entries are relocated by glibc in the loaded image of most objects, but not in the
 * vdso's or on targets that keep the dynamic section read-only (DL_RO_DYN_SECTION, e.g.
 * RISC-V, MIPS). Addresses below the load base can only be unrelocated offsets. */
static uintptr_t dyn_address(uintptr_t base, uintptr_t value) {
    return value < base ? base + value : value;
}

static int patch_rela(object_view *o, uintptr_t table, size_t bytes, size_t skip) {
    if (!table || !bytes) return 0;
    const ElfW(Rela) *r = (const ElfW(Rela) *)table;
    size_t n = bytes / sizeof(ElfW(Rela));
    int patched = 0;
    for (size_t i = skip < n ? skip : n; i < n; i++) patched += consider(o, r[i].r_offset, r[i].r_info);
    return patched;
}

static int patch_rel(object_view *o, uintptr_t table, size_t bytes, size_t skip) {
    if (!table || !bytes) return 0;
    const ElfW(Rel) *r = (const ElfW(Rel) *)table;
    size_t n = bytes / sizeof(ElfW(Rel));
    int patched = 0;
    for (size_t i = skip < n ? skip : n; i < n; i++) patched += consider(o, r[i].r_offset, r[i].r_info);
    return patched;
}

static int patch_object(object_view *o) {
    if (!o->dynamic) return 0;
    uintptr_t jmprel = 0, rela = 0, rel = 0;
    size_t pltrelsz = 0, relasz = 0, relsz = 0, relacount = 0, relcount = 0;
    long pltrel = DT_RELA;
    for (const ElfW(Dyn) *d = o->dynamic; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_SYMTAB: o->symtab = (const ElfW(Sym) *)dyn_address(o->base, d->d_un.d_ptr); break;
        case DT_STRTAB: o->strtab = (const char *)dyn_address(o->base, d->d_un.d_ptr); break;
        case DT_STRSZ: o->strsz = d->d_un.d_val; break;
        case DT_JMPREL: jmprel = dyn_address(o->base, d->d_un.d_ptr); break;
        case DT_PLTRELSZ: pltrelsz = d->d_un.d_val; break;
        case DT_PLTREL: pltrel = (long)d->d_un.d_val; break;
        case DT_RELA: rela = dyn_address(o->base, d->d_un.d_ptr); break;
        case DT_RELASZ: relasz = d->d_un.d_val; break;
        case DT_RELACOUNT: relacount = d->d_un.d_val; break;
        case DT_REL: rel = dyn_address(o->base, d->d_un.d_ptr); break;
        case DT_RELSZ: relsz = d->d_un.d_val; break;
        case DT_RELCOUNT: relcount = d->d_un.d_val; break;
        default: break;
        }
    }
    if (!o->symtab || !o->strtab) return 0;

    int patched = 0;
    /* JUMP_SLOT: ordinary calls through the PLT (lazy, or BIND_NOW + full RELRO as in libjvm). */
    if (pltrel == DT_RELA) patched += patch_rela(o, jmprel, pltrelsz, 0);
    else patched += patch_rel(o, jmprel, pltrelsz, 0);
    /* GLOB_DAT and ABS64: -fno-plt call sites (`call *malloc@GOTPCREL(%rip)`) and function
     * pointers (&malloc). DT_RELACOUNT/DT_RELCOUNT leading entries are RELATIVE: no symbol. */
    patched += patch_rela(o, rela, relasz, relacount);
    patched += patch_rel(o, rel, relsz, relcount);
    return patched;
}

typedef struct {
    int patched;
    unsigned long long surveyed_subs; /* dlpi_subs when the survey ran */
    int changed;                      /* something was unloaded since: survey again */
} patch_pass;

static int patch_callback(struct dl_phdr_info *info, size_t size, void *data) {
    patch_pass *pass = data;
    if (info->dlpi_subs != pass->surveyed_subs) {
        pass->changed = 1;
        return 1;
    }
    if (is_skipped(info)) return 0;
    object_view o;
    read_program_headers(info, &o);
    if (!needs_patching(&o)) return 0;
    if (has_relro(&o)) {
        const pending_object *p = find_pending(o.base, o.name_hash);
        if (!p) return 0;
        if (p->state != RELRO_APPLIED) {
            /* Still being relocated (next time), unless another tool has patched it (see top). */
            o.dry_run = 1;
            patch_object(&o);
            int finished = o.saw_foreign && !o.unrelocated;
            read_program_headers(info, &o);
            if (!finished) return 0;
        }
    }
    int n = patch_object(&o);
    if (n > 0) total_objects++;
    total_slots += n;
    pass->patched += n;
    if (o.unrelocated) return 0; /* not recorded: the rest of its slots are patched next time */

    object_record *rec = find_record(o.base, o.name_hash);
    if (!rec && record_count < MAX_OBJECTS) rec = &records[record_count++];
    /* With the table full the object is re-examined on every call, which is harmless: slots
     * that already hold a hook are skipped. */
    if (rec) *rec = (object_record){o.base, o.name_hash, 0, o.first_patched, o.first_patched_value};
    return 0;
}

int got_patch_all(void) {
    patch_pass pass = {0, 0, 0};
    pthread_mutex_lock(&patch_lock);
    /* Survey, read the real RELRO states, patch. Again if an object was unloaded in between
     * (another may now sit at a surveyed base) or if the survey table overflowed. */
    for (int round = 0; hooks && round < 8; round++) {
        pending_count = 0;
        dl_iterate_phdr(survey_callback, &pass.surveyed_subs);
        int overflowed = pending_count == MAX_PENDING;
        if (pending_count) read_relro_states();
        pass.changed = 0;
        int before = pass.patched;
        dl_iterate_phdr(patch_callback, &pass);
        if (!pass.changed && !(overflowed && pass.patched > before)) break;
    }
    pending_count = 0;
    pthread_mutex_unlock(&patch_lock);
    return pass.patched;
}

/* ---- forgetting ------------------------------------------------------------------------------ */

static int mark_callback(struct dl_phdr_info *info, size_t size, void *data) {
    object_record *rec = find_record(info->dlpi_addr, hash_name(info->dlpi_name));
    if (rec) rec->seen = 1;
    return 0;
}

void got_forget_unloaded(void) {
    pthread_mutex_lock(&patch_lock);
    for (int i = 0; i < record_count; i++) records[i].seen = 0;
    dl_iterate_phdr(mark_callback, NULL);
    int kept = 0;
    for (int i = 0; i < record_count; i++)
        if (records[i].seen) records[kept++] = records[i];
    record_count = kept;
    pthread_mutex_unlock(&patch_lock);
}

int got_objects_patched(void) {
    pthread_mutex_lock(&patch_lock);
    int n = total_objects;
    pthread_mutex_unlock(&patch_lock);
    return n;
}

int got_slots_patched(void) {
    pthread_mutex_lock(&patch_lock);
    int n = total_slots;
    pthread_mutex_unlock(&patch_lock);
    return n;
}

int got_slots_chained(void) {
    pthread_mutex_lock(&patch_lock);
    int n = total_chained;
    pthread_mutex_unlock(&patch_lock);
    return n;
}

int got_slots_foreign(void) {
    pthread_mutex_lock(&patch_lock);
    int n = total_foreign;
    pthread_mutex_unlock(&patch_lock);
    return n;
}

int got_foreign_function(int index, const char **name, void **value, int *chained) {
    pthread_mutex_lock(&patch_lock);
    int found = index >= 0 && index < foreign_count;
    if (found) {
        *name = foreign[index].hook->name;
        *value = foreign[index].value;
        *chained = foreign[index].chained;
    }
    pthread_mutex_unlock(&patch_lock);
    return found;
}
