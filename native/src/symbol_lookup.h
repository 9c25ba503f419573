/* symbol_lookup.h — the entry points of the dlsym/dlvsym hooks (symbol_lookup.c): trampolines
 * that keep the caller's return address for dlsym(RTLD_NEXT), which glibc resolves relative to
 * the object the return address lies in. */
#ifndef MEMTRACK_SYMBOL_LOOKUP_H
#define MEMTRACK_SYMBOL_LOOKUP_H

/* RTLD_NEXT: a jump to *mt_dlsym_real / *mt_dlvsym_real (the caller's return address intact);
 * any other handle: a jump to *mt_dlsym_lookup / *mt_dlvsym_lookup. */
void *hook_dlsym(void *handle, const char *name);
void *hook_dlvsym(void *handle, const char *name, const char *version);

/* The real functions; set before any GOT slot points at the trampolines. */
extern void *mt_dlsym_real, *mt_dlvsym_real;
/* The lookup for every other handle, set by the user of the trampolines (hooks.c) before any slot
 * points at them: registered rather than called by name, so that this file stays below hooks.c. */
extern void *(*mt_dlsym_lookup)(void *handle, const char *name);
extern void *(*mt_dlvsym_lookup)(void *handle, const char *name, const char *version);
#endif
