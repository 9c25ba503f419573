/*
 * fixture.h — libmtfixture.so and libmtfixture_dep.so: a C library that allocates native memory
 * on purpose, so that memtrack's tests can check what it sees (leaks, peaks, storms) against
 * what the fixture is known to hold.
 *
 * Why it looks the way it does:
 * - Every function that should show up in a stack is noinline (and noipa under GCC, so that no
 *   ".constprop"/".isra" clone with another name replaces it) and calls the next one in a
 *   non-tail position (MTF_KEEP_FRAME after the call), so the chain
 *   mtf_leak -> mtf_leak_inner -> malloc is what an unwinder finds, in that order.
 * - Built with -O2 -g and the compiler's default frame-pointer setting, as a typical library is:
 *   the tracker has to unwind it from DWARF CFI, and file:line comes from .debug_line.
 * - Linked with -Bsymbolic-functions: calls between mtf_ functions bind inside the object, so a
 *   second copy of the library loaded RTLD_LOCAL (NativeFixture's fresh copies) calls its own
 *   functions, not those of the first copy.
 * - Tests pass distinctive sizes (1_999_993, 777_777, 3_145_733 ...) so their allocations stand
 *   out from the JVM's own.
 * - What the fixture keeps alive is recorded in a fixed-size table in .bss (no allocation of its
 *   own), readable through mtf_live_bytes / mtf_live_count, and freed by mtf_release_all.
 *
 * Threads: every function may be called from any thread; the live table has one mutex.
 * Sizes are size_t (64-bit on the supported LP64 platforms; Java passes long).
 * Functions returning a pointer return NULL when the allocation failed or the table is full
 * (MTF_MAX_LIVE entries); tests treat NULL as a broken fixture.
 */
#ifndef MTF_FIXTURE_H
#define MTF_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#if defined(__clang__)
#define MTF_API __attribute__((noinline, visibility("default")))
#else
#define MTF_API __attribute__((noinline, noipa, visibility("default")))
#endif

/* An empty asm after a call: the call is then not in tail position, so the caller's frame
 * stays on the stack instead of becoming a jump (sibling-call optimization at -O2). */
#define MTF_KEEP_FRAME() __asm__ volatile("" ::: "memory")

/* How many blocks/mappings the fixture can hold alive at once. */
#define MTF_MAX_LIVE 4096

