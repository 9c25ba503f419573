/*
 * heap_report.c — memtrack_heap_report and memtrack_heap_figures (heap_report.h).
 */
#include "heap_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap_records.h"
#include "memtrack.h"
#include "report_text.h"

static int64_t objects(uint64_t count_fp) { return (int64_t)((count_fp + HEAP_COUNT_ONE / 2) / HEAP_COUNT_ONE); }

void heap_report_figures(const heap_totals *t, int64_t *out) {
    memset(out, 0, sizeof(int64_t) * MEMTRACK_HEAP_FIGURES_LEN);
    /* Exact bytes of the metered threads plus the estimate for the others (worker threads the
     * Java side does not meter); without any meter, the estimate from samples. */
    uint64_t unmetered = t->est_bytes > t->est_metered_bytes ? t->est_bytes - t->est_metered_bytes : 0;
    out[MEMTRACK_HEAP_FIG_ALLOCATED_BYTES] = (int64_t)(t->metered ? t->exact_bytes + unmetered : t->est_bytes);
    out[MEMTRACK_HEAP_FIG_ALLOCATED_COUNT] = objects(t->est_count_fp);
    out[MEMTRACK_HEAP_FIG_FREED_BYTES] = (int64_t)t->freed_bytes;
    out[MEMTRACK_HEAP_FIG_FREED_COUNT] = objects(t->freed_count_fp);
    out[MEMTRACK_HEAP_FIG_LIVE_BYTES] = (int64_t)t->live_bytes;
    out[MEMTRACK_HEAP_FIG_LIVE_COUNT] = objects(t->live_count_fp);
    out[MEMTRACK_HEAP_FIG_PEAK_BYTES] = (int64_t)t->peak_bytes;
    out[MEMTRACK_HEAP_FIG_HELD_BYTES] = (int64_t)t->held_bytes;
    out[MEMTRACK_HEAP_FIG_SAMPLES] = (int64_t)t->samples;
    out[MEMTRACK_HEAP_FIG_EXACT_BYTES] = (int64_t)t->exact_bytes;
    out[MEMTRACK_HEAP_FIG_ESTIMATED_BYTES] = (int64_t)t->est_bytes;
    out[MEMTRACK_HEAP_FIG_FLAGS] = t->metered ? MEMTRACK_HEAP_FLAG_METERED : 0;
}

char *heap_report_build(uint32_t scope) {
    heap_totals tot;
    int max = 256, count;
    heap_site_figures *sites = NULL;
    for (;;) {
        sites = malloc(sizeof(heap_site_figures) * (size_t)max);
        if (!sites) return NULL;
        spin_lock_acquire(&heap_lock);
        count = heap_stats_totals(scope, &tot) == 0 ? heap_stats_sites(scope, sites, max) : -1;
        spin_lock_release(&heap_lock);
        if (count < 0) {
            free(sites);
            return NULL;
        }
        if (count <= max) break;
        free(sites);
        max = count + 256;
    }
    int64_t fig[MEMTRACK_HEAP_FIGURES_LEN];
    heap_report_figures(&tot, fig);
    report_text t = {0};
    report_text_header(&t, REPORT_TEXT_REPORT);
    report_text_append(&t, "totals\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\n",
                     (long long)fig[MEMTRACK_HEAP_FIG_ALLOCATED_BYTES], (long long)fig[MEMTRACK_HEAP_FIG_ALLOCATED_COUNT],
                     (long long)fig[MEMTRACK_HEAP_FIG_FREED_BYTES], (long long)fig[MEMTRACK_HEAP_FIG_FREED_COUNT],
                     (long long)fig[MEMTRACK_HEAP_FIG_LIVE_BYTES], (long long)fig[MEMTRACK_HEAP_FIG_LIVE_COUNT],
                     (long long)fig[MEMTRACK_HEAP_FIG_PEAK_BYTES]);
    for (int i = 0; i < count; i++) {
        const heap_site_figures *s = &sites[i];
        report_text_append(&t, "site\theap\t%llu\t%lld\t%llu\t%lld\t%llu\t%lld\n", (unsigned long long)s->est_bytes,
                         (long long)objects(s->est_count_fp), (unsigned long long)s->live_bytes,
                         (long long)objects(s->live_count_fp), (unsigned long long)s->peak_bytes,
                         (long long)objects(s->peak_count_fp));
        report_text_java_stack(&t, s->stack_id);
    }
    report_text_append(&t, "end\n");
    free(sites);
    return report_text_finish(&t);
}
