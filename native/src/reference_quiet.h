/*
 * reference_quiet.h — whether the JVM has finished acting on the references its last collection
 * found: the Reference Handler idle with nothing pending, and every thread that drains a
 * ReferenceQueue (cleaners, finalizer, libraries' own) waiting with its queue empty
 * (memtrack_references_quiet in memtrack.h).
 */
#ifndef MEMTRACK_REFERENCE_QUIET_H
#define MEMTRACK_REFERENCE_QUIET_H

/* 1 quiet, 0 busy, -1 cannot tell (no JNI/JVMTI, or this JDK lacks what it reads). Called from a
 * Java thread (through JNA), never from a hook. */
int reference_quiet(void);

#endif
