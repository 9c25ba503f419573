/*
 * heap_sampler.h — managed allocations through JVMTI heap sampling (docs/managed-heap.md).
 *
 * SampledObjectAlloc: a sampled object allocated by a thread attributed to an active scope gets a
 * record {size, weight, stack, scope} and a tag; ObjectFree releases it. GarbageCollectionStart
 * counts the small samples that survived the previous GC as held (the managed peak). The engine
 * uses a JVMTI environment of its own (heap_sampler.c says why).
 */
#ifndef MEMTRACK_HEAP_SAMPLER_H
#define MEMTRACK_HEAP_SAMPLER_H
#include <jvmti.h>
#include <stdint.h>

/* Stack table origin of managed allocation stacks ("heap" in reports). */
#define HEAP_STACK_ORIGIN 3u

/* Default sampling interval (bytes) and large-object resolution; see docs/managed-heap.md. */
#define HEAP_DEFAULT_INTERVAL (256 * 1024)
#define HEAP_DEFAULT_LARGE_BYTES (1024 * 1024)

/* Adds the capabilities, sets the interval and enables the events (idempotent: later calls
 * only return the first result). NULL on success, else a static text saying what is missing;
 * *sampling_ok tells whether stacks/peak/leaks work (0 when another agent holds sampling). */
const char *heap_sampler_init(int interval, int *sampling_ok);
int heap_sampler_available(void);
/* 0 = every object. Applies to each thread after its next sample. */
int heap_sampler_set_interval(int interval);
int heap_sampler_interval(void);
void heap_sampler_set_large_bytes(int64_t bytes);

/* The engine's own JVMTI environment (its tags, its heap walks); NULL before a successful init. */
jvmtiEnv *heap_sampler_env(void);

uint64_t heap_sampler_frees(void);       /* ObjectFree events of records, ever */
uint64_t heap_sampler_gcs(void);         /* GarbageCollectionFinish events, ever */
uint64_t heap_sampler_dropped(void);     /* samples not recorded (no memory, tag refused) */
uint64_t heap_sampler_thread_samples(void); /* samples recorded on the calling thread */

/* The calling thread's allocated bytes are measured exactly by the Java side (1) or not (0). */
void heap_sampler_set_metered(int metered);
#endif
