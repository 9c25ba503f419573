/* report.h — text report of a scope (see docs/native-report-format.md). */
#ifndef MEMTRACK_REPORT_H
#define MEMTRACK_REPORT_H
#include <stdint.h>
/* malloc'd text, or NULL for an unknown scope; call with the recursion guard held. */
char *report_build(uint32_t scope_id);
#endif
