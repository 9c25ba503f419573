/*
 * dwarf_probe.c — built as several small libraries with different DWARF line-table flavours
 * (see the Makefile: versions 2-5 written by gcc itself with -gno-as-loc-support, and 3-4 written
 * by the assembler from .loc directives), so test_symbolizer can check file:line for each.
 */
#define EXPORT __attribute__((visibility("default"), noinline))

static __attribute__((noinline, noclone)) void *caller_pc(void) { return __builtin_return_address(0); }

/* Returns a return address inside itself and the line of the call that produced it. */
EXPORT void *dwarf_probe(int *line) {
    *line = __LINE__ + 1;
    void *pc = caller_pc();
    __asm__ volatile("" ::: "memory"); /* keeps the call a call, not a tail jump */
    return pc;
}
