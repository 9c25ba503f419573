/* report.h — text report of a scope (see docs/native-report-format.md). */
#ifndef MEMTRACK_REPORT_H
#define MEMTRACK_REPORT_H
#include <stdint.h>
/* malloc'd text, or NULL for an unknown scope; call with the recursion guard held. */
char *report_build(uint32_t scope_id);
/* The same, with `annotate` called after the frames of each site that has live blocks: the
 * owner lines of the native owner check (heap_api.c). */
typedef void (*report_annotate)(void *text /* report_text * */, uint32_t stack_id, void *arg);
char *report_build_annotated(uint32_t scope_id, report_annotate annotate, void *arg);
#endif
