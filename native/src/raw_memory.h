/* raw_memory.h — page-level memory for the tracker's own tables: mmap/munmap through raw
 * syscalls, so that tracker memory never goes through the hooked allocator or the hooks. */
#ifndef MEMTRACK_RAW_MEMORY_H
#define MEMTRACK_RAW_MEMORY_H
#include <stddef.h>

/* Zeroed, page-aligned memory of at least `bytes`, or NULL. Async-signal-safe, lock-free. */
void *raw_alloc(size_t bytes);
void raw_free(void *p, size_t bytes);
/* Bytes currently held by raw_alloc (for the B5 figure). */
size_t raw_bytes_in_use(void);
#endif
