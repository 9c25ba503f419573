#include "raw_memory.h"

#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_size_t in_use;

static size_t round_to_pages(size_t bytes) {
    size_t page = 4096;
    return (bytes + page - 1) & ~(page - 1);
}

void *raw_alloc(size_t bytes) {
    size_t len = round_to_pages(bytes);
    /* syscall(), not mmap(): our own mmap calls must never be seen by the mmap hook. */
    long r = syscall(SYS_mmap, NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r < 0 && r > -4096) return NULL;
    atomic_fetch_add_explicit(&in_use, len, memory_order_relaxed);
    return (void *)r;
}

void raw_free(void *p, size_t bytes) {
    if (!p) return;
    size_t len = round_to_pages(bytes);
    syscall(SYS_munmap, p, len);
    atomic_fetch_sub_explicit(&in_use, len, memory_order_relaxed);
}

size_t raw_bytes_in_use(void) { return atomic_load_explicit(&in_use, memory_order_relaxed); }