#ifdef __cplusplus
extern "C" {
#endif

/* ---- leaks through the malloc family: each returns the block, recorded as live ---------- */

/* malloc(size) through mtf_leak -> mtf_leak_inner -> malloc. */
MTF_API void *mtf_leak(size_t size);
MTF_API void *mtf_leak_inner(size_t size);
/* calloc(nmemb, size) through mtf_leak_calloc -> mtf_leak_calloc_inner -> calloc. */
MTF_API void *mtf_leak_calloc(size_t nmemb, size_t size);
MTF_API void *mtf_leak_calloc_inner(size_t nmemb, size_t size);
/* posix_memalign(&p, alignment, size); alignment a power of two multiple of sizeof(void*). */
MTF_API void *mtf_leak_posix_memalign(size_t alignment, size_t size);
MTF_API void *mtf_leak_posix_memalign_inner(size_t alignment, size_t size);
/* aligned_alloc(alignment, size), size rounded up to a multiple of alignment (C11 rule); the
 * rounded size is what is recorded and returned by mtf_aligned_size. */
MTF_API void *mtf_leak_aligned_alloc(size_t alignment, size_t size);
MTF_API void *mtf_leak_aligned_alloc_inner(size_t alignment, size_t size);
MTF_API size_t mtf_aligned_size(size_t alignment, size_t size);
/* memalign(alignment, size), valloc(size), pvalloc(size) (obsolete glibc APIs, still used). */
MTF_API void *mtf_leak_memalign(size_t alignment, size_t size);
MTF_API void *mtf_leak_memalign_inner(size_t alignment, size_t size);
MTF_API void *mtf_leak_valloc(size_t size);
MTF_API void *mtf_leak_valloc_inner(size_t size);
/* pvalloc rounds size up to whole pages; the rounded size is recorded. */
MTF_API void *mtf_leak_pvalloc(size_t size);
MTF_API void *mtf_leak_pvalloc_inner(size_t size);

/* ---- realloc chains ------------------------------------------------------------------------ */

/* malloc(final_size / 64 + 1), then realloc to final_size / 16, final_size / 4 and final_size,
 * all in mtf_realloc_grow; keeps the final block (recorded live). Calls: 1 malloc, 3 realloc. */
MTF_API void *mtf_realloc_chain_leak(size_t final_size);
MTF_API void *mtf_realloc_grow(size_t final_size);
/* The same chain, then free(): nothing stays live. Returns the final size reached. */
MTF_API size_t mtf_realloc_chain_free(size_t final_size);
/* Shrinks: malloc(size), realloc to size / 2, keeps it (recorded live as size / 2). */
MTF_API void *mtf_realloc_shrink_leak(size_t size);
MTF_API void *mtf_realloc_shrink_inner(size_t size);

/* ---- anonymous mmap --------------------------------------------------------------------- */

/* mmap(NULL, length, RW, MAP_PRIVATE|MAP_ANONYMOUS) through mtf_mmap_leak -> mtf_mmap_inner;
 * the first byte of each page is touched. Recorded live with `length` bytes. */
MTF_API void *mtf_mmap_leak(size_t length);
MTF_API void *mtf_mmap_inner(size_t length);
/* Maps `pages` pages, then munmaps pages [first_unmapped, first_unmapped + count_unmapped):
 * the head, a hole in the middle, the tail or everything. Recorded live with the pages left.
 * Returns the base of the original mapping, NULL if the arguments are out of range. */
MTF_API void *mtf_mmap_partial_leak(size_t pages, size_t first_unmapped, size_t count_unmapped);
/* Maps length bytes and munmaps them again. Returns length. */
MTF_API size_t mtf_mmap_and_unmap(size_t length);
MTF_API long mtf_page_size(void);

/* ---- transient memory --------------------------------------------------------------------- */

/* Holds `total` bytes in `blocks` blocks at once (the last takes the remainder; all from one
 * call site in mtf_peak_hold), touches them, then frees them all. Returns the bytes held. */
MTF_API size_t mtf_peak(size_t total, int blocks);
MTF_API size_t mtf_peak_hold(size_t total, int blocks);
/* `rounds` times: malloc `batch` blocks of `size` bytes, then free them. Returns blocks made. */
MTF_API long mtf_churn(int rounds, int batch, size_t size);
/* `pairs` times malloc(n) then free() at once, n pseudo-random (xorshift, fixed seed per call)
 * in [size_min, size_max]. One native call, so the JNI transition cost does not dominate.
 * Returns the number of pairs done (== pairs unless malloc failed). */
MTF_API long mtf_storm(long pairs, int size_min, int size_max);
MTF_API long mtf_storm_inner(long pairs, int size_min, int size_max);
/* The bytes mtf_storm(pairs, size_min, size_max) allocates in all, computed without allocating:
 * what a tracker must count as allocated for that call, to the byte. */
MTF_API long mtf_storm_bytes(long pairs, int size_min, int size_max);
/* For `millis`, malloc/free on the calling thread while another thread signals it every ~20 us;
 * the handler maps and unmaps MTF_SIGNAL_MAP_BYTES. Returns the signals handled (-1: no set-up). */
#define MTF_SIGNAL_MAP_BYTES 77824 /* 19 pages */
MTF_API long mtf_signal_storm(long millis);
/* Forks `children` children one by one, each mallocs/frees `allocs` blocks and maps/unmaps a page
 * and exits 7; returns how many did (a child stuck for 10 s is killed and not counted). */
MTF_API long mtf_fork_children(int children, int allocs);
/* Maps `pages` pages, mremaps them to `new_pages` (may move), then keeps (leak) or unmaps them. */
MTF_API void *mtf_mremap_inner(void *old, size_t old_length, size_t new_length);
MTF_API void *mtf_mremap(size_t pages, size_t new_pages, int keep);
/* Maps `pages` pages, maps over their second half with MAP_FIXED, keeps both (a leak of `pages` pages in 2 allocations). */
MTF_API void *mtf_mmap_fixed_inner(void *at, size_t length);
MTF_API void *mtf_mmap_fixed_over(size_t pages);

/* ---- failed allocations ------------------------------------------------------------------- */

/* malloc(size), calloc(1, size) and realloc(small block, size) of a size no allocator can give
 * (e.g. 2^62): returns errno after each failure summed as e1 * 10000 + e2 * 100 + e3 (ENOMEM = 12
 * each: 121212), or -1 when one of them did not fail. Nothing stays live. */
MTF_API long mtf_failed_allocations(size_t size);

/* ---- a native thread ---------------------------------------------------------------------- */

/* Starts a pthread (not attached to the JVM) that leaks `size` bytes through
 * mtf_thread_main -> mtf_thread_leak_inner -> malloc, and joins it. Returns the block (live). */
MTF_API void *mtf_thread_leak(size_t size);
MTF_API void *mtf_thread_main(void *size_ptr);
MTF_API void *mtf_thread_leak_inner(size_t size);

/* ---- what the fixture holds --------------------------------------------------------------- */

/* Frees (free/munmap) everything recorded live. Returns the number of blocks released. */
MTF_API long mtf_release_all(void);
/* Per-thread state as native libraries keep it (RocksDB's thread-local slots): a 48-byte slot
 * malloc'd through mtf_keep_in_thread_slot -> mtf_keep_in_thread_slot_inner -> malloc, pointing to
 * a `size`-byte block (malloc in mtf_keep_in_thread_slot_inner too), set as the calling thread's
 * value of one pthread key (freed by the key's destructor when the thread ends, or by
 * mtf_release_thread_slot on the calling thread). Returns the block. */
MTF_API void *mtf_keep_in_thread_slot(size_t size);
MTF_API void *mtf_keep_in_thread_slot_inner(size_t size);
MTF_API void mtf_release_thread_slot(void);
MTF_API long mtf_live_count(void);
MTF_API long mtf_live_bytes(void);

/* ---- a library that the fixture loads itself ---------------------------------------------- */

/* dlopen(path, RTLD_NOW | RTLD_LOCAL) and dlsym of the dep entry points below; the library
 * loaded last is the current one. Loading another path keeps the earlier handles (their blocks
 * are still released by mtf_dep_call_release). Returns 0, or -1 with mtf_dep_error() set. */
MTF_API int mtf_dep_load(const char *path);
MTF_API const char *mtf_dep_error(void);
/* Calls the current dep library's mtf_dep_leak(size) through its dlsym'd pointer, from
 * mtf_dep_call_leak. Returns the block, NULL if no dep library is loaded. */
MTF_API void *mtf_dep_call_leak(size_t size);
/* Calls mtf_dep_release() of every dep library loaded; returns the blocks released. */
MTF_API long mtf_dep_call_release(void);
/* mtf_dep_live_bytes() of every dep library loaded, summed. */
MTF_API long mtf_dep_call_live_bytes(void);

/* Exported by libmtfixture_dep.so (fixture_dep.c); each copy has its own live table. */
MTF_API void *mtf_dep_leak(size_t size);       /* -> mtf_dep_leak_inner -> malloc */
MTF_API void *mtf_dep_leak_inner(size_t size);
MTF_API long mtf_dep_release(void);
MTF_API long mtf_dep_live_bytes(void);

#ifdef __cplusplus
}
#endif
#endif
