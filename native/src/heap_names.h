/*
 * heap_names.h — JVM class names (stack frames and leak paths) and the leak walker's names: classes ("java.util.HashMap$Node",
 * "byte[]"), fields by their JVMTI heap-reference index, methods. Outside callbacks only
 * (they call JVMTI and malloc); the recursion guard must be held.
 */
#ifndef MEMTRACK_HEAP_NAMES_H
#define MEMTRACK_HEAP_NAMES_H
#include <jni.h>
#include <jvmti.h>
#include <stddef.h>

/* The one decoder of JVM class signatures, for stack frames (jvm_bridge.c) and reference paths
 * alike: "Ljava/util/HashMap;" -> "java.util.HashMap", "[[B" -> "byte[][]", a hidden class
 * "Lcom/a/B$$Lambda$47.0x0123;" -> "com.a.B$$Lambda$47/0x0123" (as Class.getName()). */
void heap_names_from_signature(const char *sig, char *out, size_t len);
/* Class name of a jclass; "?" when unknown. */
void heap_names_class(jvmtiEnv *jvmti, jclass klass, char *out, size_t len);
/* The name of the field with JVMTI heap-reference index `index` in `klass` (instance fields of
 * an object of that class, or static fields of that class/interface). 0, or -1 when the index
 * does not resolve. */
int heap_names_field(jvmtiEnv *jvmti, JNIEnv *jni, jclass klass, jint index, char *out, size_t len);
/* Position of `field` among the fields JVMTI numbers for instances of `klass` (for reference
 * subclasses: the index of Reference.referent), or -1. `declaring` declares `field`. */
jint heap_names_field_index(jvmtiEnv *jvmti, JNIEnv *jni, jclass klass, jclass declaring, const char *field);
/* "com.acme.Foo.bar", and the declaring class name alone. */
void heap_names_method(jvmtiEnv *jvmti, JNIEnv *jni, jmethodID method, char *out, size_t len, char *cls,
                       size_t cls_len);
#endif
