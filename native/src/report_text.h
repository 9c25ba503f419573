/*
 * report_text.h — the one text builder of the reports the Java side reads (native scope report,
 * managed heap report, leak walker paths): tab-separated lines, declared in
 * docs/native-report-format.md. Layer 1 (objects, symbols and the JVM): it names Java frames.
 * Called on a Java thread with the recursion guard held (malloc is fine here).
 */
#ifndef MEMTRACK_REPORT_TEXT_H
#define MEMTRACK_REPORT_TEXT_H
#include <stddef.h>
#include <stdint.h>

#include "stack_table.h"

/* The first line of every text: "<kind> <TAB> version". The Java readers (NativeTextFormat,
 * used by NativeReportParser and HeapWalkerParser) accept exactly this version; change both
 * together. */
#define REPORT_TEXT_VERSION 5
#define REPORT_TEXT_REPORT "memtrack-report"          /* scope report, native or managed */
#define REPORT_TEXT_HEAP_LEAKS "memtrack-heap-leaks"  /* the heap walker's leak text */

typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} report_text;

void report_text_append(report_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends the header line: kind (REPORT_TEXT_REPORT or REPORT_TEXT_HEAP_LEAKS), version. */
void report_text_header(report_text *t, const char *kind);
/* Replaces tabs and newlines in place (fields are tab-separated). */
const char *report_text_clean(char *s);
/* frame <TAB> J <TAB> symbol <TAB> <TAB> file <TAB> line, for one Java frame. */
void report_text_java_frame(report_text *t, const stack_frame *f);
/* The same for each Java frame of a stack. */
void report_text_java_stack(report_text *t, uint32_t stack_id);
/* The text, or NULL (and nothing to free) when building failed. */
char *report_text_finish(report_text *t);
#endif
