/*
 * class_transformer.c — lets the Java side rewrite a few JDK classes (executors, virtual
 * threads) with ByteBuddy advice, without java.lang.instrument and without an agent flag:
 * the JVMTI environment from JNI_OnLoad asks for can_retransform_classes (available in the live
 * phase, as it is to dynamically attached agents), and its ClassFileLoadHook hands the bytes of
 * the target classes to a static Java method, whose answer replaces them.
 *
 * Java side: dev.memtrack.internal.attribution.JvmtiClassTransformer
 *   static native String install0(String[] internalNames)  -> null or an error text
 *   static native String retransform0(Class<?>[] classes)   -> null or an error text
 *   static byte[] transform(String internalName, byte[] classfile)  (called back)
 */
#include <jni.h>
#include <jvmti.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "jvm_bridge.h"
#include "thread_state.h"

#define MAX_TARGETS 32
static char targets[MAX_TARGETS][128];
static int target_count;
static jclass transformer_class;  /* global ref */
static jmethodID transform_method;
static char error_text[256];

static int is_target(const char *name) {
    if (!name) return 0;
    for (int i = 0; i < target_count; i++)
        if (strcmp(targets[i], name) == 0) return 1;
    return 0;
}

static void JNICALL on_class_file_load(jvmtiEnv *env, JNIEnv *jni, jclass redefined, jobject loader,
                                       const char *name, jobject domain, jint len,
                                       const unsigned char *data, jint *new_len, unsigned char **new_data) {
    if (!is_target(name) || !transform_method) return;
    mt_enter();
    jbyteArray in = (*jni)->NewByteArray(jni, len);
    jstring jname = (*jni)->NewStringUTF(jni, name);
    if (in && jname) {
        (*jni)->SetByteArrayRegion(jni, in, 0, len, (const jbyte *)data);
        jbyteArray out = (jbyteArray)(*jni)->CallStaticObjectMethod(jni, transformer_class, transform_method, jname, in);
        if ((*jni)->ExceptionCheck(jni)) {
            /* A failed rewrite leaves the class as it was; the Java side reports it. */
            (*jni)->ExceptionClear(jni);
        } else if (out) {
            jint n = (*jni)->GetArrayLength(jni, out);
            unsigned char *buf = NULL;
            if ((*env)->Allocate(env, n, &buf) == JVMTI_ERROR_NONE) {
                (*jni)->GetByteArrayRegion(jni, out, 0, n, (jbyte *)buf);
                *new_len = n;
                *new_data = buf;
            }
            (*jni)->DeleteLocalRef(jni, out);
        }
    }
    if (in) (*jni)->DeleteLocalRef(jni, in);
    if (jname) (*jni)->DeleteLocalRef(jni, jname);
    mt_leave();
}

static void install_hook(jvmtiEventCallbacks *cb) { cb->ClassFileLoadHook = on_class_file_load; }

static jstring error(JNIEnv *jni, const char *what, int code) {
    snprintf(error_text, sizeof error_text, "%s (JVMTI error %d)", what, code);
    return (*jni)->NewStringUTF(jni, error_text);
}

JNIEXPORT jstring JNICALL
Java_dev_memtrack_internal_attribution_JvmtiClassTransformer_install0(JNIEnv *jni, jclass cls, jobjectArray names) {
    jvmtiEnv *jvmti = jvm_jvmti();
    if (!jvmti) return error(jni, "no JVMTI environment", JVMTI_ERROR_NOT_AVAILABLE);
    mt_enter();
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof caps);
    caps.can_retransform_classes = 1;
    jvmtiError err = (*jvmti)->AddCapabilities(jvmti, &caps);
    if (err != JVMTI_ERROR_NONE) {
        mt_leave();
        return error(jni, "the JVM refused the can_retransform_classes capability", err);
    }
    jint n = (*jni)->GetArrayLength(jni, names);
    target_count = 0;
    for (jint i = 0; i < n && target_count < MAX_TARGETS; i++) {
        jstring s = (jstring)(*jni)->GetObjectArrayElement(jni, names, i);
        const char *c = (*jni)->GetStringUTFChars(jni, s, NULL);
        snprintf(targets[target_count++], sizeof targets[0], "%s", c);
        (*jni)->ReleaseStringUTFChars(jni, s, c);
        (*jni)->DeleteLocalRef(jni, s);
    }
    transformer_class = (jclass)(*jni)->NewGlobalRef(jni, cls);
    transform_method = (*jni)->GetStaticMethodID(jni, cls, "transform", "(Ljava/lang/String;[B)[B");
    if (!transform_method) {
        (*jni)->ExceptionClear(jni);
        mt_leave();
        return error(jni, "JvmtiClassTransformer.transform(String, byte[]) not found", 0);
    }
    err = jvm_enable_event(JVMTI_EVENT_CLASS_FILE_LOAD_HOOK, install_hook);
    mt_leave();
    if (err != JVMTI_ERROR_NONE) return error(jni, "ClassFileLoadHook could not be enabled", err);
    return NULL;
}

JNIEXPORT jstring JNICALL
Java_dev_memtrack_internal_attribution_JvmtiClassTransformer_retransform0(JNIEnv *jni, jclass cls, jobjectArray classes) {
    jvmtiEnv *jvmti = jvm_jvmti();
    if (!jvmti) return error(jni, "no JVMTI environment", JVMTI_ERROR_NOT_AVAILABLE);
    jint n = (*jni)->GetArrayLength(jni, classes);
    jclass list[MAX_TARGETS];
    if (n > MAX_TARGETS) n = MAX_TARGETS;
    for (jint i = 0; i < n; i++) list[i] = (jclass)(*jni)->GetObjectArrayElement(jni, classes, i);
    jvmtiError err = (*jvmti)->RetransformClasses(jvmti, n, list);
    for (jint i = 0; i < n; i++) (*jni)->DeleteLocalRef(jni, list[i]);
    if (err != JVMTI_ERROR_NONE) return error(jni, "RetransformClasses failed", err);
    return NULL;
}
