/*
 * heap_report.h — managed figures and sites of a scope as text, in the format of the native
 * report (docs/native-report-format.md) with origin `heap` (text builder: report_text.h). Called on a Java thread with the recursion guard held (malloc is fine here).
 */
#ifndef MEMTRACK_HEAP_REPORT_H
#define MEMTRACK_HEAP_REPORT_H
#include <stddef.h>
#include <stdint.h>

#include "heap_stats.h"

/* The figures a Java caller sees: allocated bytes are exact when metered (plus estimates for
 * unmetered threads), the rest estimates; see memtrack.h MEMTRACK_HEAP_FIG_*. */
void heap_report_figures(const heap_totals *t, int64_t *out);
/* The report text, or NULL for a scope without managed figures. */
char *heap_report_build(uint32_t scope);
#endif
