/*
 * reference_quiet.h — whether the JVM has finished acting on the references its last collection
 * found: the Reference Handler idle with nothing pending, and every thread that drains a
 * ReferenceQueue (cleaners, finalizer, libraries' own) waiting with its queue empty
 * (memtrack_references_quiet in memtrack.h).
 */
#ifndef MEMTRACK_REFERENCE_QUIET_H
#define MEMTRACK_REFERENCE_QUIET_H

#define REFERENCES_QUIET 1
#define REFERENCES_PENDING 0 /* the Reference Handler has references to process */
#define REFERENCES_ACTING 2  /* a cleaner's or the finalizer's queue holds one, or its thread runs */

/* One of the above, or -1: cannot tell (no JNI/JVMTI, or this JDK lacks what it reads). Called
 * from a Java thread (through JNA), never from a hook. `cpu_ns` (may be NULL) gets the CPU time
 * the threads that drain reference queues have used so far, or -1 when unknown. */
#include <stdint.h>
int reference_quiet(int64_t *cpu_ns);

#endif
