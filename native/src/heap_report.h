/*
 * heap_report.h — managed figures and sites of a scope as text, in the format of the native
 * report (docs/native-report-format.md) with origin `heap`, and the text helpers the leak walker
 * shares. Called on a Java thread with the recursion guard held (malloc is fine here).
 */
#ifndef MEMTRACK_HEAP_REPORT_H
#define MEMTRACK_HEAP_REPORT_H
#include <stddef.h>
#include <stdint.h>

#include "heap_stats.h"

typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} heap_text;

void heap_text_append(heap_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Replaces tabs and newlines (fields are tab-separated). */
const char *heap_text_clean(char *s);
/* frame <TAB> J <TAB> symbol <TAB> <TAB> file <TAB> line, one per Java frame of the stack. */
void heap_text_append_stack(heap_text *t, uint32_t stack_id);
/* The text, or NULL (and nothing to free) when building failed. */
char *heap_text_finish(heap_text *t);

/* The figures a Java caller sees: allocated bytes are exact when metered (plus estimates for
 * unmetered threads), the rest estimates; see memtrack.h MEMTRACK_HEAP_FIG_*. */
void heap_report_figures(const heap_totals *t, int64_t *out);
/* The report text, or NULL for a scope without managed figures. */
char *heap_report_build(uint32_t scope);
#endif
