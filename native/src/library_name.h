/* library_name.h — the printed name of a library with the random part a loader gave it removed. */
#ifndef MEMTRACK_LIBRARY_NAME_H
#define MEMTRACK_LIBRARY_NAME_H
#include <stddef.h>

/* Writes `name` (a file name, no directory) without its random parts into out (NUL-terminated,
 * truncated to size - 1); returns the length written. */
size_t library_stable_name(const char *name, char *out, size_t size);
#endif
