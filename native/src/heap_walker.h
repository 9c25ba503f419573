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

/* The leak text (format in docs/managed-heap.md): every sampled object of the scope still reached,
 * one site per allocation stack and holding facts, with the path to it. Java judges each site
 * (OneTimeInitialisation). malloc'd; NULL when out of memory. Call on a Java thread with the
 * recursion guard held, after GC and settling. One walk at a time (serialized inside). */
char *heap_walker_find_leaks(JNIEnv *jni, uint32_t scope, jobject test_instance, jthread test_thread, int64_t below);

/* One leaked native site's owner lines (docs/native-report-format.md, "owner"), malloc'd. */
typedef struct {
    uint32_t stack_id;
    char *lines;
} heap_owner_site;

/* The native owner check (docs/native-engine.md, "Owners"): for the live native blocks and
 * mappings of `scope` and its descendants, the Java objects whose long fields or long[] elements
 * hold an address inside them, and the path from a GC root to the nearest such object (the test
 * thread's stack and the test instance left out, as for the leak check). Sets *out to one entry
 * per site (stack) with live blocks (free each lines, then the array) and returns how many; 0
 * when the scope has no live block (no walk), -1 when the check could not run (no JVMTI
 * environment that tags objects: managed tracking off). `collected` (may be NULL) is called with
 * `arg` right after the blocks are collected, before the walk: what the caller reads there is
 * what the check judges (blocks allocated while the walk runs have no owner lines). Same calling
 * rules as above. */
int heap_walker_find_owners(JNIEnv *jni, uint32_t scope, jobject test_instance, jthread test_thread,
                            heap_owner_site **out, int64_t *walk_us, void (*collected)(void *arg), void *arg);
#endif
