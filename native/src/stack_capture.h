/*
 * stack_capture.h — the merged stack of an allocation, as a stack table id.
 *
 * Native frames come from the unwinder (libgcc's _Unwind_Backtrace over .eh_frame) from the
 * hook's caller up to the first pc that lies in no loaded object — the JVM's native-method
 * wrapper or interpreter, i.e. the JNI boundary. Java frames come from AsyncGetCallTrace, which
 * walks from the thread's last Java frame and is safe in native and VM thread states (a
 * JVMTI GetStackTrace from a thread in VM state, as inside Unsafe_AllocateMemory0 on JDK 17,
 * would corrupt its state transition).
 *
 * Per-thread cache: a call path seen last time on this thread is recognised without unwinding
 * by checking that the hook's CFA is the same and that every saved return address still sits
 * in its stack slot (exact: the CFA rule of a frame depends only on its pc). Java frames are
 * reused when, in addition, the words just above the JNI boundary are unchanged (see
 * docs/native-engine.md for the argument and its limit).
 */
#ifndef MEMTRACK_STACK_CAPTURE_H
#define MEMTRACK_STACK_CAPTURE_H
#include <stdint.h>
#include "stack_table.h"
#include "tracker.h"

enum origin {
    ORIGIN_JNI = 0,  /* JNI/JNA/FFM library */
    ORIGIN_JDK = 1,  /* Unsafe, direct buffers, FFM arenas through libjvm */
    ORIGIN_JVM = 2   /* the JVM's own bookkeeping */
};
const char *origin_code(uint32_t origin);

/* Builds the object map and finds libjvm's off-heap entry points. Call at init and after
 * every dlopen/dlclose (outside of any dl_iterate_phdr callback). */
void stack_capture_refresh_objects(void);
/* Stack id of the current allocation (its origin is the stack's, stack_table); 0 when it is not
 * recorded: no stack could be taken, or it is JVM-internal while those are excluded. */
uint32_t stack_capture(const hook_site *site, uint32_t scope_id);
/* On the thread that began `scope_id`, right after: records its Java frames, so that allocations
 * of the scope on this thread walk only the Java frames above the scope's entry (stack_capture.c).
 * Inside mt_enter(). */
void stack_capture_scope_begun(uint32_t scope_id);
/* A whole walk of the calling thread's Java frames into out[0..max), top first; returns the count
 * (<= 0: none). */
typedef int (*java_walk)(stack_frame *out, int max, void *arg);
/* The Java frames of the current allocation by `walk` (the heap sampler's JVMTI GetStackTrace),
 * at most 96, with the same cut at the scope's entry as the native stacks' (stack_capture.c): on
 * the thread that began `scope_id`, the frames below the entry are appended from the scope's
 * beginning instead of walked. */
int stack_capture_java_frames(uint32_t scope_id, stack_frame *out, int max, java_walk walk, void *arg);
#endif
