/*
 * heap_stats.h — managed-heap figures of each scope, per allocation site, with the held-bytes
 * peak. All functions: heap_lock held (heap_records.h); no malloc, no JNI/JVMTI.
 *
 * Figures are estimates from samples (Horvitz-Thompson: a sample of size s taken with
 * probability p stands for s/p bytes and 1/p objects; exact when every object is sampled),
 * except the exact allocated bytes that the Java side measures with the per-thread
 * allocated-bytes counter and credits with heap_stats_add_exact. Counts are kept in 1/1024
 * objects (HEAP_COUNT_ONE).
 *
 * Held bytes are the samples counted as live for the peak (docs/managed-heap.md): large objects
 * from allocation, small ones from the first GC they survive, until they are freed. The peak is
 * the one site/peak table (site_table.h) with held bytes as the level: every site's held bytes
 * at the high-water mark are known without storing events.
 *
 * An event counts in its scope and in every ancestor (tracker_scope parents). A scope's slot is
 * claimed lazily (owner = scope id) and given up by heap_stats_release.
 */
#ifndef MEMTRACK_HEAP_STATS_H
#define MEMTRACK_HEAP_STATS_H
#include <stdint.h>

typedef struct {
    uint64_t samples;
    uint64_t est_bytes, est_count_fp;     /* all samples */
    uint64_t est_metered_bytes;           /* samples taken on threads whose bytes are metered */
    uint64_t exact_bytes;                 /* credited by the Java meter */
    uint64_t metered;                     /* 1 once anything was credited */
    uint64_t freed_bytes, freed_count_fp; /* samples freed */
    uint64_t live_bytes, live_count_fp;   /* samples not yet freed */
    uint64_t held_bytes, held_count_fp;
    uint64_t peak_bytes;
} heap_totals;

typedef struct {
    uint32_t stack_id;
    uint64_t samples;
    uint64_t est_bytes, est_count_fp;
    uint64_t live_bytes, live_count_fp;
    uint64_t peak_bytes, peak_count_fp; /* held at the scope's peak */
} heap_site_figures;

/* A sample allocated in `scope` (and its ancestors). */
void heap_stats_on_sample(uint32_t scope, uint32_t stack_id, uint64_t weight, uint64_t count_fp, int metered);
/* A sample freed (whether held or not); `held` says whether it was counted as held. */
void heap_stats_on_free(uint32_t scope, uint32_t stack_id, uint64_t weight, uint64_t count_fp, int held);
/* A sample starts to count as held. */
void heap_stats_on_hold(uint32_t scope, uint32_t stack_id, uint64_t weight, uint64_t count_fp);
/* Exact allocated bytes measured on a thread (scope and ancestors). */
void heap_stats_add_exact(uint32_t scope, uint64_t bytes);

/* 0 and the totals, or -1 when the scope has no managed figures (none recorded, released). */
int heap_stats_totals(uint32_t scope, heap_totals *out);
/* Up to max sites ordered by stack id; returns how many exist (may exceed max), -1 if none. */
int heap_stats_sites(uint32_t scope, heap_site_figures *out, int max);
/* Forgets the scope's figures. */
void heap_stats_release(uint32_t scope);
#endif
