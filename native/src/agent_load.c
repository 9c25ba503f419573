/*
 * agent_load.c — the JVM's ways in (entry layer, docs/architecture.md): JNI_OnLoad
 * (System.load: no agent flag, no JEP 451 warning), Agent_OnLoad (-agentpath:, startup loading
 * for users who prefer it) and Agent_OnAttach. They hand the JavaVM to jvm_bridge.c and
 * initialise the agent (memtrack_init).
 */
#include <jni.h>

#include "jvm_bridge.h"
#include "memtrack.h"
#include "thread_state.h"

static void init_when_vm_ready(void) { memtrack_init(0); }

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *java_vm, void *reserved) {
    mt_enter();
    jvm_attach(java_vm, 1, NULL);
    mt_leave();
    return JNI_VERSION_1_6;
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *java_vm, char *options, void *reserved) {
    mt_enter();
    jvm_attach(java_vm, 0, init_when_vm_ready);
    mt_leave();
    return JNI_OK;
}

JNIEXPORT jint JNICALL Agent_OnAttach(JavaVM *java_vm, char *options, void *reserved) {
    JNI_OnLoad(java_vm, reserved);
    return memtrack_init(0) == NULL ? JNI_OK : JNI_ERR;
}
