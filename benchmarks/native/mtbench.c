/*
 * mtbench.c — the JNI workloads of the memtrack benchmarks (benchmarks/README.md).
 *
 * B1: n malloc/free pairs, sizes 64..4096 B from a fixed xorshift sequence, every 10th block kept
 *     until the end of the call, then freed. Each malloc is reached through three noinline
 *     frames: b1_outer -> b1_middle -> b1_inner -> malloc.
 * B5: n blocks of one size held at once (b5_hold), freed by a second call (b5_release).
 *
 * Built -O2 -g without frame pointers, like a typical distribution library, so a tracker has to
 * unwind it from its DWARF CFI. The bookkeeping arrays are static (BSS) so that the workloads
 * make no allocation besides the ones they count. Not thread-safe: one benchmark thread.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>

#define MTB_API __attribute__((visibility("default"), noinline, noclone))
/* Keeps a value in a register after a call: the call cannot become a tail call (a jump), so
 * the caller's frame stays on the stack. */
#define MTB_KEEP(v) __asm__ volatile("" : "+r"(v))

#define MAX_BLOCKS (1u << 20)
static void *blocks[MAX_BLOCKS];
static uint32_t held;

static inline uint32_t xorshift32(uint32_t *state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

MTB_API void *b1_inner(size_t size) {
    char *p = malloc(size);
    if (p) p[0] = (char)size; /* touch it, as a real caller would */
    return p;
}

MTB_API void *b1_middle(size_t size) {
    void *p = b1_inner(size);
    MTB_KEEP(p);
    return p;
}

/* Returns the sum of the sizes allocated, or -1 when malloc failed. */
MTB_API int64_t b1_outer(uint32_t pairs, uint32_t seed) {
    uint32_t state = seed ? seed : 0x9E3779B9u;
    uint32_t kept = 0;
    int64_t total = 0;
    int failed = 0;
    for (uint32_t i = 0; i < pairs; i++) {
        size_t size = 64 + xorshift32(&state) % (4096 - 64 + 1);
        void *p = b1_middle(size);
        if (!p) { failed = 1; continue; }
        total += (int64_t)size;
        if (i % 10 == 9 && kept < MAX_BLOCKS) blocks[kept++] = p;
        else free(p);
    }
    for (uint32_t i = 0; i < kept; i++) free(blocks[i]);
    return failed ? -1 : total;
}

MTB_API void *b5_alloc(size_t size) {
    char *p = malloc(size);
    if (p) p[0] = 1;
    return p;
}

/* Allocates count blocks of size bytes and keeps them; returns how many are held. */
MTB_API uint32_t b5_hold(uint32_t count, size_t size) {
    if (count > MAX_BLOCKS - held) count = MAX_BLOCKS - held;
    for (uint32_t i = 0; i < count; i++) {
        void *p = b5_alloc(size);
        MTB_KEEP(p);
        if (!p) break;
        blocks[held++] = p;
    }
    return held;
}

MTB_API uint32_t b5_release(void) {
    uint32_t n = held;
    for (uint32_t i = 0; i < n; i++) free(blocks[i]);
    held = 0;
    return n;
}

JNIEXPORT jlong JNICALL Java_dev_memtrack_benchmarks_BenchNative_b1(JNIEnv *env, jclass cls, jint pairs, jint seed) {
    if (pairs < 0) return -1;
    jlong r = b1_outer((uint32_t)pairs, (uint32_t)seed);
    MTB_KEEP(r);
    return r;
}

JNIEXPORT jint JNICALL Java_dev_memtrack_benchmarks_BenchNative_b5Hold(JNIEnv *env, jclass cls, jint count, jint size) {
    if (count < 0 || size <= 0) return -1;
    jint r = (jint)b5_hold((uint32_t)count, (size_t)size);
    MTB_KEEP(r);
    return r;
}

JNIEXPORT jint JNICALL Java_dev_memtrack_benchmarks_BenchNative_b5Release(JNIEnv *env, jclass cls) {
    return (jint)b5_release();
}
