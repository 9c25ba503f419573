/*
 * elf_symbols.h — the function symbols of one ELF file, sorted by address for binary search.
 * Names point into the file's string table: the elf_file must outlive the table.
 */
#ifndef MEMTRACK_ELF_SYMBOLS_H
#define MEMTRACK_ELF_SYMBOLS_H
#include "elf_file.h"

typedef struct {
    uint64_t start; /* st_value: file virtual address */
    uint64_t end;   /* start + st_size, or the next symbol's start when st_size is 0 */
    const char *name;
} elf_function;

typedef struct {
    elf_function *functions;
    size_t count;
    int section; /* index of the symbol table used, -1 if none */
} elf_symbols;

/* Collects STT_FUNC and STT_GNU_IFUNC symbols from .symtab when it has any (static functions
 * need it; libjvm ships one), else from .dynsym. Returns 0, or -1 when out of memory. */
int elf_symbols_load(const elf_file *f, elf_symbols *out);
/* The function containing file address `addr`, or NULL. */
const elf_function *elf_symbols_find(const elf_symbols *s, uint64_t addr);
void elf_symbols_free(elf_symbols *s);
/* Adds the functions of `extra` (another file's table, e.g. MiniDebugInfo's .symtab of the static
 * functions beside the file's .dynsym) to *into, which keeps its section; at an address both have
 * into's name stays. Names keep pointing into both files. Returns 0, or -1 when out of memory
 * (then *into is unchanged). */
int elf_symbols_merge(elf_symbols *into, const elf_symbols *extra);
/* Calls visit for each function symbol whose name starts with `prefix`, in symbol-table order
 * with aliases included, end taken from st_size or else from the sorted table. Stops early
 * and returns 1 when visit returns nonzero; returns 0 otherwise. */
typedef int (*elf_symbol_visitor)(const char *name, uint64_t start, uint64_t end, void *arg);
int elf_symbols_each_prefix(const elf_file *f, const elf_symbols *s, const char *prefix,
                            elf_symbol_visitor visit, void *arg);
#endif
