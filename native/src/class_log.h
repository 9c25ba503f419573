/*
 * class_log.h — which classes were prepared (linked, about to be initialised) while a scope
 * recorded on the preparing thread. A fact the leak verdicts ask for: memory held by a static of
 * a library class that was initialised during the test is that library's one-time
 * initialisation (docs/test-lifecycle.md, "One-time initialisation"). Layer: core.
 */
#ifndef MEMTRACK_CLASS_LOG_H
#define MEMTRACK_CLASS_LOG_H
#include <stdint.h>

/* Notes that the class with JVM signature `signature` ("Lpkg/Name;") was prepared now, on the
 * calling thread: logged with the scope the thread records into and that scope's ancestors. */
void class_log_note(const char *signature);

/* 1 when the class of `signature` was prepared while `scope` (or a scope nested in it) recorded
 * on the preparing thread, 0 otherwise (also when it was prepared before, or not logged). */
int class_log_prepared_in(uint32_t scope, const char *signature);

/* 1 when a thread records into a scope now (the caller may skip fetching a signature). */
int class_log_wanted(void);

/* Tests: forget every entry. */
void class_log_reset(void);
#endif
