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
/* The same in two steps: the figures read now (NULL for an unknown scope), the text written
 * later (frees `figures`; NULL figures give NULL). The owner check reads the figures when it
 * collects the blocks it judges, and writes the text with their owner lines after its walk. */
typedef struct report_figures report_figures;
report_figures *report_figures_take(uint32_t scope_id);
/* Sites with live blocks for which `judged` answers 0 are written as holding nothing live (and
 * the totals' live figures without them): the owner check had not seen any of their blocks. */
void report_figures_drop_unjudged(report_figures *figures, int (*judged)(uint32_t stack_id, void *arg), void *arg);
char *report_figures_format(report_figures *figures, report_annotate annotate, void *arg);
#endif
