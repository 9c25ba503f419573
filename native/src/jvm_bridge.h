/*
 * jvm_bridge.h — what the agent needs from the JVM: JavaVM/JVMTI obtained in JNI_OnLoad (or
 * Agent_OnLoad), the Java part of a stack via AsyncGetCallTrace, and Java frame names.
 */
#ifndef MEMTRACK_JVM_BRIDGE_H
#define MEMTRACK_JVM_BRIDGE_H
#include <stddef.h>
#include <stdint.h>
#include "stack_table.h"

/* Appends up to max Java frames of the calling thread (FRAME_JAVA); returns how many. Safe in
 * hooks: no malloc, no JVMTI call, no state transition. 0 for threads not attached. */
int jvm_java_frames(stack_frame *out, int max);
/* "com.sun.jna.Memory.<init>", "Memory.java", line (-2 native method, 0 unknown). Not in hooks. */
int jvm_describe_frame(const stack_frame *f, char *symbol, size_t symbol_len, char *file,
                       size_t file_len, int *line);
/* Describes the Java methods of these frames now and keeps their names, source files and line
 * tables, so that the frames are still named if their classes are unloaded before the report is
 * read (jvm_bridge.c). Not in hooks. */
void jvm_keep_method_names(const stack_frame *frames, int n);
const char *jvm_status(void);

#include <jvmti.h>
/* Takes the JavaVM (from agent_load.c): JVMTI environment, class events, AsyncGetCallTrace.
 * live_phase 0 (Agent_OnLoad): on_vm_ready runs once the VM has initialised. Returns 1 when a
 * JVMTI environment was obtained. */
int jvm_attach(JavaVM *java_vm, int live_phase, void (*on_vm_ready)(void));
jvmtiEnv *jvm_jvmti(void);
JavaVM *jvm_vm(void);
/* Sets one event's callback through `install` (the others are kept: SetEventCallbacks replaces
 * the whole table) and enables the event globally. Returns a jvmtiError. */
int jvm_enable_event(int event, void (*install)(jvmtiEventCallbacks *));
#endif
