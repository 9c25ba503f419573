#include "elf_symbols.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t start, size, section_end;
    const char *name;
    int rank;
} candidate;

/* Among aliases at one address (malloc, __libc_malloc, __malloc) show the one a reader knows:
 * sized before unsized, fewer leading underscores, global before weak before local. */
static int rank_of(const ElfW(Sym) *sym, const char *name) {
    int underscores = 0;
    while (name[underscores] == '_' && underscores < 3) underscores++;
    int bind = ELF64_ST_BIND(sym->st_info);
    int bind_rank = bind == STB_GLOBAL ? 2 : bind == STB_WEAK ? 1 : 0;
    return (sym->st_size ? 100 : 0) + (3 - underscores) * 10 + bind_rank;
}

static int by_start_then_rank(const void *a, const void *b) {
    const candidate *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->rank != y->rank) return x->rank > y->rank ? -1 : 1;
    return strcmp(x->name, y->name);
}

static size_t count_functions(const elf_file *f, elf_section symtab) {
    if (!symtab.data || symtab.link >= (uint32_t)f->shnum) return 0;
    if ((uintptr_t)symtab.data % _Alignof(ElfW(Sym)) != 0) return 0; /* a corrupt file */
    const ElfW(Sym) *syms = (const ElfW(Sym) *)symtab.data;
    size_t n = symtab.size / sizeof(ElfW(Sym)), count = 0;
    for (size_t i = 1; i < n; i++) {
        int type = ELF64_ST_TYPE(syms[i].st_info);
        if ((type == STT_FUNC || type == STT_GNU_IFUNC) && syms[i].st_shndx != SHN_UNDEF) count++;
    }
    return count;
}

int elf_symbols_load(const elf_file *f, elf_symbols *out) {
    memset(out, 0, sizeof *out);
    out->section = -1;
    elf_section symtab = elf_find_section(f, NULL, SHT_SYMTAB);
    size_t n_funcs = count_functions(f, symtab);
    if (n_funcs == 0) {
        symtab = elf_find_section(f, NULL, SHT_DYNSYM);
        n_funcs = count_functions(f, symtab);
    }
    if (n_funcs == 0) return 0;
    elf_section strtab = elf_section_at(f, (int)symtab.link);
    if (!strtab.data) return 0;

    candidate *c = malloc(n_funcs * sizeof *c);
    if (!c) return -1;
    const ElfW(Sym) *syms = (const ElfW(Sym) *)symtab.data;
    size_t nsyms = symtab.size / sizeof(ElfW(Sym)), k = 0;
    for (size_t i = 1; i < nsyms && k < n_funcs; i++) {
        const ElfW(Sym) *s = &syms[i];
        int type = ELF64_ST_TYPE(s->st_info);
        if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s->st_shndx == SHN_UNDEF) continue;
        if (s->st_value == 0 || s->st_name >= strtab.size) continue;
        const char *name = (const char *)strtab.data + s->st_name;
        if (!*name || memchr(name, 0, strtab.size - s->st_name) == NULL) continue;
        uint64_t section_end = UINT64_MAX;
        if (s->st_shndx < f->shnum) {
            const ElfW(Shdr) *sh = &f->shdrs[s->st_shndx];
            section_end = sh->sh_addr + sh->sh_size;
        }
        c[k++] = (candidate){s->st_value, s->st_size, section_end, name, rank_of(s, name)};
    }
    qsort(c, k, sizeof *c, by_start_then_rank);

    elf_function *fn = malloc((k ? k : 1) * sizeof *fn);
    if (!fn) {
        free(c);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m && fn[m - 1].start == c[i].start) continue; /* an alias, ranked lower */
        size_t next = i + 1;
        while (next < k && c[next].start == c[i].start) next++;
        uint64_t end;
        if (c[i].size) {
            end = c[i].start + c[i].size;
        } else {
            /* Unsized (assembly) symbols extend to the next symbol or the end of the section. */
            end = next < k ? c[next].start : c[i].section_end;
            if (c[i].section_end < end) end = c[i].section_end;
            if (end <= c[i].start) end = c[i].start + 1;
        }
        fn[m++] = (elf_function){c[i].start, end, c[i].name};
    }
    free(c);
    out->functions = fn;
    out->count = m;
    out->section = symtab.index;
    return 0;
}

const elf_function *elf_symbols_find(const elf_symbols *s, uint64_t addr) {
    size_t lo = 0, hi = s->count; /* first index with start > addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->functions[mid].start <= addr) lo = mid + 1;
        else hi = mid;
    }
    /* The nearest start below addr usually contains it; look a few further back for an
     * enclosing function (a sized symbol with labels inside it, e.g. hand-written assembly). */
    for (size_t i = lo, tries = 0; i > 0 && tries < 8; i--, tries++) {
        const elf_function *fn = &s->functions[i - 1];
        if (addr < fn->end) return fn;
    }
    return NULL;
}

void elf_symbols_free(elf_symbols *s) {
    free(s->functions);
    memset(s, 0, sizeof *s);
    s->section = -1;
}

int elf_symbols_merge(elf_symbols *into, const elf_symbols *extra) {
    if (!extra->count) return 0;
    elf_function *fn = malloc((into->count + extra->count) * sizeof *fn);
    if (!fn) return -1;
    size_t i = 0, j = 0, m = 0;
    while (i < into->count || j < extra->count) {
        if (j == extra->count || (i < into->count && into->functions[i].start <= extra->functions[j].start)) {
            if (j < extra->count && extra->functions[j].start == into->functions[i].start) j++; /* same address */
            fn[m++] = into->functions[i++];
        } else {
            fn[m++] = extra->functions[j++];
        }
    }
    free(into->functions);
    into->functions = fn;
    into->count = m;
    return 0;
}

int elf_symbols_each_prefix(const elf_file *f, const elf_symbols *s, const char *prefix,
                            elf_symbol_visitor visit, void *arg) {
    if (s->section <= 0) return 0;
    elf_section symtab = elf_section_at(f, s->section);
    elf_section strtab = elf_section_at(f, (int)symtab.link);
    if (!symtab.data || !strtab.data || (uintptr_t)symtab.data % _Alignof(ElfW(Sym)) != 0) return 0;
    const ElfW(Sym) *syms = (const ElfW(Sym) *)symtab.data;
    size_t nsyms = symtab.size / sizeof(ElfW(Sym)), plen = strlen(prefix);
    for (size_t i = 1; i < nsyms; i++) {
        const ElfW(Sym) *sym = &syms[i];
        int type = ELF64_ST_TYPE(sym->st_info);
        if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym->st_shndx == SHN_UNDEF || sym->st_value == 0) continue;
        if (sym->st_name >= strtab.size || strtab.size - sym->st_name <= plen) continue;
        const char *name = (const char *)strtab.data + sym->st_name;
        if (strncmp(name, prefix, plen) != 0 || !memchr(name, 0, strtab.size - sym->st_name)) continue;
        uint64_t end = sym->st_value + sym->st_size;
        if (!sym->st_size) {
            const elf_function *fn = elf_symbols_find(s, sym->st_value);
            end = fn ? fn->end : sym->st_value + 1;
        }
        if (visit(name, sym->st_value, end, arg)) return 1;
    }
    return 0;
}
