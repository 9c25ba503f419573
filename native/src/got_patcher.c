/*
 * got_patcher.c — see got_patcher.h. Everything after got_patcher_init runs without malloc:
 * the bookkeeping is a fixed static array and the work happens inside the dl_iterate_phdr
 * callback, which only reads the loaded image, calls mprotect and stores 8 bytes.
 */
#include "got_patcher.h"

#include <elf.h>
#include <link.h>
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>

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
#define MAX_HOOKS 64
#define MAX_SEGMENTS 16

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

/* Only what we need of one loaded object, gathered from its program headers. */
typedef struct {
    uintptr_t base;
    const char *name;
    uintptr_t seg_start[MAX_SEGMENTS], seg_end[MAX_SEGMENTS];
    int seg_prot[MAX_SEGMENTS];
    int nsegs;
    uintptr_t relro_start, relro_end; /* pages ld.so made read-only: [start, end) */
    const ElfW(Sym) *symtab;
    const char *strtab;
    size_t strsz;
} object_view;

static pthread_mutex_t patch_lock = PTHREAD_MUTEX_INITIALIZER;
static got_hook *hooks;
static int hook_count;
static uintptr_t self_address;
static uintptr_t page_size;
static uintptr_t vdso_base;
static uintptr_t interpreter_base;

static object_record records[MAX_OBJECTS];
static int record_count;
static int total_objects;
static int total_slots;

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
    page_size = (uintptr_t)getauxval(AT_PAGESZ);
    if (page_size == 0) page_size = 4096;
    vdso_base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
    interpreter_base = (uintptr_t)getauxval(AT_BASE);
    pthread_mutex_unlock(&patch_lock);
    return NULL;
}

static uint32_t hash_name(const char *s) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static int contains(const char *haystack, const char *needle) {
    return strstr(haystack, needle) != NULL;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

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

/* The protection the page has now, as the loader left it. ld.so protects RELRO from its start
 * rounded down to its end rounded down (_dl_protect_relro): a partial last page stays writable,
 * which is why libjvm's (BIND_NOW, full RELRO) .got may share a page with writable .data. */
static int current_protection(const object_view *o, uintptr_t page) {
    if (page >= o->relro_start && page + page_size <= o->relro_end) return PROT_READ;
    for (int i = 0; i < o->nsegs; i++)
        if (page + page_size > o->seg_start[i] && page < o->seg_end[i]) return o->seg_prot[i];
    return PROT_READ;
}

static int store_slot(const object_view *o, void **slot, void *value) {
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

/* Decides for one relocation and patches. Returns 1 if the slot was patched now. */
static int consider(const object_view *o, uintptr_t offset, uintptr_t info, object_record *rec) {
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
    void *current = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (current == h->hook) return 0;
    int ours = current == *h->original;
    if (!ours && type == RELOC_JUMP_SLOT && in_executable_segment(o, (uintptr_t)current)) {
        /* Lazy binding: an unresolved PLT slot points at the object's own PLT stub and will
         * resolve to the global definition, i.e. *original. Unless the object defines the
         * symbol itself (a bundled allocator): loaded with RTLD_DEEPBIND it would resolve to
         * its own, and redirecting only its not-yet-called slots would pair our malloc with
         * its free. Such an object keeps its slots; resolved slots equal to *original were
         * taken above. */
        int defines_it = sym->st_shndx != SHN_UNDEF && sym->st_value != 0;
        ours = !defines_it || (void *)(o->base + sym->st_value) == *h->original;
    }
    if (!ours) return 0;
    if (!store_slot(o, slot, h->hook)) return 0;
    if (rec && !rec->sentinel) {
        rec->sentinel = slot;
        rec->sentinel_value = h->hook;
    }
    return 1;
}

/* d_ptr entries are relocated by glibc in the loaded image of most objects, but not in the
 * vdso's or on targets that keep the dynamic section read-only (DL_RO_DYN_SECTION, e.g.
 * RISC-V, MIPS). Addresses below the load base can only be unrelocated offsets. */
static uintptr_t dyn_address(uintptr_t base, uintptr_t value) {
    return value < base ? base + value : value;
}

static int patch_relocations_rela(const object_view *o, uintptr_t table, size_t bytes, size_t skip,
                                  object_record *rec) {
    if (!table || !bytes) return 0;
    const ElfW(Rela) *r = (const ElfW(Rela) *)table;
    size_t n = bytes / sizeof(ElfW(Rela)), patched = 0;
    for (size_t i = skip < n ? skip : n; i < n; i++) patched += consider(o, r[i].r_offset, r[i].r_info, rec);
    return (int)patched;
}

static int patch_relocations_rel(const object_view *o, uintptr_t table, size_t bytes, size_t skip,
                                 object_record *rec) {
    if (!table || !bytes) return 0;
    const ElfW(Rel) *r = (const ElfW(Rel) *)table;
    size_t n = bytes / sizeof(ElfW(Rel)), patched = 0;
    for (size_t i = skip < n ? skip : n; i < n; i++) patched += consider(o, r[i].r_offset, r[i].r_info, rec);
    return (int)patched;
}

static int patch_object(struct dl_phdr_info *info, object_record *rec) {
    object_view o;
    memset(&o, 0, sizeof o);
    o.base = info->dlpi_addr;
    o.name = info->dlpi_name ? info->dlpi_name : "";
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = o.base + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && o.nsegs < MAX_SEGMENTS) {
            o.seg_start[o.nsegs] = start;
            o.seg_end[o.nsegs] = start + ph->p_memsz;
            o.seg_prot[o.nsegs] = ((ph->p_flags & PF_R) ? PROT_READ : 0) |
                                  ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
                                  ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
            o.nsegs++;
        } else if (ph->p_type == PT_DYNAMIC) {
            dyn = (const ElfW(Dyn) *)start;
        } else if (ph->p_type == PT_GNU_RELRO) {
            o.relro_start = start & ~(page_size - 1);
            o.relro_end = (start + ph->p_memsz) & ~(page_size - 1);
        }
    }
    if (!dyn) return 0;

    uintptr_t jmprel = 0, rela = 0, rel = 0;
    size_t pltrelsz = 0, relasz = 0, relsz = 0, relacount = 0, relcount = 0;
    long pltrel = DT_RELA;
    for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_SYMTAB: o.symtab = (const ElfW(Sym) *)dyn_address(o.base, d->d_un.d_ptr); break;
        case DT_STRTAB: o.strtab = (const char *)dyn_address(o.base, d->d_un.d_ptr); break;
        case DT_STRSZ: o.strsz = d->d_un.d_val; break;
        case DT_JMPREL: jmprel = dyn_address(o.base, d->d_un.d_ptr); break;
        case DT_PLTRELSZ: pltrelsz = d->d_un.d_val; break;
        case DT_PLTREL: pltrel = (long)d->d_un.d_val; break;
        case DT_RELA: rela = dyn_address(o.base, d->d_un.d_ptr); break;
        case DT_RELASZ: relasz = d->d_un.d_val; break;
        case DT_RELACOUNT: relacount = d->d_un.d_val; break;
        case DT_REL: rel = dyn_address(o.base, d->d_un.d_ptr); break;
        case DT_RELSZ: relsz = d->d_un.d_val; break;
        case DT_RELCOUNT: relcount = d->d_un.d_val; break;
        default: break;
        }
    }
    if (!o.symtab || !o.strtab) return 0;

    int patched = 0;
    /* JUMP_SLOT: ordinary calls through the PLT (lazy, or BIND_NOW + full RELRO as in libjvm). */
    if (pltrel == DT_RELA) patched += patch_relocations_rela(&o, jmprel, pltrelsz, 0, rec);
    else patched += patch_relocations_rel(&o, jmprel, pltrelsz, 0, rec);
    /* GLOB_DAT and ABS64: -fno-plt call sites (`call *malloc@GOTPCREL(%rip)`) and function
     * pointers (&malloc). DT_RELACOUNT/DT_RELCOUNT leading entries are RELATIVE: no symbol. */
    patched += patch_relocations_rela(&o, rela, relasz, relacount, rec);
    patched += patch_relocations_rel(&o, rel, relsz, relcount, rec);
    return patched;
}

