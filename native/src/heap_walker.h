/*
 * heap_walker.h — the managed leak check: which sampled objects of a scope are still reachable
 * from GC roots other than the test's own thread stack and test instance, and the reference path
 * that keeps each leaked site alive (docs/managed-heap.md).
 */
#ifndef MEMTRACK_HEAP_WALKER_H
#define MEMTRACK_HEAP_WALKER_H
#include <jni.h>
#include <jvmti.h>
#include <stdint.h>

/* One-time initialisation counts as a leak too (repeat mode judges growth this way). */
#define HEAP_WALK_STRICT 1

/* The leak text (format in docs/managed-heap.md), malloc'd; NULL when out of memory. Call on a
 * Java thread with the recursion guard held, after GC and settling. One walk at a
 * time (serialized inside). */
char *heap_walker_find_leaks(JNIEnv *jni, uint32_t scope, jobject test_instance, jthread test_thread,
                             int flags, int max_sites);
#endif
