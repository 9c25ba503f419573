/* heap_api.h — what the rest of the agent calls in the managed-heap code. */
#ifndef MEMTRACK_HEAP_API_H
#define MEMTRACK_HEAP_API_H
#include <stdint.h>

/* From tracker_scope_release: the scope's managed figures are forgotten with it. */
void heap_scope_released(uint32_t scope);
#endif
