/*
 * symbol_lookup.c — the dlsym/dlvsym hook entry points. glibc's dlsym(RTLD_NEXT, name) looks for
 * the next definition after the object its return address lies in; a C hook calling the real
 * dlsym would make that this library. So the entry is a trampoline without a frame: compare the
 * handle with RTLD_NEXT ((void *)-1), jump to the real function if equal (the caller's return
 * address still on the stack / in the link register), else jump to the C lookup.
 */
#include "symbol_lookup.h"

__attribute__((used, visibility("hidden"))) void *mt_dlsym_real;
__attribute__((used, visibility("hidden"))) void *mt_dlvsym_real;
__attribute__((used, visibility("hidden"))) void *(*mt_dlsym_lookup)(void *, const char *);
__attribute__((used, visibility("hidden"))) void *(*mt_dlvsym_lookup)(void *, const char *, const char *);

#if defined(__x86_64__)
#define LOOKUP_TRAMPOLINE(hook, lookup, real)                                              \
    __asm__(".text\n.globl " #hook "\n.hidden " #hook "\n.type " #hook ", @function\n" #hook \
            ":\n\tcmpq $-1, %rdi\n\tje 1f\n\tjmpq *" #lookup "(%rip)\n1:\tjmpq *" #real "(%rip)\n"   \
            ".size " #hook ", .-" #hook "\n");
#elif defined(__aarch64__)
#define LOOKUP_TRAMPOLINE(hook, lookup, real)                                              \
    __asm__(".text\n.globl " #hook "\n.hidden " #hook "\n.type " #hook ", %function\n" #hook \
            ":\n\tcmn x0, #1\n\tb.eq 1f\n\tadrp x16, " #lookup "\n\tldr x16, [x16, :lo12:" #lookup "]\n\tbr x16\n1:\tadrp x16, " #real               \
            "\n\tldr x16, [x16, :lo12:" #real "]\n\tbr x16\n.size " #hook ", .-" #hook "\n");
#else
#error "memtrack: no dlsym trampoline for this architecture"
#endif

LOOKUP_TRAMPOLINE(hook_dlsym, mt_dlsym_lookup, mt_dlsym_real)
LOOKUP_TRAMPOLINE(hook_dlvsym, mt_dlvsym_lookup, mt_dlvsym_real)
