/*
 * symbolizer.h — native address -> function name (C++ demangled), library, source file:line.
 *
 * Runs at scope end on a normal Java thread (never in a hook): it may malloc and do file I/O.
 * For an address: find the loaded object (dladdr / dl_iterate_phdr), then the function from the
 * object's own ELF file on disk — .symtab when present (libjvm ships it; static functions need
 * it), else .dynsym — by binary search over sorted {start, size} symbols; then file:line from
 * the object's DWARF .debug_line (versions 2-5) when present; C++ names demangled with
 * __cxa_demangle found via dlsym (shown mangled if it is not there). Per-object data is parsed
 * once and cached, keyed by path + load base. Thread-safe (one internal mutex).
 * Return addresses point after the call: look up pc - 1 for every frame except the first.
 */
#ifndef MEMTRACK_SYMBOLIZER_H
#define MEMTRACK_SYMBOLIZER_H
#include <stdint.h>
#include <stddef.h>

typedef struct {
    char function[512]; /* demangled; "" when unknown (then the caller prints 0x... + offset) */
    char library[256];  /* base name of the object ("libc.so.6"); "" if in no object */
    char file[256];     /* source base name ("fixture.c"); "" when no line info */
    int line;           /* 0 when unknown */
    uint64_t offset;    /* pc - load base of the object */
} native_symbol;

/* Fills *out for pc. Returns 1 if pc lies in a loaded object, or in one unloaded since it was
 * noted (symbolizer_note_objects), 0 if not (JIT code, stubs). */
int symbolizer_lookup(uint64_t pc, native_symbol *out);
/* Start/end of a function by (possibly mangled) name prefix in the object whose path contains
 * `library_substring`; returns 1 and sets [*start, *end) if found. Used at init to find
 * libjvm's Unsafe_AllocateMemory0 etc. from .symtab. A symbol named exactly `name_prefix` wins;
 * otherwise the first one starting with it, in symbol-table order. */
int symbolizer_function_range(const char *library_substring, const char *name_prefix,
                              uint64_t *start, uint64_t *end);
/* All functions matching the prefix in those objects (overloads such as JDK 17's two
 * os::malloc), aliases at one address reported once: fills up to max_ranges absolute
 * [start, end) pairs in symbol-table order and returns how many. */
int symbolizer_function_ranges(const char *library_substring, const char *name_prefix,
                               uint64_t (*ranges)[2], int max_ranges);
/* The folder of separate debug files (GDB's debug-file-directory; "/usr/lib/debug" by default,
 * NULL or "" puts it back): <dir>/.build-id/xx/rest.debug and <dir>/<object's folder>/<debuglink>.
 * Applies to objects symbolized after the call (flush first to re-read cached ones). */
void symbolizer_set_debug_root(const char *dir);
/* Drops cached data of objects no longer loaded. */
void symbolizer_flush(void);
/* Notes the loaded objects; one noted before and missing now is kept (the newest 64) so that
 * pcs recorded in it are still named once it is unloaded. Call at init and after every dlopen
 * and dlclose, outside any dl_iterate_phdr callback; never while holding the symbolizer's lock
 * (it takes a lock of its own only). May malloc. */
void symbolizer_note_objects(void);
#endif