static int is_skipped(struct dl_phdr_info *info) {
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    const char *base = base_name(name);
    /* The dynamic loader resolves through its own internal pointers and must never be
     * re-entered; the vdso has no imports worth patching and an unrelocated dynamic section. */
    if (strncmp(base, "ld-linux", 8) == 0 || strncmp(base, "ld64.so", 7) == 0 || contains(base, "linux-vdso") ||
        contains(base, "linux-gate"))
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

static object_record *find_record(uintptr_t base, uint32_t name_hash) {
    for (int i = 0; i < record_count; i++)
        if (records[i].base == base && records[i].name_hash == name_hash) return &records[i];
    return NULL;
}

static int record_is_stale(const object_record *rec, struct dl_phdr_info *info) {
    if (!rec->sentinel) return 0;
    uintptr_t s = (uintptr_t)rec->sentinel;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && s >= start && s + sizeof(void *) <= start + ph->p_memsz)
            return __atomic_load_n(rec->sentinel, __ATOMIC_ACQUIRE) != rec->sentinel_value;
    }
    return 1; /* the slot is not even inside this object: another library at the same base */
}

static int patch_callback(struct dl_phdr_info *info, size_t size, void *data) {
    int *patched_now = data;
    if (is_skipped(info)) return 0;
    uint32_t h = hash_name(info->dlpi_name ? info->dlpi_name : "");
    object_record *rec = find_record(info->dlpi_addr, h);
    if (rec) {
        if (!record_is_stale(rec, info)) return 0;
        rec->sentinel = NULL;
    } else if (record_count < MAX_OBJECTS) {
        rec = &records[record_count++];
        memset(rec, 0, sizeof *rec);
        rec->base = info->dlpi_addr;
        rec->name_hash = h;
    }
    /* With the table full, rec is NULL: the object is patched on every call, which is
     * harmless because slots already holding a hook are skipped. */
    int n = patch_object(info, rec);
    if (n > 0) total_objects++;
    total_slots += n;
    *patched_now += n;
    return 0;
}

int got_patch_all(void) {
    int patched = 0;
    pthread_mutex_lock(&patch_lock);
    if (hooks) dl_iterate_phdr(patch_callback, &patched);
    pthread_mutex_unlock(&patch_lock);
    return patched;
}

static int mark_callback(struct dl_phdr_info *info, size_t size, void *data) {
    object_record *rec = find_record(info->dlpi_addr, hash_name(info->dlpi_name ? info->dlpi_name : ""));
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
