/*
 * stack_table.h — deduplicated call stacks: the same sequence of frames always gets the same
 * id, so every allocation record carries one 32-bit id instead of its frames.
 *
 * Frames are stored in append-only arenas from raw_alloc; ids are dense, starting at 1.
 * stack_table_intern takes a spin lock (only on a miss of the caller's own cache, so rarely);
 * stack_table_get is lock-free and safe concurrently with interning. No malloc: callable from
 * allocation hooks.
 */
#ifndef MEMTRACK_STACK_TABLE_H
#define MEMTRACK_STACK_TABLE_H
#include <stdint.h>

enum frame_kind {
    FRAME_NATIVE = 0, /* pc: a return address (or the allocator entry) in a loaded object */
    FRAME_JAVA = 1,   /* pc: a jmethodID, bci: the bytecode index (-1 unknown, -3 native) */
    FRAME_HOOK = 2    /* pc: index of the hooked allocator function (malloc, mmap, ...) */
};

typedef struct {
    uint64_t pc;
    int32_t bci;
    int32_t kind;
} stack_frame;

#define STACK_MAX_FRAMES 128

/* Returns the id (>= 1) of this frame sequence, interning it on first sight; 0 if out of
 * memory. `origin` is stored with the stack (the same frames always have the same origin);
 * the first interning wins. n may be 0. n > STACK_MAX_FRAMES is truncated. */
uint32_t stack_table_intern(const stack_frame *frames, int n, uint32_t origin);
/* Frames and origin of an id. Returns 0 and sets *frames, *n and *origin (each may be NULL),
 * or -1 for an unknown id. The frames pointer stays valid for the life of the process. */
int stack_table_get(uint32_t id, const stack_frame **frames, int *n, uint32_t *origin);
/* Number of distinct stacks, and bytes of memory used. */
uint32_t stack_table_count(void);
uint64_t stack_table_memory(void);
#endif
