/* raw_memory.h — page-level memory for the tracker's own tables: mmap/munmap through raw
 * syscalls, so that tracker memory never goes through the hooked allocator or the hooks. */
#ifndef MEMTRACK_RAW_MEMORY_H
#define MEMTRACK_RAW_MEMORY_H
#include <stddef.h>

/* Zeroed, page-aligned memory of at least `bytes`, or NULL. Async-signal-safe, lock-free. */
void *raw_alloc(size_t bytes);
void raw_free(void *p, size_t bytes);
/* Every raw_alloc'd page comes from one address range reserved at the first call and never given
 * to the program (raw_memory.c, "the zone"); 1 if p lies in it. Plain mmap when it cannot be. */
int raw_in_zone(const void *p);
/* Bytes currently held by raw_alloc (for the B5 figure). */
size_t raw_bytes_in_use(void);
/* The system's page size (AT_PAGESZ): what mmap, munmap and pvalloc round to. */
size_t raw_page_size(void);

/* Every raw_alloc'd range is registered (lock-free, up to RAW_REGISTRY_SLOTS at once; more go
 * unregistered), so that a program's munmap that would take the tracker's own memory away can be
 * told apart: a program that unmaps a range twice unmaps whatever was mapped there since, and the
 * kernel reuses holes. */
#define RAW_REGISTRY_SLOTS 8192
/* 1 if [p, p+len) overlaps memory raw_alloc handed out. */
int raw_overlaps(const void *p, size_t len);
/* Unmaps [p, p+len) except the tracker's own memory inside it, through `unmap` (the real munmap)
 * piece by piece; says so once on stderr. Returns the first failing call's result, else 0. */
int raw_unmap_around(void *p, size_t len, int (*unmap)(void *, size_t));
/* How many munmap calls raw_unmap_around has narrowed so far. */
unsigned long raw_refused_unmaps(void);
#endif
